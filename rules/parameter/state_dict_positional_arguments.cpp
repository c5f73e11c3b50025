// PAR005 state-dict-positional-arguments
#include <array>
#include <string>
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
rank, and will break when torch drops the positional form. A module whose
own `state_dict` override takes different positional parameters is
reported too: passing keywords works for both.

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
