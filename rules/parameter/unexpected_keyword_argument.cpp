// PAR003 unexpected-keyword-argument
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR003",
    "unexpected-keyword-argument",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Call passes a keyword argument, or more positional arguments, than the function takes",
    R"md(## What it does
Finds calls that pass a keyword argument the called function has no
parameter for, or more positional arguments than it takes, for:
- the `torch.distributed` functions listed in
  `rules/data/torch_distributed_signatures.json` (collectives, `barrier`,
  `init_process_group`, `new_group` and the rank queries), called through
  `torch.distributed` or an alias of it;
- functions defined with `def` at the top level of the same file, when the
  definition has no `**kwargs` (or no `*args`, for the positional count).

A keyword that a later torch release added (`device_id` of
`init_process_group` in 2.3) is accepted; the version rules judge those
against the supported torch range. Calls through `deepspeed.comm` are not
checked, because its wrappers take extra parameters such as `log_name`.

## Why is this bad?
The call raises `TypeError` when it runs. In distributed code it often runs
only on some paths: a shutdown handler, an error path or a rank that takes
another branch. A `try` around it can hide the error, so the ranks never
synchronise. Local wrappers of collectives are a common source, because
they copy torch's signature without every parameter that callers pass on.

## Example
```python
import torch.distributed as dist

dist.barrier(timeout=timedelta(seconds=5))

def barrier(group=None):
    return dist.barrier(group=group)

barrier(device_ids=[local_rank])
```

Use instead:
```python
import torch.distributed as dist

dist.monitored_barrier(timeout=timedelta(seconds=5))

def barrier(group=None, async_op=False, device_ids=None):
    return dist.barrier(group=group, async_op=async_op, device_ids=device_ids)

barrier(device_ids=[local_rank])
```

## Fix safety
No automatic fix: either the call or the called function is wrong, and
which one depends on the intent.
)md"};

class UnexpectedKeywordArgument final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    if (!Is(Field(call, "arguments"), sym.argument_list)) return;
    const std::vector<TSNode> arguments = fixers::Arguments(call);
    if (arguments.empty()) return;

    std::string callee = TorchDistributedCallee(context, call);
    const Signature* signature = callee.empty() ? nullptr : TorchDistributedSignature(callee);
    Signature local;
    if (!signature) {
      TSNode definition = CalledModuleFunction(context, call);
      if (ts_node_is_null(definition)) return;
      local = DefinitionSignature(context, definition);
      signature = &local;
      callee = context.Text(Field(definition, "name"));
    }

    size_t positional = 0;
    bool splat = false;
    for (TSNode argument : arguments) {
      if (Is(argument, sym.list_splat) || Is(argument, sym.dictionary_splat)) {
        splat = true;
      } else if (Is(argument, sym.keyword_argument)) {
        const std::string_view keyword = context.Text(Field(argument, "name"));
        if (!signature->Accepts(keyword)) {
          context.Report(argument, "`" + callee + "` takes no keyword argument `" + std::string(keyword) +
                                       "`, so this call raises TypeError");
        }
      } else if (!Is(argument, sym.comment)) {
        ++positional;
      }
    }
    if (!splat && !signature->has_varargs && positional > signature->max_positional) {
      context.Report(call, "`" + callee + "` takes at most " + std::to_string(signature->max_positional) +
                               " positional arguments but this call passes " + std::to_string(positional) +
                               ", so it raises TypeError");
    }
  }
};

DISTLINT_REGISTER_RULE(UnexpectedKeywordArgument);

}  // namespace
}  // namespace distlint
