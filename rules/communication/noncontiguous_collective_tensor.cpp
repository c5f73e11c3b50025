// COM007 noncontiguous-collective-tensor
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/collective_calls.h"
#include "rules/communication/collective_tensors.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM007",
    "noncontiguous-collective-tensor",
    Family::kCommunication,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Collective on a tensor view that is not contiguous",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM007` or in `select`.

Finds a torch.distributed collective whose tensor argument is a view that is
not contiguous in memory: the result of `.t()`, `.transpose()`,
`.permute()`, `.swapaxes()`, `.movedim()`, `.expand()`, `.T` or `.mT`, a
slice with a step (`x[::2]`), or a slice over a later dimension (`x[:, 0]`),
directly or through a variable last assigned one of them.

## Why is this bad?
The NCCL and gloo backends of torch.distributed reject such a tensor with
`RuntimeError: Tensors must be contiguous`, so the rank that passes it fails
while the ranks whose view happens to be contiguous (a dimension of size 1)
wait in the collective until the timeout. Calling `.contiguous()` inside an
in-place collective (`all_reduce(x.t().contiguous())`) avoids the error but
reduces a temporary copy, and the result is lost.

## Example
```python
import torch.distributed as dist

dist.all_reduce(weight.t())
dist.all_gather_into_tensor(output, shard.transpose(0, 1))
```

Use instead:
```python
import torch.distributed as dist

transposed = weight.t().contiguous()
dist.all_reduce(transposed)
weight.copy_(transposed.t())
dist.all_gather_into_tensor(output, shard.transpose(0, 1).contiguous())
```

## Fix safety
The fix appends `.contiguous()` only to the input of
`all_gather_into_tensor` and `reduce_scatter_tensor`, which the collective
reads and never writes, so the copy changes no result. It is safe. Tensors
that a collective writes in place get no fix, because a copy would receive
the result.
)md",
    /*enabled_by_default=*/false};

constexpr std::string_view kNoncontiguousMethods[] = {"t", "transpose", "permute", "swapaxes", "swapdims",
                                                      "movedim", "moveaxis", "expand"};
constexpr std::string_view kNoncontiguousAttributes[] = {"T", "mT", "H", "mH"};

template <size_t N>
bool OneOf(std::string_view name, const std::string_view (&names)[N]) {
  for (std::string_view candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

// True when a subscript's index has a step (`::2`), or leaves a leading
// dimension whole and indexes or slices a later one (`[:, 0]`, `[:, 1:3]`).
bool IsStridedSubscript(const RuleContext& context, TSNode subscript) {
  const Symbols& sym = context.symbols();
  std::vector<TSNode> indices;
  for (uint32_t i = 0; i < ts_node_named_child_count(subscript); ++i) {
    TSNode child = ts_node_named_child(subscript, i);
    if (ts_node_eq(child, Field(subscript, "value")) || Is(child, sym.comment)) continue;
    indices.push_back(child);
  }
  for (TSNode index : indices) {
    if (std::string_view(ts_node_type(index)) != "slice") continue;
    // A step is the third part: two ':' tokens with an expression after the second.
    uint32_t colons = 0;
    bool step = false;
    for (uint32_t i = 0; i < ts_node_child_count(index); ++i) {
      TSNode part = ts_node_child(index, i);
      if (!ts_node_is_named(part)) {
        if (context.Text(part) == ":") ++colons;
      } else if (colons == 2) {
        step = true;
      }
    }
    if (step) return true;
  }
  if (indices.size() < 2) return false;
  return context.Text(indices.front()) == ":";
}

// The sub-expression that makes `tensor` a non-contiguous view, or a null node.
TSNode NoncontiguousView(const RuleContext& context, TSNode tensor, int depth = 0) {
  const Symbols& sym = context.symbols();
  if (ts_node_is_null(tensor)) return tensor;
  if (Is(tensor, sym.identifier) && depth == 0) {
    TSNode value = LastAssignedValue(context.semantic(), tensor);
    return ts_node_is_null(value) ? value : NoncontiguousView(context, value, depth + 1);
  }
  if (Is(tensor, sym.call)) {
    TSNode function = Field(tensor, "function");
    if (Is(function, sym.attribute) && OneOf(context.Text(Field(function, "attribute")), kNoncontiguousMethods)) {
      return tensor;
    }
    return TSNode{};
  }
  if (Is(tensor, sym.attribute) && OneOf(context.Text(Field(tensor, "attribute")), kNoncontiguousAttributes)) {
    return tensor;
  }
  if (Is(tensor, sym.subscript) && IsStridedSubscript(context, tensor)) return tensor;
  return TSNode{};
}

class NoncontiguousCollectiveTensor final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    if (!IsCollective(callee)) return;
    const std::string name(ShortName(callee));
    TSNode input{};
    TSNode output = CollectiveTensorArgument(name, call, context.text(), &input);
    CheckTensor(context, name, output, /*read_only=*/false);
    CheckTensor(context, name, input, /*read_only=*/true);
  }

 private:
  static void CheckTensor(RuleContext& context, const std::string& name, TSNode tensor, bool read_only) {
    TSNode view = NoncontiguousView(context, tensor);
    if (ts_node_is_null(view)) return;
    Diagnostic& diagnostic = context.Report(
        tensor, "`" + name + "` gets a tensor view that is not contiguous; the NCCL and gloo backends raise "
                "`Tensors must be contiguous` on the ranks where it is strided");
    if (!ts_node_eq(view, tensor)) context.AddRelated(diagnostic, view, "the view is created here");
    if (!read_only) return;
    Fix fix;
    fix.title = "Pass a contiguous copy of the input";
    fix.applicability = Applicability::kSafe;
    fix.edits.push_back(Edit{EndByte(tensor), EndByte(tensor), ".contiguous()"});
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(NoncontiguousCollectiveTensor);

}  // namespace
}  // namespace distlint
