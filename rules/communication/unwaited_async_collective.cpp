// COM005 unwaited-async-collective
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM005",
    "unwaited-async-collective",
    Family::kCommunication,
    FixStrategy::kOther,
    FixAvailability::kSometimes,
    "Work handle of an `async_op=True` collective is never waited",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM005` or in `select`.

Finds a torch.distributed collective called with `async_op=True` whose work
handle is never waited on:

- the handle is discarded (the call is a statement of its own);
- the handle is assigned to a variable that the function never reads again;
- the handle is assigned to a variable inside a loop and read only after
  the loop, so each iteration overwrites the previous handle and only the
  last one is waited;
- the handles are appended to a list, and the only later use of the list is
  its last element (`handles[-1].wait()`).

## Why is this bad?
With `async_op=True` the collective returns before it completes. Reading the
tensor before `wait()` reads a partial result. NCCL runs the collectives of
one group in order, so waiting on the last handle of a list orders the
CUDA stream after all of them, but the other handles' errors and timeouts
are never checked, and with gloo or MPI the earlier operations may still
be running. A rank that frees or reuses the buffer of an unwaited operation
corrupts the data that the other ranks receive.

## Example
```python
import torch.distributed as dist

dist.all_reduce(grad, async_op=True)
optimizer.step()

handles = []
for bucket in buckets:
    handles.append(dist.all_reduce(bucket, async_op=True))
handles[-1].wait()
```

Use instead:
```python
import torch.distributed as dist

dist.all_reduce(grad, async_op=True).wait()
optimizer.step()

handles = []
for bucket in buckets:
    handles.append(dist.all_reduce(bucket, async_op=True))
for handle in handles:
    handle.wait()
```

## Fix safety
For a discarded handle the fix appends `.wait()` to the call. The result is
then complete when the next statement runs, which is what the code after it
expects, but the call no longer overlaps with that code, so the fix is
unsafe: a program that waited through another mechanism (a later
`torch.cuda.synchronize()` on NCCL) becomes slower. No fix is offered for
the other cases.
)md",
    /*enabled_by_default=*/false};

// True when `call` passes `async_op=True`.
bool PassesAsyncOpTrue(const RuleContext& context, TSNode call) {
  TSNode argument = fixers::KeywordArgument(call, "async_op", context.text());
  if (ts_node_is_null(argument)) return false;
  return context.Text(Field(argument, "value")) == "True";
}

// The statements of the enclosing function (or module) that start after
// `node`, walked in order; `visit` returns false to stop looking.
template <typename Visit>
void ForEachLaterNode(const SemanticModel& semantic, TSNode node, Visit&& visit) {
  TSNode scope = semantic.EnclosingScope(node);
  const uint32_t after = EndByte(node);
  bool stop = false;
  Walk(scope, [&](TSNode inner) {
    if (stop) return false;
    if (EndByte(inner) <= after) return false;
    if (StartByte(inner) >= after && !visit(inner)) stop = true;
    return !stop;
  });
}

// The reads of `name` after `node` in its scope: identifiers, excluding the
// left side of a plain assignment that rebinds the name.
std::vector<TSNode> LaterReads(const RuleContext& context, TSNode node, std::string_view name) {
  const Symbols& sym = context.symbols();
  std::vector<TSNode> reads;
  ForEachLaterNode(context.semantic(), node, [&](TSNode inner) {
    if (!Is(inner, sym.identifier) || context.Text(inner) != name) return true;
    TSNode parent = ts_node_parent(inner);
    if (Is(parent, sym.attribute) && !ts_node_eq(Field(parent, "object"), inner)) return true;  // `x.name`
    if (Is(parent, sym.keyword_argument) && ts_node_eq(Field(parent, "name"), inner)) return true;
    if (Is(parent, sym.assignment) && ts_node_eq(Field(parent, "left"), inner)) return true;
    reads.push_back(inner);
    return true;
  });
  return reads;
}

// True when `read` is `name[-1]`.
bool IsLastElementRead(const RuleContext& context, TSNode read) {
  TSNode parent = ts_node_parent(read);
  if (!Is(parent, context.symbols().subscript) || !ts_node_eq(Field(parent, "value"), read)) return false;
  return context.Text(Field(parent, "subscript")) == "-1";
}

// The innermost `for` or `while` loop around `node` within its function, or
// a null node.
TSNode EnclosingLoop(const RuleContext& context, TSNode node) {
  const Symbols& sym = context.symbols();
  for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
    if (Is(parent, sym.function_definition) || Is(parent, sym.lambda) || Is(parent, sym.class_definition)) break;
    if (Is(parent, sym.for_statement) || Is(parent, sym.while_statement)) return parent;
  }
  return TSNode{};
}

// Reports `handle = dist.broadcast(..., async_op=True)` inside a loop when
// every later read of `handle` comes after the loop: each iteration drops
// the previous handle, so only the last one is waited.
void ReportOverwrittenInLoop(RuleContext& context, TSNode call, TSNode assignment, TSNode target,
                             const std::vector<TSNode>& reads) {
  TSNode loop = EnclosingLoop(context, assignment);
  if (ts_node_is_null(loop)) return;
  // A read anywhere in the loop, also before the assignment, may wait on the
  // previous iteration's handle.
  bool read_in_loop = false;
  Walk(loop, [&](TSNode node) {
    if (read_in_loop) return false;
    if (Is(node, context.symbols().identifier) && !ts_node_eq(node, target) &&
        context.Text(node) == context.Text(target)) {
      read_in_loop = true;
    }
    return !read_in_loop;
  });
  if (read_in_loop) return;
  const std::string name(ShortName(context.semantic().CalleeName(call)));
  Diagnostic& diagnostic = context.Report(
      call, "each iteration stores the work handle of `" + name + "` with `async_op=True` in `" +
                std::string(context.Text(target)) + "` and drops the previous one, so only the last handle is waited");
  context.AddRelated(diagnostic, reads.front(), "only the handle of the last iteration is used here");
}

class UnwaitedAsyncCollective final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();
    if (!IsCollective(semantic.CalleeName(call)) || !PassesAsyncOpTrue(context, call)) return;
    const std::string name(ShortName(semantic.CalleeName(call)));
    TSNode parent = ts_node_parent(call);

    if (Is(parent, sym.expression_statement)) {
      Diagnostic& diagnostic = context.Report(
          call, "`" + name + "` runs with `async_op=True` but its work handle is discarded, so nothing waits "
                "for the result before the tensor is read or reused");
      Fix fix;
      fix.title = "Wait for the collective right away";
      fix.applicability = Applicability::kUnsafe;
      fix.edits.push_back(Edit{EndByte(call), EndByte(call), ".wait()"});
      diagnostic.fix = std::move(fix);
      return;
    }

    if (Is(parent, sym.assignment) && ts_node_eq(Field(parent, "right"), call)) {
      TSNode target = Field(parent, "left");
      if (!Is(target, sym.identifier)) return;
      const std::vector<TSNode> reads = LaterReads(context, parent, context.Text(target));
      if (!reads.empty()) {
        ReportOverwrittenInLoop(context, call, parent, target, reads);
        return;
      }
      Diagnostic& diagnostic =
          context.Report(call, "the work handle of `" + name + "` with `async_op=True` is assigned to `" +
                                   std::string(context.Text(target)) + "` and never waited");
      context.AddRelated(diagnostic, target, "the handle is stored here and not read again");
      return;
    }

    // `handles.append(dist.all_reduce(..., async_op=True))`
    if (!Is(parent, sym.argument_list)) return;
    TSNode append = ts_node_parent(parent);
    TSNode function = Field(append, "function");
    if (!Is(function, sym.attribute) || context.Text(Field(function, "attribute")) != "append") return;
    TSNode list = Field(function, "object");
    if (!Is(list, sym.identifier)) return;
    const std::vector<TSNode> reads = LaterReads(context, append, context.Text(list));
    std::vector<TSNode> last_reads;
    for (TSNode read : reads) {
      // Another append in the same loop is neither a wait nor an escape.
      TSNode read_parent = ts_node_parent(read);
      if (Is(read_parent, sym.attribute) && context.Text(Field(read_parent, "attribute")) == "append") continue;
      if (!IsLastElementRead(context, read)) return;  // Iterated, passed on or returned.
      last_reads.push_back(read);
    }
    if (last_reads.empty()) return;  // Never read: the list may escape through a closure; stay silent.
    Diagnostic& diagnostic = context.Report(
        call, "the work handles of `" + name + "` with `async_op=True` are collected in `" +
                  std::string(context.Text(list)) + "`, but only the last one is waited");
    context.AddRelated(diagnostic, ts_node_parent(last_reads.front()), "only this handle is used");
  }
};

DISTLINT_REGISTER_RULE(UnwaitedAsyncCollective);

}  // namespace
}  // namespace distlint
