// COM009 nccl-init-without-set-device
#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/nccl_backend.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM009",
    "nccl-init-without-set-device",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kSometimes,
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

A backend chosen at run time (`backend=backend`, `args.backend`, or
`"nccl" if cuda else "gloo"`) counts as NCCL when the file names `"nccl"` in
a string literal, as a program that supports both backends does.

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

Use instead, when the backend is chosen at run time:
```python
def init(backend, local_rank):
    if backend == "nccl":
        torch.cuda.set_device(local_rank)
    dist.init_process_group(backend=backend)
```

## Fix safety
When the file never selects a device, the function that initialises the
group has a `local_rank` parameter or variable, and the file imports
`torch`, the fix inserts `torch.cuda.set_device(local_rank)` before the
call, under `if <backend> == "nccl":` when the backend is chosen at run
time, so a gloo run on a machine without a GPU is unchanged. The fix is
unsafe, because it assumes `local_rank` is the process's ordinal among the
GPUs visible to it, which a launcher that sets `CUDA_VISIBLE_DEVICES` per
process breaks. No fix is offered in the other cases: the local rank's
source (an argument, `LOCAL_RANK`, a launcher helper) differs between
programs.
)md",
    /*enabled_by_default=*/false};

// True when `call` calls a `set_device` function or method.
bool IsSetDevice(const RuleContext& context, TSNode call) {
  const std::string callee = context.semantic().CalleeName(call);
  if (callee == "torch.cuda.set_device") return true;
  TSNode function = Field(call, "function");
  return Is(function, context.symbols().attribute) && context.Text(Field(function, "attribute")) == "set_device";
}

// The backend of `call` when it initialises the default process group
// without `device_id=` (see ReadInitBackend), or kOther.
InitBackend NcclInitBackend(const RuleContext& context, TSNode call, TSNode root) {
  if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return InitBackend::kOther;
  if (!ts_node_is_null(fixers::KeywordArgument(call, "device_id", context.text()))) return InitBackend::kOther;
  return ReadInitBackend(context, call, root);
}

// True when the function around `init` has a `local_rank` parameter, or
// assigns `local_rank` before `init`.
bool HasLocalRankBefore(const RuleContext& context, TSNode init) {
  const Symbols& sym = context.symbols();
  TSNode scope = context.semantic().EnclosingScope(init);
  TSNode parameters = Field(scope, "parameters");
  bool found = false;
  if (!ts_node_is_null(parameters)) {
    for (TSNode parameter : NamedChildren(parameters)) {
      TSNode name = Is(parameter, sym.identifier) ? parameter : Field(parameter, "name");
      if (ts_node_is_null(name)) name = ts_node_named_child(parameter, 0);
      if (Is(name, sym.identifier) && context.Text(name) == "local_rank") found = true;
    }
  }
  Walk(scope, [&](TSNode node) {
    if (found || StartByte(node) >= StartByte(init)) return false;
    if (Is(node, sym.function_definition) && !ts_node_eq(node, scope)) return false;
    if (Is(node, sym.assignment)) {
      TSNode left = Field(node, "left");
      if (Is(left, sym.identifier) && context.Text(left) == "local_rank") found = true;
    }
    return !found;
  });
  return found;
}

// The fix that selects the device right before `init`, or nullopt (see Fix
// safety in the rule's documentation).
std::optional<Fix> SelectDeviceFix(const RuleContext& context, TSNode init, InitBackend backend) {
  const Symbols& sym = context.symbols();
  if (!context.semantic().BindsModuleAsItself("torch") || !HasLocalRankBefore(context, init)) return std::nullopt;
  TSNode statement = ts_node_parent(init);
  if (!Is(statement, sym.expression_statement)) return std::nullopt;
  const std::string_view text = context.text();
  const uint32_t start = StartByte(statement);
  const size_t newline = start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
  const uint32_t line_start = newline == std::string_view::npos ? 0 : static_cast<uint32_t>(newline + 1);
  const std::string indent(text.substr(line_start, start - line_start));
  if (indent.find_first_not_of(" \t") != std::string::npos) return std::nullopt;  // `x = 1; init(...)`
  const size_t next_newline = text.find('\n', start);
  const bool crlf = next_newline != std::string_view::npos && next_newline > 0 && text[next_newline - 1] == '\r';
  const std::string line_end = crlf ? "\r\n" : "\n";

  std::string inserted;
  if (backend == InitBackend::kNccl) {
    inserted = indent + "torch.cuda.set_device(local_rank)" + line_end;
  } else {
    TSNode argument = BackendArgument(context, init);
    if (!Is(argument, sym.identifier) && !Is(argument, sym.attribute)) return std::nullopt;
    inserted = indent + "if " + std::string(context.Text(argument)) + " == \"nccl\":" + line_end + indent +
               "    torch.cuda.set_device(local_rank)" + line_end;
  }
  Fix fix;
  fix.title = "Select the local rank's CUDA device before initialising NCCL";
  fix.applicability = Applicability::kUnsafe;
  fix.edits.push_back(Edit{line_start, line_start, std::move(inserted)});
  return fix;
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
  std::vector<std::string_view> NodeKinds() const override { return {"module"}; }

  // Collects the `init_process_group` and `set_device` calls of the file in
  // one walk, then judges each initialisation against them.
  void Check(RuleContext& context, TSNode module) const override {
    const Symbols& sym = context.symbols();
    if (context.text().find("init_process_group") == std::string_view::npos) return;
    if (context.text().find("CUDA_VISIBLE_DEVICES") != std::string_view::npos) return;
    std::vector<TSNode> inits;
    std::vector<TSNode> set_device_calls;
    Walk(module, [&](TSNode node) {
      if (!Is(node, sym.call)) return true;
      if (IsSetDevice(context, node)) {
        set_device_calls.push_back(node);
      } else if (context.semantic().CalleeName(node) == "torch.distributed.init_process_group") {
        inits.push_back(node);
      }
      return true;
    });
    for (TSNode init : inits) CheckInit(context, init, module, set_device_calls);
  }

 private:
  static void CheckInit(RuleContext& context, TSNode init, TSNode root, const std::vector<TSNode>& set_device_calls) {
    const Symbols& sym = context.symbols();
    const InitBackend backend = NcclInitBackend(context, init, root);
    if (backend == InitBackend::kOther) return;

    if (set_device_calls.empty()) {
      if (IsFallbackInitialisation(context, init)) return;
      const std::string subject = backend == InitBackend::kNccl
                                   ? "`init_process_group(\"nccl\")` runs"
                                   : "`init_process_group` runs with a backend that can be \"nccl\"";
      Diagnostic& diagnostic = context.Report(
          init, subject + ", but this file never selects a CUDA device; call `torch.cuda.set_device(local_rank)` "
                       "first, or every process of a node uses device 0");
      if (auto fix = SelectDeviceFix(context, init, backend)) diagnostic.fix = std::move(*fix);
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
