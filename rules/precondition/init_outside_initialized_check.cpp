// PRE004 init-outside-initialized-check
#include <string>
#include <unordered_set>
#include <vector>

#include "analyzer/rule.h"
#include "rules/precondition/process_group_checks.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE004",
    "init-outside-initialized-check",
    Family::kMissingPrecondition,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "init_process_group outside the is_initialized() check of its own function",
    R"md(## What it does
Finds `torch.distributed.init_process_group(...)` in a function that calls
`is_initialized()` before it, when the initialisation is not governed by that check:
no enclosing `if`, `elif` or `else` branch tests it (directly or through a
variable assigned from it, such as `required = not dist.is_initialized()`),
and no earlier statement of the function returns or raises under it or
asserts on it (`assert not dist.is_initialized()`).

## Why is this bad?
The function expects to be called when a process group may already exist,
since it tests for one, and then initialises anyway. `init_process_group`
raises `RuntimeError: trying to initialize the default process group twice!`
for every caller that initialised the process group before, which is
exactly the case the check was written for. A mis-indented call after an
`if is_initialized(): ... else: ...` block is the usual cause.

## Example
```python
def initialize_distributed(args):
    if torch.distributed.is_initialized():
        args.rank = torch.distributed.get_rank()
    else:
        torch.cuda.set_device(args.local_rank)
    torch.distributed.init_process_group(backend="nccl", rank=args.rank, world_size=args.world_size)
```

Use instead:
```python
def initialize_distributed(args):
    if torch.distributed.is_initialized():
        args.rank = torch.distributed.get_rank()
    else:
        torch.cuda.set_device(args.local_rank)
        torch.distributed.init_process_group(backend="nccl", rank=args.rank, world_size=args.world_size)
```

## Fix safety
No automatic fix: the call may belong in the `else` branch, or behind a
new check, and the statements around it may need to move with it.
)md"};


class InitOutsideInitializedCheck final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return;
    TSNode function = context.semantic().EnclosingScope(call);
    if (!Is(function, sym.function_definition)) return;
    TSNode body = Field(function, "body");
    if (!ChecksBefore(context, body, call)) return;

    const std::unordered_set<std::string> flags = InitializedFlags(context, body);
    if (UnderCheck(context, call, body, flags) || GuardedEarlier(context, body, call, flags)) return;

    context.Report(call, "`" + std::string(context.Text(Field(call, "function"))) +
                             "` runs even when the `is_initialized()` check of this function found a process group, "
                             "and then raises; move it under that check");
  }

 private:
  // True when `body` calls is_initialized() before `call`. A check after the
  // initialisation (`assert dist.is_initialized()`) tests its result instead.
  static bool ChecksBefore(const RuleContext& context, TSNode body, TSNode call) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(body, [&](TSNode node) {
      if (found || StartByte(node) >= StartByte(call)) return false;
      if (Is(node, sym.call) && context.semantic().CalleeName(node) == kIsInitialized) found = true;
      return !found;
    });
    return found;
  }

  // Names assigned from an expression that calls is_initialized(), such as
  // `dist_init_required = not dist.is_initialized()`.
  static std::unordered_set<std::string> InitializedFlags(const RuleContext& context, TSNode body) {
    const Symbols& sym = context.symbols();
    std::unordered_set<std::string> flags;
    Walk(body, [&](TSNode node) {
      if (Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
      if (Is(node, sym.assignment) && Is(Field(node, "left"), sym.identifier) &&
          CallsIsInitialized(context, Field(node, "right"))) {
        flags.emplace(context.Text(Field(node, "left")));
      }
      return true;
    });
    return flags;
  }

  // True when `condition` calls is_initialized() or reads one of `flags`.
  static bool TestsInitialized(const RuleContext& context, TSNode condition,
                               const std::unordered_set<std::string>& flags) {
    if (ts_node_is_null(condition)) return false;
    if (CallsIsInitialized(context, condition)) return true;
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(condition, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.identifier) && flags.count(std::string(context.Text(node)))) found = true;
      return !found;
    });
    return found;
  }

  // True when an `if` statement or `elif` clause around `call` (in any of its
  // branches) or a conditional expression tests is_initialized().
  static bool UnderCheck(const RuleContext& context, TSNode call, TSNode body,
                         const std::unordered_set<std::string>& flags) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(call); !ts_node_is_null(parent) && !ts_node_eq(parent, body);
         parent = ts_node_parent(parent)) {
      if ((Is(parent, sym.if_statement) || Is(parent, sym.elif_clause) || Is(parent, sym.while_statement)) &&
          TestsInitialized(context, Field(parent, "condition"), flags)) {
        return true;
      }
      if ((Is(parent, sym.conditional_expression) || Is(parent, sym.boolean_operator)) &&
          TestsInitialized(context, parent, flags)) {
        return true;
      }
    }
    return false;
  }

  // True when a statement of `body` before `call` returns or raises under a
  // test of is_initialized() (`if dist.is_initialized(): return`), or is an
  // `assert` that tests it (`assert not dist.is_initialized()`).
  static bool GuardedEarlier(const RuleContext& context, TSNode body, TSNode call,
                             const std::unordered_set<std::string>& flags) {
    const Symbols& sym = context.symbols();
    for (TSNode statement : NamedChildren(body)) {
      if (StartByte(statement) >= StartByte(call)) break;
      if (std::string_view(ts_node_type(statement)) == "assert_statement" &&
          TestsInitialized(context, ts_node_named_child(statement, 0), flags)) {
        return true;
      }
      if (!Is(statement, sym.if_statement) || !TestsInitialized(context, Field(statement, "condition"), flags)) {
        continue;
      }
      bool leaves = false;
      Walk(Field(statement, "consequence"), [&](TSNode node) {
        if (leaves || Is(node, sym.function_definition) || Is(node, sym.class_definition)) return false;
        if (Is(node, sym.return_statement) || std::string_view(ts_node_type(node)) == "raise_statement") {
          leaves = true;
        }
        return !leaves;
      });
      if (leaves) return true;
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(InitOutsideInitializedCheck);

}  // namespace
}  // namespace distlint
