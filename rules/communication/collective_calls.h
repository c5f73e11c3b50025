// Helpers that the communication rules share: finding the calls in a
// subtree that issue collectives.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/semantic.h"
#include "analyzer/syntax.h"

namespace distlint {

// Calls in `root` that issue a collective (SemanticModel::IssuedCollective),
// in source order, not looking into nested function, class or lambda
// definitions: they run later, if at all.
inline std::vector<TSNode> CollectiveCallsIn(const SemanticModel& semantic, TSNode root) {
  const Symbols& sym = Symbols::Get();
  const std::vector<TSNode>& all = semantic.CollectiveCalls();
  const uint32_t start = StartByte(root);
  const uint32_t end = EndByte(root);
  auto first = std::lower_bound(all.begin(), all.end(), start,
                                [](TSNode call, uint32_t offset) { return StartByte(call) < offset; });
  std::vector<TSNode> calls;
  for (auto it = first; it != all.end() && StartByte(*it) < end; ++it) {
    bool nested = false;
    for (TSNode node = ts_node_parent(*it); !ts_node_is_null(node) && !ts_node_eq(node, root);
         node = ts_node_parent(node)) {
      if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) {
        nested = true;
        break;
      }
    }
    if (!nested && EndByte(*it) <= end) calls.push_back(*it);
  }
  return calls;
}

// True when the rank enters `source` only through a pipeline-stage test
// (`is_pipeline_last_stage()`, `stage_manager.is_first_stage()`). The ranks
// of one data- or tensor-parallel group share their stage, so collectives on
// those groups under such a test are reached by the whole group.
// NOTE: a collective on the pipeline group (or the world) under a stage test
// can still hang, and this filter hides it.
inline bool IsPipelineStageTest(const SemanticModel& semantic, TSNode source) {
  if (!Is(source, Symbols::Get().call)) return false;
  TSNode function = Field(source, "function");
  std::string_view name = semantic.Text(function);
  name = ShortName(name);
  return name.find("_stage") != std::string_view::npos;
}

// Follows a rank-dependent variable back to the expression it was assigned
// from (`tp_rank = get_tensor_model_parallel_rank()`), up to four steps, in
// the variable's function and then at module level. Other nodes are
// returned as they are.
inline TSNode OriginalRankSource(const SemanticModel& semantic, TSNode source, int depth = 0) {
  const Symbols& sym = Symbols::Get();
  if (!Is(source, sym.identifier) || depth >= 4) return source;
  const std::string_view name = semantic.Text(source);
  TSNode scope = semantic.EnclosingScope(source);
  TSNode module = scope;
  while (!ts_node_is_null(ts_node_parent(module))) module = ts_node_parent(module);
  for (TSNode search : {scope, module}) {
    TSNode value{};
    Walk(search, [&](TSNode node) {
      if (!ts_node_is_null(value)) return false;
      if (!ts_node_eq(node, search) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
        return false;
      }
      if (Is(node, sym.assignment) && StartByte(node) < StartByte(source)) {
        bool assigns = false;
        Walk(Field(node, "left"), [&](TSNode target) {
          if (Is(target, sym.identifier) && semantic.Text(target) == name) assigns = true;
          return !assigns;
        });
        TSNode right = Field(node, "right");
        if (assigns && !ts_node_is_null(right)) {
          TSNode inner = semantic.RankSource(right);
          if (!ts_node_is_null(inner)) value = inner;
        }
      }
      return true;
    });
    if (!ts_node_is_null(value)) return OriginalRankSource(semantic, value, depth + 1);
  }
  return source;
}

// True when `source` (after OriginalRankSource) reads the rank within the
// whole job: get_rank() without a group, a rank environment variable, a
// `rank` or `local_rank` parameter or attribute, the current CUDA device, or
// an is_main_process()-style helper. A rank within a subgroup (a framework's
// get_tensor_model_parallel_rank(), get_rank(group), pg.rank()) is not.
inline bool IsJobWideRankSource(const SemanticModel& semantic, TSNode source) {
  const Symbols& sym = Symbols::Get();
  if (!Is(source, sym.call)) return true;  // Environment reads, attributes and parameters.
  const std::string callee = semantic.CalleeName(source);
  const bool has_arguments = ts_node_named_child_count(Field(source, "arguments")) > 0;
  if (callee == "torch.distributed.get_rank" || callee == "torch.distributed.get_node_local_rank") {
    return !has_arguments;
  }
  if (callee == "torch.cuda.current_device" || callee == "os.environ.get" || callee == "os.getenv") return true;
  TSNode function = Field(source, "function");
  const std::string_view name =
      ShortName(Is(function, sym.attribute) ? semantic.Text(Field(function, "attribute")) : semantic.Text(function));
  return name == "is_main_process" || name == "is_local_main_process" || name == "is_rank_0";
}

// True when `call` is a collective of torch.distributed on the default
// group: no `group` argument and no positional argument past the tensor and
// the operation. A project function that hides a collective does not count,
// because its group is not known here.
inline bool OnDefaultGroup(const SemanticModel& semantic, TSNode call) {
  const Symbols& sym = Symbols::Get();
  if (!IsCollective(semantic.CalleeName(call))) return false;
  if (ShortName(semantic.CalleeName(call)) == "new_group") return true;  // Every rank of the job takes part.
  size_t positional = 0;
  for (TSNode argument : NamedChildren(Field(call, "arguments"))) {
    if (Is(argument, sym.keyword_argument)) {
      if (semantic.Text(Field(argument, "name")) == "group") return false;
    } else if (!Is(argument, sym.comment)) {
      ++positional;
    }
  }
  return positional <= 2;
}

// True when the condition on `source` reads a subgroup rank and the
// collective runs on an explicit group or inside a project function. Every
// member of the collective's group may then take the same branch, because
// the members of one group often share their rank in another (the rows and
// columns of a process mesh), which static analysis cannot see.
// NOTE: a collective on the same subgroup as the rank the condition reads
// does hang, and this filter hides it.
inline bool MayBeUniformWithinGroup(const SemanticModel& semantic, TSNode source, TSNode call) {
  return !IsJobWideRankSource(semantic, OriginalRankSource(semantic, source)) && !OnDefaultGroup(semantic, call);
}

// The value last assigned to the variable `use` (an identifier) by a plain
// `name = value` before `use` in its function or module, not looking into
// nested definitions, or a null node.
// NOTE: this is textual order, not control flow: an assignment in an `if`
// arm counts even when the other arm runs.
inline TSNode LastAssignedValue(const SemanticModel& semantic, TSNode use) {
  const Symbols& sym = Symbols::Get();
  const std::string_view name = semantic.Text(use);
  TSNode scope = semantic.EnclosingScope(use);
  TSNode value{};
  Walk(scope, [&](TSNode node) {
    if (StartByte(node) >= StartByte(use)) return false;
    if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
      return false;
    }
    TSNode left = Field(node, "left");
    if (Is(node, sym.assignment) && Is(left, sym.identifier) && semantic.Text(left) == name &&
        !ts_node_is_null(Field(node, "right"))) {
      value = Field(node, "right");
    }
    return true;
  });
  return value;
}

// The source text of a condition on one line, cut to 60 characters, for
// messages.
inline std::string Abbreviate(std::string_view text) {
  std::string result;
  for (char c : text) {
    if (c == '\n' || c == '\r') c = ' ';
    if (c == ' ' && !result.empty() && result.back() == ' ') continue;
    result.push_back(c);
  }
  if (result.size() > 60) result = result.substr(0, 57) + "...";
  return result;
}

// "`barrier`", or "`save` (which issues `barrier`)" for a project function.
inline std::string DescribeCollectiveCall(const SemanticModel& semantic, TSNode call) {
  std::string through;
  const std::string name = semantic.IssuedCollective(call, &through);
  if (through.empty()) return "`" + name + "`";
  return "`" + std::string(ShortName(through)) + "` (which issues `" + name + "`)";
}

}  // namespace distlint
