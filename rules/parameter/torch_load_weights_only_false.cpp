// PAR006 torch-load-weights-only-false
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR006",
    "torch-load-weights-only-false",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "torch.load with weights_only=False unpickles arbitrary objects",
    R"md(## What it does
This rule is opt-in: select it with `--select PAR006` or in `select`.

Finds `torch.load(..., weights_only=False)` and
`functools.partial(torch.load, ..., weights_only=False)`.

## Why is this bad?
With `weights_only=False`, `torch.load` runs the full pickle protocol, so a
crafted checkpoint file runs arbitrary code on every rank that loads it.
Distributed jobs load checkpoints from shared storage that many users and
jobs write to, and conversion tools load files downloaded from model hubs.
Files that hold only tensors, plain containers and numbers load with
`weights_only=True`, which is also the default from torch 2.6 on.

The rule is opt-in because some checkpoints legitimately store other
objects (an `argparse.Namespace`, an optimizer's Python state), and loading
them from a trusted location needs `weights_only=False`.

## Example
```python
state_dict = torch.load(path, map_location="cpu", weights_only=False)
```

Use instead:
```python
state_dict = torch.load(path, map_location="cpu", weights_only=True)
```

## Fix safety
No automatic fix: a file that stores objects other than tensors fails to
load with `weights_only=True` until their classes are registered with
`torch.serialization.add_safe_globals`.
)md",
    /*enabled_by_default=*/false};

class TorchLoadWeightsOnlyFalse final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    if (callee == "functools.partial") {
      TSNode bound = fixers::PositionalArgument(call, 0);
      if (ts_node_is_null(bound) || context.semantic().QualifiedName(bound) != "torch.load") return;
    } else if (callee != "torch.load") {
      return;
    }
    TSNode keyword = fixers::KeywordArgument(call, "weights_only", context.text());
    if (ts_node_is_null(keyword) || context.Text(Field(keyword, "value")) != "False") return;

    context.Report(keyword,
                   "`weights_only=False` lets `torch.load` run arbitrary code stored in the file; load tensor-only "
                   "checkpoints with `weights_only=True`");
  }
};

DISTLINT_REGISTER_RULE(TorchLoadWeightsOnlyFalse);

}  // namespace
}  // namespace distlint
