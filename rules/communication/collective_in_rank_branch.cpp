// COM001 collective-in-rank-branch
#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/collective_calls.h"
#include "rules/communication/hoist_collective_fix.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM001",
    "collective-in-rank-branch",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kSometimes,
    "Collective called in a rank-dependent branch that other ranks skip",
    R"md(## What it does
Finds a collective operation (`all_reduce`, `all_gather`, `broadcast`,
`barrier`, `new_group`, the object variants and the others of
`torch.distributed` and `deepspeed.comm`) called inside an `if` whose
condition depends on the rank, when the other branch does not issue the same
collectives in the same order. A call of a project function or constructor
that issues a collective, directly or through other functions of the scanned
project (in this file or an imported one), counts as that collective.

A condition depends on the rank when it reads `get_rank()` (or
`get_local_rank()`, `get_global_rank()`), a framework's rank getter (Megatron's
`parallel_state.get_tensor_model_parallel_rank()` and the other
`get_*_rank()` functions, `is_pipeline_first_stage()`, Colossal-AI's
`gpc.get_local_rank()`), `torch.cuda.current_device()`, the `RANK`,
`LOCAL_RANK` or `SLURM_PROCID` environment variables, a `rank` or
`local_rank` parameter or attribute, a project helper whose return value
depends on one of these (`is_main_process()`), or a variable assigned from
one of these. A variable passed to a broadcast or all-reduce holds the same
value on every rank afterwards and is not rank-dependent. Arguments that
only set display or placement (`tqdm(..., disable=...)`, `device=`,
`x.to(rank)`) do not make a call's result rank-dependent.

The rule does not report the branch when every rank still issues the same
collectives:

- the collective sits in an arm before the first rank-dependent condition of
  an `if`/`elif` chain, which every rank takes or skips alike;
- an arm ends in `return` after its collectives, and the collectives that
  follow the `if` statement in the function match them;
- a sibling `if` on the complementary condition (`local_rank != 0` and
  `local_rank == 0`) issues the same collectives;
- the branch is `if get_rank() == r:` in `for r in range(world_size)` and
  holds the loop's only collectives, so each rank issues them once;
- the condition tests membership (`rank in ranks`) and every collective
  names a group, by keyword or by position.

## Why is this bad?
Every rank of a process group must enter each collective, in the same order.
The ranks that take the other branch never call it, so the ranks that do call
it wait forever: the job hangs until the NCCL or gloo timeout kills it, often
after hours of cluster time, with no error pointing at the branch.

## Example
```python
import torch.distributed as dist

if dist.get_rank() == 0:
    save_checkpoint(model)
    dist.barrier()
```

Use instead:
```python
import torch.distributed as dist

if dist.get_rank() == 0:
    save_checkpoint(model)
dist.barrier()
```

## Fix safety
The fix moves the collective to a line of its own right after the `if`
statement, as in the example. It is offered only when the collective is a
call of `torch.distributed` or `deepspeed.comm` (not a project function,
whose other work would then run on every rank), the only collective of the
`if` chain and the last statement of its branch, when no branch returns,
raises, breaks or continues, and when the call's arguments read no name
that the branch assigns. The fix is unsafe: after it, the ranks that skip
the branch take part in the collective with their own tensor, whose value
the branch may have meant to set (a broadcast from rank 0 is right; an
all-reduce of a tensor that only rank 0 filled sums stale values from the
others). No fix is offered in the other cases, where the collective may
belong before the branch or in both branches.
)md"};

class CollectiveInRankBranch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"if_statement"}; }
  bool UsesProjectIndex() const override { return true; }

  void Check(RuleContext& context, TSNode if_statement) const override {
    const SemanticModel& semantic = context.semantic();
    if (CollectiveCallsIn(semantic, if_statement).empty()) return;
    const BranchAnalysis branch = Analyze(semantic, if_statement);
    if (!branch.mismatched) return;

    const std::string condition_text = Abbreviate(context.Text(branch.rank_condition));
    for (size_t arm = 0; arm < branch.collectives.size(); ++arm) {
      for (size_t index = 0; index < branch.own_counts[arm]; ++index) {
        // Only a collective that some other arm lacks can hang, so one that
        // lines up with a call in every other arm is not reported.
        if (branch.matched[arm][index]) continue;
        const TSNode call = branch.collectives[arm][index];
        if (ReportedByInnerBranch(semantic, call, if_statement)) continue;
        if (MayBeUniformWithinGroup(semantic, branch.rank_source, call)) continue;
        std::string through;
        const std::string name = semantic.IssuedCollective(call, &through);
        const std::string what =
            through.empty() ? "`" + name + "` is" : "`" + std::string(ShortName(through)) + "` issues `" + name + "` and is";
        Diagnostic& diagnostic = context.Report(
            call, what + " called only on the ranks that take this branch of `if " + condition_text +
                      "`; ranks on the other path never enter it and the collective hangs");
        context.AddRelated(diagnostic, branch.rank_condition, "this condition depends on the rank");
        if (StartByte(branch.rank_source) != StartByte(branch.rank_condition)) {
          context.AddRelated(diagnostic, branch.rank_source, "the rank is read here");
        }
        if (auto fix = HoistCollectiveFix(context, call, if_statement)) diagnostic.fix = std::move(*fix);
      }
    }
  }

 private:
  struct BranchAnalysis {
    TSNode rank_condition{};
    TSNode rank_source{};
    // Collective calls of each arm of the if/elif/else chain, in order. A
    // chain without `else` gets an empty last arm.
    std::vector<std::vector<TSNode>> collectives;
    // The number of leading entries of collectives[arm] that the arm itself
    // issues. The entries after them are the collectives that follow the
    // `if` statement, appended to the arms that fall through when another
    // arm returns (see ContinuationCollectives).
    std::vector<size_t> own_counts;
    // matched[arm][i]: collectives[arm][i] lines up with a call of the same
    // name in every other arm (a longest common subsequence of names).
    std::vector<std::vector<bool>> matched;
    bool mismatched = false;
  };

  static BranchAnalysis Analyze(const SemanticModel& semantic, TSNode if_statement) {
    const Symbols& sym = Symbols::Get();
    BranchAnalysis result;
    auto note_condition = [&](TSNode condition) {
      if (!ts_node_is_null(result.rank_source)) return;
      TSNode source = semantic.RankSource(condition);
      if (!ts_node_is_null(source) && !IsPipelineStageTest(semantic, source)) {
        result.rank_condition = condition, result.rank_source = source;
      }
    };

    // The arms before the first rank-dependent condition are left out: every
    // rank evaluates the same uniform conditions up to there, so the ranks
    // either all take one of those arms or all go on to the rank test.
    std::vector<TSNode> arms;
    std::vector<TSNode> conditions;
    bool has_else = false;
    auto add_condition_arm = [&](TSNode condition, TSNode arm) {
      note_condition(condition);
      if (ts_node_is_null(result.rank_source)) return;
      conditions.push_back(condition);
      arms.push_back(arm);
    };
    add_condition_arm(Field(if_statement, "condition"), Field(if_statement, "consequence"));
    for (TSNode clause : NamedChildren(if_statement)) {
      if (Is(clause, sym.elif_clause)) {
        add_condition_arm(Field(clause, "condition"), Field(clause, "consequence"));
      } else if (Is(clause, sym.else_clause) && !ts_node_is_null(result.rank_source)) {
        arms.push_back(Field(clause, "body"));
        has_else = true;
      }
    }
    if (ts_node_is_null(result.rank_source)) return result;

    for (TSNode arm : arms) result.collectives.push_back(CollectivesIn(semantic, arm));
    // In `if rank in members: all_reduce(t, group=g)` the ranks that skip the
    // chain are outside the member list. When every collective names its
    // group, those ranks are taken to be outside the groups too, so they
    // need not call anything.
    // NOTE: the rule does not check that the member list and the groups
    // contain the same ranks, so a group wider than the list is missed.
    // The same holds for `rank not in members` with an `else`, and for
    // collectives hidden in project functions, whose group is not known here.
    bool membership = false;
    for (TSNode condition : conditions) membership = membership || IsRankMembershipTest(semantic, condition);
    const bool members_only = membership && AllOnExplicitGroups(semantic, result);
    if (members_only) return result;
    if (!has_else) {
      arms.push_back(TSNode{});
      result.collectives.emplace_back();
    }
    for (const std::vector<TSNode>& calls : result.collectives) result.own_counts.push_back(calls.size());
    AppendContinuation(semantic, if_statement, arms, result);

    // The arms agree when each issues the same collectives in the same order.
    auto same_sequence = [&](const std::vector<TSNode>& a, const std::vector<TSNode>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (semantic.IssuedCollective(a[i]) != semantic.IssuedCollective(b[i])) return false;
      }
      return true;
    };
    for (size_t i = 1; i < result.collectives.size(); ++i) {
      if (!same_sequence(result.collectives[0], result.collectives[i])) result.mismatched = true;
    }
    const bool lone_if = conditions.size() == 1 && ts_node_eq(conditions[0], Field(if_statement, "condition")) &&
                         arms.size() == 2 && ts_node_is_null(arms[1]);
    if (result.mismatched && lone_if) {
      // A lone `if` whose collectives every rank issues in another way:
      // through a sibling `if` on the complementary condition, or once per
      // rank in a loop over all ranks.
      if (HasComplementarySibling(semantic, if_statement, result.collectives[0]) ||
          IsOncePerRankLoop(semantic, if_statement, result.collectives[0])) {
        result.mismatched = false;
      }
    }
    if (result.mismatched) MatchArms(semantic, result);
    return result;
  }

  // The comparison operators of `condition` with its two operands, or empty
  // when it is not a comparison of two operands.
  static std::string ComparisonOperator(const SemanticModel& semantic, TSNode condition) {
    if (!Is(condition, Symbols::Get().comparison_operator) || ts_node_named_child_count(condition) != 2) return {};
    std::string op;
    for (uint32_t i = 0; i < ts_node_child_count(condition); ++i) {
      TSNode child = ts_node_child(condition, i);
      if (ts_node_is_named(child)) continue;
      if (!op.empty()) op.push_back(' ');
      op.append(semantic.Text(child));
    }
    return op;
  }

  // True when `a` is the negation of `b`: `not b`, or the same two operands
  // under the opposite comparison (`==` and `!=`, `<` and `>=`, `in` and
  // `not in`, `is` and `is not`).
  static bool IsComplement(const SemanticModel& semantic, TSNode a, TSNode b) {
    const Symbols& sym = Symbols::Get();
    for (TSNode negated : {a, b}) {
      TSNode other = ts_node_eq(negated, a) ? b : a;
      if (Is(negated, sym.not_operator) && semantic.Text(Field(negated, "argument")) == semantic.Text(other)) {
        return true;
      }
    }
    const std::string op_a = ComparisonOperator(semantic, a);
    const std::string op_b = ComparisonOperator(semantic, b);
    if (op_a.empty() || op_b.empty()) return false;
    for (int i = 0; i < 2; ++i) {
      if (semantic.Text(ts_node_named_child(a, i)) != semantic.Text(ts_node_named_child(b, i))) return false;
    }
    static constexpr std::pair<std::string_view, std::string_view> kOpposites[] = {
        {"==", "!="}, {"<", ">="}, {">", "<="}, {"in", "not in"}, {"is", "is not"}};
    for (const auto& [first, second] : kOpposites) {
      if ((op_a == first && op_b == second) || (op_a == second && op_b == first)) return true;
    }
    return false;
  }

  // True when a sibling statement of the lone `if_statement` is an `if`
  // without `elif` or `else` on the complementary condition whose body
  // issues the same collectives:
  //
  //     if local_rank != 0:
  //         dist.barrier()
  //     download()
  //     if local_rank == 0:
  //         dist.barrier()
  //
  // Every rank then takes exactly one of the two bodies.
  // NOTE: a reassignment of the condition's names between the two `if`
  // statements is not checked.
  static bool HasComplementarySibling(const SemanticModel& semantic, TSNode if_statement,
                                      const std::vector<TSNode>& calls) {
    const Symbols& sym = Symbols::Get();
    TSNode condition = Field(if_statement, "condition");
    for (TSNode sibling : NamedChildren(ts_node_parent(if_statement))) {
      if (ts_node_eq(sibling, if_statement) || !Is(sibling, sym.if_statement)) continue;
      bool has_clauses = false;
      for (TSNode clause : NamedChildren(sibling)) {
        has_clauses = has_clauses || Is(clause, sym.elif_clause) || Is(clause, sym.else_clause);
      }
      if (has_clauses || !IsComplement(semantic, condition, Field(sibling, "condition"))) continue;
      const std::vector<TSNode> other = CollectiveCallsIn(semantic, Field(sibling, "consequence"));
      if (other.size() != calls.size()) continue;
      bool same = true;
      for (size_t i = 0; i < calls.size(); ++i) {
        same = same && semantic.IssuedCollective(calls[i]) == semantic.IssuedCollective(other[i]);
      }
      if (same) return true;
    }
    return false;
  }

  // True for `if rank == r:` directly in the body of `for r in
  // range(world_size)` whose only collectives are those of the `if`. Each
  // rank takes the branch in exactly one iteration, so every rank issues
  // the collectives once (a loop that prints rank by rank has this shape).
  static bool IsOncePerRankLoop(const SemanticModel& semantic, TSNode if_statement, const std::vector<TSNode>& calls) {
    const Symbols& sym = Symbols::Get();
    TSNode condition = Field(if_statement, "condition");
    if (ComparisonOperator(semantic, condition) != "==") return false;
    TSNode loop = ts_node_parent(ts_node_parent(if_statement));
    if (!Is(loop, sym.for_statement) || !Is(Field(loop, "left"), sym.identifier)) return false;
    const std::string_view variable = semantic.Text(Field(loop, "left"));
    TSNode left = ts_node_named_child(condition, 0);
    TSNode right = ts_node_named_child(condition, 1);
    TSNode rank_side = semantic.Text(right) == variable ? left : semantic.Text(left) == variable ? right : TSNode{};
    if (ts_node_is_null(rank_side) || !semantic.IsRankDependent(rank_side)) return false;
    // The iterable must be range() over the world size.
    TSNode iterable = Field(loop, "right");
    if (!Is(iterable, sym.call) || semantic.Text(Field(iterable, "function")) != "range") return false;
    TSNode arguments = Field(iterable, "arguments");
    if (ts_node_named_child_count(arguments) != 1) return false;
    const std::string_view bound = semantic.Text(ts_node_named_child(arguments, 0));
    if (bound.find("world_size") == std::string_view::npos) return false;
    return CollectiveCallsIn(semantic, Field(loop, "body")).size() == calls.size();
  }

  // When some arm of the chain ends in `return` and another falls through,
  // the ranks that fall through go on to the collectives after the `if`
  // statement, which may match the returning arm's collectives:
  //
  //     if rank not in members:
  //         dist.barrier()
  //         return
  //     work_on(members)
  //     dist.barrier()
  //
  // Appends those collectives to each arm that falls through. `arms` contains
  // the arm bodies, with a null node for a missing `else`.
  static void AppendContinuation(const SemanticModel& semantic, TSNode if_statement, const std::vector<TSNode>& arms,
                                 BranchAnalysis& branch) {
    std::vector<bool> returns;
    for (TSNode arm : arms) returns.push_back(EndsInReturn(arm));
    const bool some_return = std::find(returns.begin(), returns.end(), true) != returns.end();
    const bool some_fall_through = std::find(returns.begin(), returns.end(), false) != returns.end();
    if (!some_return || !some_fall_through) return;
    std::vector<TSNode> continuation;
    if (!ContinuationCollectives(semantic, if_statement, continuation) || continuation.empty()) return;
    for (size_t arm = 0; arm < arms.size(); ++arm) {
      if (returns[arm]) continue;
      std::vector<TSNode>& calls = branch.collectives[arm];
      calls.insert(calls.end(), continuation.begin(), continuation.end());
    }
  }

  // True when the last statement of `block` is a `return`.
  static bool EndsInReturn(TSNode block) {
    if (ts_node_is_null(block)) return false;
    const Symbols& sym = Symbols::Get();
    TSNode last{};
    for (TSNode statement : NamedChildren(block)) {
      if (!Is(statement, sym.comment)) last = statement;
    }
    return Is(last, sym.return_statement);
  }

  // Collects the collectives that run after `statement` up to the end of its
  // function: the later statements of its block and of each enclosing block.
  // Returns false when the walk crosses a loop (the next iteration also
  // follows) or a `try` with a `finally` (which runs on the returning path
  // too), where the continuation is not a plain sequence.
  static bool ContinuationCollectives(const SemanticModel& semantic, TSNode statement, std::vector<TSNode>& out) {
    const Symbols& sym = Symbols::Get();
    for (TSNode current = statement;;) {
      TSNode block = ts_node_parent(current);
      if (ts_node_is_null(block)) return true;
      bool after = false;
      for (TSNode sibling : NamedChildren(block)) {
        if (after) {
          const std::vector<TSNode> calls = CollectiveCallsIn(semantic, sibling);
          out.insert(out.end(), calls.begin(), calls.end());
        }
        if (ts_node_eq(sibling, current)) after = true;
      }
      if (Is(block, sym.module)) return true;
      // Climb from the block to the compound statement that owns it.
      TSNode owner = ts_node_parent(block);
      if (Is(owner, sym.function_definition) || ts_node_is_null(owner)) return true;
      if (Is(owner, sym.elif_clause) || Is(owner, sym.else_clause) ||
          std::string_view(ts_node_type(owner)) == "except_clause" ||
          std::string_view(ts_node_type(owner)) == "finally_clause") {
        owner = ts_node_parent(owner);
      }
      if (Is(owner, sym.for_statement) || Is(owner, sym.while_statement)) return false;
      if (Is(owner, sym.try_statement)) {
        for (TSNode child : NamedChildren(owner)) {
          if (std::string_view(ts_node_type(child)) == "finally_clause") return false;
        }
      }
      if (!Is(owner, sym.if_statement) && !Is(owner, sym.with_statement) && !Is(owner, sym.try_statement)) {
        return false;
      }
      current = owner;
    }
  }

  // Fills `branch.matched`. A call is matched when, for every other arm, it
  // belongs to a longest common subsequence (by callee name) of the two arms.
  static void MatchArms(const SemanticModel& semantic, BranchAnalysis& branch) {
    const size_t arm_count = branch.collectives.size();
    std::vector<std::vector<std::string>> names(arm_count);
    for (size_t arm = 0; arm < arm_count; ++arm) {
      for (TSNode call : branch.collectives[arm]) names[arm].push_back(semantic.IssuedCollective(call));
      branch.matched.emplace_back(names[arm].size(), arm_count > 1);
    }
    for (size_t a = 0; a < arm_count; ++a) {
      for (size_t b = 0; b < arm_count; ++b) {
        if (a == b) continue;
        const std::vector<bool> in_common = CommonSubsequence(names[a], names[b]);
        for (size_t i = 0; i < in_common.size(); ++i) {
          if (!in_common[i]) branch.matched[a][i] = false;
        }
      }
    }
  }

  // Marks the elements of `a` that belong to one longest common subsequence
  // of `a` and `b`.
  static std::vector<bool> CommonSubsequence(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::vector<size_t>> length(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = a.size(); i-- > 0;) {
      for (size_t j = b.size(); j-- > 0;) {
        length[i][j] = a[i] == b[j] ? length[i + 1][j + 1] + 1 : std::max(length[i + 1][j], length[i][j + 1]);
      }
    }
    std::vector<bool> in_common(a.size(), false);
    for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
      if (a[i] == b[j]) {
        in_common[i] = true;
        ++i, ++j;
      } else if (length[i + 1][j] >= length[i][j + 1]) {
        ++i;
      } else {
        ++j;
      }
    }
    return in_common;
  }

  // True for `<rank> in <members>`, `not in`, `first <= <rank> < last` or
  // `<rank> == <leader>`, alone, parenthesized (comments allowed) or as one
  // operand of `and`, where the rank side depends on the rank. A leader is a
  // variable or attribute that does not depend on the rank: the test is
  // membership in a one-element list, and the leaders of several such tests
  // (one per node, say) usually form the group they talk in.
  // NOTE: `rank == leader` around a collective on a group that is wider than
  // the leaders is missed; a literal (`rank == 0`) is not taken as a leader.
  static bool IsRankMembershipTest(const SemanticModel& semantic, TSNode condition) {
    const Symbols& sym = Symbols::Get();
    while (Is(condition, sym.parenthesized_expression)) {
      TSNode inner{};
      for (TSNode child : NamedChildren(condition)) {
        if (!Is(child, sym.comment)) inner = child;
      }
      condition = inner;
    }
    if (Is(condition, sym.boolean_operator)) {
      if (semantic.Text(Field(condition, "operator")) != "and") return false;
      return IsRankMembershipTest(semantic, Field(condition, "left")) ||
             IsRankMembershipTest(semantic, Field(condition, "right"));
    }
    // `first <= rank < first + size`: the rank lies in a contiguous block.
    if (Is(condition, sym.comparison_operator) && ts_node_named_child_count(condition) == 3) {
      bool ordering = true;
      for (uint32_t i = 0; i < ts_node_child_count(condition); ++i) {
        TSNode child = ts_node_child(condition, i);
        if (ts_node_is_named(child)) continue;
        const std::string_view op = semantic.Text(child);
        ordering = ordering && (op == "<" || op == "<=");
      }
      return ordering && semantic.IsRankDependent(ts_node_named_child(condition, 1));
    }
    if (!Is(condition, sym.comparison_operator) || ts_node_named_child_count(condition) != 2) return false;
    if (ComparisonOperator(semantic, condition) == "==") {
      for (int side = 0; side < 2; ++side) {
        TSNode rank = ts_node_named_child(condition, side);
        TSNode leader = ts_node_named_child(condition, 1 - side);
        if ((Is(leader, sym.identifier) || Is(leader, sym.attribute)) && !semantic.IsRankDependent(leader) &&
            semantic.IsRankDependent(rank)) {
          return true;
        }
      }
      return false;
    }
    bool is_in = false;
    for (uint32_t i = 0; i < ts_node_child_count(condition); ++i) {
      TSNode child = ts_node_child(condition, i);
      if (!ts_node_is_named(child)) is_in = semantic.Text(child) == "in" || semantic.Text(child) == "not in";
    }
    return is_in && semantic.IsRankDependent(ts_node_named_child(condition, 0));
  }

  // The group a torch.distributed collective names, by `group=` or by
  // position (`dist.all_to_all(outputs, inputs, group)`), or a null node.
  static TSNode GroupValue(const SemanticModel& semantic, TSNode call) {
    const Symbols& sym = Symbols::Get();
    TSNode keyword = fixers::KeywordArgument(call, "group", semantic.file().text());
    if (!ts_node_is_null(keyword)) return Field(keyword, "value");
    // The position of `group` in the torch.distributed signatures (torch 2.x).
    static constexpr std::pair<std::string_view, int> kGroupPositions[] = {
        {"all_reduce", 2},       {"all_gather", 2},          {"all_gather_into_tensor", 2}, {"all_gather_object", 2},
        {"reduce_scatter", 3},   {"reduce_scatter_tensor", 3}, {"broadcast", 2},            {"broadcast_object_list", 2},
        {"reduce", 3},           {"gather", 3},              {"gather_object", 3},          {"scatter", 3},
        {"scatter_object_list", 3}, {"all_to_all", 2},       {"all_to_all_single", 4},      {"barrier", 0},
        {"monitored_barrier", 0}, {"_all_gather_base", 2},   {"_reduce_scatter_base", 3},   {"all_reduce_coalesced", 2},
        {"all_gather_coalesced", 2}};
    const std::string_view name = ShortName(semantic.CalleeName(call));
    int position = -1;
    for (const auto& [collective, index] : kGroupPositions) {
      if (collective == name) position = index;
    }
    if (position < 0) return TSNode{};
    int index = 0;
    for (TSNode argument : NamedChildren(Field(call, "arguments"))) {
      if (Is(argument, sym.comment) || Is(argument, sym.keyword_argument)) continue;
      const std::string_view kind = ts_node_type(argument);
      if (kind == "list_splat" || kind == "dictionary_splat") return TSNode{};
      if (index++ == position) return argument;
    }
    return TSNode{};
  }

  // True when the chain has collectives and each names a group other than
  // None (GroupValue) or is a project function that issues one.
  static bool AllOnExplicitGroups(const SemanticModel& semantic, const BranchAnalysis& branch) {
    bool any = false;
    for (const std::vector<TSNode>& arm : branch.collectives) {
      for (TSNode call : arm) {
        if (!IsCollective(semantic.CalleeName(call))) {
          // A project function: its group is not visible at the call. But
          // new_group needs every rank of the job, members or not.
          if (semantic.IssuedCollective(call) == "new_group") return false;
          any = true;
          continue;
        }
        const TSNode group = GroupValue(semantic, call);
        if (ts_node_is_null(group) || semantic.Text(group) == "None") return false;
        any = true;
      }
    }
    return any;
  }

  static std::vector<TSNode> CollectivesIn(const SemanticModel& semantic, TSNode arm) {
    return CollectiveCallsIn(semantic, arm);
  }

  // True when a mismatched rank-dependent if nested inside `outer` also
  // contains `call`: that inner branch reports it, so it is reported once.
  static bool ReportedByInnerBranch(const SemanticModel& semantic, TSNode call, TSNode outer) {
    const Symbols& sym = Symbols::Get();
    for (TSNode node = ts_node_parent(call); !ts_node_is_null(node) && !ts_node_eq(node, outer);
         node = ts_node_parent(node)) {
      if (Is(node, sym.if_statement) && Analyze(semantic, node).mismatched) return true;
    }
    return false;
  }

};

DISTLINT_REGISTER_RULE(CollectiveInRankBranch);

}  // namespace
}  // namespace distlint
