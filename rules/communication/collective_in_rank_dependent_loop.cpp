// COM003 collective-in-rank-dependent-loop
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/communication/collective_calls.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM003",
    "collective-in-rank-dependent-loop",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Collective inside a loop whose trip count depends on the rank",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM003` or in `select`.

Finds a collective (or a call of a project function that issues one) inside
a `for` loop whose iterable, or a `while` loop whose condition, depends on
the rank (see COM001 for what counts as rank-dependent).

## Why is this bad?
Ranks that run the loop a different number of times issue a different number
of collectives. The ranks with more iterations wait in a collective that the
others never enter, and the job hangs until the NCCL or gloo timeout.

## Example
```python
import torch.distributed as dist

for step in range(dist.get_rank() + 1):
    dist.all_reduce(tensor)
```

Use instead:
```python
import torch.distributed as dist

steps = torch.tensor(dist.get_rank() + 1)
dist.all_reduce(steps, op=dist.ReduceOp.MAX)
for step in range(int(steps)):
    dist.all_reduce(tensor)
```

## Fix safety
No automatic fix: the loop needs a trip count that all ranks agree on.
)md",
    /*enabled_by_default=*/false};

class CollectiveInRankDependentLoop final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"for_statement", "while_statement"}; }
  bool UsesProjectIndex() const override { return true; }

  void Check(RuleContext& context, TSNode loop) const override {
    const SemanticModel& semantic = context.semantic();
    const bool is_while = Is(loop, context.symbols().while_statement);
    TSNode decider = is_while ? Field(loop, "condition") : Field(loop, "right");
    const std::vector<TSNode> calls = CollectiveCallsIn(semantic, Field(loop, "body"));
    if (calls.empty()) return;
    TSNode source = semantic.RankSource(decider);
    if (ts_node_is_null(source)) return;
    if (MayBeUniformWithinGroup(semantic, source, calls.front())) return;

    Diagnostic& diagnostic = context.Report(
        calls.front(), DescribeCollectiveCall(semantic, calls.front()) +
                           " runs once per iteration of a loop whose trip count depends on the rank; ranks that "
                           "iterate a different number of times issue a different number of collectives and hang");
    context.AddRelated(diagnostic, decider,
                       is_while ? "this loop condition depends on the rank" : "this iterable depends on the rank");
    if (StartByte(source) != StartByte(decider)) context.AddRelated(diagnostic, source, "the rank is read here");
  }
};

DISTLINT_REGISTER_RULE(CollectiveInRankDependentLoop);

}  // namespace
}  // namespace distlint
