// CFG008 local-rank-option-compared-unset
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG008",
    "local-rank-option-compared-unset",
    Family::kConfiguration,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Local-rank option compared with LOCAL_RANK without checking that the option was set",
    R"md(## What it does
Finds a comparison (`==` or `!=`) in an `assert`, or in the condition of
an `if` whose body raises, between an
`X.local_rank` attribute and the local rank that a launcher sets in the
environment (`LOCAL_RANK`, `OMPI_COMM_WORLD_LOCAL_RANK`,
`MV2_COMM_WORLD_LOCAL_RANK`, `SLURM_LOCALID`, read through `os.environ`
or `os.getenv`, converted with `int()` or not, directly or through a
variable of the same function) when no enclosing condition and no other
operand of the same boolean expression tests `X.local_rank` itself (for
example `args.local_rank >= 0`).

## Why is this bad?
Launchers pass the local rank either as the `--local_rank` option (the
DeepSpeed launcher, the deprecated `torch.distributed.launch`) or as an
environment variable (`torchrun`, `mpirun`, `srun`). Under a launcher that
only sets the variable, the option keeps its default (usually -1 or
`None`), so a consistency check between the two fails on every rank
although the configuration is valid.

## Example
```python
if "LOCAL_RANK" in os.environ:
    env_local_rank = int(os.environ["LOCAL_RANK"])
    assert env_local_rank == args.local_rank
```

Use instead:
```python
if "LOCAL_RANK" in os.environ and args.local_rank >= 0:
    env_local_rank = int(os.environ["LOCAL_RANK"])
    assert env_local_rank == args.local_rank
```

## Fix safety
No automatic fix: the value that means "not set" (-1, `None`) depends on
how the option is declared.
)md"};

constexpr std::array<std::string_view, 4> kLocalRankVariables = {"LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK",
                                                                 "MV2_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"};

bool IsLocalRankKey(const RuleContext& context, TSNode key) {
  auto value = StringLiteralValue(key, context.text());
  if (!value) return false;
  for (std::string_view name : kLocalRankVariables) {
    if (*value == name) return true;
  }
  return false;
}

// True when `expression` reads a launcher's local-rank variable, optionally
// converted with int().
bool ReadsLocalRankVariable(const RuleContext& context, TSNode expression) {
  const Symbols& sym = context.symbols();
  while (Is(expression, sym.parenthesized_expression) && ts_node_named_child_count(expression) == 1) {
    expression = ts_node_named_child(expression, 0);
  }
  if (Is(expression, sym.call)) {
    const std::string callee = context.semantic().CalleeName(expression);
    if (callee == "os.getenv" || callee == "os.environ.get") {
      return IsLocalRankKey(context, fixers::PositionalArgument(expression, 0));
    }
    if (context.Text(Field(expression, "function")) == "int") {
      return ReadsLocalRankVariable(context, fixers::PositionalArgument(expression, 0));
    }
    return false;
  }
  return Is(expression, sym.subscript) &&
         context.semantic().QualifiedName(Field(expression, "value")) == "os.environ" &&
         IsLocalRankKey(context, Field(expression, "subscript"));
}

class LocalRankOptionComparedUnset final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"comparison_operator"}; }

  void Check(RuleContext& context, TSNode comparison) const override {
    const std::vector<TSNode> operands = NamedChildren(comparison);
    if (operands.size() != 2 || !ComparesEquality(context, comparison)) return;

    TSNode option{};
    TSNode environment{};
    for (size_t i = 0; i < 2; ++i) {
      if (IsLocalRankOption(context, operands[i]) && IsEnvironmentLocalRank(context, operands[1 - i], comparison)) {
        option = operands[i];
        environment = operands[1 - i];
      }
    }
    if (ts_node_is_null(option) || !FailsOnMismatch(context, comparison)) return;
    const std::string_view option_text = context.Text(option);
    if (OptionTestedAround(context, comparison, option_text)) return;

    context.Report(comparison, "`" + std::string(option_text) + "` keeps its default under launchers that set only `" +
                                   "LOCAL_RANK`, so this comparison with `" + std::string(context.Text(environment)) +
                                   "` fails although the configuration is valid; compare only when `" +
                                   std::string(option_text) + "` was set");
  }

 private:
  // True when the comparison is part of an `assert`, or of the condition of
  // an `if` whose body raises. A mismatch that only reassigns the option
  // (`args.local_rank = env_local_rank`) or logs it is not a failure.
  static bool FailsOnMismatch(const RuleContext& context, TSNode comparison) {
    const Symbols& sym = context.symbols();
    TSNode child = comparison;
    for (TSNode parent = ts_node_parent(comparison); !ts_node_is_null(parent);
         child = parent, parent = ts_node_parent(parent)) {
      const std::string_view kind = ts_node_type(parent);
      if (kind == "assert_statement") return true;
      if ((Is(parent, sym.if_statement) || Is(parent, sym.elif_clause)) && ts_node_eq(Field(parent, "condition"), child)) {
        bool raises = false;
        Walk(Field(parent, "consequence"), [&](TSNode node) {
          if (raises || Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
          if (std::string_view(ts_node_type(node)) == "raise_statement") raises = true;
          return !raises;
        });
        return raises;
      }
      if (Is(parent, sym.block) || Is(parent, sym.function_definition)) return false;
    }
    return false;
  }

  static bool ComparesEquality(const RuleContext& context, TSNode comparison) {
    for (uint32_t i = 0; i < ts_node_child_count(comparison); ++i) {
      TSNode child = ts_node_child(comparison, i);
      if (ts_node_is_named(child)) continue;
      const std::string_view op = context.Text(child);
      if (op == "==" || op == "!=") return true;
    }
    return false;
  }

  static bool IsLocalRankOption(const RuleContext& context, TSNode expression) {
    return Is(expression, context.symbols().attribute) && context.Text(Field(expression, "attribute")) == "local_rank";
  }

  // True when `expression` reads the local-rank variable, or is a name that
  // the enclosing function assigns from such a read before `comparison`.
  static bool IsEnvironmentLocalRank(const RuleContext& context, TSNode expression, TSNode comparison) {
    const Symbols& sym = context.symbols();
    if (ReadsLocalRankVariable(context, expression)) return true;
    if (!Is(expression, sym.identifier)) return false;
    const std::string_view name = context.Text(expression);
    TSNode scope = context.semantic().EnclosingScope(comparison);
    bool found = false;
    Walk(scope, [&](TSNode node) {
      if (found || StartByte(node) >= StartByte(comparison)) return false;
      if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
        return false;
      }
      if (Is(node, sym.assignment) && context.Text(Field(node, "left")) == name &&
          ReadsLocalRankVariable(context, Field(node, "right"))) {
        found = true;
      }
      return !found;
    });
    return found;
  }

  // True when an enclosing `if`/`elif`/`while` condition, or another operand
  // of an enclosing boolean operator or conditional expression, mentions the
  // option (`args.local_rank >= 0 and ...`).
  static bool OptionTestedAround(const RuleContext& context, TSNode comparison, std::string_view option_text) {
    const Symbols& sym = context.symbols();
    TSNode child = comparison;
    for (TSNode parent = ts_node_parent(comparison); !ts_node_is_null(parent);
         child = parent, parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition) || Is(parent, sym.class_definition)) break;
      TSNode condition{};
      if (Is(parent, sym.if_statement) || Is(parent, sym.elif_clause) || Is(parent, sym.while_statement)) {
        condition = Field(parent, "condition");
        if (ts_node_eq(condition, child)) continue;
      } else if (Is(parent, sym.boolean_operator) || Is(parent, sym.conditional_expression)) {
        for (TSNode operand : NamedChildren(parent)) {
          if (!ts_node_eq(operand, child) && Mentions(context, operand, option_text)) return true;
        }
        continue;
      }
      if (!ts_node_is_null(condition) && Mentions(context, condition, option_text)) return true;
    }
    return false;
  }

  static bool Mentions(const RuleContext& context, TSNode node, std::string_view text) {
    return context.Text(node).find(text) != std::string_view::npos;
  }
};

DISTLINT_REGISTER_RULE(LocalRankOptionComparedUnset);

}  // namespace
}  // namespace distlint
