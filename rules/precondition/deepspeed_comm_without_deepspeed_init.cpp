// PRE006 deepspeed-comm-without-deepspeed-init
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE006",
    "deepspeed-comm-without-deepspeed-init",
    Family::kMissingPrecondition,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Process group created with torch.distributed in a file that communicates through deepspeed.comm",
    R"md(## What it does
Finds `torch.distributed.init_process_group(...)` in a file that also calls
`deepspeed.comm` functions (through `import deepspeed.comm as dist`,
`from deepspeed import comm` or the full `deepspeed.comm.X` path) and never
calls `deepspeed.init_distributed()` or `deepspeed.comm.init_distributed()`.
`is_initialized()`, `is_available()` and the initialisation functions of
`deepspeed.comm` do not count as communication.

## Why is this bad?
`deepspeed.comm` keeps its own backend object, which only
`deepspeed.comm.init_distributed()` (exported as `deepspeed.init_distributed`)
creates. A process group created by `torch.distributed.init_process_group`
does not set it, so the first `deepspeed.comm.get_rank()` or collective fails
with `AssertionError: DeepSpeed backend not set, please initialize it using
init_process_group()`. `deepspeed.init_distributed()` initialises
torch.distributed as well, and from DeepSpeed 0.7.0 it reuses a process
group that already exists.

## Example
```python
import deepspeed.comm as dist
import torch

def initialize(args):
    torch.distributed.init_process_group(backend="nccl")
    return dist.get_rank()
```

Use instead:
```python
import deepspeed
import deepspeed.comm as dist

def initialize(args):
    deepspeed.init_distributed(dist_backend="nccl")
    return dist.get_rank()
```

## Fix safety
No automatic fix: `deepspeed.init_distributed` takes other parameter names
(`dist_backend`, `distributed_port`) than `init_process_group`.
)md"};

constexpr std::string_view kDeepSpeedComm = "deepspeed.comm.";

// True for deepspeed.comm functions that work before its backend exists.
bool WorksWithoutBackend(std::string_view name) {
  return name.ends_with(".is_initialized") || name.ends_with(".is_available") ||
         name.ends_with(".init_distributed") || name.ends_with(".init_deepspeed_backend");
}

class DeepSpeedCommWithoutDeepSpeedInit final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  // Runs once per file, so one walk finds the init_process_group and deepspeed.comm calls however
  // many init calls the file has.
  std::vector<std::string_view> NodeKinds() const override { return {"module"}; }

  void Check(RuleContext& context, TSNode module) const override {
    std::vector<TSNode> init_calls;
    TSNode comm_call{};
    bool deepspeed_init = false;
    const Symbols& sym = context.symbols();
    Walk(module, [&](TSNode node) {
      if (deepspeed_init) return false;
      if (!Is(node, sym.call)) return true;
      const std::string name = context.semantic().QualifiedName(Field(node, "function"));
      if (name == "deepspeed.init_distributed" || name.ends_with("deepspeed.comm.init_distributed") ||
          name == "deepspeed.comm.comm.init_distributed") {
        deepspeed_init = true;
      } else if (name == "torch.distributed.init_process_group" ||
                 name == "torch.distributed.distributed_c10d.init_process_group") {
        init_calls.push_back(node);
      } else if (name.starts_with(kDeepSpeedComm) && !WorksWithoutBackend(name) && ts_node_is_null(comm_call)) {
        comm_call = node;
      }
      return !deepspeed_init;
    });
    if (deepspeed_init || ts_node_is_null(comm_call)) return;

    for (TSNode call : init_calls) {
      Diagnostic& diagnostic = context.Report(
          call, "`" + std::string(context.Text(Field(call, "function"))) +
                    "` does not set up the deepspeed.comm backend that this file's `" +
                    std::string(context.Text(Field(comm_call, "function"))) +
                    "` needs, so that call fails with \"DeepSpeed backend not set\"; use `deepspeed.init_distributed()`");
      context.AddRelated(diagnostic, comm_call, "deepspeed.comm call");
    }
  }
};

DISTLINT_REGISTER_RULE(DeepSpeedCommWithoutDeepSpeedInit);

}  // namespace
}  // namespace distlint
