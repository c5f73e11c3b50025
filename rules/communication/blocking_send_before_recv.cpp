// COM012 blocking-send-before-recv
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM012",
    "blocking-send-before-recv",
    Family::kCommunication,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Blocking send followed by a blocking receive in the same order on every rank",
    R"md(## What it does
Finds a blocking `torch.distributed.send` followed, in the same block, by a
blocking `torch.distributed.recv`, when that block is not an arm of an `if`
(which may pick the order per rank) but the body of a function or a loop
that every rank runs the same way.

## Why is this bad?
`send` returns only once the peer has received the tensor, unless the
message is small enough for the backend to buffer. When two ranks exchange
tensors through the same function (a pipeline stage sending activations to
the next stage while that stage sends gradients back, or a ring of ranks),
both block in `send`, neither reaches `recv`, and the job hangs. Small test
tensors often pass through the buffer, so the hang shows only at full size.

## Example
```python
import torch.distributed as dist

def exchange(send_tensor, recv_tensor, peer):
    dist.send(send_tensor, dst=peer)
    dist.recv(recv_tensor, src=peer)
```

Use instead:
```python
import torch.distributed as dist

def exchange(send_tensor, recv_tensor, peer, send_first):
    if send_first:
        dist.send(send_tensor, dst=peer)
        dist.recv(recv_tensor, src=peer)
    else:
        dist.recv(recv_tensor, src=peer)
        dist.send(send_tensor, dst=peer)
```

or post both with `dist.batch_isend_irecv`.

## Fix safety
No automatic fix: which rank sends first depends on the schedule.
)md"};

// The statement of `block` that contains `node`.
TSNode StatementIn(TSNode block, TSNode node) {
  for (TSNode current = node; !ts_node_is_null(current); current = ts_node_parent(current)) {
    if (ts_node_eq(ts_node_parent(current), block)) return current;
  }
  return TSNode{};
}

class BlockingSendBeforeRecv final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode send) const override {
    const Symbols& sym = context.symbols();
    if (context.semantic().CalleeName(send) != "torch.distributed.send") return;

    // The send must be a statement of its own in a block that is not an arm of an `if`.
    TSNode statement = ts_node_parent(send);
    TSNode block = ts_node_parent(statement);
    if (!Is(statement, sym.expression_statement) || !Is(block, sym.block)) return;
    TSNode owner = ts_node_parent(block);
    if (Is(owner, sym.if_statement) || Is(owner, sym.elif_clause) || Is(owner, sym.else_clause)) return;

    // Steps through the following siblings without listing the block's children, which cost O(n) per
    // send and O(n^2) for a block of n send/recv pairs.
    for (TSNode sibling = ts_node_next_named_sibling(statement); !ts_node_is_null(sibling);
         sibling = ts_node_next_named_sibling(sibling)) {
      TSNode recv{};
      Walk(sibling, [&](TSNode node) {
        if (!ts_node_is_null(recv)) return false;
        if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) {
          return false;
        }
        if (Is(node, sym.call) && context.semantic().CalleeName(node) == "torch.distributed.recv") recv = node;
        return ts_node_is_null(recv);
      });
      if (ts_node_is_null(recv)) continue;
      // Only a receive that runs whenever the send ran: a statement of the same block.
      if (!ts_node_eq(StatementIn(block, recv), sibling) || !Is(sibling, sym.expression_statement)) return;
      Diagnostic& diagnostic = context.Report(
          send, "every rank that runs this code blocks in `send` before it reaches `recv`, so two ranks that "
                "exchange tensors this way wait for each other; alternate the order by rank or use "
                "`batch_isend_irecv`");
      context.AddRelated(diagnostic, recv, "the receive runs only after the send completes");
      return;
    }
  }
};

DISTLINT_REGISTER_RULE(BlockingSendBeforeRecv);

}  // namespace
}  // namespace distlint
