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
value on every rank afterwards and is not rank-dependent.

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
      for (size_t index = 0; index < branch.collectives[arm].size(); ++index) {
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

    std::vector<TSNode> arms;
    TSNode last_condition = Field(if_statement, "condition");
    std::vector<TSNode> conditions = {last_condition};
    note_condition(last_condition);
    arms.push_back(Field(if_statement, "consequence"));
    bool has_else = false;
    for (TSNode clause : NamedChildren(if_statement)) {
      if (Is(clause, sym.elif_clause)) {
        last_condition = Field(clause, "condition");
        conditions.push_back(last_condition);
        note_condition(last_condition);
        arms.push_back(Field(clause, "consequence"));
      } else if (Is(clause, sym.else_clause)) {
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
    if (!has_else) result.collectives.emplace_back();

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
    if (result.mismatched) MatchArms(semantic, result);
    return result;
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

  // True for `<rank> in <members>`, `not in` or `first <= <rank> < last`,
  // alone, parenthesized (comments allowed)
  // or as one operand of `and`, where the left side depends on the rank.
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
    bool is_in = false;
    for (uint32_t i = 0; i < ts_node_child_count(condition); ++i) {
      TSNode child = ts_node_child(condition, i);
      if (!ts_node_is_named(child)) is_in = semantic.Text(child) == "in" || semantic.Text(child) == "not in";
    }
    return is_in && semantic.IsRankDependent(ts_node_named_child(condition, 0));
  }

  // True when the chain has collectives and each passes `group=` other than
  // None or is a project function that issues one.
  static bool AllOnExplicitGroups(const SemanticModel& semantic, const BranchAnalysis& branch) {
    const std::string_view text = semantic.file().text();
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
        const TSNode group = fixers::KeywordArgument(call, "group", text);
        if (ts_node_is_null(group) || semantic.Text(Field(group, "value")) == "None") return false;
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
