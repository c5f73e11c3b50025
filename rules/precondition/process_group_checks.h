// Helpers shared by the missing-precondition rules: finding
// `is_initialized()` checks, and computing a fact about a whole file once.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "analyzer/rule.h"

namespace distlint {

inline constexpr std::string_view kIsInitialized = "torch.distributed.is_initialized";

// True when `root` contains a call of `torch.distributed.is_initialized`
// (through any alias, `deepspeed.comm` included).
inline bool CallsIsInitialized(const RuleContext& context, TSNode root) {
  const Symbols& sym = context.symbols();
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    if (Is(node, sym.call) && context.semantic().CalleeName(node) == kIsInitialized) found = true;
    return !found;
  });
  return found;
}

// Returns `compute(context, root)` for the file of `node`, computed once per
// file text and thread. Rules are shared between worker threads, so the
// cache is thread-local. It is keyed by the text's hash and size, because
// the next file can reuse the addresses of this one. Each call site with its
// own `Compute` type gets its own cache.
template <typename Compute>
bool CachedFileFact(const RuleContext& context, TSNode node, Compute compute) {
  thread_local size_t cached_hash = 0;
  thread_local size_t cached_size = 0;
  thread_local bool cached_result = false;
  const size_t hash = std::hash<std::string_view>{}(context.text());
  if (hash != cached_hash || context.text().size() != cached_size) {
    cached_result = compute(context, ts_tree_root_node(node.tree));
    cached_hash = hash;
    cached_size = context.text().size();
  }
  return cached_result;
}

}  // namespace distlint
