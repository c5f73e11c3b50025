// VER001 removed-torch-api
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/version/torch_api_table.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER001",
    "removed-torch-api",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kSometimes,
    "torch API removed in a torch version the project supports",
    R"md(## What it does
Finds uses and imports of torch APIs that were removed in a torch release
inside the range the project supports (`--target-torch`, by default torch
1.13 and later): `torch._six`, `torch.symeig`, `torch.solve`, `torch.lstsq`
and the others in the API table `rules/data/torch_api.json`. Uses under a
version guard (`if hasattr(...)`, a condition on `torch.__version__`, or a
`try` that catches `ImportError` or `AttributeError`) are accepted.

## Why is this bad?
On the torch releases that lack the API, the import fails or the attribute
lookup raises `AttributeError`, often only on the cluster image that got the
newer torch, and often only after the job has started on every node.

## Example
```python
import torch
from torch._six import inf

norm = torch.matrix_rank(weights)
```

Use instead:
```python
import torch
from math import inf

norm = torch.linalg.matrix_rank(weights)
```

## Fix safety
When the replacement exists across the supported range and has the same
signature, the fix renames the reference (keeping the alias the file uses)
or rewrites the import; the fix is safe. When the replacement is newer than
the oldest supported version, the fix picks between the new and the old name
with `hasattr` at run time. APIs whose replacement takes other arguments
(`torch.symeig` to `torch.linalg.eigh`) get no automatic fix; the message
names the replacement.
)md"};

class RemovedTorchApi final : public Rule {
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
    if (!api || !RemovedInRange(*api, context.options().target_torch)) return;
    if (IsVersionGuarded(semantic, node)) return;
    Diagnostic& diagnostic = context.Report(node, Message(*api, context.options().target_torch));
    diagnostic.fix = BuildReplacementFix(semantic, node, *api, context.options().target_torch);
  }

 private:
  static bool RemovedInRange(const TorchApi& api, const TorchVersionRange& range) {
    return api.removed && range.ReachesVersion(*api.removed);
  }

  static std::string Message(const TorchApi& api, const TorchVersionRange& range) {
    std::string message = "`" + api.name + "` was removed in torch " + api.removed->ToString() +
                          ", inside the supported range " + range.ToString();
    if (!api.replacement.empty()) message += "; use `" + api.replacement + "`";
    if (!api.note.empty()) message += " (" + api.note + ")";
    return message;
  }

  // Ex) import torch._six
  void CheckImport(RuleContext& context, TSNode statement) const {
    const TorchVersionRange& range = context.options().target_torch;
    for (const TorchApiUse& use : ImportedTorchApis(context.semantic(), statement)) {
      if (RemovedInRange(*use.api, range)) context.Report(use.node, Message(*use.api, range));
    }
  }

  // Ex) from torch._six import inf, string_classes
  void CheckImportFrom(RuleContext& context, TSNode statement) const {
    const Symbols& sym = context.symbols();
    TSNode module = Field(statement, "module_name");
    if (Is(module, sym.relative_import)) return;
    const std::string module_name(context.Text(module));
    const TorchVersionRange& range = context.options().target_torch;
    if (IsVersionGuarded(context.semantic(), statement)) return;

    // The replacement lines for the whole statement, when every name has one.
    std::vector<std::string> lines;
    bool fixable = true;
    bool reported_module = false;
    const TorchApi* module_api = TorchApiTable::Get().Find(module_name);
    for (TSNode child : NamedChildren(statement)) {
      if (ts_node_eq(child, module)) continue;
      TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
      const std::string imported(context.Text(name));
      const std::string local(Is(child, sym.aliased_import) ? context.Text(Field(child, "alias")) : imported);
      const TorchApi* api = TorchApiTable::Get().Find(module_name + "." + imported);

      if (api && RemovedInRange(*api, range)) {
        context.Report(child, Message(*api, range));
      } else if (module_api && RemovedInRange(*module_api, range) && !reported_module) {
        context.Report(child, Message(*module_api, range));
        reported_module = true;
      } else if (!api) {
        fixable = false;  // A name the module still has, or one the table does not know.
        continue;
      }
      if (!api || api->fix != TorchApi::FixKind::kRename || api->replacement.empty() ||
          !range.AllAtLeast(*api->replacement_since)) {
        fixable = false;
        continue;
      }
      const size_t dot = api->replacement.rfind('.');
      if (dot == std::string::npos) {
        lines.push_back(local + " = " + api->replacement);  // A builtin such as `str`.
      } else {
        const std::string attribute = api->replacement.substr(dot + 1);
        lines.push_back("from " + api->replacement.substr(0, dot) + " import " + attribute +
                        (local == attribute ? "" : " as " + local));
      }
    }
    if (!fixable || lines.empty() || context.semantic().file().text().empty()) return;

    // Attach the statement rewrite to the first finding of this statement.
    Diagnostic* first = nullptr;
    for (Diagnostic& diagnostic : LastFindings(context, statement)) {
      if (!first) first = &diagnostic;
    }
    if (!first) return;
    const Position start = context.file().PositionOf(StartByte(statement));
    const std::string indent(context.file().LineText(start.line).substr(0, start.byte_column - 1));
    std::string replacement;
    for (size_t i = 0; i < lines.size(); ++i) replacement += (i ? "\n" + indent : "") + lines[i];
    Fix fix;
    fix.title = "Import the standard-library replacements";
    fix.applicability = Applicability::kSafe;
    fix.edits.push_back(fixers::ReplaceNode(statement, AdaptLineEndings(replacement, context.file().line_ending())));
    first->fix = std::move(fix);
  }

  // The findings this rule just reported inside `statement`.
  static std::vector<std::reference_wrapper<Diagnostic>> LastFindings(RuleContext& context, TSNode statement) {
    return context.FindingsWithin(StartByte(statement), EndByte(statement));
  }
};

DISTLINT_REGISTER_RULE(RemovedTorchApi);

}  // namespace
}  // namespace distlint
