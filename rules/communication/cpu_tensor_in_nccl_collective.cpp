// COM008 cpu-tensor-in-nccl-collective
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/collective_calls.h"
#include "rules/communication/collective_tensors.h"
#include "rules/communication/nccl_backend.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM008",
    "cpu-tensor-in-nccl-collective",
    Family::kCommunication,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Collective on a CPU tensor in a file that initialises the NCCL backend",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM008` or in `select`.

In a file that calls `init_process_group` with the `"nccl"` backend (as the
first argument or `backend="nccl"`, or a backend chosen at run time, such
as `args.dist_backend`, in a file that names `"nccl"` in a string literal),
finds a torch.distributed collective on the default group whose tensor is
created on the CPU: `torch.zeros`, `torch.ones`, `torch.empty`,
`torch.full`, `torch.tensor`, `torch.arange`, `torch.rand` or `torch.randn`
without `device=`, a legacy constructor (`torch.FloatTensor`,
`torch.LongTensor` and the other CPU tensor types), or a `.cpu()` result,
directly or through a variable last assigned one of them. Files that call
`torch.set_default_device` are skipped.

## Why is this bad?
The NCCL backend only moves CUDA tensors. A CPU tensor makes the collective
raise `RuntimeError: No backend type associated with device type cpu` (or
`Tensors must be CUDA and dense` in older releases) on the ranks that reach
it, while the other ranks wait in the collective until the timeout.

## Example
```python
import torch
import torch.distributed as dist

dist.init_process_group("nccl")
loss_sum = torch.zeros(1)
dist.all_reduce(loss_sum)
```

Use instead:
```python
import torch
import torch.distributed as dist

dist.init_process_group("nccl")
loss_sum = torch.zeros(1, device="cuda")
dist.all_reduce(loss_sum)
```

## Fix safety
When the tensor comes from a factory call, the fix adds `device="cuda"`
(the current CUDA device) to that call. Other uses of the tensor may expect
it on the CPU (a `.numpy()` call, an index into a CPU tensor), so the fix is
unsafe. A `.cpu()` result and a legacy constructor, which rejects
`device="cuda"`, get no fix.
)md",
    /*enabled_by_default=*/false};

constexpr std::string_view kFactories[] = {"torch.zeros",  "torch.ones", "torch.empty", "torch.full",
                                           "torch.tensor", "torch.arange", "torch.rand", "torch.randn"};
// Legacy constructors, which always create CPU tensors and take no `device=`.
constexpr std::string_view kCpuTensorTypes[] = {"torch.Tensor",       "torch.FloatTensor", "torch.DoubleTensor",
                                                "torch.HalfTensor",   "torch.LongTensor",  "torch.IntTensor",
                                                "torch.ByteTensor",   "torch.BoolTensor"};

// True when the file initialises torch.distributed with the NCCL backend and
// does not change the default device.
bool FileUsesNccl(const RuleContext& context, TSNode any_node) {
  const Symbols& sym = context.symbols();
  const SemanticModel& semantic = context.semantic();
  TSNode root = ts_tree_root_node(any_node.tree);
  bool nccl = false;
  bool default_device = false;
  Walk(root, [&](TSNode node) {
    if (!Is(node, sym.call)) return true;
    const std::string callee = semantic.CalleeName(node);
    if (callee == "torch.set_default_device" || callee == "torch.set_default_tensor_type") default_device = true;
    if (callee != "torch.distributed.init_process_group") return true;
    if (ReadInitBackend(context, node, root) != InitBackend::kOther) nccl = true;
    return true;
  });
  return nccl && !default_device;
}

// The factory call or `.cpu()` call that creates `tensor` on the CPU, or a
// null node.
TSNode CpuCreation(const RuleContext& context, TSNode tensor, int depth = 0) {
  const Symbols& sym = context.symbols();
  if (ts_node_is_null(tensor)) return tensor;
  if (Is(tensor, sym.identifier) && depth == 0) {
    TSNode value = LastAssignedValue(context.semantic(), tensor);
    return ts_node_is_null(value) ? value : CpuCreation(context, value, depth + 1);
  }
  if (!Is(tensor, sym.call)) return TSNode{};
  TSNode function = Field(tensor, "function");
  if (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "cpu") return tensor;
  const std::string callee = context.semantic().CalleeName(tensor);
  for (std::string_view type : kCpuTensorTypes) {
    if (callee == type) return tensor;
  }
  for (std::string_view factory : kFactories) {
    if (callee != factory) continue;
    if (fixers::HasSplatArguments(tensor)) return TSNode{};
    if (!ts_node_is_null(fixers::KeywordArgument(tensor, "device", context.text()))) return TSNode{};
    return tensor;
  }
  return TSNode{};
}

class CpuTensorInNcclCollective final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    const std::string callee = semantic.CalleeName(call);
    if (!IsCollective(callee) || !OnDefaultGroup(semantic, call)) return;
    const std::string name(ShortName(callee));
    TSNode input{};
    TSNode output = CollectiveTensorArgument(name, call, context.text(), &input);
    for (TSNode tensor : {output, input}) {
      TSNode creation = CpuCreation(context, tensor);
      if (ts_node_is_null(creation) || !FileUsesNccl(context, call)) continue;
      Report(context, name, tensor, creation);
    }
  }

 private:
  static void Report(RuleContext& context, const std::string& name, TSNode tensor, TSNode creation) {
    Diagnostic& diagnostic = context.Report(
        tensor, "`" + name + "` gets a CPU tensor, but this file can initialise the NCCL backend, which only "
                "moves CUDA tensors");
    if (!ts_node_eq(creation, tensor)) context.AddRelated(diagnostic, creation, "the tensor is created here");
    TSNode function = Field(creation, "function");
    if (Is(function, context.symbols().attribute) && context.Text(Field(function, "attribute")) == "cpu") return;
    const std::string creator = context.semantic().CalleeName(creation);
    for (std::string_view type : kCpuTensorTypes) {
      if (creator == type) return;  // A legacy constructor rejects `device="cuda"`.
    }
    auto edit = fixers::AddKeywordArgument(creation, "device", "\"cuda\"", context.text());
    if (!edit) return;
    Fix fix;
    fix.title = "Create the tensor on the current CUDA device";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(std::move(*edit));
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(CpuTensorInNcclCollective);

}  // namespace
}  // namespace distlint
