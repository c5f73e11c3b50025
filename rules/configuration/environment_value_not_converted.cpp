// CFG003 environment-value-not-converted
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG003",
    "environment-value-not-converted",
    Family::kConfiguration,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Environment variable read with a numeric default and used without conversion",
    R"md(## What it does
Finds `os.environ.get(name, default)` and `os.getenv(name, default)` whose
default is a number or a boolean literal (`-1`, `0`, `1.0`, `False`) and
whose result is not passed straight to `int()`, `float()`, `str()` or
`bool()`, nor assigned to a name that the next statement converts in place
(`seed = int(seed)`).

## Why is this bad?
An environment variable is a string whenever it is set, and only the default
is a number. `local_rank == 0` is then false on every process that a
launcher started, because `"0" != 0`, and `rank < world_size` raises
`TypeError`. The code works in a test without the variable, which takes the
numeric default, and fails under `torchrun` or `deepspeed`.

## Example
```python
local_rank = os.environ.get("LOCAL_RANK", -1)
is_local_master = local_rank == 0
```

Use instead:
```python
local_rank = int(os.environ.get("LOCAL_RANK", -1))
is_local_master = local_rank == 0
```

## Fix safety
No automatic fix: the value may be meant as a string, with the default in
the wrong type instead.
)md"};

bool IsNumericLiteral(const RuleContext& context, TSNode node) {
  const Symbols& sym = context.symbols();
  if (Is(node, sym.unary_operator)) node = Field(node, "argument");
  if (Is(node, sym.integer) || Is(node, sym.float_)) return true;
  const std::string_view kind = ts_node_type(node);
  return kind == "true" || kind == "false";
}

class EnvironmentValueNotConverted final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    if (callee != "os.environ.get" && callee != "os.getenv") return;
    TSNode default_value = fixers::PositionalArgument(call, 1);
    if (ts_node_is_null(default_value)) {
      TSNode keyword = fixers::KeywordArgument(call, "default", context.text());
      if (!ts_node_is_null(keyword)) default_value = Field(keyword, "value");
    }
    if (ts_node_is_null(default_value) || !IsNumericLiteral(context, default_value)) return;
    if (IsConverted(context, call) || IsConvertedOnNextLine(context, call)) return;

    context.Report(call, "`" + std::string(context.Text(call)) +
                             "` is a string when the variable is set and a number only when it is not; convert it "
                             "with `" + ConversionName(context, default_value) + "()`");
  }

 private:
  // True when `call` is the only argument of int(), float(), str() or bool().
  static bool IsConverted(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(call);
    while (Is(parent, sym.parenthesized_expression)) parent = ts_node_parent(parent);
    if (!Is(parent, sym.argument_list)) return false;
    TSNode outer = ts_node_parent(parent);
    const std::string_view function = context.Text(Field(outer, "function"));
    return function == "int" || function == "float" || function == "str" || function == "bool";
  }

  // True when `call` is the value of `name = ...` and the next statement
  // converts it in place: `name = int(name)` (or float, str, bool).
  static bool IsConvertedOnNextLine(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode assignment = ts_node_parent(call);
    if (!Is(assignment, sym.assignment) || !ts_node_eq(Field(assignment, "right"), call)) return false;
    TSNode target = Field(assignment, "left");
    TSNode statement = ts_node_parent(assignment);
    if (!Is(target, sym.identifier) || !Is(statement, sym.expression_statement)) return false;

    TSNode next = ts_node_next_named_sibling(statement);
    while (Is(next, sym.comment)) next = ts_node_next_named_sibling(next);
    if (!Is(next, sym.expression_statement)) return false;
    TSNode reassignment = ts_node_named_child(next, 0);
    if (!Is(reassignment, sym.assignment) || context.Text(Field(reassignment, "left")) != context.Text(target)) {
      return false;
    }
    TSNode conversion = Field(reassignment, "right");
    if (!Is(conversion, sym.call)) return false;
    TSNode arguments = Field(conversion, "arguments");
    if (ts_node_named_child_count(arguments) != 1) return false;
    TSNode argument = ts_node_named_child(arguments, 0);
    if (!Is(argument, sym.identifier) || context.Text(argument) != context.Text(target)) return false;
    const std::string_view function = context.Text(Field(conversion, "function"));
    return function == "int" || function == "float" || function == "str" || function == "bool";
  }

  static std::string ConversionName(const RuleContext& context, TSNode default_value) {
    const Symbols& sym = context.symbols();
    if (Is(default_value, sym.unary_operator)) default_value = Field(default_value, "argument");
    if (Is(default_value, sym.float_)) return "float";
    if (Is(default_value, sym.integer)) return "int";
    return "bool";
  }
};

DISTLINT_REGISTER_RULE(EnvironmentValueNotConverted);

}  // namespace
}  // namespace distlint
