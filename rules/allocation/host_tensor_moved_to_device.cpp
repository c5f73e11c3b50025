// ALC006 host-tensor-moved-to-device
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC006",
    "host-tensor-moved-to-device",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Tensor created on the CPU and then copied to the GPU",
    R"md(## What it does
Finds a tensor that a torch factory function creates on the CPU and that is
moved to the GPU right away: `torch.zeros(n).cuda()`,
`torch.empty(shape, dtype=dtype).to(device)`. The factories are `zeros`,
`ones`, `empty`, `full`, `rand`, `randn`, `randint`, `arange`, `eye` and
`linspace` of `torch`, called without `device=`. Only modules that run as
part of a distributed job are checked.

## Why is this bad?
The tensor is allocated and filled in host memory, copied over PCIe and
then freed. Every rank of the node pays for the allocation, the fill and
the copy. The copy uses the same bus as the collectives and data loading. For communication buffers built on every step this costs
throughput, and for large buffers it doubles the peak host memory. Passing
`device=` allocates the tensor on the GPU at once. `.to(device)` also
follows whatever the current device is when the code runs, while `device=`
states it at the allocation.

## Example
```python
buffer = torch.zeros(numel, dtype=tensor.dtype).cuda()
```

Use instead:
```python
buffer = torch.zeros(numel, dtype=tensor.dtype, device=torch.cuda.current_device())
```

## Fix safety
There is no automatic fix: `.cuda()` and `.to(device)` may also change the
dtype or use a device the factory call cannot name in the same way.
)md",
    /*enabled_by_default=*/false};

constexpr std::string_view kFactories[] = {
    "torch.zeros", "torch.ones", "torch.empty", "torch.full", "torch.rand",
    "torch.randn", "torch.randint", "torch.arange", "torch.eye", "torch.linspace",
};

class HostTensorMovedToDevice final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    if (!context.semantic().RunsDistributed()) return;
    TSNode function = Field(call, "function");
    if (!Is(function, sym.attribute)) return;
    const std::string_view method = context.Text(Field(function, "attribute"));
    if (method != "cuda" && method != "to") return;

    TSNode factory = Field(function, "object");
    if (!Is(factory, sym.call)) return;
    const std::string callee = context.semantic().CalleeName(factory);
    bool known = false;
    for (std::string_view name : kFactories) known = known || callee == name;
    if (!known || !ts_node_is_null(fixers::KeywordArgument(factory, "device", context.text()))) return;
    // Ex) torch.zeros(4).to(torch.float16) changes the dtype only.
    if (method == "to" && !MovesToDevice(context, call)) return;

    context.Report(call, "`" + callee + "(...)` allocates the tensor on the CPU and `." + std::string(method) +
                             "(...)` copies it to the device; pass `device=` to allocate it there directly");
  }

 private:
  // True when `.to(...)` is given a device other than the CPU: a keyword
  // `device=`, a string other than "cpu" and "meta", `torch.device(...)`,
  // or a name or attribute whose text names a device (`device`,
  // `self.device`, `local_rank`).
  // NOTE: a `device` variable may hold the CPU; the rule cannot tell.
  static bool MovesToDevice(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    if (!ts_node_is_null(fixers::KeywordArgument(call, "device", context.text()))) return true;
    TSNode first = fixers::PositionalArgument(call, 0);
    if (ts_node_is_null(first)) return false;
    if (Is(first, sym.string)) {
      auto value = StringLiteralValue(first, context.text());
      return !value || (value->rfind("cpu", 0) != 0 && value->rfind("meta", 0) != 0);
    }
    if (Is(first, sym.call)) {
      const std::string callee = context.semantic().CalleeName(first);
      return callee == "torch.device" || callee == "torch.cuda.current_device";
    }
    const std::string_view text = context.Text(first);
    return text.find("device") != std::string_view::npos || text.find("rank") != std::string_view::npos;
  }
};

DISTLINT_REGISTER_RULE(HostTensorMovedToDevice);

}  // namespace
}  // namespace distlint
