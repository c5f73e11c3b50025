// COM011 collective-ignores-checked-group
#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM011",
    "collective-ignores-checked-group",
    Family::kCommunication,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Collective on the default group inside a branch that tests whether a process group exists",
    R"md(## What it does
Finds a torch.distributed collective that passes no process group, and so
runs on the default group of all ranks, inside an `if` arm that is taken
because a process group exists or because it does not:

- under `if mp_group is not None:` or `if mp_group:` (or the `else` of
  `if mp_group is None:`), where the collective does not use `mp_group`;
- under `if mp_group is None:` or `if not mp_group:`, where the code falls
  back to the whole world when the group is missing.

A process group is a name or attribute whose last part contains `group`
or ends in `pg` (`mp_group`, `self.model_parallel_group`, `tp_pg`).

A reduction with `ReduceOp.MAX` or `ReduceOp.MIN` is not reported: repeating
a maximum over more ranks counts no value twice, and code takes the maximum
over the whole job on purpose (an overflow flag, the infinity norm over all
pipeline stages).

## Why is this bad?
The branch exists because the collective is meant for that group. Without
`group=`, the collective runs over every rank of the job: a norm or a loss
that should be summed over the model-parallel ranks is summed over the
data-parallel ranks as well, so it is too large and training goes on with
wrong values and no error. When the group is missing, falling back to the
world group reduces over ranks that hold replicas rather than shards.

## Example
```python
import torch.distributed as dist

def clip_norm(total_norm, mp_group):
    if mp_group is not None:
        dist.all_reduce(total_norm)
```

Use instead:
```python
import torch.distributed as dist

def clip_norm(total_norm, mp_group):
    if mp_group is not None:
        dist.all_reduce(total_norm, group=mp_group)
```

## Fix safety
No automatic fix: under `is not None` the tested group is the likely
argument, but under `is None` the right change may be to skip the
collective or to use another group.
)md"};

// True when the last part of `expression` (an identifier or attribute)
// names a process group: it contains "group" or ends in "pg".
bool NamesProcessGroup(const RuleContext& context, TSNode expression) {
  const Symbols& sym = context.symbols();
  TSNode last = expression;
  if (Is(expression, sym.attribute)) {
    last = Field(expression, "attribute");
  } else if (!Is(expression, sym.identifier)) {
    return false;
  }
  std::string name(context.Text(last));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name.find("group") != std::string::npos || (name.size() >= 2 && name.substr(name.size() - 2) == "pg");
}

struct GroupTest {
  TSNode group{};
  bool exists = false;  // The arm runs when the group exists (not None).
};

// Reads `condition` as a test of a process group: `g is None`,
// `g is not None`, `g` or `not g`. The group is null for any other condition.
GroupTest ReadGroupTest(const RuleContext& context, TSNode condition) {
  const Symbols& sym = context.symbols();
  while (Is(condition, sym.parenthesized_expression) && ts_node_named_child_count(condition) == 1) {
    condition = ts_node_named_child(condition, 0);
  }
  GroupTest test;

  // `not g`
  if (Is(condition, sym.not_operator)) {
    TSNode operand = Field(condition, "argument");
    if (NamesProcessGroup(context, operand)) test.group = operand;
    return test;
  }

  // `g`
  if (NamesProcessGroup(context, condition)) {
    test.group = condition;
    test.exists = true;
    return test;
  }

  // `g is None`, `g is not None`, `g == None`, `g != None`
  if (!Is(condition, sym.comparison_operator) || ts_node_named_child_count(condition) != 2) return test;
  TSNode left = ts_node_named_child(condition, 0);
  TSNode right = ts_node_named_child(condition, 1);
  if (context.Text(right) != "None" || !NamesProcessGroup(context, left)) return test;
  std::string op;
  for (uint32_t i = 0; i < ts_node_child_count(condition); ++i) {
    TSNode child = ts_node_child(condition, i);
    if (!ts_node_is_named(child)) op += std::string(context.Text(child));
  }
  if (op == "isnot" || op == "is not" || op == "!=") {
    test.group = left;
    test.exists = true;
  } else if (op == "is" || op == "==") {
    test.group = left;
  }
  return test;
}

// True when `call` passes a process group, by keyword or by position.
bool PassesGroup(const RuleContext& context, TSNode call, std::string_view callee) {
  if (fixers::HasSplatArguments(call)) return true;
  if (!ts_node_is_null(fixers::KeywordArgument(call, "group", context.text()))) return true;
  const Signature* signature = TorchDistributedSignature(callee);
  if (signature == nullptr) return true;  // Unknown parameters: assume it may.
  const auto position = std::find(signature->params.begin(), signature->params.end(), "group");
  if (position == signature->params.end()) return true;
  return !ts_node_is_null(fixers::PositionalArgument(call, static_cast<size_t>(position - signature->params.begin())));
}

// True when `call` reduces with `ReduceOp.MAX` or `ReduceOp.MIN`, passed as
// `op=` or by position.
bool ReducesToExtremum(const RuleContext& context, TSNode call, std::string_view callee) {
  TSNode op = fixers::KeywordArgument(call, "op", context.text());
  if (ts_node_is_null(op)) {
    const Signature* signature = TorchDistributedSignature(callee);
    if (signature == nullptr) return false;
    const auto position = std::find(signature->params.begin(), signature->params.end(), "op");
    if (position == signature->params.end()) return false;
    op = fixers::PositionalArgument(call, static_cast<size_t>(position - signature->params.begin()));
  } else {
    op = Field(op, "value");
  }
  if (ts_node_is_null(op)) return false;
  const std::string name = context.semantic().CanonicalName(op);
  return name == "torch.distributed.ReduceOp.MAX" || name == "torch.distributed.ReduceOp.MIN";
}

// True when `root` contains an expression with the same text as `group`.
bool Mentions(const RuleContext& context, TSNode root, TSNode group) {
  const std::string_view group_text = context.Text(group);
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    if (context.Text(node) == group_text && ts_node_symbol(node) == ts_node_symbol(group)) found = true;
    return !found;
  });
  return found;
}

class CollectiveIgnoresCheckedGroup final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    const std::string callee = context.semantic().CalleeName(call);
    if (!IsCollective(callee) || ShortName(callee) == "new_group" || PassesGroup(context, call, callee)) return;
    // A maximum or minimum over all ranks counts no rank twice, and code takes
    // it over the whole job on purpose (overflow flags, the infinity norm).
    if (ReducesToExtremum(context, call, callee)) return;

    // The innermost `if` arm around the call, within its function.
    for (TSNode node = call, parent = ts_node_parent(call); !ts_node_is_null(parent);
         node = parent, parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition) || Is(parent, sym.class_definition) || Is(parent, sym.lambda)) return;
      GroupTest test;
      if (Is(parent, sym.if_statement) && ts_node_eq(node, Field(parent, "consequence"))) {
        test = ReadGroupTest(context, Field(parent, "condition"));
      } else if (Is(parent, sym.elif_clause) && ts_node_eq(node, Field(parent, "consequence"))) {
        test = ReadGroupTest(context, Field(parent, "condition"));
      } else if (Is(parent, sym.else_clause) && Is(ts_node_parent(parent), sym.if_statement)) {
        TSNode if_statement = ts_node_parent(parent);
        bool has_elif = false;
        for (TSNode clause : NamedChildren(if_statement)) has_elif = has_elif || Is(clause, sym.elif_clause);
        if (has_elif) return;
        test = ReadGroupTest(context, Field(if_statement, "condition"));
        test.exists = !test.exists;
      } else {
        continue;
      }
      if (ts_node_is_null(test.group)) return;
      if (Mentions(context, call, test.group)) return;
      // NOTE: `if g is None: dist.barrier()` beside `else: dist.barrier(group=g)`
      // behaves like passing `group=g` (None is the default group) and is still reported.
      Report(context, call, callee, test);
      return;
    }
  }

 private:
  static void Report(RuleContext& context, TSNode call, std::string_view callee, const GroupTest& test) {
    const std::string group(context.Text(test.group));
    const std::string name(ShortName(callee));
    const std::string message =
        test.exists ? "`" + name + "` runs on the default group of all ranks, although this branch is taken because `" +
                          group + "` exists; pass `group=" + group + "`"
                    : "`" + name + "` runs on the default group of all ranks when `" + group +
                          "` is missing, so it reduces over ranks outside the intended group; skip it or pass the "
                          "intended group";
    Diagnostic& diagnostic = context.Report(call, message);
    context.AddRelated(diagnostic, test.group, "the process group is tested here");
  }
};

DISTLINT_REGISTER_RULE(CollectiveIgnoresCheckedGroup);

}  // namespace
}  // namespace distlint
