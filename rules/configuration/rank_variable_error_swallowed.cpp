// CFG006 rank-variable-error-swallowed
#include <array>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG006",
    "rank-variable-error-swallowed",
    Family::kConfiguration,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Malformed rank environment variable silently replaced by a default",
    R"md(## What it does
Finds a `try` statement that converts a launcher's rank variable with
`int()` (`RANK`, `LOCAL_RANK`, `WORLD_SIZE`, `LOCAL_WORLD_SIZE`, `NODE_RANK`,
`SLURM_*`, `OMPI_COMM_WORLD_*`, `PMI_*` and `MV2_COMM_WORLD_*` rank and size
variables, read through `os.environ[...]`, `os.environ.get` or `os.getenv`)
and has an `except` clause for `ValueError` (or `Exception`, or a bare
`except:`) whose body neither raises nor calls anything, so it only
returns, assigns or passes a default. A handler that warns, logs or prints
is not reported.

## Why is this bad?
A rank variable that is set but not an integer is a broken launch
configuration: a typo in a job script, or a variable that another tool
exported with a different meaning. Replacing it silently with a default
(usually 0) makes the process act as another rank: several processes
write rank 0's checkpoints and logs, or wait for peers that never come,
and nothing in the output points at the variable.

## Example
```python
def get_rank():
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0
```

Use instead:
```python
def get_rank():
    return int(os.environ.get("RANK", "0"))
```

## Fix safety
No automatic fix: the handler may be replaced by a warning or removed, and
callers may rely on the function not raising.
)md"};

constexpr std::array<std::string_view, 5> kTorchVariables = {"RANK", "LOCAL_RANK", "WORLD_SIZE",
                                                             "LOCAL_WORLD_SIZE", "NODE_RANK"};
constexpr std::array<std::string_view, 5> kLauncherPrefixes = {"SLURM_", "OMPI_COMM_WORLD_", "PMI_",
                                                               "MV2_COMM_WORLD_", "PMIX_"};

// True for the rank, local rank and size variables that launchers set.
bool IsRankVariable(std::string_view name) {
  for (std::string_view variable : kTorchVariables) {
    if (name == variable) return true;
  }
  if (name == "SLURM_PROCID" || name == "SLURM_LOCALID" || name == "SLURM_NTASKS" || name == "SLURM_NODEID") {
    return true;
  }
  for (std::string_view prefix : kLauncherPrefixes) {
    if (prefix != "SLURM_" && name.starts_with(prefix) && (name.ends_with("RANK") || name.ends_with("SIZE"))) {
      return true;
    }
  }
  return false;
}

// The rank variable that `expression` reads from the environment, or empty.
std::string RankVariableRead(const RuleContext& context, TSNode expression) {
  const Symbols& sym = context.symbols();
  TSNode key{};
  if (Is(expression, sym.subscript) &&
      context.semantic().QualifiedName(Field(expression, "value")) == "os.environ") {
    key = Field(expression, "subscript");
  } else if (Is(expression, sym.call)) {
    const std::string callee = context.semantic().CalleeName(expression);
    if (callee == "os.environ.get" || callee == "os.getenv") key = fixers::PositionalArgument(expression, 0);
  }
  if (ts_node_is_null(key)) return {};
  auto name = StringLiteralValue(key, context.text());
  return name && IsRankVariable(*name) ? *name : std::string();
}

class RankVariableErrorSwallowed final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"try_statement"}; }

  void Check(RuleContext& context, TSNode statement) const override {
    const std::string variable = ConvertedVariable(context, Field(statement, "body"));
    if (variable.empty()) return;

    for (TSNode clause : NamedChildren(statement)) {
      if (std::string_view(ts_node_type(clause)) != "except_clause") continue;
      if (!CatchesValueError(context, clause) || Reports(context, clause)) continue;
      context.Report(clause, "this handler replaces a malformed `" + variable +
                                 "` with a default and no message, so a misconfigured process silently acts as "
                                 "another rank; let the ValueError propagate or report it");
    }
  }

 private:
  // The rank variable that an int() call in `body` converts, or empty.
  static std::string ConvertedVariable(const RuleContext& context, TSNode body) {
    const Symbols& sym = context.symbols();
    std::string variable;
    Walk(body, [&](TSNode node) {
      if (!variable.empty() || Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
      if (Is(node, sym.call) && context.Text(Field(node, "function")) == "int") {
        variable = RankVariableRead(context, fixers::PositionalArgument(node, 0));
      }
      return variable.empty();
    });
    return variable;
  }

  // True for `except:`, `except ValueError`, `except Exception` and tuples
  // that contain one of them.
  static bool CatchesValueError(const RuleContext& context, TSNode clause) {
    const Symbols& sym = context.symbols();
    for (TSNode child : NamedChildren(clause)) {
      if (Is(child, sym.block) || Is(child, sym.comment)) continue;
      const std::string_view text = context.Text(child);
      return text.find("ValueError") != std::string_view::npos || text.find("Exception") != std::string_view::npos;
    }
    return true;
  }

  // True when the handler raises or calls anything (a warning, a log line).
  static bool Reports(const RuleContext& context, TSNode clause) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(clause, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.call) || std::string_view(ts_node_type(node)) == "raise_statement") found = true;
      return !found;
    });
    return found;
  }
};

DISTLINT_REGISTER_RULE(RankVariableErrorSwallowed);

}  // namespace
}  // namespace distlint
