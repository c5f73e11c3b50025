// COM006 group-rank-as-global-rank
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/communication/collective_calls.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "COM006",
    "group-rank-as-global-rank",
    Family::kCommunication,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Rank within a process group passed where a global rank is expected",
    R"md(## What it does
This rule is opt-in while its precision on real code is being measured:
select it with `--select COM006` or in `select`.

Finds two mix-ups between a rank within a process group and a rank within
the whole job:

- the `src` or `dst` of a torch.distributed collective on an explicit
  `group=` is a rank within a group: `dist.get_rank(group)`,
  `dist.get_rank(group=g)`, `g.rank()`, or a variable assigned from an
  expression that reads one;
- `dist.get_world_size()` without a group as the divisor of a `/`, `//`,
  `/=` or `//=`, in a function whose collectives all run on one explicit
  `group=`: an average over the group divided by the size of the job.

## Why is this bad?
`src` and `dst` are global ranks even when `group` is given. A group rank
names another process: the broadcast reads from the wrong rank, or raises
that the rank is not part of the group on some ranks while the others wait
in the collective until the timeout. Dividing a sum over a subgroup by the
world size gives a wrong average.

## Example
```python
import torch.distributed as dist

dist.broadcast(tensor, src=dist.get_rank(group=tp_group), group=tp_group)

dist.all_reduce(grad, group=dp_group)
grad /= dist.get_world_size()
```

Use instead:
```python
import torch.distributed as dist

dist.broadcast(tensor, src=dist.get_global_rank(tp_group, 0), group=tp_group)

dist.all_reduce(grad, group=dp_group)
grad /= dist.get_world_size(group=dp_group)
```

## Fix safety
No automatic fix: the intended source rank within the group is not known.
)md",
    /*enabled_by_default=*/false};

constexpr std::string_view kRankArguments[] = {"src", "dst"};

// True when `group` is a real subgroup expression, not `None` or the world.
bool IsSubgroup(const RuleContext& context, TSNode group) {
  if (ts_node_is_null(group)) return false;
  const std::string_view text = context.Text(group);
  if (text == "None") return false;
  return text.find("WORLD") == std::string_view::npos;
}

// The `group=` value of a call, or a null node.
TSNode GroupArgument(const RuleContext& context, TSNode call) {
  TSNode argument = fixers::KeywordArgument(call, "group", context.text());
  return ts_node_is_null(argument) ? argument : Field(argument, "value");
}

// A call in `expression` that returns a rank within a group: get_rank with
// an argument, or `x.rank()` on something other than a module. Null if none.
TSNode GroupRankCall(const RuleContext& context, TSNode expression) {
  const Symbols& sym = context.symbols();
  const SemanticModel& semantic = context.semantic();
  TSNode found{};
  Walk(expression, [&](TSNode node) {
    if (!ts_node_is_null(found)) return false;
    if (Is(node, sym.lambda)) return false;
    if (!Is(node, sym.call)) return true;
    const std::string callee = semantic.CalleeName(node);
    const bool has_arguments = ts_node_named_child_count(Field(node, "arguments")) > 0;
    if (callee == "torch.distributed.get_rank" && has_arguments) {
      found = node;
      return false;
    }
    TSNode function = Field(node, "function");
    if (callee.empty() && Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "rank" &&
        !has_arguments) {
      found = node;
      return false;
    }
    return true;
  });
  return found;
}

class GroupRankAsGlobalRank final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    const std::string callee = semantic.CalleeName(call);
    if (IsCollective(callee)) {
      CheckSourceRank(context, call);
    } else if (callee == "torch.distributed.get_world_size" && IsDivisor(context, call)) {
      CheckQueryWithoutGroup(context, call, callee);
    }
  }

 private:
  static void CheckSourceRank(RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    if (!IsSubgroup(context, GroupArgument(context, call))) return;
    const std::string name(ShortName(context.semantic().CalleeName(call)));
    for (std::string_view keyword : kRankArguments) {
      TSNode argument = fixers::KeywordArgument(call, keyword, context.text());
      if (ts_node_is_null(argument)) continue;
      TSNode value = Field(argument, "value");
      TSNode rank_call = GroupRankCall(context, value);
      if (ts_node_is_null(rank_call) && Is(value, sym.identifier)) {
        TSNode assigned = LastAssignedValue(context.semantic(), value);
        if (!ts_node_is_null(assigned)) rank_call = GroupRankCall(context, assigned);
      }
      if (ts_node_is_null(rank_call)) continue;
      Diagnostic& diagnostic = context.Report(
          argument, "`" + std::string(keyword) + "` of `" + name +
                        "` is a global rank, but this value is a rank within a process group; convert it with "
                        "`dist.get_global_rank(group, rank)`");
      context.AddRelated(diagnostic, rank_call, "the rank within the group is read here");
    }
  }

  // True when `node` is the right operand of a division.
  static bool IsDivisor(const RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(node);
    while (Is(parent, sym.parenthesized_expression)) {
      node = parent;
      parent = ts_node_parent(parent);
    }
    if (!Is(parent, sym.binary_operator) && !Is(parent, sym.augmented_assignment)) return false;
    if (!ts_node_eq(Field(parent, "right"), node)) return false;
    const std::string_view op = context.Text(Field(parent, "operator"));
    return op == "/" || op == "//" || op == "/=" || op == "//=";
  }

  // Reports `get_world_size()` without a group in a function
  // whose collectives all pass the same explicit subgroup.
  static void CheckQueryWithoutGroup(RuleContext& context, TSNode query, const std::string& callee) {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();
    if (ts_node_named_child_count(Field(query, "arguments")) > 0) return;
    TSNode scope = semantic.EnclosingScope(query);
    if (!Is(scope, sym.function_definition)) return;

    std::string group_text;
    TSNode first_collective{};
    bool uniform = true;
    Walk(Field(scope, "body"), [&](TSNode node) {
      if (!uniform) return false;
      if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) return false;
      if (!Is(node, sym.call) || !IsCollective(semantic.CalleeName(node))) return true;
      if (ShortName(semantic.CalleeName(node)) == "new_group") return true;
      TSNode group = GroupArgument(context, node);
      if (!IsSubgroup(context, group)) {
        uniform = false;
        return false;
      }
      const std::string text(context.Text(group));
      if (group_text.empty()) {
        group_text = text;
        first_collective = node;
      } else if (group_text != text) {
        uniform = false;
      }
      return true;
    });
    if (!uniform || group_text.empty()) return;

    const std::string name(ShortName(callee));
    Diagnostic& diagnostic = context.Report(
        query, "`" + name + "()` reads the whole job, but the collectives of this function run on `group=" +
                   group_text + "`; pass `group=" + group_text + "` if the value is meant for that group");
    context.AddRelated(diagnostic, first_collective, "this collective runs on the subgroup");
  }
};

DISTLINT_REGISTER_RULE(GroupRankAsGlobalRank);

}  // namespace
}  // namespace distlint
