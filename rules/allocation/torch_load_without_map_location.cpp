// ALC001 torch-load-without-map-location
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC001",
    "torch-load-without-map-location",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kAlways,
    "torch.load without map_location in distributed code",
    R"md(## What it does
Finds `torch.load(...)` calls without a `map_location` argument, by keyword
or as the second positional argument. Only modules that run as part of a
distributed job are checked. Such a module imports `torch.distributed` or
`deepspeed.comm`, calls a framework's launch or parallel-state API, wraps a
model in `DistributedDataParallel`, or reads the rank. A module that imports
DeepSpeed, Megatron-LM or Colossal-AI only for kernels or helpers is not
checked.

## Why is this bad?
Without `map_location`, `torch.load` puts every tensor back on the device it
was saved from. A checkpoint written by rank 0 names `cuda:0`, so every rank
that loads it allocates on GPU 0: memory on that GPU runs out, or the tensors
end up on the wrong device and the next collective fails.

## Example
```python
import torch
import torch.distributed as dist

state = torch.load(path)
model.load_state_dict(state)
```

Use instead:
```python
import torch
import torch.distributed as dist

state = torch.load(path, map_location="cpu")
model.load_state_dict(state)
```

## Fix safety
The fix adds `map_location="cpu"`. It is safe when the loaded object only
reaches `load_state_dict` (directly or through a variable), because
`load_state_dict` copies each tensor onto the device of the parameter it
fills. Elsewhere the loaded tensors may be used where CUDA tensors are
expected, so the fix is unsafe there. No fix is offered when the call passes
`*args` or `**kwargs`, which may already carry `map_location`.
)md"};

class TorchLoadWithoutMapLocation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    if (!semantic.RunsDistributed()) return;
    if (semantic.CalleeName(call) != "torch.load") return;
    if (!ts_node_is_null(fixers::KeywordArgument(call, "map_location", context.text()))) return;
    if (!ts_node_is_null(fixers::PositionalArgument(call, 1))) return;

    Diagnostic& diagnostic = context.Report(
        call, "`torch.load` without `map_location` restores tensors onto the device they were saved from, "
              "so every rank loads onto the saving rank's GPU");
    auto edit = fixers::AddKeywordArgument(call, "map_location", "\"cpu\"", context.text());
    if (!edit) return;
    Fix fix;
    fix.title = "Add `map_location=\"cpu\"`";
    fix.applicability = OnlyFeedsLoadStateDict(context, call) ? Applicability::kSafe : Applicability::kUnsafe;
    fix.edits.push_back(std::move(*edit));
    diagnostic.fix = std::move(fix);
  }

 private:
  // True when the loaded object is passed straight to `*.load_state_dict`,
  // or assigned to a name whose every later use in the same scope is an
  // argument of `*.load_state_dict`.
  static bool OnlyFeedsLoadStateDict(RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(call);
    if (Is(parent, sym.argument_list)) return IsLoadStateDictCall(context, ts_node_parent(parent));
    if (!Is(parent, sym.assignment) || !ts_node_eq(Field(parent, "right"), call)) return false;
    TSNode target = Field(parent, "left");
    if (!Is(target, sym.identifier)) return false;

    const std::string_view name = context.Text(target);
    bool any_use = false;
    bool only_state_dict = true;
    Walk(context.semantic().EnclosingScope(call), [&](TSNode node) {
      if (!only_state_dict) return false;
      if (!Is(node, sym.identifier) || StartByte(node) <= EndByte(call) || context.Text(node) != name) return true;
      any_use = true;
      TSNode use_parent = ts_node_parent(node);
      if (!Is(use_parent, sym.argument_list) || !IsLoadStateDictCall(context, ts_node_parent(use_parent))) {
        only_state_dict = false;
      }
      return true;
    });
    return any_use && only_state_dict;
  }

  static bool IsLoadStateDictCall(RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode function = Field(call, "function");
    return Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "load_state_dict";
  }
};

DISTLINT_REGISTER_RULE(TorchLoadWithoutMapLocation);

}  // namespace
}  // namespace distlint
