// Control flow of one Python function (or module body) over its syntax tree,
// with dominator and post-dominator trees.
//
// A block holds simple statements and, for a branch point, the condition (or
// loop iterable) that decides where control goes. Every way out of the
// function (return, raise outside a try, falling off the end, `sys.exit()`,
// `exit()`, `quit()`, `os._exit()`, a failed `assert`) reaches the one exit
// block, so a statement that post-dominates a branch point runs on every
// path through it that ends the function.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/syntax.h"

namespace distlint {

class SemanticModel;

// Graph-building options: the statements that the graph treats as leaving
// the function.
struct CfgOptions {
  // A failed `assert` leaves (to the innermost handlers or the exit). When
  // false, an `assert` is an ordinary statement, for rules that take a failed
  // assert as fatal to the whole job.
  bool assert_exits = true;
  // A `raise` that no enclosing `try` of the function handles leaves. When
  // false, such a raise (and an implicit exception inside a `try` without
  // handlers) is an ordinary statement: the uncaught exception ends the
  // process with an error, and the launcher then ends the job, so no rank
  // waits for it. A raise inside a `try` with handlers still goes to them.
  bool uncaught_raise_exits = true;
};

struct CfgBlock {
  // Simple statements and headers of compound statements, in order.
  std::vector<TSNode> statements;
  // The expression that chooses the successor: an `if`/`elif`/`while`
  // condition, a `for` iterable, a `match` subject. Null for a block with
  // one way out.
  TSNode branch{};
  // The statement that owns `branch` (the if_statement, elif_clause,
  // for_statement, while_statement or match_statement).
  TSNode branch_owner{};
  std::vector<int> successors;
  std::vector<int> predecessors;
};

class ControlFlowGraph {
 public:
  static constexpr int kEntry = 0;
  static constexpr int kExit = 1;
  static constexpr int kNone = -1;

  // Builds the graph of `scope`: a function_definition (its body) or a
  // module. Nested function and class bodies are not entered. `semantic`,
  // when set, resolves `sys.exit`-style calls through the file's imports;
  // without it the bare names `exit`, `quit` and `sys.exit` are recognised.
  static ControlFlowGraph Build(TSNode scope, std::string_view text, const SemanticModel* semantic = nullptr,
                                CfgOptions options = {});

  const std::vector<CfgBlock>& blocks() const { return blocks_; }
  // The block holding `statement` (a statement, or the header of a compound
  // statement via its condition), or kNone for a statement not in the graph.
  int BlockOf(TSNode node) const;
  // True when every path from the entry to `block` passes through `dominator`.
  bool Dominates(int dominator, int block) const;
  // True when every path from `block` to the exit passes through
  // `post_dominator`. A block with no path to the exit (an endless loop) is
  // post-dominated by nothing.
  bool PostDominates(int post_dominator, int block) const;
  int ImmediateDominator(int block) const { return idom_[block]; }
  int ImmediatePostDominator(int block) const { return ipdom_[block]; }
  // True when the entry reaches `block`.
  bool Reachable(int block) const { return idom_[block] != kNone || block == kEntry; }
  // Branch blocks on which `block` is control dependent, directly or through
  // other branch blocks (the iterated post-dominance frontier).
  std::vector<int> ControlDependencies(int block) const;

 private:
  friend class CfgBuilder;
  void ComputeDominators();
  void ComputePostDominators();
  void ComputeControlDependence();

  std::vector<CfgBlock> blocks_;
  std::unordered_map<uint32_t, int> block_of_start_;  // Statement start byte -> block.
  std::vector<int> idom_;
  std::vector<int> ipdom_;
  std::vector<std::vector<int>> control_parents_;
};

}  // namespace distlint
