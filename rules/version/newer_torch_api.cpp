// VER006 newer-torch-api
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/version/torch_api_table.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER006",
    "newer-torch-api",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kNone,
    "torch API added after the oldest torch version the project supports",
    R"md(## What it does
Finds uses and imports of torch APIs that the oldest torch release in the
supported range (`--target-torch`, by default torch 1.13 and later) does not
have yet: `torch.amp.GradScaler` (torch 2.3),
`torch.distributed.all_gather_into_tensor` (torch 1.13) and the other
entries with an `added` version in the API table `rules/data/torch_api.json`.
Uses under a version guard (`if hasattr(...)`, a condition on
`torch.__version__`, or a `try` that catches `ImportError` or
`AttributeError`) are accepted.

## Why is this bad?
The project declares that it runs on the older releases, but on them the
import fails or the attribute lookup raises `AttributeError`. Tests that run
only on the newest torch do not catch it.

## Example
```python
# target-torch = ">=2.1"
import torch

scaler = torch.amp.GradScaler("cuda")
```

Use instead:
```python
# target-torch = ">=2.1"
import torch

if hasattr(torch.amp, "GradScaler"):
    scaler = torch.amp.GradScaler("cuda")
else:
    scaler = torch.cuda.amp.GradScaler()
```

or raise the lower bound of `target-torch` (and of the torch requirement) to
the release that added the API.

## Fix safety
There is no automatic fix. The older spelling often takes other arguments
(`torch.cuda.amp.GradScaler` has no device argument), and raising the
supported range is a decision for the project. The message names the older
API where the table has one.
)md"};

class NewerTorchApi final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override {
    return {"attribute", "import_from_statement", "import_statement"};
  }

  void Check(RuleContext& context, TSNode node) const override {
    const Symbols& sym = context.symbols();
    if (Is(node, sym.import_from_statement)) return CheckImportFrom(context, node);
    if (Is(node, sym.import_statement)) return CheckImport(context, node);

    const SemanticModel& semantic = context.semantic();
    const TorchApi* api = ResolveTorchApi(semantic, node);
    if (!api || !MissingInRange(*api, context.options().target_torch)) return;
    if (IsVersionGuarded(semantic, node)) return;
    // Ex) F.scaled_dot_product_attention = wrapper: a store creates the
    // attribute on an older torch, and the read on the right side is reported.
    TSNode parent = ts_node_parent(node);
    if (Is(parent, sym.assignment) && ts_node_eq(Field(parent, "left"), node)) return;
    context.Report(node, Message(*api, context.options().target_torch));
  }

 private:
  // True when some release in `range` predates the API.
  static bool MissingInRange(const TorchApi& api, const TorchVersionRange& range) {
    return api.added && !range.AllAtLeast(*api.added);
  }

  static std::string Message(const TorchApi& api, const TorchVersionRange& range) {
    std::string message = "`" + api.name + "` was added in torch " + api.added->ToString() +
                          ", but the supported range " + range.ToString() + " includes older releases that lack it";
    if (!api.note.empty()) message += " (" + api.note + ")";
    return message + "; guard the use or raise the lower bound of target-torch";
  }

  // Ex) import torch.some_module, for table entries with "kind": "module".
  void CheckImport(RuleContext& context, TSNode statement) const {
    const TorchVersionRange& range = context.options().target_torch;
    for (const TorchApiUse& use : ImportedTorchApis(context.semantic(), statement)) {
      if (MissingInRange(*use.api, range)) context.Report(use.node, Message(*use.api, range));
    }
  }

  // Ex) from torch.amp import GradScaler
  void CheckImportFrom(RuleContext& context, TSNode statement) const {
    const Symbols& sym = context.symbols();
    TSNode module = Field(statement, "module_name");
    if (Is(module, sym.relative_import)) return;
    if (IsVersionGuarded(context.semantic(), statement)) return;
    const std::string module_name(context.Text(module));
    const TorchVersionRange& range = context.options().target_torch;
    for (TSNode child : NamedChildren(statement)) {
      if (ts_node_eq(child, module)) continue;
      TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
      const TorchApi* api = TorchApiTable::Get().Find(module_name + "." + std::string(context.Text(name)));
      if (api && MissingInRange(*api, range)) context.Report(child, Message(*api, range));
    }
  }
};

DISTLINT_REGISTER_RULE(NewerTorchApi);

}  // namespace
}  // namespace distlint
