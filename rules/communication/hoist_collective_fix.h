// The fix of COM001: move a collective that ends a rank-dependent branch to
// after the if statement, so that every rank calls it.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "fixers/hoist.h"
#include "rules/communication/collective_calls.h"

namespace distlint {

// Names that `arm` binds outside nested definitions: assignment, `for` and
// `with ... as` targets, imports, and defined functions and classes.
inline std::unordered_set<std::string> NamesBoundIn(const RuleContext& context, TSNode arm) {
  const Symbols& sym = context.symbols();
  std::unordered_set<std::string> names;
  auto add_targets = [&](TSNode target) {
    Walk(target, [&](TSNode node) {
      if (Is(node, sym.identifier)) names.insert(std::string(context.Text(node)));
      return !Is(node, sym.attribute) && !Is(node, sym.subscript);  // `x.y = ...` binds no name.
    });
  };
  Walk(arm, [&](TSNode node) {
    if (Is(node, sym.function_definition) || Is(node, sym.class_definition)) {
      names.insert(std::string(context.Text(Field(node, "name"))));
      return false;
    }
    if (Is(node, sym.lambda)) return false;
    if (Is(node, sym.assignment) || Is(node, sym.augmented_assignment) || Is(node, sym.for_statement)) {
      add_targets(Field(node, "left"));
    } else if (std::string_view(ts_node_type(node)) == "as_pattern_target" ||
               std::string_view(ts_node_type(node)) == "named_expression") {
      add_targets(Is(node, sym.identifier) ? node : ts_node_named_child(node, 0));
    } else if (Is(node, sym.import_statement) || Is(node, sym.import_from_statement)) {
      add_targets(node);
    }
    return true;
  });
  return names;
}

// True when `root` contains a return, raise, break or continue outside
// nested definitions.
// The operands of a top-level `and` chain (through parentheses), or the
// condition itself.
inline std::vector<TSNode> Conjuncts(const RuleContext& context, TSNode condition) {
  const Symbols& sym = context.symbols();
  while (Is(condition, sym.parenthesized_expression) && ts_node_named_child_count(condition) == 1) {
    condition = ts_node_named_child(condition, 0);
  }
  if (Is(condition, sym.boolean_operator) && context.Text(Field(condition, "operator")) == "and") {
    std::vector<TSNode> operands = Conjuncts(context, Field(condition, "left"));
    std::vector<TSNode> right = Conjuncts(context, Field(condition, "right"));
    operands.insert(operands.end(), right.begin(), right.end());
    return operands;
  }
  return {condition};
}

inline bool BranchHasEarlyExit(TSNode root) {
  const Symbols& sym = Symbols::Get();
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found || Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) {
      return false;
    }
    const std::string_view type = ts_node_type(node);
    if (type == "return_statement" || type == "raise_statement" || type == "break_statement" ||
        type == "continue_statement") {
      found = true;
    }
    return !found;
  });
  return found;
}

// Builds the fix that moves `call` after `if_statement`, or returns nullopt
// when moving it could change what it computes or which ranks reach it.
// `call` must be a torch.distributed collective, because a project function
// would run its other work on every rank. It must be the only collective of
// the whole if chain and the last statement of its arm. No arm may exit
// early, and its arguments may not read a name that the arm binds.
inline std::optional<Fix> HoistCollectiveFix(const RuleContext& context, TSNode call, TSNode if_statement) {
  const Symbols& sym = context.symbols();
  const SemanticModel& semantic = context.semantic();
  if (!IsCollective(semantic.CalleeName(call))) return std::nullopt;
  if (CollectiveCallsIn(semantic, if_statement).size() != 1) return std::nullopt;

  TSNode statement = ts_node_parent(call);
  TSNode arm = ts_node_parent(statement);
  if (!Is(statement, sym.expression_statement) || !Is(arm, sym.block)) return std::nullopt;
  TSNode owner = ts_node_parent(arm);
  const bool direct_arm = ts_node_eq(owner, if_statement) ||
                          ((Is(owner, sym.elif_clause) || Is(owner, sym.else_clause)) &&
                           ts_node_eq(ts_node_parent(owner), if_statement));
  if (!direct_arm) return std::nullopt;
  TSNode last{};
  for (TSNode child : NamedChildren(arm)) {
    if (!Is(child, sym.comment)) last = child;
  }
  if (!ts_node_eq(last, statement) || BranchHasEarlyExit(if_statement)) return std::nullopt;

  const std::unordered_set<std::string> bound = NamesBoundIn(context, arm);
  bool reads_bound = false;
  Walk(call, [&](TSNode node) {
    if (Is(node, sym.identifier) && bound.count(std::string(context.Text(node))) > 0) reads_bound = true;
    return !reads_bound;
  });
  if (reads_bound) return std::nullopt;

  // A guard that is the same on every rank (`if self.distributed and rank == 0`)
  // must keep protecting the collective, so only the rank-dependent part of
  // the condition may go.
  std::vector<TSNode> rank_free;
  for (TSNode conjunct : Conjuncts(context, Field(if_statement, "condition"))) {
    if (!semantic.IsRankDependent(conjunct)) rank_free.push_back(conjunct);
  }
  if (!rank_free.empty()) {
    size_t statements = 0;
    for (TSNode child : NamedChildren(arm)) statements += Is(child, sym.comment) ? 0 : 1;
    const bool plain_if = NamedChildren(if_statement).size() == 2;  // condition and consequence
    if (statements != 1 || !plain_if || !ts_node_eq(owner, if_statement)) return std::nullopt;
    std::string guard;
    for (TSNode conjunct : rank_free) guard += (guard.empty() ? "" : " and ") + std::string(context.Text(conjunct));
    Fix fix;
    fix.title = "Keep only the rank-independent part of the condition";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(fixers::ReplaceNode(Field(if_statement, "condition"), guard));
    return fix;
  }

  auto edits = fixers::HoistAfterIf(statement, arm, if_statement, context.text());
  if (!edits) return std::nullopt;
  Fix fix;
  fix.title = "Move the collective after the `if` statement";
  fix.applicability = Applicability::kUnsafe;
  fix.edits = std::move(*edits);
  return fix;
}

}  // namespace distlint
