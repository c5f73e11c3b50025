// API004 attribute-statement-without-call
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "API004",
    "attribute-statement-without-call",
    Family::kApiMisuse,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Statement that names a method or attribute without calling it",
    R"md(## What it does
This rule is opt-in: select it with `--select API004` or in `select`. On
Colossal-AI it reports dead statements such as `hidden_states.dtype` more
often than forgotten calls.

Finds a statement that consists of an attribute reference alone, such as
`self.inference_engine.release_memory_occupation` or `torch.cuda.empty_cache`,
in a file that imports torch. A statement inside the body of a `try` block
is not reported: `try: torch.cuda.amp` tests whether the attribute exists.

## Why is this bad?
The statement looks the attribute up and drops it. When it names a method,
the call that the author meant never happens: memory that should be
released stays allocated until the next step runs out of it, or a cache
that should be cleared keeps stale values. Nothing fails at the line
itself.

## Example
```python
def __exit__(self, exc_type, exc_value, traceback):
    self.inference_engine.release_memory_occupation
```

Use instead:
```python
def __exit__(self, exc_type, exc_value, traceback):
    self.inference_engine.release_memory_occupation()
```

## Fix safety
There is no automatic fix: the method may need arguments, and a property
read for its side effect (rare, and better written as a call) would break.
)md",
    /*enabled_by_default=*/false};

class AttributeStatementWithoutCall final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"expression_statement"}; }

  void Check(RuleContext& context, TSNode statement) const override {
    const Symbols& sym = context.symbols();
    if (!context.semantic().ImportsUnder("torch")) return;
    if (ts_node_named_child_count(statement) != 1) return;
    TSNode expression = ts_node_named_child(statement, 0);
    if (!Is(expression, sym.attribute)) return;
    if (InsideTryBody(context, statement)) return;

    const std::string text(context.Text(expression));
    context.Report(expression, "the statement `" + text + "` has no effect; if `" + text +
                                   "` is a method, call it: `" + text + "()`");
  }

 private:
  // True when `statement` sits in the body of a `try` block (not in its
  // `except`, `else` or `finally` clauses), at any depth.
  static bool InsideTryBody(const RuleContext& context, TSNode statement) {
    const Symbols& sym = context.symbols();
    TSNode child = statement;
    for (TSNode parent = ts_node_parent(child); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (Is(parent, sym.try_statement) && ts_node_eq(Field(parent, "body"), child)) return true;
      if (Is(parent, sym.function_definition) || Is(parent, sym.class_definition)) return false;
      child = parent;
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(AttributeStatementWithoutCall);

}  // namespace
}  // namespace distlint
