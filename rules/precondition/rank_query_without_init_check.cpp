// PRE001 rank-query-without-init-check
#include <functional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/precondition/process_group_checks.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE001",
    "rank-query-without-init-check",
    Family::kMissingPrecondition,
    FixStrategy::kConditionalLogic,
    FixAvailability::kSometimes,
    "Rank or world size queried where the process group may not exist",
    R"md(## What it does
This rule is opt-in: select it with `--select PRE001` or in `select`.

Finds `get_rank()`, `get_world_size()` and `get_backend()` of
`torch.distributed` (or `deepspeed.comm`) called without an
`is_initialized()` check, in a file that checks `is_initialized()`
elsewhere. The other check shows that the file's code also runs without a
process group: in single-process runs, tests, evaluation or conversion
scripts.

A call counts as checked when an enclosing `if`, conditional expression or
boolean operator tests `is_initialized()`, or when an earlier statement of
its function asserts it or tests it in an `if` that returns or raises
(`if not dist.is_initialized(): return 0`). A function that tests it for
some other call does not check this one. Calls with arguments (a `group`)
and calls in a function that also issues a collective are not reported:
both can only run once a process group exists. Neither are calls in test
functions (`test*`) and test classes (`Test*`), whose fixtures create the
process group.

## Why is this bad?
Without an initialised default process group, these calls raise
`RuntimeError: Default process group has not been initialized` (or
`ValueError` in older torch). A logging helper such as `print_rank_0` then
crashes every single-GPU run and every unit test that imports it.

## Example
```python
def is_main_process():
    return dist.get_rank() == 0

def world_size():
    return dist.get_world_size() if dist.is_initialized() else 1
```

Use instead:
```python
def is_main_process():
    return not dist.is_initialized() or dist.get_rank() == 0
```

## Fix safety
For `get_rank()` and `get_world_size()` without arguments, called through a
module attribute (`dist.get_rank()`), the fix substitutes the single-process
value when there is no process group:
`(dist.get_rank() if dist.is_initialized() else 0)`, and `1` for the world
size. It changes what the code does without a process group, so it is
unsafe. A query with a group argument or a `get_backend()` gets no fix.
)md",
    /*enabled_by_default=*/false};


// Whether the file calls is_initialized(), computed once per file.
bool FileCallsIsInitialized(const RuleContext& context, TSNode node) {
  return CachedFileFact(context, node, CallsIsInitialized);
}

class RankQueryWithoutInitCheck final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    const bool rank = callee == "torch.distributed.get_rank";
    const bool world_size = callee == "torch.distributed.get_world_size";
    if (!rank && !world_size && callee != "torch.distributed.get_backend") return;
    // A query on an explicit group needs a group, which exists only once the
    // default process group does; so does a function that issues collectives.
    if (!fixers::Arguments(call).empty()) return;
    if (!FileCallsIsInitialized(context, call)) return;
    if (InTest(context, call)) return;
    if (IsChecked(context, call)) return;
    if (FunctionIssuesCollective(context, call)) return;

    Diagnostic& diagnostic = context.Report(
        call, "`" + std::string(context.Text(call)) +
                  "` raises when no process group is initialised, and this file checks `is_initialized()` "
                  "elsewhere, so it also runs without one; check `is_initialized()` here too");
    const Symbols& sym = context.symbols();
    TSNode function = Field(call, "function");
    if ((!rank && !world_size) || !fixers::Arguments(call).empty() || !Is(function, sym.attribute)) return;
    const std::string module(context.Text(Field(function, "object")));
    Fix fix;
    fix.title = "Use the single-process value when no process group is initialised";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(fixers::ReplaceNode(call, "(" + std::string(context.Text(call)) + " if " + module +
                                                      ".is_initialized() else " + (rank ? "0" : "1") + ")"));
    diagnostic.fix = std::move(fix);
  }

 private:
  // True inside a function named `test*` or a class named `Test*`, because
  // pytest fixtures usually create the process group before such code runs.
  static bool InTest(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(call); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition) && context.Text(Field(parent, "name")).starts_with("test")) return true;
      if (Is(parent, sym.class_definition) && context.Text(Field(parent, "name")).starts_with("Test")) return true;
    }
    return false;
  }

  static bool FunctionIssuesCollective(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode scope = context.semantic().EnclosingScope(call);
    if (!Is(scope, sym.function_definition)) return false;
    bool found = false;
    Walk(Field(scope, "body"), [&](TSNode node) {
      if (found || Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
      if (Is(node, sym.call) && IsCollective(context.semantic().CalleeName(node))) found = true;
      return !found;
    });
    return found;
  }

  // True when a statement of `body` before `call` makes sure a process group
  // exists: `assert dist.is_initialized()`, or an `if` that tests
  // is_initialized() and leaves the function (`if not dist.is_initialized():
  // return 0`).
  static bool GuardedEarlier(const RuleContext& context, TSNode body, TSNode call) {
    const Symbols& sym = context.symbols();
    for (TSNode statement : NamedChildren(body)) {
      if (StartByte(statement) >= StartByte(call)) break;
      const std::string_view kind = ts_node_type(statement);
      if (kind == "assert_statement" && CallsIsInitialized(context, statement)) return true;
      if (Is(statement, sym.if_statement) && CallsIsInitialized(context, Field(statement, "condition")) &&
          LeavesFunction(context, Field(statement, "consequence"))) {
        return true;
      }
    }
    return false;
  }

  // True when `block` contains a return or raise statement outside nested
  // functions.
  static bool LeavesFunction(const RuleContext& context, TSNode block) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(block, [&](TSNode node) {
      if (found || Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
      const std::string_view kind = ts_node_type(node);
      if (Is(node, sym.return_statement) || kind == "raise_statement") found = true;
      return !found;
    });
    return found;
  }

  static bool IsChecked(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode scope = context.semantic().EnclosingScope(call);
    if (Is(scope, sym.function_definition) && GuardedEarlier(context, Field(scope, "body"), call)) return true;
    for (TSNode parent = ts_node_parent(call); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      TSNode condition{};
      if (Is(parent, sym.if_statement) || Is(parent, sym.elif_clause) || Is(parent, sym.while_statement)) {
        condition = Field(parent, "condition");
      } else if (Is(parent, sym.conditional_expression) || Is(parent, sym.boolean_operator)) {
        condition = parent;
      }
      if (!ts_node_is_null(condition) && CallsIsInitialized(context, condition)) return true;
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(RankQueryWithoutInitCheck);

}  // namespace
}  // namespace distlint
