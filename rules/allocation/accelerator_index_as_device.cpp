// ALC004 accelerator-index-as-device
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC004",
    "accelerator-index-as-device",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kAlways,
    "DeepSpeed accelerator's device index used as a torch device",
    R"md(## What it does
Finds `get_accelerator().current_device()` of `deepspeed.accelerator` used
as a device: as `device=` or `map_location=` of any call, as the first
argument of `.to(...)` and of `torch.device(...)`.

## Why is this bad?
`current_device()` returns the bare index of the current device, and torch
reads a bare index as a CUDA device ordinal. The code works on NVIDIA GPUs
and fails on every other accelerator DeepSpeed supports (Ascend NPU, Intel
XPU, Gaudi HPU): the tensor creation raises, or the tensor lands on a CUDA
device that does not exist. `current_device_name()` returns the device with
its type (`"cuda:0"`, `"npu:0"`).

## Example
```python
from deepspeed.accelerator import get_accelerator

mask = torch.zeros(n, device=get_accelerator().current_device())
shard = shard.to(get_accelerator().current_device())
```

Use instead:
```python
from deepspeed.accelerator import get_accelerator

mask = torch.zeros(n, device=get_accelerator().current_device_name())
shard = shard.to(get_accelerator().current_device_name())
```

## Fix safety
The fix calls `current_device_name()` instead. On CUDA it names the same
device as the index did, and on other accelerators it names the device the
code meant, so the fix is safe.
)md"};

class AcceleratorIndexAsDevice final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    if (!context.semantic().ImportsUnder("deepspeed")) return;

    // Ex) torch.zeros(n, device=get_accelerator().current_device())
    for (const char* keyword : {"device", "map_location"}) {
      TSNode argument = fixers::KeywordArgument(call, keyword, context.text());
      if (!ts_node_is_null(argument)) CheckDevice(context, Field(argument, "value"));
    }
    // Ex) x.to(get_accelerator().current_device()), torch.device(get_accelerator().current_device())
    TSNode function = Field(call, "function");
    const bool is_to = Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "to" &&
                       context.semantic().QualifiedName(function).empty();
    if (is_to || context.semantic().CalleeName(call) == "torch.device") {
      CheckDevice(context, fixers::PositionalArgument(call, 0));
    }
  }

 private:
  static void CheckDevice(RuleContext& context, TSNode device) {
    const Symbols& sym = context.symbols();
    if (!Is(device, sym.call) || !ts_node_is_null(fixers::PositionalArgument(device, 0))) return;
    TSNode function = Field(device, "function");
    if (!Is(function, sym.attribute) || context.Text(Field(function, "attribute")) != "current_device") return;
    TSNode accelerator = Field(function, "object");
    if (!Is(accelerator, sym.call) ||
        context.semantic().CalleeName(accelerator) != "deepspeed.accelerator.get_accelerator") {
      return;
    }

    Diagnostic& diagnostic = context.Report(
        device, "`" + std::string(context.Text(device)) +
                    "` is a bare device index, which torch reads as a CUDA ordinal; pass "
                    "`current_device_name()` so the device works on every accelerator");
    Fix fix;
    fix.title = "Use `current_device_name()`";
    fix.applicability = Applicability::kSafe;
    fix.edits.push_back(fixers::ReplaceNode(Field(function, "attribute"), "current_device_name"));
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(AcceleratorIndexAsDevice);

}  // namespace
}  // namespace distlint
