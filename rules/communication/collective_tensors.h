// Helpers of the rules that judge the tensors passed to a collective.
#pragma once

#include <string_view>

#include "analyzer/semantic.h"
#include "analyzer/syntax.h"
#include "fixers/edits.h"

namespace distlint {

// The tensor that a torch.distributed collective `name` (short name) sends
// or receives in place: its first positional argument, or the `tensor=`
// keyword. For all_gather_into_tensor and reduce_scatter_tensor both the
// output and the input are returned through `second`. Null when the
// collective takes a list or an object (all_gather, gather_object...).
inline TSNode CollectiveTensorArgument(std::string_view name, TSNode call, std::string_view text,
                                       TSNode* second = nullptr) {
  static constexpr std::string_view kSingleTensor[] = {"all_reduce", "broadcast", "reduce", "all_to_all_single"};
  static constexpr std::string_view kOutputInput[] = {"all_gather_into_tensor", "reduce_scatter_tensor",
                                                      "_all_gather_base", "_reduce_scatter_base"};
  for (std::string_view single : kSingleTensor) {
    if (name != single) continue;
    TSNode keyword = fixers::KeywordArgument(call, "tensor", text);
    if (!ts_node_is_null(keyword)) return Field(keyword, "value");
    return fixers::PositionalArgument(call, 0);
  }
  for (std::string_view pair : kOutputInput) {
    if (name != pair) continue;
    if (second != nullptr) *second = fixers::PositionalArgument(call, 1);
    return fixers::PositionalArgument(call, 0);
  }
  return TSNode{};
}

}  // namespace distlint
