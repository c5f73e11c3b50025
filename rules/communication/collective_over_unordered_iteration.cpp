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
Finds a collective (or a call of a project function that issues one) inside
a `for` loop over a `set` or `frozenset`: a set literal, a set
comprehension, a `set(...)` or `frozenset(...)` call, or a local variable
assigned from one of these. Sets that evidently hold integers (a literal of
integers, `set(range(...))`) are left out: an integer is its own hash, so
such a set iterates in the same order on every rank that builds it the same
way.

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

## Known limitations
The rule does not know the element type of other sets, so a set of integers
built from a variable (`set(ranks)`) is reported although its order is the
same on every rank.
)md"};

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
    if (kind == "set") return !IntegerLiteralSet(context, node);
    if (kind == "set_comprehension") return true;
    if (!Is(node, context.symbols().call)) return false;
    TSNode function = Field(node, "function");
    const std::string_view name = context.Text(function);
    if (!Is(function, context.symbols().identifier) || (name != "set" && name != "frozenset")) return false;
    return !OverRange(context, node);
  }

  // True for a set literal whose elements are all integer literals, `{0, 1}`.
  static bool IntegerLiteralSet(const RuleContext& context, TSNode set) {
    for (TSNode element : NamedChildren(set)) {
      if (!Is(element, context.symbols().integer) && !Is(element, context.symbols().comment)) return false;
    }
    return true;
  }

  // True for `set(range(...))` and `frozenset(range(...))`.
  static bool OverRange(const RuleContext& context, TSNode call) {
    TSNode arguments = Field(call, "arguments");
    if (ts_node_named_child_count(arguments) != 1) return false;
    TSNode argument = ts_node_named_child(arguments, 0);
    if (!Is(argument, context.symbols().call)) return false;
    TSNode function = Field(argument, "function");
    return Is(function, context.symbols().identifier) && context.Text(function) == "range";
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
