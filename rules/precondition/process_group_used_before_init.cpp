// PRE002 process-group-used-before-init
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "rules/precondition/process_group_checks.h"
#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE002",
    "process-group-used-before-init",
    Family::kMissingPrecondition,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Process group used earlier in the function that initialises it",
    R"md(## What it does
Finds, in a function that calls `torch.distributed.init_process_group`,
`deepspeed.init_distributed` or `deepspeed.comm.init_distributed`, an
earlier call that needs the default process group:
- a `torch.distributed` (or `deepspeed.comm`) rank query, `barrier`,
  `new_group` or collective;
- a call of a function defined at the top level of the same file, or of a
  class defined there (its `__init__`), whose body makes such a call;
- a call of a project function that issues a collective.

Calls under an `is_initialized()` test, functions that call
`is_initialized()` themselves, and test functions (named `test*`, whose
fixtures usually initialise the process group) are not reported. Nor is a
call in one arm of an `if` or `match` statement whose other arm
initialises, since only one arm runs.

## Why is this bad?
Until the process group exists, these calls raise `RuntimeError: Default
process group has not been initialized` (or `ValueError` in older torch). The
order often looks harmless: a configuration object that reads the world size
in its constructor, built a few lines before the initialisation. The code
works when the caller initialised the process group beforehand, as most
launch scripts do, and fails for callers that leave it to this function.

## Example
```python
def initialize(config_dict, model):
    config = TrainingConfig(config_dict)  # reads dist.get_world_size()
    if not dist.is_initialized():
        dist.init_process_group("nccl")
```

Use instead:
```python
def initialize(config_dict, model):
    if not dist.is_initialized():
        dist.init_process_group("nccl")
    config = TrainingConfig(config_dict)
```

## Fix safety
No automatic fix: moving the initialisation up can change what runs before
it.
)md"};

bool IsInitCall(std::string_view callee) {
  return callee == "torch.distributed.init_process_group" || callee == "torch.distributed.init_distributed" ||
         callee == "deepspeed.init_distributed";
}

// True for torch.distributed calls that raise without a default process
// group (rank queries, barriers, group creation, collectives).
bool NeedsProcessGroup(std::string_view callee) {
  if (IsCollective(callee)) return true;
  return callee == "torch.distributed.get_rank" || callee == "torch.distributed.get_world_size" ||
         callee == "torch.distributed.get_backend" || callee == "torch.distributed.barrier" ||
         callee == "torch.distributed.new_group" || callee == "torch.distributed.monitored_barrier";
}

// True when an `if`, conditional expression or boolean operator between
// `node` and `stop` tests is_initialized().
bool GuardedByInitCheck(const RuleContext& context, TSNode node, TSNode stop) {
  const Symbols& sym = context.symbols();
  for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent) && !ts_node_eq(parent, stop);
       parent = ts_node_parent(parent)) {
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

// Calls `visit` on every call in `body`, outside nested functions, classes
// and lambdas.
template <typename Visit>
void ForEachCall(const RuleContext& context, TSNode body, Visit&& visit) {
  const Symbols& sym = context.symbols();
  Walk(body, [&](TSNode node) {
    if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) return false;
    if (Is(node, sym.call)) visit(node);
    return true;
  });
}

// The first call in the body of `definition` that needs the process group,
// or a null node. A function that tests is_initialized() counts as guarded.
TSNode FirstProcessGroupUse(const RuleContext& context, TSNode definition) {
  TSNode body = Field(definition, "body");
  if (CallsIsInitialized(context, body)) return TSNode{};
  TSNode found{};
  ForEachCall(context, body, [&](TSNode call) {
    if (ts_node_is_null(found) && NeedsProcessGroup(context.semantic().CalleeName(call))) found = call;
  });
  return found;
}

// The `__init__` of a class defined at the top level of the file under the
// name that `call` calls, or a null node.
TSNode ConstructorOfModuleClass(const RuleContext& context, TSNode call) {
  const Symbols& sym = context.symbols();
  TSNode function = Field(call, "function");
  if (!Is(function, sym.identifier) || !context.semantic().QualifiedName(function).empty()) return TSNode{};
  // The semantic model indexes the top-level classes by name, so this lookup does not scan the file.
  for (TSNode definition : context.semantic().ModuleClasses(context.Text(function))) {
    for (TSNode member : NamedChildren(Field(definition, "body"))) {
      if (Is(member, sym.function_definition) && context.Text(Field(member, "name")) == "__init__") return member;
    }
  }
  return TSNode{};
}

bool Contains(TSNode outer, TSNode inner) {
  return StartByte(outer) <= StartByte(inner) && EndByte(inner) <= EndByte(outer);
}

// True when `call` and `init` sit in different arms of one `if` statement
// (its `if`, `elif` and `else` arms) or of one `match` statement, below
// `stop`, so that at most one of them runs.
bool InExclusiveArms(const RuleContext& context, TSNode call, TSNode init, TSNode stop) {
  const Symbols& sym = context.symbols();
  for (TSNode node = call; !ts_node_is_null(node) && !ts_node_eq(node, stop); node = ts_node_parent(node)) {
    TSNode parent = ts_node_parent(node);
    TSNode statement{};
    if (Is(parent, sym.if_statement) &&
        (ts_node_eq(node, Field(parent, "consequence")) || Is(node, sym.elif_clause) || Is(node, sym.else_clause))) {
      statement = parent;
    } else if (std::string_view(ts_node_type(node)) == "case_clause") {
      statement = parent;
      while (!ts_node_is_null(statement) && std::string_view(ts_node_type(statement)) != "match_statement") {
        statement = ts_node_parent(statement);
      }
    }
    if (!ts_node_is_null(statement) && Contains(statement, init) && !Contains(node, init)) return true;
  }
  return false;
}

class ProcessGroupUsedBeforeInit final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }
  bool UsesProjectIndex() const override { return true; }

  void Check(RuleContext& context, TSNode init) const override {
    const Symbols& sym = context.symbols();
    if (!IsInitCall(context.semantic().CalleeName(init))) return;
    TSNode function = context.semantic().EnclosingScope(init);
    if (!Is(function, sym.function_definition)) return;
    // A test function runs after its fixtures, which usually initialise the
    // process group; its own init is a fallback for running it alone.
    if (context.Text(Field(function, "name")).starts_with("test")) return;

    TSNode body = Field(function, "body");
    ForEachCall(context, body, [&](TSNode call) {
      if (StartByte(call) >= StartByte(init)) return;
      if (GuardedByInitCheck(context, call, body)) return;
      if (InExclusiveArms(context, call, init, body)) return;
      const std::string reason = ProcessGroupUse(context, call);
      if (reason.empty()) return;
      Diagnostic& diagnostic = context.Report(
          call, reason + " before `" + std::string(context.Text(Field(init, "function"))) +
                    "` below initialises the process group, so it raises when the caller has not initialised it; "
                    "initialise first");
      context.AddRelated(diagnostic, init, "the process group is initialised here");
    });
  }

 private:
  // Returns the start of a message that explains why `call` needs the
  // process group, or empty when it does not.
  static std::string ProcessGroupUse(const RuleContext& context, TSNode call) {
    const std::string callee = context.semantic().CalleeName(call);
    if (NeedsProcessGroup(callee)) return "`" + std::string(ShortName(callee)) + "` runs";

    TSNode definition = CalledModuleFunction(context, call);
    if (ts_node_is_null(definition)) definition = ConstructorOfModuleClass(context, call);
    if (!ts_node_is_null(definition)) {
      TSNode use = FirstProcessGroupUse(context, definition);
      if (!ts_node_is_null(use)) {
        return "`" + std::string(context.Text(Field(call, "function"))) + "` calls `" +
               std::string(ShortName(context.semantic().CalleeName(use))) + "`";
      }
    }
    const std::string collective = context.semantic().IssuedCollective(call);
    if (!collective.empty()) {
      return "`" + std::string(context.Text(Field(call, "function"))) + "` issues `" + collective + "`";
    }
    return {};
  }
};

DISTLINT_REGISTER_RULE(ProcessGroupUsedBeforeInit);

}  // namespace
}  // namespace distlint
