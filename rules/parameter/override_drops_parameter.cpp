// PAR007 override-drops-parameter
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR007",
    "override-drops-parameter",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Method override lacks a parameter of the method it overrides",
    R"md(## What it does
This rule is opt-in: select it with `--select PAR007` or in `select`.

Finds a method that overrides a method of a base class defined in the same
file and has fewer parameters, so that a named parameter of the base method
has no counterpart, when the override takes no `**kwargs`. A parameter
renamed at the same position is not reported. Only plain methods count: `self`, `cls`, `*args`, `**kwargs`
and parameters starting with an underscore are ignored, and so are
decorated methods and dunder methods such as `__init__`.

## Why is this bad?
Callers that hold the base type pass the base method's arguments, often as
keywords. The override then raises `TypeError` only for the subclasses that
dropped the parameter: a data-parallel wrapper, optimizer or checkpoint
strategy that is selected by a flag, so the error appears only in the runs
that use that variant, after start-up.

## Example
```python
class DataParallelBase:
    def finish_grad_sync(self, force_all_reduce=False):
        raise NotImplementedError

class FullyShardedDataParallel(DataParallelBase):
    def finish_grad_sync(self):
        self.module.reshard()
```

Use instead:
```python
class FullyShardedDataParallel(DataParallelBase):
    def finish_grad_sync(self, force_all_reduce=False):
        self.module.reshard()
```

The rule is opt-in because some class hierarchies narrow a method on
purpose (a test helper, a layer whose callers never pass the option), and
the rule sees only one file.

## Fix safety
No automatic fix: the override may also need to honour the parameter.
)md",
    /*enabled_by_default=*/false};

// The undecorated methods defined directly in a class body.
std::vector<TSNode> Methods(const RuleContext& context, TSNode class_definition) {
  const Symbols& sym = context.symbols();
  std::vector<TSNode> methods;
  for (TSNode member : NamedChildren(Field(class_definition, "body"))) {
    if (Is(member, sym.function_definition)) methods.push_back(member);
  }
  return methods;
}

// The class defined at the top level of the file under `name`, or a null node.
TSNode ModuleClass(const RuleContext& context, std::string_view name) {
  const std::vector<TSNode>& classes = context.semantic().ModuleClasses(name);
  return classes.size() == 1 ? classes.front() : TSNode{};
}

bool IsIgnoredParameter(std::string_view name) {
  return name == "self" || name == "cls" || name.starts_with("_");
}

class OverrideDropsParameter final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"class_definition"}; }

  void Check(RuleContext& context, TSNode derived) const override {
    const Symbols& sym = context.symbols();
    TSNode bases = Field(derived, "superclasses");
    if (ts_node_is_null(bases)) return;
    for (TSNode base_name : NamedChildren(bases)) {
      if (!Is(base_name, sym.identifier)) continue;
      TSNode base = ModuleClass(context, context.Text(base_name));
      if (ts_node_is_null(base) || ts_node_eq(base, derived)) continue;
      CompareMethods(context, base, derived);
    }
  }

 private:
  static void CompareMethods(RuleContext& context, TSNode base, TSNode derived) {
    for (TSNode method : Methods(context, derived)) {
      const std::string_view name = context.Text(Field(method, "name"));
      if (name.starts_with("__")) continue;
      for (TSNode overridden : Methods(context, base)) {
        if (context.Text(Field(overridden, "name")) != name) continue;
        const Signature mine = DefinitionSignature(context, method);
        if (mine.has_varkw) break;
        const Signature theirs = DefinitionSignature(context, overridden);
        // Ex) forward(self, input) overridden as forward(self, input_): a
        // renamed parameter at the same position still takes positional
        // callers, so only parameters past the override's last one count.
        for (size_t index = mine.params.size(); index < theirs.params.size(); ++index) {
          const std::string& param = theirs.params[index];
          if (IsIgnoredParameter(param) || mine.Accepts(param)) continue;
          Diagnostic& diagnostic = context.Report(
              Field(method, "parameters"),
              "`" + std::string(name) + "` overrides `" + std::string(context.Text(Field(base, "name"))) + "." +
                  std::string(name) + "` without its parameter `" + param +
                  "`, so callers that pass it get TypeError; accept `" + param + "`");
          context.AddRelated(diagnostic, Field(overridden, "parameters"), "the overridden method takes it here");
        }
        break;
      }
    }
  }
};

DISTLINT_REGISTER_RULE(OverrideDropsParameter);

}  // namespace
}  // namespace distlint
