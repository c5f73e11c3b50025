// CFG002 local-rank-as-global-rank
#include <array>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG002",
    "local-rank-as-global-rank",
    Family::kConfiguration,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "init_process_group given the local rank as the global rank",
    R"md(## What it does
Finds `init_process_group(rank=...)` (or the fifth positional argument)
whose value is the node-local rank: the `LOCAL_RANK` environment variable
or a launcher's local-rank variable (`OMPI_COMM_WORLD_LOCAL_RANK`,
`MV2_COMM_WORLD_LOCAL_RANK`, `SLURM_LOCALID`), read through `os.environ` or
`os.getenv` and optionally converted with `int()`, a name or attribute
called `local_rank`, or a local variable assigned one of these in the same
function.

## Why is this bad?
`rank` of `init_process_group` is the global rank, unique across all nodes.
The local rank restarts at 0 on every node, so on two or more nodes several
processes register with the same rank: the rendezvous fails or hangs, and
the processes that do start exchange data with the wrong peers. A
single-node test run does not show the bug.

## Example
```python
local_rank = int(os.environ["LOCAL_RANK"])
torch.cuda.set_device(local_rank)
dist.init_process_group("nccl", rank=local_rank, world_size=world_size)
```

Use instead:
```python
local_rank = int(os.environ["LOCAL_RANK"])
torch.cuda.set_device(local_rank)
dist.init_process_group("nccl", rank=int(os.environ["RANK"]), world_size=world_size)
```

## Fix safety
No automatic fix: the global rank comes from `RANK`, from a launcher's
variable or from the node rank and the processes per node, depending on the
launcher.
)md"};

// Names are followed through at most this many assignments (`a = b; b = c`).
constexpr int kMaxAssignmentDepth = 4;

constexpr std::array<std::string_view, 4> kLocalRankVariables = {
    "LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "MV2_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"};

bool IsLocalRankVariable(const RuleContext& context, TSNode key) {
  auto value = StringLiteralValue(key, context.text());
  if (!value) return false;
  for (std::string_view name : kLocalRankVariables) {
    if (*value == name) return true;
  }
  return false;
}

bool IsLocalRank(const RuleContext& context, TSNode expression, int depth);

// True when `scope` assigns `name` (a name or an attribute chain such as
// `self.rank`) a local-rank value. Nested functions and classes are searched
// only when `into_definitions` is set.
bool AssignedLocalRank(const RuleContext& context, TSNode scope, std::string_view name, int depth,
                       bool into_definitions) {
  const Symbols& sym = context.symbols();
  bool found = false;
  Walk(scope, [&](TSNode node) {
    if (found) return false;
    if (!into_definitions && !ts_node_eq(node, scope) &&
        (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda))) {
      return false;
    }
    if (Is(node, sym.assignment) && context.Text(Field(node, "left")) == name) {
      TSNode right = Field(node, "right");
      if (!ts_node_is_null(right) && IsLocalRank(context, right, depth + 1)) found = true;
    }
    return !found;
  });
  return found;
}

bool IsLocalRank(const RuleContext& context, TSNode expression, int depth) {
  if (depth > kMaxAssignmentDepth || ts_node_is_null(expression)) return false;
  const Symbols& sym = context.symbols();
  const SemanticModel& semantic = context.semantic();
  while (Is(expression, sym.parenthesized_expression) && ts_node_named_child_count(expression) == 1) {
    expression = ts_node_named_child(expression, 0);
  }

  if (Is(expression, sym.call)) {
    const std::string callee = semantic.CalleeName(expression);
    // Ex) os.getenv("LOCAL_RANK"), os.environ.get("LOCAL_RANK", 0)
    if (callee == "os.getenv" || callee == "os.environ.get") {
      return IsLocalRankVariable(context, fixers::PositionalArgument(expression, 0));
    }
    // Ex) int(os.environ["LOCAL_RANK"])
    if (context.Text(Field(expression, "function")) == "int") {
      return IsLocalRank(context, fixers::PositionalArgument(expression, 0), depth);
    }
    return false;
  }
  // Ex) os.environ["LOCAL_RANK"]
  if (Is(expression, sym.subscript)) {
    return semantic.QualifiedName(Field(expression, "value")) == "os.environ" &&
           IsLocalRankVariable(context, Field(expression, "subscript"));
  }
  // Ex) args.local_rank
  if (Is(expression, sym.attribute)) {
    if (context.Text(Field(expression, "attribute")) == "local_rank") return true;
    if (!semantic.QualifiedName(expression).empty()) return false;
    // Ex) self.rank = int(os.environ["LOCAL_RANK"]) in another method.
    TSNode root = expression;
    while (!ts_node_is_null(ts_node_parent(root))) root = ts_node_parent(root);
    if (AssignedLocalRank(context, root, context.Text(expression), depth, /*into_definitions=*/true)) return true;
    // Ex) class Utils: rank = int(os.environ.get("LOCAL_RANK", "0")), read as Utils.rank.
    TSNode owner = Field(expression, "object");
    if (!Is(owner, sym.identifier)) return false;
    for (TSNode statement : NamedChildren(root)) {
      if (Is(statement, sym.decorated_definition)) statement = Field(statement, "definition");
      if (!Is(statement, sym.class_definition) || context.Text(Field(statement, "name")) != context.Text(owner)) {
        continue;
      }
      if (AssignedLocalRank(context, Field(statement, "body"), context.Text(Field(expression, "attribute")), depth,
                            /*into_definitions=*/false)) {
        return true;
      }
    }
    return false;
  }
  // Ex) local_rank, or rank = int(os.environ["LOCAL_RANK"]) earlier in the function.
  if (Is(expression, sym.identifier)) {
    const std::string_view name = context.Text(expression);
    if (name == "local_rank") return true;
    return AssignedLocalRank(context, semantic.EnclosingScope(expression), name, depth, /*into_definitions=*/false);
  }
  return false;
}

class LocalRankAsGlobalRank final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return;
    TSNode rank = fixers::KeywordArgument(call, "rank", context.text());
    TSNode value = ts_node_is_null(rank) ? fixers::PositionalArgument(call, 4) : Field(rank, "value");
    if (!IsLocalRank(context, value, 0)) return;

    context.Report(value, "`" + std::string(context.Text(value)) +
                              "` is the rank within one node, but `rank` of `init_process_group` is the global "
                              "rank, so ranks collide on more than one node; pass the global rank (`RANK`)");
  }
};

DISTLINT_REGISTER_RULE(LocalRankAsGlobalRank);

}  // namespace
}  // namespace distlint
