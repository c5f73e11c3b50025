// COM004 collective-over-unordered-iteration
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/communication/collective_calls.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM004",
    "collective-over-unordered-iteration",
    Family::kCommunication,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Collective issued while iterating a set, whose order can differ between ranks",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM004` or in `select`.

Finds a collective (or a call of a project function that issues one) inside
a `for` loop over a `set` or `frozenset`: a set literal, a set
comprehension, a `set(...)` or `frozenset(...)` call, or a local variable
assigned from one of these.

## Why is this bad?
The iteration order of a set of strings depends on the hash seed, which
differs between processes unless `PYTHONHASHSEED` is fixed. Each rank then
issues the collectives for the elements in its own order, so the tensors
paired in one collective belong to different elements: the job hangs on a
size mismatch or silently mixes up values.

## Example
```python
for name in set(buffers):
    dist.broadcast(buffers[name], src=0)
```

Use instead:
```python
for name in sorted(set(buffers)):
    dist.broadcast(buffers[name], src=0)
```

## Fix safety
No automatic fix: `sorted()` needs elements that compare.
)md",
    /*enabled_by_default=*/false};

class CollectiveOverUnorderedIteration final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"for_statement"}; }
  bool UsesProjectIndex() const override { return true; }

  void Check(RuleContext& context, TSNode loop) const override {
    const SemanticModel& semantic = context.semantic();
    const std::vector<TSNode> calls = CollectiveCallsIn(semantic, Field(loop, "body"));
    if (calls.empty()) return;
    TSNode set_value = SetExpression(context, Field(loop, "right"));
    if (ts_node_is_null(set_value)) return;

    Diagnostic& diagnostic = context.Report(
        calls.front(), DescribeCollectiveCall(semantic, calls.front()) +
                           " is issued once per element of a set, whose iteration order can differ between ranks; "
                           "iterate `sorted(...)` so every rank issues the collectives in the same order");
    context.AddRelated(diagnostic, set_value, "this set has no order that all ranks share");
  }

 private:
  static bool IsSetConstruction(const RuleContext& context, TSNode node) {
    if (ts_node_is_null(node)) return false;
    const std::string_view kind = ts_node_type(node);
    if (kind == "set" || kind == "set_comprehension") return true;
    if (!Is(node, context.symbols().call)) return false;
    TSNode function = Field(node, "function");
    const std::string_view name = context.Text(function);
    return Is(function, context.symbols().identifier) && (name == "set" || name == "frozenset");
  }

  // The set expression the loop iterates: the iterable itself, or the value
  // of the last plain assignment to it in the same scope before the loop.
  static TSNode SetExpression(const RuleContext& context, TSNode iterable) {
    if (IsSetConstruction(context, iterable)) return iterable;
    if (!Is(iterable, context.symbols().identifier)) return TSNode{};
    const std::string_view name = context.Text(iterable);
    TSNode scope = context.semantic().EnclosingScope(iterable);
    TSNode found{};
    bool reassigned_otherwise = false;
    Walk(scope, [&](TSNode node) {
      if (StartByte(node) >= StartByte(iterable)) return false;
      if (!ts_node_eq(node, scope) && (Is(node, context.symbols().function_definition) ||
                                       Is(node, context.symbols().class_definition))) {
        return false;
      }
      if (Is(node, context.symbols().assignment) || Is(node, context.symbols().augmented_assignment)) {
        TSNode left = Field(node, "left");
        if (Is(left, context.symbols().identifier) && context.Text(left) == name) {
          TSNode right = Field(node, "right");
          if (Is(node, context.symbols().assignment) && IsSetConstruction(context, right)) {
            found = right;
            reassigned_otherwise = false;
          } else {
            reassigned_otherwise = true;
          }
        }
      }
      return true;
    });
    return reassigned_otherwise ? TSNode{} : found;
  }
};

DISTLINT_REGISTER_RULE(CollectiveOverUnorderedIteration);

}  // namespace
}  // namespace distlint
