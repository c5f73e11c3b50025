// COM006 group-rank-as-global-rank
#include <filesystem>
#include <string>
#include <string_view>
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
Finds three mix-ups between a rank within a process group and a rank within
the whole job:

- the `src` or `dst` of a torch.distributed collective on an explicit
  group (by keyword or by position) is a rank within a group:
  `dist.get_rank(group)`, `dist.get_rank(group=g)`, `g.rank()`, or a
  variable assigned from an expression that reads one;
- the `src` or `dst` of a collective on an explicit group is an integer
  literal such as `0`: it names that rank of the whole job, which is a
  member of one group of a partition (of the data-parallel groups, say)
  and of none of the others. Tests (files named `test_*.py` or
  `*_test.py`, or that import pytest or unittest) are skipped for this
  case, because a test fixes the process layout, often to one group that
  spans the job, and so is a branch that first checks that the group is the whole job
  (`if group == dist.get_world_group():`);
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
dist.broadcast(tensor, src=0, group=tp_group)

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

## Known limits
A literal rank is reported even where the group is known to contain it
(`new_group([0, 1])`): the rule does not follow the group's members.
)md",
    /*enabled_by_default=*/true};

// True for a test: a file named `test_*.py` or `*_test.py`, or one that
// imports pytest or unittest.
bool IsTestFile(const RuleContext& context) {
  const std::string name = std::filesystem::path(context.file().path()).filename().string();
  if (name.starts_with("test_") || name.ends_with("_test.py")) return true;
  return context.semantic().ImportsUnder("pytest") || context.semantic().ImportsUnder("unittest");
}

// True when `call` sits in the body of an `if` whose condition compares
// `group` with the world group (`group == dist.get_world_group()`,
// `group is dist.group.WORLD`), where rank 0 is a member.
bool UnderWorldGroupTest(const RuleContext& context, TSNode call, TSNode group) {
  const Symbols& sym = context.symbols();
  const std::string_view group_text = context.Text(group);
  for (TSNode child = call, node = ts_node_parent(call); !ts_node_is_null(node);
       child = node, node = ts_node_parent(node)) {
    if (Is(node, sym.function_definition)) return false;
    if (!Is(node, sym.if_statement) || !ts_node_eq(Field(node, "consequence"), child)) continue;
    TSNode condition = Field(node, "condition");
    if (!Is(condition, sym.comparison_operator) || ts_node_named_child_count(condition) != 2) continue;
    const std::string_view left = context.Text(ts_node_named_child(condition, 0));
    const std::string_view right = context.Text(ts_node_named_child(condition, 1));
    auto is_world = [](std::string_view text) {
      return text.find("WORLD") != std::string_view::npos || text.find("world_group") != std::string_view::npos;
    };
    if ((left == group_text && is_world(right)) || (right == group_text && is_world(left))) return true;
  }
  return false;
}

// The positional index of the source or destination rank and of the group in
// the collectives that take one (torch.distributed signatures, torch 2.x).
struct RankParameter {
  std::string_view collective;
  std::string_view keyword;
  int rank_position;
  int group_position;
};
constexpr RankParameter kRankParameters[] = {
    {"broadcast", "src", 1, 2},      {"broadcast_object_list", "src", 1, 2}, {"reduce", "dst", 1, 3},
    {"gather", "dst", 2, 3},         {"gather_object", "dst", 2, 3},         {"scatter", "src", 2, 3},
    {"scatter_object_list", "src", 2, 3},
};

// The argument of `call` at keyword `keyword` or at `position` (counting
// positional arguments only): the value node, or null. `keyword_node`
// receives the keyword_argument when the value was passed by keyword.
TSNode ArgumentValue(const RuleContext& context, TSNode call, std::string_view keyword, int position,
                     TSNode* keyword_node = nullptr) {
  const Symbols& sym = context.symbols();
  int index = 0;
  for (TSNode argument : NamedChildren(Field(call, "arguments"))) {
    if (Is(argument, sym.comment)) continue;
    if (Is(argument, sym.keyword_argument)) {
      if (context.Text(Field(argument, "name")) != keyword) continue;
      if (keyword_node != nullptr) *keyword_node = argument;
      return Field(argument, "value");
    }
    if (std::string_view(ts_node_type(argument)) == "list_splat" ||
        std::string_view(ts_node_type(argument)) == "dictionary_splat") {
      return TSNode{};
    }
    if (index++ == position) return argument;
  }
  return TSNode{};
}

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

// The group of a collective with a source or destination rank, passed by
// keyword or by position, or a null node.
TSNode RankCollectiveGroup(const RuleContext& context, TSNode call, const RankParameter& parameter) {
  return ArgumentValue(context, call, "group", parameter.group_position);
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
    const std::string name(ShortName(context.semantic().CalleeName(call)));
    const RankParameter* parameter = nullptr;
    for (const RankParameter& candidate : kRankParameters) {
      if (candidate.collective == name) parameter = &candidate;
    }
    if (parameter == nullptr) return;
    TSNode group = RankCollectiveGroup(context, call, *parameter);
    if (!IsSubgroup(context, group)) return;
    TSNode keyword_node{};
    TSNode value = ArgumentValue(context, call, parameter->keyword, parameter->rank_position, &keyword_node);
    if (ts_node_is_null(value)) return;
    TSNode reported = ts_node_is_null(keyword_node) ? value : keyword_node;
    const std::string keyword(parameter->keyword);

    if (Is(value, sym.integer)) {
      if (IsTestFile(context) || UnderWorldGroupTest(context, call, group)) return;
      Diagnostic& diagnostic = context.Report(
          reported, "`" + keyword + "` of `" + name + "` is a global rank, so `" + std::string(context.Text(value)) +
                        "` names that rank of the whole job, which is not a member of every group; pass "
                        "`dist.get_global_rank(group, " + std::string(context.Text(value)) + ")` for the group's rank " +
                        std::string(context.Text(value)));
      context.AddRelated(diagnostic, group, "the collective runs on this group");
      return;
    }

    TSNode rank_call = GroupRankCall(context, value);
    if (ts_node_is_null(rank_call) && Is(value, sym.identifier)) {
      TSNode assigned = LastAssignedValue(context.semantic(), value);
      if (!ts_node_is_null(assigned)) rank_call = GroupRankCall(context, assigned);
    }
    if (ts_node_is_null(rank_call)) return;
    Diagnostic& diagnostic = context.Report(
        reported, "`" + keyword + "` of `" + name +
                      "` is a global rank, but this value is a rank within a process group; convert it with "
                      "`dist.get_global_rank(group, rank)`");
    context.AddRelated(diagnostic, rank_call, "the rank within the group is read here");
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
