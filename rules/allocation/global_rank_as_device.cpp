// ALC003 global-rank-as-device
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/allocation/rank_values.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC003",
    "global-rank-as-device",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Global rank used as a CUDA device ordinal",
    R"md(## What it does
Finds the global rank (`torch.distributed.get_rank()`, the `RANK`
environment variable, or a name or attribute assigned one of them) used as a
CUDA device ordinal: in `torch.cuda.set_device(rank)`, `torch.device("cuda",
rank)`, `torch.cuda.device(rank)`, `.cuda(rank)`, `.to(rank)`,
`f"cuda:{rank}"` and `device_ids=[rank]`.

## Why is this bad?
The global rank counts processes over all nodes, but a node only has GPUs
`0` to `n - 1`. On the first node the global rank equals the local rank, so
single-node tests pass; on the second node rank 8 asks for GPU 8 and the run
fails with `CUDA error: invalid device ordinal`, or several ranks share a GPU
when the ordinal wraps around.

## Example
```python
import torch
import torch.distributed as dist

dist.init_process_group("nccl")
rank = dist.get_rank()
torch.cuda.set_device(rank)
```

Use instead:
```python
import os
import torch
import torch.distributed as dist

dist.init_process_group("nccl")
local_rank = int(os.environ["LOCAL_RANK"])
torch.cuda.set_device(local_rank)
```

## Fix safety
The fix takes the global rank modulo `torch.cuda.device_count()`, which is
the local rank when every node runs one process per visible GPU and ranks are
numbered node by node, as `torchrun` and the DeepSpeed launcher do. Nodes
with different GPU counts break that assumption, so the fix is unsafe. It is
offered only when the file binds `torch` under its own name.
)md"};

class GlobalRankAsDevice final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    if (!semantic.UsesDistributed()) return;
    const Symbols& sym = context.symbols();
    const std::string callee = semantic.CalleeName(call);
    TSNode function = Field(call, "function");

    // Ex) torch.cuda.set_device(rank), torch.cuda.device(rank)
    if (callee == "torch.cuda.set_device" || callee == "torch.cuda.device") {
      CheckOrdinal(context, fixers::PositionalArgument(call, 0));
      return;
    }
    // Ex) torch.device("cuda", rank), torch.device(f"cuda:{rank}")
    if (callee == "torch.device") {
      CheckOrdinal(context, fixers::PositionalArgument(call, 1));
      CheckOrdinal(context, fixers::PositionalArgument(call, 0));
      return;
    }
    // Ex) model.cuda(rank), tensor.to(rank), tensor.to(f"cuda:{rank}")
    if (Is(function, sym.attribute) && callee.empty()) {
      const std::string_view method = context.Text(Field(function, "attribute"));
      if (method == "cuda" || method == "to") CheckOrdinal(context, fixers::PositionalArgument(call, 0));
    }
    // Ex) DDP(model, device_ids=[rank]), torch.zeros(4, device=f"cuda:{rank}")
    for (const char* keyword : {"device", "device_ids", "output_device", "map_location"}) {
      TSNode argument = fixers::KeywordArgument(call, keyword, context.text());
      if (ts_node_is_null(argument)) continue;
      TSNode value = Field(argument, "value");
      if (Is(value, sym.argument_list) || std::string_view(ts_node_type(value)) == "list") {
        for (TSNode element : NamedChildren(value)) CheckOrdinal(context, element);
      } else {
        CheckOrdinal(context, value);
      }
    }
  }

 private:
  static void CheckOrdinal(RuleContext& context, TSNode ordinal) {
    TSNode rank = GlobalRankWithin(context, ordinal);
    if (ts_node_is_null(rank)) return;
    Diagnostic& diagnostic = context.Report(
        rank, "`" + std::string(context.Text(rank)) +
                  "` is the global rank; as a CUDA device ordinal it is out of range on every node but the "
                  "first. Use the local rank (`LOCAL_RANK`)");
    if (!context.semantic().BindsModuleAsItself("torch")) return;

    const Symbols& sym = context.symbols();
    const bool primary = Is(rank, sym.identifier) || Is(rank, sym.attribute) || Is(rank, sym.call) ||
                         Is(rank, sym.subscript);
    std::string text(context.Text(rank));
    if (!primary) text = "(" + text + ")";
    Fix fix;
    fix.title = "Take the rank modulo `torch.cuda.device_count()`";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(fixers::ReplaceNode(rank, text + " % torch.cuda.device_count()"));
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(GlobalRankAsDevice);

}  // namespace
}  // namespace distlint
