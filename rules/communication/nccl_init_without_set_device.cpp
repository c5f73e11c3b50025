// COM009 nccl-init-without-set-device
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM009",
    "nccl-init-without-set-device",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "NCCL process group initialised without selecting the CUDA device first",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM009` or in `select`.

Finds `init_process_group` with the `"nccl"` backend (as the first argument
or `backend="nccl"`, without `device_id=`) when:

- the file never selects a device: it calls no `set_device` (of
  `torch.cuda` or an accelerator object) and does not mention
  `CUDA_VISIBLE_DEVICES`, and the call is not a fallback under
  `if not dist.is_initialized()` (a test harness that initialises the job
  usually selects the device too); or
- the function selects the device only after the initialisation, and a
  collective runs in between.

Whether the ordinal passed to `set_device` is the local rank is ALC003's
check (global-rank-as-device), not this rule's.

## Why is this bad?
Without `set_device`, every process of a node uses CUDA device 0: the NCCL
communicator fails with `Duplicate GPU detected`, or all ranks of the node
allocate on one GPU and run out of memory. A collective that runs before
`set_device` uses the device that is current then: a tensor moved with
`.cuda()` lands on device 0 on every process, and the communicator fails
in the same way even when the device is selected right after it.

## Example
```python
import torch.distributed as dist

dist.init_process_group("nccl")
dist.barrier()
torch.cuda.set_device(local_rank)
```

Use instead:
```python
import torch
import torch.distributed as dist

torch.cuda.set_device(local_rank)
dist.init_process_group("nccl")
dist.barrier()
```

## Fix safety
No automatic fix: the local rank's source (an argument, `LOCAL_RANK`, a
launcher helper) differs between programs.
)md",
    /*enabled_by_default=*/false};

// True when `call` calls a `set_device` function or method.
bool IsSetDevice(const RuleContext& context, TSNode call) {
  const std::string callee = context.semantic().CalleeName(call);
  if (callee == "torch.cuda.set_device") return true;
  TSNode function = Field(call, "function");
  return Is(function, context.symbols().attribute) && context.Text(Field(function, "attribute")) == "set_device";
}

bool IsNcclInit(const RuleContext& context, TSNode call) {
  if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return false;
  if (!ts_node_is_null(fixers::KeywordArgument(call, "device_id", context.text()))) return false;
  TSNode backend = fixers::KeywordArgument(call, "backend", context.text());
  backend = ts_node_is_null(backend) ? fixers::PositionalArgument(call, 0) : Field(backend, "value");
  return !ts_node_is_null(backend) && StringLiteralValue(backend, context.text()) == "nccl";
}

// True when `init` runs inside `if not ...is_initialized():`.
bool IsFallbackInitialisation(const RuleContext& context, TSNode init) {
  const Symbols& sym = context.symbols();
  for (TSNode node = ts_node_parent(init); !ts_node_is_null(node); node = ts_node_parent(node)) {
    if (Is(node, sym.function_definition)) return false;
    if (!Is(node, sym.if_statement)) continue;
    TSNode condition = Field(node, "condition");
    if (Is(condition, sym.not_operator) && context.Text(condition).find("is_initialized") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

class NcclInitWithoutSetDevice final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode init) const override {
    const Symbols& sym = context.symbols();
    if (!IsNcclInit(context, init)) return;
    TSNode root = init;
    while (!ts_node_is_null(ts_node_parent(root))) root = ts_node_parent(root);
    if (context.text().find("CUDA_VISIBLE_DEVICES") != std::string_view::npos) return;

    std::vector<TSNode> set_device_calls;
    Walk(root, [&](TSNode node) {
      if (Is(node, sym.call) && IsSetDevice(context, node)) set_device_calls.push_back(node);
      return true;
    });
    if (set_device_calls.empty()) {
      if (IsFallbackInitialisation(context, init)) return;
      context.Report(init, "`init_process_group(\"nccl\")` runs, but this file never selects a CUDA device; call "
                           "`torch.cuda.set_device(local_rank)` first, or every process of a node uses device 0");
      return;
    }

    // Selected before the initialisation anywhere in the file: fine.
    for (TSNode call : set_device_calls) {
      if (StartByte(call) < StartByte(init)) return;
    }
    TSNode scope = context.semantic().EnclosingScope(init);
    TSNode first_after{};
    for (TSNode call : set_device_calls) {
      if (ts_node_eq(context.semantic().EnclosingScope(call), scope)) {
        first_after = call;
        break;
      }
    }
    if (ts_node_is_null(first_after)) return;  // Selected in another function: order unknown.

    TSNode collective{};
    Walk(scope, [&](TSNode node) {
      if (!ts_node_is_null(collective) || StartByte(node) >= StartByte(first_after)) return false;
      if (EndByte(node) <= EndByte(init)) return false;
      if (Is(node, sym.call) && IsCollective(context.semantic().CalleeName(node))) {
        collective = node;
        return false;
      }
      return true;
    });
    if (ts_node_is_null(collective)) return;
    Diagnostic& diagnostic = context.Report(
        init, "the CUDA device is selected only after `init_process_group(\"nccl\")` and a collective, so the "
              "collective runs before each process has selected its own GPU");
    context.AddRelated(diagnostic, collective, "this collective runs before the device is selected");
    context.AddRelated(diagnostic, first_after, "the device is selected here");
  }
};

DISTLINT_REGISTER_RULE(NcclInitWithoutSetDevice);

}  // namespace
}  // namespace distlint
