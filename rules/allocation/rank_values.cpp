#include "rules/allocation/rank_values.h"

#include <string>
#include <string_view>

#include "fixers/edits.h"

namespace distlint {
namespace {

// Names are followed through at most this many assignments (`a = rank; b = a`).
constexpr int kMaxAssignmentDepth = 4;

bool IsGlobalRankAt(const RuleContext& context, TSNode expression, int depth);

bool IsRankEnvironmentKey(const RuleContext& context, TSNode key) {
  auto value = StringLiteralValue(key, context.text());
  return value && *value == "RANK";
}

TSNode Unparenthesized(TSNode node) {
  const Symbols& sym = Symbols::Get();
  while (Is(node, sym.parenthesized_expression) && ts_node_named_child_count(node) == 1) {
    node = ts_node_named_child(node, 0);
  }
  return node;
}

// True when some assignment `target = value` in the subtree of `scope` has a
// global-rank value and a target whose text is `target_text`. Nested
// functions and classes are searched only when `into_definitions` is set.
bool AssignedGlobalRank(const RuleContext& context, TSNode scope, std::string_view target_text, int depth,
                        bool into_definitions) {
  const Symbols& sym = context.symbols();
  bool found = false;
  Walk(scope, [&](TSNode node) {
    if (found) return false;
    if (!into_definitions && !ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition) ||
                                     Is(node, sym.lambda))) {
      return false;
    }
    if (Is(node, sym.assignment)) {
      TSNode left = Field(node, "left");
      TSNode right = Field(node, "right");
      if (context.Text(left) == target_text && !ts_node_is_null(right) &&
          IsGlobalRankAt(context, right, depth + 1)) {
        found = true;
      }
    }
    return true;
  });
  return found;
}

bool IsGlobalRankAt(const RuleContext& context, TSNode expression, int depth) {
  if (depth > kMaxAssignmentDepth) return false;
  const Symbols& sym = context.symbols();
  const SemanticModel& semantic = context.semantic();
  expression = Unparenthesized(expression);
  if (ts_node_is_null(expression)) return false;

  if (Is(expression, sym.call)) {
    const std::string callee = semantic.CalleeName(expression);
    // Ex) dist.get_rank(), dist.get_global_rank(group, 0) is not a local rank either.
    if (callee == "torch.distributed.get_rank" || callee == "torch.distributed.get_global_rank") return true;
    // Ex) os.getenv("RANK"), os.environ.get("RANK", 0)
    if (callee == "os.getenv" || callee == "os.environ.get") {
      return IsRankEnvironmentKey(context, fixers::PositionalArgument(expression, 0));
    }
    // Ex) int(os.environ["RANK"])
    if (context.Text(Field(expression, "function")) == "int") {
      return IsGlobalRankAt(context, fixers::PositionalArgument(expression, 0), depth);
    }
    return false;
  }
  // Ex) os.environ["RANK"]
  if (Is(expression, sym.subscript)) {
    return semantic.QualifiedName(Field(expression, "value")) == "os.environ" &&
           IsRankEnvironmentKey(context, Field(expression, "subscript"));
  }
  // Ex) rank = dist.get_rank(); ...; torch.cuda.set_device(rank)
  if (Is(expression, sym.identifier)) {
    return AssignedGlobalRank(context, semantic.EnclosingScope(expression), context.Text(expression), depth,
                              /*into_definitions=*/false);
  }
  // Ex) self.global_rank = dist.get_rank() in __init__, used in another method.
  if (Is(expression, sym.attribute) && semantic.QualifiedName(expression).empty()) {
    TSNode root = expression;
    while (!ts_node_is_null(ts_node_parent(root))) root = ts_node_parent(root);
    return AssignedGlobalRank(context, root, context.Text(expression), depth, /*into_definitions=*/true);
  }
  return false;
}

}  // namespace

bool IsGlobalRank(const RuleContext& context, TSNode expression) { return IsGlobalRankAt(context, expression, 0); }

TSNode GlobalRankWithin(const RuleContext& context, TSNode expression) {
  const Symbols& sym = context.symbols();
  if (ts_node_is_null(expression)) return expression;
  if (IsGlobalRank(context, expression)) return Unparenthesized(expression);
  // Ex) f"cuda:{rank}"
  if (Is(expression, sym.string)) {
    for (TSNode child : NamedChildren(expression)) {
      if (std::string_view(ts_node_type(child)) != "interpolation") continue;
      TSNode inner = Field(child, "expression");
      if (IsGlobalRank(context, inner)) return Unparenthesized(inner);
    }
  }
  return TSNode{};
}

}  // namespace distlint
