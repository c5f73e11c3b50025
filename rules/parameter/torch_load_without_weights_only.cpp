// PAR002 torch-load-without-weights-only
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR002",
    "torch-load-without-weights-only",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "torch.load without weights_only when the supported torch range reaches 2.6",
    R"md(## What it does
This rule is opt-in: select it with `--select PAR002` or in `select`.

Finds `torch.load(...)` calls and `functools.partial(torch.load, ...)`
loaders that do not pass `weights_only`, when the torch versions the project
supports (`--target-torch`, by default torch 1.13 and later) include 2.6 or
a later release. Calls that unpack `*args` or `**kwargs` are not reported,
because the unpacked keywords may carry `weights_only`.

## Why is this bad?
torch 2.6 changed the default of `weights_only` from `False` to `True`. With
`weights_only=True`, unpickling accepts only tensors, primitive types and
the classes registered with `torch.serialization.add_safe_globals`. A
checkpoint that also stores an `argparse.Namespace`, a dataset or any other
object then fails to load with `UnpicklingError` on every rank, although
the same code loads it on torch 2.5 and earlier.

The rule is opt-in because it reports every `torch.load` call without the
keyword, including the many that read tensor-only state dicts and load under
either default.

## Example
```python
import torch

checkpoint = torch.load(path, map_location="cpu")
args = checkpoint["args"]
```

Use instead:
```python
import torch

checkpoint = torch.load(path, map_location="cpu", weights_only=False)
args = checkpoint["args"]
```

## Fix safety
No automatic fix: the right value depends on the file. `weights_only=True`
is the safe choice for files that hold only tensors and plain containers.
`weights_only=False` restores the behaviour before torch 2.6 but runs
arbitrary pickled code, so pass it only for files the job wrote itself or
otherwise trusts.
)md",
    /*enabled_by_default=*/false};

class TorchLoadWithoutWeightsOnly final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    if (!context.options().target_torch.ReachesVersion({2, 6, 0})) return;
    const std::string callee = context.semantic().CalleeName(call);
    if (callee == "functools.partial") {
      // Ex) functools.partial(torch.load, map_location="cpu") binds a loader
      // that callers invoke without weights_only.
      TSNode bound = fixers::PositionalArgument(call, 0);
      if (ts_node_is_null(bound) || context.semantic().QualifiedName(bound) != "torch.load") return;
    } else if (callee != "torch.load") {
      return;
    }
    if (!ts_node_is_null(fixers::KeywordArgument(call, "weights_only", context.text()))) return;
    if (fixers::HasSplatArguments(call)) return;

    context.Report(call,
                   "`torch.load` without `weights_only` defaults to `weights_only=True` from torch 2.6 on, which "
                   "rejects checkpoints that store objects other than tensors; pass `weights_only=True` for "
                   "tensor-only files or `weights_only=False` for trusted files");
  }
};

DISTLINT_REGISTER_RULE(TorchLoadWithoutWeightsOnly);

}  // namespace
}  // namespace distlint
