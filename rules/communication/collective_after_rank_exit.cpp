// COM002 collective-after-rank-dependent-exit
#include <string>
#include <vector>

#include "analyzer/cfg.h"
#include "analyzer/rule.h"
#include "rules/communication/collective_calls.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM002",
    "collective-after-rank-dependent-exit",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Collective that ranks leaving early through a rank-dependent return, raise, break or continue skip",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM002` or in `select`.

Finds a collective (or a call of a project function that issues one) that
does not run on every path through a function because an earlier `if` with a
rank-dependent condition returns, calls `sys.exit()`, leaves a loop with
`break` or `continue`, or raises into an `except` of the same function on
some ranks. A failed `assert` and a `raise` that no enclosing `try` of the
function handles do not count: the exception stops the rank with an error,
and `torchrun` then ends the whole job, so the other ranks do not wait for
it. The same holds for an exception inside a `try` that has only a
`finally`. The rule builds the function's
control-flow graph and reports the collective when it depends on the branch:
it runs on some paths out of the branch point but does not post-dominate it.

A collective inside the arms of the rank-dependent `if` itself is left to
COM001; this rule reports the collectives after it.

## Why is this bad?
The ranks that leave early never reach the collective, so the ranks that do
reach it wait for them until the NCCL or gloo timeout kills the job.

## Example
```python
import torch.distributed as dist

def save(model, rank):
    if rank != 0:
        return
    model.save("model.pt")
    dist.barrier()
```

Use instead:
```python
import torch.distributed as dist

def save(model, rank):
    if rank == 0:
        model.save("model.pt")
    dist.barrier()
```

## Fix safety
No automatic fix: moving the exit changes what the other ranks run.

## Known limits
A raise that a caller catches lets the rank go on without the collective;
the rule does not follow exceptions across functions, so it misses that
case. The rule does not report a collective when the exiting branch issues the
same collective itself before it leaves (the ranks then meet in different
calls, which is correct when each path issues it once).
)md",
    /*enabled_by_default=*/false};

class CollectiveAfterRankExit final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"function_definition", "module"}; }
  bool UsesProjectIndex() const override { return true; }

  void Check(RuleContext& context, TSNode scope) const override {
    const SemanticModel& semantic = context.semantic();
    TSNode body = Is(scope, context.symbols().function_definition) ? Field(scope, "body") : scope;
    const std::vector<TSNode> calls = CollectiveCallsIn(semantic, body);
    if (calls.empty()) return;
    // The graph is built only for functions with a collective and an exit
    // statement, which keeps the cost low on the many that have neither.
    if (!HasEarlyExit(body, context.text())) return;

    // A failed assert or an exception that leaves the function stops the
    // rank with an error and the launcher ends the job, so neither is an
    // early exit in a rank-dependent branch.
    // NOTE: an exception that a caller catches is missed.
    const ControlFlowGraph graph = ControlFlowGraph::Build(
        scope, context.text(), &semantic, CfgOptions{.assert_exits = false, .uncaught_raise_exits = false});
    for (TSNode call : calls) {
      const int block = graph.BlockOf(call);
      if (block == ControlFlowGraph::kNone || !graph.Reachable(block)) continue;
      for (int parent : graph.ControlDependencies(block)) {
        const CfgBlock& branch = graph.blocks()[parent];
        if (!IsIfCondition(branch)) continue;
        TSNode if_statement = branch.branch_owner;
        while (!Is(if_statement, context.symbols().if_statement)) if_statement = ts_node_parent(if_statement);
        if (StartByte(call) >= StartByte(if_statement) && EndByte(call) <= EndByte(if_statement)) continue;
        // The branch must hold the exit itself. A collective can also depend
        // on an `if` inside a `try` through the edges from every statement
        // of the body to its handlers, which the condition does not decide.
        if (!HasEarlyExit(if_statement, context.text())) continue;
        TSNode source = semantic.RankSource(branch.branch);
        if (ts_node_is_null(source) || IsPipelineStageTest(semantic, source)) continue;
        if (MayBeUniformWithinGroup(semantic, source, call)) continue;
        const std::string collective = semantic.IssuedCollective(call);
        if (IssuesSame(semantic, if_statement, collective)) continue;

        Diagnostic& diagnostic = context.Report(
            call, DescribeCollectiveCall(semantic, call) + " is skipped by the ranks that leave early at `if " +
                      Abbreviate(context.Text(branch.branch)) +
                      "`; the ranks that reach it wait for them and the collective hangs");
        context.AddRelated(diagnostic, branch.branch, "this rank-dependent condition lets some ranks leave early");
        if (StartByte(source) != StartByte(branch.branch)) {
          context.AddRelated(diagnostic, source, "the rank is read here");
        }
        break;
      }
    }
  }

 private:
  static bool IsIfCondition(const CfgBlock& block) {
    if (ts_node_is_null(block.branch)) return false;
    const Symbols& sym = Symbols::Get();
    return Is(block.branch_owner, sym.if_statement) || Is(block.branch_owner, sym.elif_clause);
  }

  // True when `body` contains a return, raise, break, continue or a process
  // exit call outside nested definitions.
  static bool HasEarlyExit(TSNode body, std::string_view text) {
    const Symbols& sym = Symbols::Get();
    bool found = false;
    Walk(body, [&](TSNode node) {
      if (found) return false;
      if (!ts_node_eq(node, body) &&
          (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda))) {
        return false;
      }
      const std::string_view kind = ts_node_type(node);
      if (kind == "return_statement" || kind == "raise_statement" || kind == "break_statement" ||
          kind == "continue_statement") {
        found = true;
      } else if (Is(node, sym.call)) {
        const std::string_view name = ShortName(NodeText(Field(node, "function"), text));
        found = name == "exit" || name == "quit" || name == "_exit";
      }
      return !found;
    });
    return found;
  }

  static bool IssuesSame(const SemanticModel& semantic, TSNode if_statement, const std::string& collective) {
    for (TSNode call : CollectiveCallsIn(semantic, if_statement)) {
      if (semantic.IssuedCollective(call) == collective) return true;
    }
    return false;
  }

};

DISTLINT_REGISTER_RULE(CollectiveAfterRankExit);

}  // namespace
}  // namespace distlint
