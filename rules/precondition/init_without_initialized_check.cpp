// PRE003 init-without-initialized-check
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/precondition/process_group_checks.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PRE003",
    "init-without-initialized-check",
    Family::kMissingPrecondition,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Library code initialises the process group without checking whether it exists",
    R"md(## What it does
This rule is opt-in: select it with `--select PRE003` or in `select`.

Finds `torch.distributed.init_process_group(...)` in a method of a class,
where neither an enclosing condition nor the rest of the method calls
`is_initialized()`. Functions outside classes are not reported: they are
mostly the entry points of training scripts, which own the process.
Test methods (named `test*`) are not reported either.

## Why is this bad?
`init_process_group` raises `RuntimeError: trying to initialize the default
process group twice!` when a process group exists. A backend, engine or
trainer class is library code that other frameworks (Accelerate, Lightning,
a user's own launcher) call after they initialised the process group
themselves, so an unconditional initialisation crashes every such
integration at start-up.

The rule is opt-in because some classes exist to initialise the process
group from explicit settings (a parallel context's `init_global_dist`), and
calling them twice is the caller's error.

## Example
```python
class TorchBackend:
    def init_process_group(self, backend, timeout, init_method):
        return torch.distributed.init_process_group(backend, timeout=timeout, init_method=init_method)
```

Use instead:
```python
class TorchBackend:
    def init_process_group(self, backend, timeout, init_method):
        if not torch.distributed.is_initialized():
            torch.distributed.init_process_group(backend, timeout=timeout, init_method=init_method)
```

## Fix safety
No automatic fix: when the process group exists, the method may also need
to check that its backend and world size are the ones it expects.
)md",
    /*enabled_by_default=*/false};


class InitWithoutInitializedCheck final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return;
    TSNode function = context.semantic().EnclosingScope(call);
    if (!Is(function, sym.function_definition)) return;
    if (!IsMethod(context, function)) return;
    // Ex) a test that initialises on purpose to check what happens next.
    if (context.Text(Field(function, "name")).starts_with("test")) return;
    if (CallsIsInitialized(context, function)) return;

    context.Report(call, "`" + std::string(context.Text(Field(call, "function"))) +
                             "` raises when the caller already initialised the process group; check "
                             "`is_initialized()` first");
  }

 private:
  // True when `function` is defined directly in a class body.
  static bool IsMethod(const RuleContext& context, TSNode function) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(function);
    if (Is(parent, sym.decorated_definition)) parent = ts_node_parent(parent);
    return Is(parent, sym.block) && Is(ts_node_parent(parent), sym.class_definition);
  }
};

DISTLINT_REGISTER_RULE(InitWithoutInitializedCheck);

}  // namespace
}  // namespace distlint
