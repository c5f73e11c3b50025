// PRE005 rank-query-in-single-process-file
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/precondition/process_group_checks.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE005",
    "rank-query-in-single-process-file",
    Family::kMissingPrecondition,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Rank or world size queried in a file that otherwise never needs a process group",
    R"md(## What it does
This rule is opt-in: select it with `--select PRE005` or in `select`.

Finds `get_rank()` and `get_world_size()` of `torch.distributed` (or
`deepspeed.comm`), called without arguments, in a file whose code needs no
process group otherwise: the file never calls `is_initialized()` (PRE001
covers files that do), never initialises a process group, issues no
collective, barrier or group creation (itself or through the project
functions it calls), makes no other `torch.distributed` call, calls no
framework API that creates the process group or needs its model-parallel
state (`deepspeed.initialize`, `colossalai.launch*`, `colossalai.booster`,
Megatron's `parallel_state`, `mpu` and `initialize`,
`DistributedDataParallel`), and is not a script (`if __name__ ==
"__main__":`). Calls in test functions (`test*`) and test classes
(`Test*`) are not reported.

## Why is this bad?
A file that only asks for the rank, to print or save on rank 0, is a helper:
model construction, dataset caching, logging. Such helpers are also run by
single-process tools (evaluation on one GPU, cache preparation, checkpoint
conversion) and by unit tests, where no process group exists and the query
raises `RuntimeError: Default process group has not been initialized` (or
`ValueError` in older torch).

The rule is opt-in because many such files are only ever imported by
distributed training scripts, and the rule cannot see the callers.

## Example
```python
def build_model(config):
    model = Model(config)
    if torch.distributed.get_rank() == 0:
        print(f"built {config.name}")
    return model
```

Use instead:
```python
def build_model(config):
    model = Model(config)
    if not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0:
        print(f"built {config.name}")
    return model
```

## Fix safety
No automatic fix: the value to use without a process group (rank 0, or
skipping the work) depends on what the caller expects.
)md",
    /*enabled_by_default=*/false};

constexpr std::string_view kDistributedPrefix = "torch.distributed.";

bool IsPlainQuery(TSNode call, std::string_view callee) {
  return (callee == "torch.distributed.get_rank" || callee == "torch.distributed.get_world_size") &&
         fixers::Arguments(call).empty();
}

// True for framework calls that create the process group, or that need
// the model-parallel state built on top of it.
bool CreatesProcessGroup(std::string_view callee) {
  static constexpr std::array<std::string_view, 8> kPrefixes = {
      "deepspeed.init_distributed",   "deepspeed.initialize",         "colossalai.launch",
      "colossalai.booster",           "megatron.core.parallel_state", "megatron.core.mpu",
      "megatron.training.initialize", "torch.nn.parallel.DistributedDataParallel"};
  for (std::string_view prefix : kPrefixes) {
    if (callee.starts_with(prefix)) return true;
  }
  return false;
}

// True when the file is a script (`if __name__ == "__main__":`). A launcher
// starts it, and it sets up the process group itself or through a framework.
bool IsScript(const RuleContext& context, TSNode root) {
  const Symbols& sym = context.symbols();
  for (TSNode statement : NamedChildren(root)) {
    if (Is(statement, sym.if_statement) && context.Text(Field(statement, "condition")).find("__main__") !=
                                               std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// True when a call of the file needs or tests a process group beyond plain
// rank and world-size queries: is_initialized(), an initialisation, a
// collective, or any other torch.distributed call (`is_available()` aside).
bool FileNeedsProcessGroup(const RuleContext& context, TSNode root) {
  if (!context.semantic().CollectiveCalls().empty() || IsScript(context, root)) return true;
  const Symbols& sym = context.symbols();
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    if (!Is(node, sym.call)) return true;
    const std::string callee = context.semantic().CalleeName(node);
    if (callee.starts_with(kDistributedPrefix) && callee != "torch.distributed.is_available" &&
        !IsPlainQuery(node, callee)) {
      found = true;
    }
    if (CreatesProcessGroup(callee)) found = true;
    return !found;
  });
  return found;
}

// FileNeedsProcessGroup, computed once per file.
bool CachedFileNeedsProcessGroup(const RuleContext& context, TSNode node) {
  return CachedFileFact(context, node, FileNeedsProcessGroup);
}

class RankQueryInSingleProcessFile final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    if (!IsPlainQuery(call, callee)) return;
    if (InTest(context, call)) return;
    if (CachedFileNeedsProcessGroup(context, call)) return;

    context.Report(call, "`" + std::string(context.Text(call)) +
                             "` raises when no process group is initialised, and nothing else in this file needs "
                             "one, so single-process tools and tests may run it; check `is_initialized()` first");
  }

 private:
  // True inside a function named `test*` or a class named `Test*`, because
  // pytest fixtures usually create the process group before such code runs.
  static bool InTest(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(call); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition) && context.Text(Field(parent, "name")).starts_with("test")) return true;
      if (Is(parent, sym.class_definition) && context.Text(Field(parent, "name")).starts_with("Test")) return true;
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(RankQueryInSingleProcessFile);

}  // namespace
}  // namespace distlint
