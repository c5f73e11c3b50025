// API002 discarded-tensor-result
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "API002",
    "discarded-tensor-result",
    Family::kApiMisuse,
    FixStrategy::kOther,
    FixAvailability::kSometimes,
    "Out-of-place tensor method called as a statement, so its result is lost",
    R"md(## What it does
Finds a statement that only calls a tensor method which returns a new tensor
and leaves its receiver unchanged: `grad.contiguous()`,
`exp_avg.mul_(beta1).add(1 - beta1, grad)`, `param.data.to(device)`. It also
finds `.copy(...)`, `.fill(...)` and `.zero()` on a tensor, which do not
exist: the methods are `copy_`, `fill_` and `zero_`.

`contiguous`, `unsqueeze`, `permute`, `masked_fill`, `addcmul`, `addcdiv`,
`type_as` and `pin_memory` are reported on any receiver, because other
common types do not have them. Methods that other types share (`add`,
`mul`, `to`, `cuda`, `float`, `detach`, `view`, `reshape`, ...) are reported
only when the receiver is certainly a tensor: a `.data` or `.grad`
attribute, the result of an in-place method (`x.mul_(2)`) or of a `torch`
function. `model.cuda()` and `model.to(device)` on an `nn.Module` move the
module in place and are not reported.

## Why is this bad?
The statement computes a tensor and drops it, so the code after it still
sees the old value: an optimizer's momentum is never updated, or a
non-contiguous buffer reaches a collective that needs a contiguous one.
Nothing fails; the run trains on wrong values. `.copy(...)` raises
`AttributeError` on the first step.

## Example
```python
exp_avg.mul_(beta1).add(1 - beta1, grad)
param.data.copy(new_value)
```

Use instead:
```python
exp_avg.mul_(beta1).add_(1 - beta1, grad)
param.data.copy_(new_value)
```

## Fix safety
When the method has an in-place form (`add_`, `mul_`, `div_`, `sub_`,
`clamp_`, `copy_`, `fill_`, `zero_`, `unsqueeze_`, `masked_fill_`,
`addcmul_`, `addcdiv_`), the fix calls it. Updating the receiver in place
changes every other reference to the same tensor, so the fix is unsafe.
Other methods get no fix: the result has to be assigned to a name the
code then reads.
)md"};

// Methods reported on any receiver: torch.Tensor has them and the other
// types common in training code do not.
constexpr std::string_view kTensorOnlyMethods[] = {
    "contiguous", "unsqueeze", "permute", "masked_fill", "addcmul", "addcdiv", "type_as", "pin_memory",
};

// Methods that return a new tensor but that other types share (set.add,
// nn.Module.to, io.detach, ...); reported only on a certain tensor.
constexpr std::string_view kSharedMethods[] = {
    "add",   "sub",   "mul",     "div",    "clamp", "abs",     "neg",     "sqrt",  "pow",
    "exp",   "to",    "cuda",    "cpu",    "float", "half",    "bfloat16", "double", "int",
    "long",  "bool",  "detach",  "clone",  "view",  "reshape", "flatten", "squeeze", "transpose",
    "t",     "narrow", "expand", "scatter", "index_fill",
};

// Names that do not exist on torch.Tensor, whose in-place form does.
constexpr std::string_view kMissingMethods[] = {"copy", "fill", "zero"};

// Methods whose in-place form is the name with a trailing underscore.
constexpr std::string_view kInPlaceForms[] = {
    "add", "sub", "mul", "div", "clamp", "copy", "fill", "zero", "unsqueeze", "masked_fill", "addcmul", "addcdiv",
};

template <size_t N>
bool Contains(const std::string_view (&names)[N], std::string_view name) {
  for (std::string_view candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

class DiscardedTensorResult final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"expression_statement"}; }

  void Check(RuleContext& context, TSNode statement) const override {
    const Symbols& sym = context.symbols();
    if (!context.semantic().ImportsUnder("torch")) return;
    if (ts_node_named_child_count(statement) != 1) return;
    TSNode call = ts_node_named_child(statement, 0);
    if (!Is(call, sym.call)) return;
    TSNode function = Field(call, "function");
    if (!Is(function, sym.attribute)) return;
    // A call that resolves to a module function (`torch.add(x, y)`) is a
    // separate case and a module attribute receiver is not a tensor.
    if (!context.semantic().QualifiedName(function).empty()) return;

    const std::string method(context.Text(Field(function, "attribute")));
    TSNode receiver = Field(function, "object");
    const bool missing = Contains(kMissingMethods, method);
    if (!Contains(kTensorOnlyMethods, method)) {
      if (!missing && !Contains(kSharedMethods, method)) return;
      if (!IsCertainlyTensor(context, receiver)) return;
    }

    std::string message;
    if (missing) {
      message = "`Tensor." + method + "` does not exist and raises AttributeError; the in-place method is `" +
                method + "_`";
    } else {
      message = "`." + method + "(...)` returns a new tensor and leaves `" + std::string(context.Text(receiver)) +
                "` unchanged; the result of this statement is discarded";
      message += Contains(kInPlaceForms, method) ? ". Use `" + method + "_` to update it in place"
                                                 : ". Assign the result";
    }
    Diagnostic& diagnostic = context.Report(call, std::move(message));
    if (!Contains(kInPlaceForms, method)) return;
    Fix fix;
    fix.title = "Call the in-place `" + method + "_`";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(fixers::ReplaceNode(Field(function, "attribute"), method + "_"));
    diagnostic.fix = std::move(fix);
  }

 private:
  // True for `x.data`, `x.grad`, the result of an in-place method
  // (`x.mul_(2)`) and the result of a `torch` function (`torch.zeros(4)`).
  static bool IsCertainlyTensor(const RuleContext& context, TSNode receiver) {
    const Symbols& sym = context.symbols();
    if (Is(receiver, sym.attribute)) {
      const std::string_view attribute = context.Text(Field(receiver, "attribute"));
      return attribute == "data" || attribute == "grad";
    }
    if (!Is(receiver, sym.call)) return false;
    TSNode function = Field(receiver, "function");
    const std::string callee = context.semantic().QualifiedName(function);
    if (!callee.empty()) {
      return callee.rfind("torch.", 0) == 0 && callee.rfind("torch.nn.", 0) != 0 &&
             callee.rfind("torch.distributed.", 0) != 0 && callee.rfind("torch.cuda.", 0) != 0;
    }
    if (!Is(function, sym.attribute)) return false;
    // Ex) exp_avg.mul_(beta1): an in-place tensor method returns the tensor.
    const std::string_view method = context.Text(Field(function, "attribute"));
    return method.size() > 1 && method.back() == '_' && method.front() != '_' &&
           Contains(kInPlaceForms, method.substr(0, method.size() - 1));
  }
};

DISTLINT_REGISTER_RULE(DiscardedTensorResult);

}  // namespace
}  // namespace distlint
