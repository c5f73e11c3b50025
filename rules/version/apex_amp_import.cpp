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
    "apex.amp or an optional compiled extension imported at module level without an ImportError fallback",
    R"md(## What it does
Finds an import of `apex.amp` (`from apex import amp`, `import apex.amp`,
`from apex.amp import ...`) or of an optional compiled extension that runs
when the module is imported: outside any function and outside a `try` block
that catches `ImportError` without re-raising it. The extensions are
`apex.normalization`, `apex.contrib`, `apex.optimizers`, `tensornvme` and
`flash_attn`, imported directly or through a submodule. An extension
import inside an `if` whose condition mentions availability
(`if is_flash_attn_2_available():`) is not reported.

## Why is this bad?
NVIDIA removed the deprecated `apex.amp` package from apex in 2023, and
most installations have no apex at all. An import at module level then
raises `ImportError` as soon as the training module is imported, on every
rank, even when the run never selects apex mixed precision. `torch.amp`
replaces it.

The listed extensions are built separately from torch, for one CUDA
version, and are missing on many machines. A module that imports one at
module level cannot be imported there at all, even by code that never
calls the fused kernel.

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

// Optional packages whose absence is common enough that a module-level
// import needs a fallback. `apex.amp` comes first and gets its own message.
constexpr std::string_view kOptionalModules[] = {
    "apex.amp", "apex.normalization", "apex.contrib", "apex.optimizers", "tensornvme", "flash_attn",
};

bool IsModuleOrSubmodule(std::string_view module, std::string_view package) {
  return module == package || (module.size() > package.size() && module.rfind(package, 0) == 0 &&
                               module[package.size()] == '.');
}

// The table entry that `module` is or lies under, or empty.
std::string_view OptionalModuleOf(std::string_view module) {
  for (std::string_view package : kOptionalModules) {
    if (IsModuleOrSubmodule(module, package)) return package;
  }
  return {};
}

class ApexAmpImport final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"import_statement", "import_from_statement"}; }

  void Check(RuleContext& context, TSNode import) const override {
    const std::string_view package = ImportedOptionalModule(context, import);
    if (package.empty()) return;
    if (InsideFunctionOrGuard(context, import)) return;
    if (package != "apex.amp" && InsideAvailabilityCheck(context, import)) return;
    if (package == "apex.amp") {
      context.Report(import, "`apex.amp` was removed from apex and apex is often not installed; importing it at "
                             "module level fails on every rank. Use `torch.amp`, or import apex inside the code "
                             "path that needs it and catch `ImportError`");
      return;
    }
    context.Report(import, "`" + std::string(package) +
                               "` is an optional compiled extension that is often not installed, so importing it at "
                               "module level makes importing this module fail on every rank. Import it inside the "
                               "code path that needs it, or catch `ImportError` and fall back");
  }

 private:
  // The first table entry that the statement imports, or empty.
  static std::string_view ImportedOptionalModule(const RuleContext& context, TSNode import) {
    const Symbols& sym = context.symbols();
    if (Is(import, sym.import_from_statement)) {
      TSNode module_name = Field(import, "module_name");
      const std::string_view module = context.Text(module_name);
      if (!Is(module_name, sym.dotted_name)) return {};  // A relative import names a local module.
      if (std::string_view package = OptionalModuleOf(module); !package.empty()) return package;
      // Ex) from apex import amp, from apex import normalization as apex_normalization
      for (TSNode child : NamedChildren(import)) {
        if (ts_node_eq(child, module_name)) continue;
        TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
        const std::string submodule = std::string(module) + "." + std::string(context.Text(name));
        if (std::string_view package = OptionalModuleOf(submodule); !package.empty()) return package;
      }
      return {};
    }
    // Ex) import apex.amp, import flash_attn, import apex.normalization as normalization
    for (TSNode child : NamedChildren(import)) {
      TSNode name = Is(child, sym.aliased_import) ? Field(child, "name") : child;
      if (std::string_view package = OptionalModuleOf(context.Text(name)); !package.empty()) return package;
    }
    return {};
  }

  // True inside `if` whose condition mentions availability, such as
  // `if is_flash_attn_2_available():`. NOTE: the condition is matched by
  // name only; what the check tests is not verified.
  static bool InsideAvailabilityCheck(const RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (!Is(parent, sym.if_statement) && !Is(parent, sym.elif_clause)) continue;
      if (context.Text(Field(parent, "condition")).find("available") != std::string_view::npos) return true;
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
