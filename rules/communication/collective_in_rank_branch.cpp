// COM001 collective-in-rank-branch
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM001",
    "collective-in-rank-branch",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Collective called in a rank-dependent branch that other ranks skip",
    R"md(## What it does
Finds a collective operation (`all_reduce`, `all_gather`, `broadcast`,
`barrier`, `new_group`, the object variants and the others of
`torch.distributed` and `deepspeed.comm`) called inside an `if` whose
condition depends on the rank, when the other branch does not issue the same
collectives in the same order.

A condition depends on the rank when it reads `get_rank()` (or
`get_local_rank()`, `get_global_rank()`), the `RANK`, `LOCAL_RANK` or
`SLURM_PROCID` environment variables, a `rank` or `local_rank` parameter or
attribute, or a variable assigned from one of these.

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
No automatic fix: whether the collective belongs before, after or in both
branches depends on what the branch computes.
)md"};

class CollectiveInRankBranch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"if_statement"}; }

  void Check(RuleContext& context, TSNode if_statement) const override {
    const SemanticModel& semantic = context.semantic();
    const BranchAnalysis branch = Analyze(semantic, if_statement);
    if (!branch.mismatched) return;

    const std::string condition_text = Abbreviate(context.Text(branch.rank_condition));
    for (const std::vector<TSNode>& arm : branch.collectives) {
      for (TSNode call : arm) {
        if (ReportedByInnerBranch(semantic, call, if_statement)) continue;
        const std::string name(ShortName(semantic.CalleeName(call)));
        Diagnostic& diagnostic = context.Report(
            call, "`" + name + "` is called only on the ranks that take this branch of `if " + condition_text +
                      "`; ranks on the other path never enter it and the collective hangs");
        context.AddRelated(diagnostic, branch.rank_condition, "this condition depends on the rank");
        if (StartByte(branch.rank_source) != StartByte(branch.rank_condition)) {
          context.AddRelated(diagnostic, branch.rank_source, "the rank is read here");
        }
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
    bool mismatched = false;
  };

  static BranchAnalysis Analyze(const SemanticModel& semantic, TSNode if_statement) {
    const Symbols& sym = Symbols::Get();
    BranchAnalysis result;
    auto note_condition = [&](TSNode condition) {
      if (!ts_node_is_null(result.rank_source)) return;
      TSNode source = semantic.RankSource(condition);
      if (!ts_node_is_null(source)) result.rank_condition = condition, result.rank_source = source;
    };

    std::vector<TSNode> arms;
    note_condition(Field(if_statement, "condition"));
    arms.push_back(Field(if_statement, "consequence"));
    bool has_else = false;
    for (TSNode clause : NamedChildren(if_statement)) {
      if (Is(clause, sym.elif_clause)) {
        note_condition(Field(clause, "condition"));
        arms.push_back(Field(clause, "consequence"));
      } else if (Is(clause, sym.else_clause)) {
        arms.push_back(Field(clause, "body"));
        has_else = true;
      }
    }
    if (ts_node_is_null(result.rank_source)) return result;

    for (TSNode arm : arms) result.collectives.push_back(CollectivesIn(semantic, arm));
    if (!has_else) result.collectives.emplace_back();

    // The arms agree when each issues the same collectives in the same order.
    auto same_sequence = [&](const std::vector<TSNode>& a, const std::vector<TSNode>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (semantic.CalleeName(a[i]) != semantic.CalleeName(b[i])) return false;
      }
      return true;
    };
    for (size_t i = 1; i < result.collectives.size(); ++i) {
      if (!same_sequence(result.collectives[0], result.collectives[i])) result.mismatched = true;
    }
    return result;
  }

  // Collective calls in `arm`, in source order, not looking into nested
  // function, class or lambda definitions (they run later, if at all).
  static std::vector<TSNode> CollectivesIn(const SemanticModel& semantic, TSNode arm) {
    const Symbols& sym = Symbols::Get();
    std::vector<TSNode> calls;
    Walk(arm, [&](TSNode node) {
      if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) return false;
      if (Is(node, sym.call) && IsCollective(semantic.CalleeName(node))) calls.push_back(node);
      return true;
    });
    return calls;
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

  static std::string Abbreviate(std::string_view text) {
    std::string result;
    for (char c : text) {
      if (c == '\n' || c == '\r') c = ' ';
      if (c == ' ' && !result.empty() && result.back() == ' ') continue;
      result.push_back(c);
    }
    if (result.size() > 60) result = result.substr(0, 57) + "...";
    return result;
  }
};

DISTLINT_REGISTER_RULE(CollectiveInRankBranch);

}  // namespace
}  // namespace distlint
