// VER005 apex-amp-import
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER005",
    "apex-amp-import",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kNone,
    "apex.amp imported at module level without an ImportError fallback",
    R"md(## What it does
Finds an import of `apex.amp` (`from apex import amp`, `import apex.amp`,
`from apex.amp import ...`) that runs when the module is imported: outside
any function and outside a `try` block that catches `ImportError`.

## Why is this bad?
NVIDIA removed the deprecated `apex.amp` package from apex in 2023, and
most installations have no apex at all. An import at module level then
raises `ImportError` as soon as the training module is imported, on every
rank, even when the run never selects apex mixed precision. `torch.amp`
replaces it.

## Example
```python
from apex import amp

def wrap(model, optimizer, level):
    return amp.initialize(model, optimizer, opt_level=level)
```

Use instead:
```python
def wrap(model, optimizer, level):
    try:
        from apex import amp
    except ImportError as error:
        raise RuntimeError("apex.amp is not installed; use torch.amp") from error
    return amp.initialize(model, optimizer, opt_level=level)
```

## Fix safety
No automatic fix: where the import belongs depends on which code paths use
`amp`.
)md"};

bool NamesApexAmp(std::string_view module) {
  return module == "apex.amp" || module.rfind("apex.amp.", 0) == 0;
}

class ApexAmpImport final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"import_statement", "import_from_statement"}; }

  void Check(RuleContext& context, TSNode import) const override {
    if (!ImportsApexAmp(context, import)) return;
    if (InsideFunctionOrGuard(context, import)) return;
    context.Report(import, "`apex.amp` was removed from apex and apex is often not installed; importing it at "
                           "module level fails on every rank. Use `torch.amp`, or import apex inside the code "
                           "path that needs it and catch `ImportError`");
  }

 private:
  static bool ImportsApexAmp(const RuleContext& context, TSNode import) {
    const Symbols& sym = context.symbols();
    if (Is(import, sym.import_from_statement)) {
      const std::string_view module = context.Text(Field(import, "module_name"));
      if (NamesApexAmp(module)) return true;
      if (module != "apex") return false;
      // Ex) from apex import amp, from apex import amp as apex_amp
      for (TSNode child : NamedChildren(import)) {
        if (ts_node_eq(child, Field(import, "module_name"))) continue;
        TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
        if (context.Text(name) == "amp") return true;
      }
      return false;
    }
    // Ex) import apex.amp, import apex.amp as amp
    for (TSNode child : NamedChildren(import)) {
      TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
      if (NamesApexAmp(context.Text(name))) return true;
    }
    return false;
  }

  // True when the handler's body is a single `raise` statement: the import
  // error still stops the module from loading.
  static bool OnlyRaises(const RuleContext& context, TSNode clause) {
    TSNode body{};
    for (TSNode child : NamedChildren(clause)) {
      if (Is(child, context.symbols().block)) body = child;
    }
    if (ts_node_is_null(body) || ts_node_named_child_count(body) != 1) return false;
    return std::string_view(ts_node_type(ts_node_named_child(body, 0))) == "raise_statement";
  }

  // True inside a function body, or inside a `try` whose handlers catch
  // ImportError (or a base class of it, or everything) without re-raising.
  static bool InsideFunctionOrGuard(const RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition)) return true;
      if (!Is(parent, sym.try_statement)) continue;
      for (TSNode clause : NamedChildren(parent)) {
        if (std::string_view(ts_node_type(clause)) != "except_clause") continue;
        const std::string_view text = context.Text(clause);
        const std::string_view head = text.substr(0, text.find(':'));
        const bool catches = head == "except" || head.find("ImportError") != std::string_view::npos ||
                             head.find("ModuleNotFoundError") != std::string_view::npos ||
                             head.find("Exception") != std::string_view::npos;
        if (catches && !OnlyRaises(context, clause)) return true;
      }
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(ApexAmpImport);

}  // namespace
}  // namespace distlint
