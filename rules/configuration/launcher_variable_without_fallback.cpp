// CFG005 launcher-variable-without-fallback
#include <array>
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG005",
    "launcher-variable-without-fallback",
    Family::kConfiguration,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Rank environment variable of one launcher read with no fallback",
    R"md(## What it does
This rule is opt-in: select it with `--select CFG005` or in `select`.

Finds `os.environ["NAME"]` for a rank variable that only some launchers set
(`LOCAL_RANK`, `RANK`, `WORLD_SIZE`, `LOCAL_WORLD_SIZE` of torchrun and the
DeepSpeed launcher, `OMPI_COMM_WORLD_*` of Open MPI, `SLURM_*ID` and
`SLURM_NTASKS` of Slurm, `PMI_*` of MPICH) when the enclosing function
reads no other launcher's variable, sets no such variable itself, and the
read is neither under an `if "NAME" in os.environ` test nor inside a `try`
statement, and the function has no `.get()` fallback with a default. An
`assert` of the variable's presence is not a fallback.

## Why is this bad?
Each launcher sets its own variables: `mpirun` sets `OMPI_COMM_WORLD_*`,
`srun` sets `SLURM_*`, `torchrun` sets `LOCAL_RANK`, `RANK` and
`WORLD_SIZE`, and a plain `python train.py` sets none. Code that reads one
launcher's variable by subscript fails with `KeyError` (or the assertion)
on every rank under any other launcher and in single-process runs, at
start-up of a job that may have waited hours for its nodes.

The rule is opt-in because training scripts meant for exactly one launcher
read its variables on purpose.

## Example
```python
def resolve_local_rank():
    return int(os.environ["LOCAL_RANK"])
```

Use instead:
```python
def resolve_local_rank():
    for name in ("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"):
        if name in os.environ:
            return int(os.environ[name])
    return 0
```

## Fix safety
No automatic fix: the fallback depends on the launchers the job supports.
)md",
    /*enabled_by_default=*/false};

constexpr std::array<std::string_view, 4> kTorchVariables = {"LOCAL_RANK", "RANK", "WORLD_SIZE",
                                                             "LOCAL_WORLD_SIZE"};
constexpr std::array<std::string_view, 4> kOtherLauncherPrefixes = {"OMPI_COMM_WORLD_", "SLURM_", "PMI_",
                                                                    "MV2_COMM_WORLD_"};
constexpr std::array<std::string_view, 5> kSlurmVariables = {"SLURM_PROCID", "SLURM_LOCALID", "SLURM_NTASKS",
                                                             "SLURM_NODEID", "SLURM_NPROCS"};

// The launcher a rank variable belongs to ("torch", "OMPI_COMM_WORLD_", ...), or empty.
std::string_view LauncherOf(std::string_view name) {
  for (std::string_view variable : kTorchVariables) {
    if (name == variable) return "torch";
  }
  for (std::string_view variable : kSlurmVariables) {
    if (name == variable) return "SLURM_";
  }
  for (std::string_view prefix : kOtherLauncherPrefixes) {
    if (prefix != "SLURM_" && name.starts_with(prefix) &&
        (name.ends_with("RANK") || name.ends_with("SIZE"))) {
      return prefix;
    }
  }
  return {};
}

class LauncherVariableWithoutFallback final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"subscript"}; }

  void Check(RuleContext& context, TSNode subscript) const override {
    const Symbols& sym = context.symbols();
    if (context.semantic().QualifiedName(Field(subscript, "value")) != "os.environ") return;
    // Ex) os.environ["LOCAL_RANK"] = "0" sets the variable.
    TSNode parent = ts_node_parent(subscript);
    if (Is(parent, sym.assignment) && ts_node_eq(Field(parent, "left"), subscript)) return;
    auto name = StringLiteralValue(Field(subscript, "subscript"), context.text());
    if (!name) return;
    const std::string_view launcher = LauncherOf(*name);
    if (launcher.empty()) return;

    TSNode scope = context.semantic().EnclosingScope(subscript);
    if (HasFallback(context, scope, subscript, *name, launcher)) return;

    context.Report(subscript, "`" + std::string(context.Text(subscript)) + "` raises KeyError under launchers "
                              "that do not set `" + *name + "` and in single-process runs; fall back to the other "
                              "launchers' variables or a default");
  }

 private:
  // True when `scope` reads another launcher's variable, sets `name`, or reads
  // a variable with a default through .get()/getenv, or when `subscript` sits
  // in a `try` statement or under a condition that tests `name` with `in`.
  static bool HasFallback(const RuleContext& context, TSNode scope, TSNode subscript, const std::string& name,
                          std::string_view launcher) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(scope, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.string)) {
        auto value = StringLiteralValue(node, context.text());
        if (value) {
          const std::string_view other = LauncherOf(*value);
          if (!other.empty() && other != launcher) found = true;
        }
        return false;
      }
      // Ex) os.environ["RANK"] = os.environ["OMPI_COMM_WORLD_RANK"] sets it first.
      if (Is(node, sym.assignment) && Is(Field(node, "left"), sym.subscript) &&
          context.semantic().QualifiedName(Field(Field(node, "left"), "value")) == "os.environ") {
        auto key = StringLiteralValue(Field(Field(node, "left"), "subscript"), context.text());
        if (key && *key == name) found = true;
      }
      if (Is(node, sym.call)) {
        const std::string callee = context.semantic().CalleeName(node);
        if (callee == "os.environ.get" || callee == "os.getenv") {
          // Ex) os.environ.get("LOCAL_RANK", 0) elsewhere in the function.
          TSNode arguments = Field(node, "arguments");
          if (ts_node_named_child_count(arguments) >= 2) found = true;
        }
      }
      return !found;
    });
    if (found) return true;

    for (TSNode parent = ts_node_parent(subscript); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      TSNode condition{};
      if (Is(parent, sym.if_statement) || Is(parent, sym.elif_clause) || Is(parent, sym.while_statement)) {
        condition = Field(parent, "condition");
      } else if (Is(parent, sym.conditional_expression) || Is(parent, sym.boolean_operator)) {
        condition = parent;
      }
      if (!ts_node_is_null(condition) && TestsMembership(context, condition, name)) return true;
      // Ex) try: rank = int(os.environ["SLURM_PROCID"]) except KeyError: raise RuntimeError(...)
      if (Is(parent, sym.try_statement)) return true;
      if (ts_node_eq(parent, scope)) break;
    }
    return false;
  }

  // True when a comparison's operators include `in` (not `not in`).
  static bool HasInOperator(TSNode comparison) {
    const uint32_t count = ts_node_child_count(comparison);
    for (uint32_t index = 0; index < count; ++index) {
      TSNode child = ts_node_child(comparison, index);
      if (!ts_node_is_named(child) && std::string_view(ts_node_type(child)) == "in") return true;
    }
    return false;
  }

  // True when `condition` contains `"name" in ...`.
  static bool TestsMembership(const RuleContext& context, TSNode condition, const std::string& name) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(condition, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.comparison_operator)) {
        TSNode left = ts_node_named_child(node, 0);
        auto value = StringLiteralValue(left, context.text());
        if (value && *value == name && HasInOperator(node)) found = true;
      }
      return !found;
    });
    return found;
  }
};

DISTLINT_REGISTER_RULE(LauncherVariableWithoutFallback);

}  // namespace
}  // namespace distlint
