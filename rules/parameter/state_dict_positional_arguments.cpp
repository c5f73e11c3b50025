// PAR005 state-dict-positional-arguments
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR005",
    "state-dict-positional-arguments",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kAlways,
    "Module.state_dict called with positional arguments",
    R"md(## What it does
Finds `obj.state_dict(...)` calls that pass `destination`, `prefix` or
`keep_vars` by position. Not reported: a method call on an imported module
(`checkpointing.state_dict(a)`), a call that unpacks `*args` or `**kwargs`,
and a call with another keyword argument, which shows a different
signature (an optimizer's `state_dict`).

## Why is this bad?
`torch.nn.Module.state_dict` takes these parameters only as keyword
arguments; positional ones are still read but warn with "Positional args
are being deprecated" (torch 1.13 and later). An engine that wraps a model
and forwards them positionally warns on every checkpoint save, on every
rank, and will break when torch drops the positional form.

A file whose classes define a `state_dict` method with another first
parameter (`def state_dict(self, key)`) is not checked: its calls may run
that method, which needs its arguments by position.

## Example
```python
def module_state_dict(self, destination=None, prefix="", keep_vars=False):
    return self.module.state_dict(destination, prefix, keep_vars)
```

Use instead:
```python
def module_state_dict(self, destination=None, prefix="", keep_vars=False):
    return self.module.state_dict(destination=destination, prefix=prefix, keep_vars=keep_vars)
```

## Fix safety
The fix names the arguments `destination`, `prefix` and `keep_vars`, in
that order, which is how `Module.state_dict` reads them. It is safe for
`torch.nn.Module`; a class whose override names its parameters
differently gets other names, so the fix is marked unsafe. There is no fix
for more than three positional arguments.
)md"};

constexpr std::array<std::string_view, 3> kParameterNames = {"destination", "prefix", "keep_vars"};

bool IsModuleParameter(std::string_view keyword) {
  for (std::string_view name : kParameterNames) {
    if (name == keyword) return true;
  }
  return false;
}

// True when a class at the top level of the file defines `state_dict` with
// a first parameter other than `destination` or `*args`, so that a call in
// the file may run a method that is not Module.state_dict.
bool DefinesOtherStateDict(const RuleContext& context, TSNode call) {
  const Symbols& sym = context.symbols();
  const TSNode root = ts_tree_root_node(call.tree);
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    // Descend through classes only; function bodies are skipped.
    if (ts_node_eq(node, root) || Is(node, sym.class_definition) || Is(node, sym.decorated_definition) ||
        Is(node, sym.block)) {
      return true;
    }
    if (!Is(node, sym.function_definition) || context.Text(Field(node, "name")) != "state_dict") return false;
    const std::vector<TSNode> params = NamedChildren(Field(node, "parameters"));
    if (params.size() < 2) return false;
    const TSNode first = params[1];
    if (std::string_view(ts_node_type(first)) == "list_splat_pattern") return false;
    TSNode name = first;
    if (Is(first, sym.default_parameter) || Is(first, sym.typed_default_parameter)) name = Field(first, "name");
    if (Is(first, sym.typed_parameter)) name = ts_node_named_child(first, 0);
    found = !Is(name, sym.identifier) || context.Text(name) != "destination";
    return false;
  });
  return found;
}

class StateDictPositionalArguments final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    TSNode function = Field(call, "function");
    if (!Is(function, sym.attribute) || context.Text(Field(function, "attribute")) != "state_dict") return;
    if (!context.semantic().QualifiedName(function).empty()) return;
    if (!Is(Field(call, "arguments"), sym.argument_list)) return;

    std::vector<TSNode> positional;
    for (TSNode argument : fixers::Arguments(call)) {
      // Ex) super().state_dict(*args, **kwargs) forwards whatever the caller passed.
      if (Is(argument, sym.list_splat) || Is(argument, sym.dictionary_splat)) return;
      // Ex) optimizer.state_dict(cache, only_on_master=True) calls another signature.
      if (Is(argument, sym.keyword_argument) && !IsModuleParameter(context.Text(Field(argument, "name")))) return;
      if (Is(argument, sym.keyword_argument) || Is(argument, sym.comment)) continue;
      positional.push_back(argument);
    }
    if (positional.empty()) return;
    // Ex) class ShardedStore: def state_dict(self, key) ... store.state_dict("model")
    if (DefinesOtherStateDict(context, call)) return;

    Diagnostic& diagnostic = context.Report(
        call, "`state_dict` with positional arguments warns on every call (torch 1.13 and later) and will stop "
              "working; pass `destination`, `prefix` and `keep_vars` as keyword arguments");
    if (positional.size() > kParameterNames.size()) return;
    Fix fix;
    fix.title = "Pass the arguments of `state_dict` by keyword";
    fix.applicability = Applicability::kUnsafe;
    for (size_t index = 0; index < positional.size(); ++index) {
      fix.edits.push_back(fixers::ReplaceNode(
          positional[index], std::string(kParameterNames[index]) + "=" + std::string(context.Text(positional[index]))));
    }
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(StateDictPositionalArguments);

}  // namespace
}  // namespace distlint
