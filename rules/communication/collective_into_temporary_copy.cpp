// COM010 collective-into-temporary-copy
#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/collective_calls.h"
#include "rules/communication/collective_tensors.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM010",
    "collective-into-temporary-copy",
    Family::kCommunication,
    FixStrategy::kOther,
    FixAvailability::kSometimes,
    "Collective writes its result into a temporary copy that is then discarded",
    R"md(## What it does
Finds a torch.distributed collective that writes its result in place
(`all_reduce`, `broadcast`, `reduce`, `recv`, `irecv`, and the output of
`all_gather_into_tensor`, `reduce_scatter_tensor` and `all_to_all_single`)
when the tensor it writes is a temporary: the result of a method that can
return a copy (`.contiguous()`, `.clone()`, `.to(...)`, `.type(...)`,
`.cuda()`, `.cpu()`, `.float()`, `.half()`, `.bfloat16()` or `.double()`),
of `torch.cat` or `torch.stack`, or of an arithmetic expression
(`grad_sqr / world_size`).

## Why is this bad?
The collective writes the reduced or received values into the tensor it is
given. When that tensor is a copy made for the call, nothing holds it
afterwards, so the result is dropped and the code that reads the original
tensor sees its unreduced values. Every rank then goes on with its own
partial values, without any error. `.contiguous()` and `.to()` return
their input when it already qualifies, so for them the bug shows only for
some inputs (a transposed view, a tensor on another device).

## Example
```python
import torch.distributed as dist

def reduce(input_, group):
    dist.all_reduce(input_.contiguous(), group=group)
    return input_
```

Use instead:
```python
import torch.distributed as dist

def reduce(input_, group):
    input_ = input_.contiguous()
    dist.all_reduce(input_, group=group)
    return input_
```

## Fix safety
When the copy is `name.contiguous()` of a plain variable and the collective
is a statement of its own, the fix assigns the contiguous tensor to the
variable on the line before and passes the variable, as above. The fix is
unsafe: later reads of the variable in the function see the result, but a
caller that holds the original tensor still sees the old values when the
tensor was not contiguous. No fix is offered for the other methods, whose
copy changes the dtype or device that later code would then read.
)md"};

constexpr std::string_view kCopyingMethods[] = {"contiguous", "clone", "to",   "type",     "cuda",
                                                "cpu",        "float", "half", "bfloat16", "double"};

// The tensor argument that `call` (a collective named `name`) writes its
// result into, or a null node.
TSNode WrittenTensor(std::string_view name, TSNode call, std::string_view text) {
  if (name == "recv" || name == "irecv") {
    TSNode keyword = fixers::KeywordArgument(call, "tensor", text);
    return ts_node_is_null(keyword) ? fixers::PositionalArgument(call, 0) : Field(keyword, "value");
  }
  if (name == "all_to_all_single") {
    TSNode keyword = fixers::KeywordArgument(call, "output", text);
    return ts_node_is_null(keyword) ? fixers::PositionalArgument(call, 0) : Field(keyword, "value");
  }
  return CollectiveTensorArgument(name, call, text);
}

// Describes how `tensor` creates a temporary: the method name of a
// copying method (`contiguous` for `x.contiguous()`), the function name for
// `torch.cat` and `torch.stack`, the operator of an arithmetic expression,
// or empty when it is not a temporary.
std::string_view TemporaryKind(const RuleContext& context, TSNode tensor) {
  const Symbols& sym = context.symbols();
  if (std::string_view(ts_node_type(tensor)) == "binary_operator") return context.Text(Field(tensor, "operator"));
  if (!Is(tensor, sym.call)) return {};
  const std::string callee = context.semantic().CalleeName(tensor);
  if (callee == "torch.cat") return "cat";
  if (callee == "torch.stack") return "stack";
  TSNode function = Field(tensor, "function");
  if (!Is(function, sym.attribute)) return {};
  const std::string_view method = context.Text(Field(function, "attribute"));
  for (std::string_view copying : kCopyingMethods) {
    if (method == copying) return method;
  }
  return {};
}

// Functions and methods whose result is a new contiguous tensor.
constexpr std::string_view kContiguousProducers[] = {
    "torch.bmm",   "torch.mm",    "torch.matmul", "torch.baddbmm", "torch.empty",   "torch.zeros",
    "torch.ones",  "torch.full",  "torch.rand",   "torch.randn",   "torch.randint", "torch.arange",
    "torch.tensor"};
constexpr std::string_view kContiguousMethods[] = {"contiguous", "new_empty", "new_zeros", "new_ones", "new_full"};

// Methods whose result on a contiguous tensor is contiguous: a reshape or
// view of it, a dtype or device copy (which keeps the strides), and
// element-wise operations and reductions, whose output follows the layout of
// their input.
constexpr std::string_view kLayoutKeepingMethods[] = {
    "reshape", "view",      "float",      "half",  "bfloat16", "double",      "to",  "type",  "cuda",
    "clone",   "detach",    "exp",        "log",   "sqrt",     "abs",         "neg", "pow",   "clamp",
    "sum",     "clamp_min", "mean",       "amax",  "amin",     "prod",        "norm", "mul",  "div",
    "add",     "sub",       "masked_fill", "softmax", "log_softmax"};

// True when the callee's last name part marks a masking or softmax helper,
// which returns a tensor with the layout of its first argument.
// NOTE: a name-based guess for project functions whose body lies in another
// file; `torch.softmax` and `F.softmax` are instances of it.
bool IsMaskOrSoftmaxHelper(std::string_view callee) {
  const size_t dot = callee.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
  return last.find("softmax") != std::string_view::npos || last.find("mask") != std::string_view::npos;
}

// The value of the last plain `name = value` assignment that ends before
// `use` in its function, not looking into nested definitions, or a null node.
// Unlike LastAssignedValue, `x = x.sum(dim=1)` does not find itself for the
// `x` on its right.
// NOTE: this is textual order, not control flow.
TSNode AssignedBefore(const RuleContext& context, TSNode use) {
  const Symbols& sym = context.symbols();
  const std::string_view name = context.Text(use);
  TSNode scope = context.semantic().EnclosingScope(use);
  TSNode value{};
  Walk(scope, [&](TSNode node) {
    if (StartByte(node) >= StartByte(use)) return false;
    if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
      return false;
    }
    TSNode left = Field(node, "left");
    if (Is(node, sym.assignment) && EndByte(node) <= StartByte(use) && Is(left, sym.identifier) &&
        context.Text(left) == name && !ts_node_is_null(Field(node, "right"))) {
      value = Field(node, "right");
    }
    return true;
  });
  return value;
}

// True when the function that contains `tensor` shows that it is
// contiguous: it comes from a matrix product, a factory function or
// `.contiguous()`, through layout-keeping steps (see kLayoutKeepingMethods),
// arithmetic with the tensor on the left, and assignments to plain names.
// `.contiguous()` then returns the tensor itself, and the collective writes
// into it.
// NOTE: an arithmetic result takes the layout of its left operand only when
// that operand is not broadcast; the shapes are not known here.
bool KnownContiguous(const RuleContext& context, TSNode tensor, int depth = 0) {
  const Symbols& sym = context.symbols();
  if (depth > 40 || ts_node_is_null(tensor)) return false;
  if (Is(tensor, sym.parenthesized_expression)) return KnownContiguous(context, ts_node_named_child(tensor, 0), depth + 1);
  if (Is(tensor, sym.identifier)) return KnownContiguous(context, AssignedBefore(context, tensor), depth + 1);

  if (Is(tensor, sym.binary_operator)) {
    const std::string_view op = context.Text(Field(tensor, "operator"));
    if (op == "@") return true;
    if (op != "*" && op != "/" && op != "+" && op != "-") return false;
    return KnownContiguous(context, Field(tensor, "left"), depth + 1);
  }

  if (!Is(tensor, sym.call)) return false;
  const std::string callee = context.semantic().CalleeName(tensor);
  for (std::string_view producer : kContiguousProducers) {
    if (callee == producer) return true;
  }
  TSNode function = Field(tensor, "function");
  if (callee.empty() && Is(function, sym.attribute)) {
    // A method of a value of the function, `scores.sum(dim=1)`.
    const std::string_view method = context.Text(Field(function, "attribute"));
    for (std::string_view producer : kContiguousMethods) {
      if (method == producer) return true;
    }
    for (std::string_view keeping : kLayoutKeepingMethods) {
      if (method == keeping) return KnownContiguous(context, Field(function, "object"), depth + 1);
    }
    // A helper of a module that the semantic model does not resolve, such
    // as one imported relatively: `masking.masked_softmax(scores, mask)`.
    if (!IsMaskOrSoftmaxHelper(method)) return false;
  }

  // A function, `torch.softmax(scores, -1)` or `masking.masked_softmax(scores, mask)`.
  if (IsMaskOrSoftmaxHelper(callee.empty() ? context.Text(function) : callee)) {
    return KnownContiguous(context, fixers::PositionalArgument(tensor, 0), depth + 1);
  }
  return false;
}

// True when `call` lies in the `symbolic` static method of a subclass of
// `torch.autograd.Function`. Only the TorchScript-based ONNX export calls
// that method, with graph values in place of tensors, so no collective runs
// there on data.
bool InAutogradSymbolic(const RuleContext& context, TSNode call) {
  const Symbols& sym = context.symbols();
  TSNode function = call;
  while (!ts_node_is_null(function) && !Is(function, sym.function_definition)) function = ts_node_parent(function);
  if (ts_node_is_null(function) || context.Text(Field(function, "name")) != "symbolic") return false;
  TSNode decorated = ts_node_parent(function);
  if (!Is(decorated, sym.decorated_definition)) return false;
  bool is_static = false;
  for (TSNode child : NamedChildren(decorated)) {
    if (std::string_view(ts_node_type(child)) == "decorator" && context.Text(child) == "@staticmethod") is_static = true;
  }
  TSNode body = ts_node_parent(decorated);
  TSNode klass = ts_node_parent(body);
  if (!is_static || !Is(body, sym.block) || !Is(klass, sym.class_definition)) return false;
  TSNode bases = Field(klass, "superclasses");
  if (ts_node_is_null(bases)) return false;
  for (TSNode base : NamedChildren(bases)) {
    const std::string name = context.semantic().CanonicalName(base);
    if (name == "torch.autograd.Function" || name == "torch.autograd.function.Function") return true;
  }
  return false;
}

// The fix for `dist.all_reduce(name.contiguous(), ...)` as a statement of
// its own line: `name = name.contiguous()` on the line before, then the
// call on `name`. Returns nullopt for any other shape.
std::optional<Fix> RebindContiguousFix(const RuleContext& context, TSNode call, TSNode tensor,
                                       std::string_view method) {
  const Symbols& sym = context.symbols();
  if (method != "contiguous" || ts_node_named_child_count(Field(tensor, "arguments")) != 0) return std::nullopt;
  TSNode object = Field(Field(tensor, "function"), "object");
  TSNode statement = ts_node_parent(call);
  if (!Is(object, sym.identifier) || !Is(statement, sym.expression_statement)) return std::nullopt;

  const std::string_view text = context.text();
  const uint32_t start = StartByte(statement);
  const size_t newline = start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
  const uint32_t line_start = newline == std::string_view::npos ? 0 : static_cast<uint32_t>(newline + 1);
  const std::string indent(text.substr(line_start, start - line_start));
  if (indent.find_first_not_of(" \t") != std::string::npos) return std::nullopt;  // `x = 1; all_reduce(...)`
  const size_t next_newline = text.find('\n', start);
  const bool crlf = next_newline != std::string_view::npos && next_newline > 0 && text[next_newline - 1] == '\r';

  const std::string name(context.Text(object));
  Fix fix;
  fix.title = "Make `" + name + "` contiguous before the collective";
  fix.applicability = Applicability::kUnsafe;
  fix.edits.push_back(Edit{line_start, line_start, indent + name + " = " + name + ".contiguous()" + (crlf ? "\r\n" : "\n")});
  fix.edits.push_back(fixers::ReplaceNode(tensor, name));
  return fix;
}

// True for `dist.all_gather_into_tensor(..., async_op=True).get_future()`:
// the future's value contains the output tensors, so the temporary is kept.
bool ReadsResultThroughFuture(const RuleContext& context, TSNode call) {
  TSNode parent = ts_node_parent(call);
  return Is(parent, context.symbols().attribute) && context.Text(Field(parent, "attribute")) == "get_future";
}

class CollectiveIntoTemporaryCopy final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    const bool receive = callee == "torch.distributed.recv" || callee == "torch.distributed.irecv";
    if (!IsCollective(callee) && !receive) return;
    const std::string_view name = ShortName(callee);
    TSNode tensor = WrittenTensor(name, call, context.text());
    if (ts_node_is_null(tensor)) return;
    const std::string_view kind = TemporaryKind(context, tensor);
    if (kind.empty() || ReadsResultThroughFuture(context, call) || InAutogradSymbolic(context, call)) return;
    if (kind == "contiguous" && KnownContiguous(context, Field(Field(tensor, "function"), "object"))) return;

    Diagnostic& diagnostic = context.Report(
        call, "`" + std::string(name) + "` writes its result into `" + Abbreviate(context.Text(tensor)) +
                  "`, a temporary tensor that nothing keeps, so the result is lost; assign the tensor to a "
                  "variable, pass that and read the result from it");
    context.AddRelated(diagnostic, tensor, "this expression can create a new tensor");
    if (auto fix = RebindContiguousFix(context, call, tensor, kind)) diagnostic.fix = std::move(*fix);
  }
};

DISTLINT_REGISTER_RULE(CollectiveIntoTemporaryCopy);

}  // namespace
}  // namespace distlint
