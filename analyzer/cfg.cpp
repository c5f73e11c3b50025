#include "analyzer/cfg.h"

#include <algorithm>
#include <string>

#include "analyzer/semantic.h"

namespace distlint {

// Builds a ControlFlowGraph statement by statement. Each Statement* call
// takes the block control is in and returns the block where it continues, or
// kNone when the statement never falls through (return, raise, break).
class CfgBuilder {
 public:
  CfgBuilder(ControlFlowGraph& graph, std::string_view text, const SemanticModel* semantic, CfgOptions options)
      : graph_(graph), text_(text), semantic_(semantic), options_(options), sym_(Symbols::Get()) {}

  void Run(TSNode scope) {
    NewBlock();  // kEntry
    NewBlock();  // kExit
    TSNode body = Is(scope, sym_.function_definition) ? Field(scope, "body") : scope;
    const int end = StatementList(body, ControlFlowGraph::kEntry);
    if (end != ControlFlowGraph::kNone) Edge(end, ControlFlowGraph::kExit);
  }

 private:
  struct Loop {
    int continue_target;
    int break_target;
  };

  int NewBlock() {
    graph_.blocks_.emplace_back();
    return static_cast<int>(graph_.blocks_.size()) - 1;
  }

  void Edge(int from, int to) {
    if (from == ControlFlowGraph::kNone || to == ControlFlowGraph::kNone) return;
    std::vector<int>& successors = graph_.blocks_[from].successors;
    if (std::find(successors.begin(), successors.end(), to) != successors.end()) return;
    successors.push_back(to);
    graph_.blocks_[to].predecessors.push_back(from);
  }

  // Code after a return or raise still gets a block (with no predecessor),
  // so every statement maps to one.
  int Live(int block) { return block == ControlFlowGraph::kNone ? NewBlock() : block; }

  void Add(int block, TSNode node) {
    graph_.blocks_[block].statements.push_back(node);
    graph_.block_of_start_.emplace(StartByte(node), block);
  }

  // Ends `block` on a branch decided by `condition`.
  void SetBranch(int block, TSNode condition, TSNode owner) {
    Add(block, condition);
    graph_.blocks_[block].branch = condition;
    graph_.blocks_[block].branch_owner = owner;
  }

  int StatementList(TSNode list, int current) {
    if (ts_node_is_null(list)) return current;
    const uint32_t count = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(list, i);
      if (Is(child, sym_.comment)) continue;
      current = Statement(child, Live(current));
    }
    return current;
  }

  // True when a `try` with handlers encloses the current statement.
  bool InsideHandledTry() const {
    for (const std::vector<int>& handlers : handlers_) {
      if (!handlers.empty()) return true;
    }
    return false;
  }

  // Adds edges from `from` to the targets of a raise at this point: the
  // innermost try's handlers, or the exit.
  void EdgeToRaiseTargets(int from) {
    if (handlers_.empty() || handlers_.back().empty()) {
      Edge(from, ControlFlowGraph::kExit);
      return;
    }
    for (int handler : handlers_.back()) Edge(from, handler);
  }

  int Statement(TSNode statement, int current) {
    const std::string_view kind = ts_node_type(statement);
    const TSSymbol symbol = ts_node_symbol(statement);
    if (symbol == sym_.if_statement) return IfStatement(statement, current);
    if (symbol == sym_.while_statement || symbol == sym_.for_statement) return LoopStatement(statement, current);
    if (symbol == sym_.try_statement) return TryStatement(statement, current);
    if (symbol == sym_.with_statement) {
      for (TSNode child : NamedChildren(statement)) {
        if (!Is(child, sym_.block)) Add(current, child);
      }
      return StatementList(Field(statement, "body"), current);
    }
    if (kind == "match_statement") return MatchStatement(statement, current);
    if (symbol == sym_.return_statement) {
      Add(current, statement);
      Edge(current, ControlFlowGraph::kExit);
      return ControlFlowGraph::kNone;
    }
    if (kind == "raise_statement") {
      Add(current, statement);
      if (!options_.uncaught_raise_exits && !InsideHandledTry()) return current;
      EdgeToRaiseTargets(current);
      return ControlFlowGraph::kNone;
    }
    if (kind == "break_statement" || kind == "continue_statement") {
      Add(current, statement);
      if (!loops_.empty()) {
        Edge(current, kind == "break_statement" ? loops_.back().break_target : loops_.back().continue_target);
      }
      return ControlFlowGraph::kNone;
    }
    if (kind == "assert_statement" && options_.assert_exits) {
      // A failed assert raises: the block may leave here or go on.
      Add(current, statement);
      EdgeToRaiseTargets(current);
      const int next = NewBlock();
      Edge(current, next);
      return next;
    }
    if (symbol == sym_.expression_statement && IsProcessExit(statement)) {
      Add(current, statement);
      Edge(current, ControlFlowGraph::kExit);
      return ControlFlowGraph::kNone;
    }
    if (symbol == sym_.decorated_definition || symbol == sym_.function_definition ||
        symbol == sym_.class_definition) {
      Add(current, statement);
      return current;
    }
    Add(current, statement);
    return current;
  }

  // True for `sys.exit(...)`, `exit(...)`, `quit(...)` and `os._exit(...)`
  // as a statement of their own.
  bool IsProcessExit(TSNode statement) const {
    if (ts_node_named_child_count(statement) != 1) return false;
    TSNode call = ts_node_named_child(statement, 0);
    if (!Is(call, sym_.call)) return false;
    TSNode function = Field(call, "function");
    const std::string_view name = NodeText(function, text_);
    if (semantic_ != nullptr) {
      const std::string qualified = semantic_->QualifiedName(function);
      if (qualified == "sys.exit" || qualified == "os._exit") return true;
      if (!qualified.empty()) return false;
    }
    return name == "exit" || name == "quit" || name == "sys.exit" || name == "os._exit";
  }

  int IfStatement(TSNode statement, int current) {
    SetBranch(current, Field(statement, "condition"), statement);
    std::vector<int> ends;
    ends.push_back(StatementList(Field(statement, "consequence"), Edged(current)));
    int decision = current;
    bool has_else = false;
    for (TSNode clause : NamedChildren(statement)) {
      if (Is(clause, sym_.elif_clause)) {
        const int elif_block = Edged(decision);
        SetBranch(elif_block, Field(clause, "condition"), clause);
        ends.push_back(StatementList(Field(clause, "consequence"), Edged(elif_block)));
        decision = elif_block;
      } else if (Is(clause, sym_.else_clause)) {
        ends.push_back(StatementList(Field(clause, "body"), Edged(decision)));
        has_else = true;
      }
    }
    const int join = NewBlock();
    if (!has_else) Edge(decision, join);
    for (int end : ends) Edge(end, join);
    return graph_.blocks_[join].predecessors.empty() ? ControlFlowGraph::kNone : join;
  }

  // A new block with an edge from `from`.
  int Edged(int from) {
    const int block = NewBlock();
    Edge(from, block);
    return block;
  }

  bool IsAlwaysTrue(TSNode condition) const {
    const std::string_view text = NodeText(condition, text_);
    return text == "True" || text == "1";
  }

  int LoopStatement(TSNode statement, int current) {
    const bool is_while = Is(statement, sym_.while_statement);
    const int header = Edged(current);
    TSNode decider = is_while ? Field(statement, "condition") : Field(statement, "right");
    if (!is_while) Add(header, Field(statement, "left"));
    SetBranch(header, decider, statement);
    const int after = NewBlock();
    loops_.push_back({header, after});
    const int body_end = StatementList(Field(statement, "body"), Edged(header));
    loops_.pop_back();
    Edge(body_end, header);

    // The loop's `else` runs when the loop ends without `break`.
    TSNode else_clause{};
    for (TSNode child : NamedChildren(statement)) {
      if (Is(child, sym_.else_clause)) else_clause = child;
    }
    if (!(is_while && IsAlwaysTrue(decider))) {
      if (ts_node_is_null(else_clause)) {
        Edge(header, after);
      } else {
        Edge(StatementList(Field(else_clause, "body"), Edged(header)), after);
      }
    }
    return graph_.blocks_[after].predecessors.empty() ? ControlFlowGraph::kNone : after;
  }

  int TryStatement(TSNode statement, int current) {
    std::vector<TSNode> handler_clauses;
    TSNode else_clause{};
    TSNode finally_clause{};
    for (TSNode child : NamedChildren(statement)) {
      const std::string_view kind = ts_node_type(child);
      if (kind == "except_clause" || kind == "except_group_clause") handler_clauses.push_back(child);
      if (Is(child, sym_.else_clause)) else_clause = child;
      if (kind == "finally_clause") finally_clause = child;
    }

    std::vector<int> handler_entries;
    for (size_t i = 0; i < handler_clauses.size(); ++i) handler_entries.push_back(NewBlock());

    // Any statement of the body may raise, so every body block may go to
    // every handler.
    const int body_entry = Edged(current);
    const int first_body_block = body_entry;
    handlers_.push_back(handler_entries);
    int end = StatementList(Field(statement, "body"), body_entry);
    handlers_.pop_back();
    const int after_body_blocks = static_cast<int>(graph_.blocks_.size());
    for (int block = first_body_block; block < after_body_blocks; ++block) {
      bool in_handlers = std::find(handler_entries.begin(), handler_entries.end(), block) != handler_entries.end();
      if (in_handlers) continue;
      for (int handler : handler_entries) Edge(block, handler);
    }
    if (handler_entries.empty() && !ts_node_is_null(finally_clause) &&
        (options_.uncaught_raise_exits || InsideHandledTry())) {
      // try/finally without handlers: an exception in the body leaves the
      // function after the finally block.
      // NOTE: the graph sends it to the exit directly, skipping the finally body.
      for (int block = first_body_block; block < after_body_blocks; ++block) EdgeToRaiseTargets(block);
    }
    if (!ts_node_is_null(else_clause)) {
      end = StatementList(Field(else_clause, "body"), end == ControlFlowGraph::kNone ? NewBlock() : Edged(end));
    }

    std::vector<int> ends = {end};
    for (size_t i = 0; i < handler_clauses.size(); ++i) {
      const int handler = handler_entries[i];
      TSNode body{};
      for (TSNode child : NamedChildren(handler_clauses[i])) {
        if (Is(child, sym_.block)) {
          body = child;
        } else if (!Is(child, sym_.comment)) {
          Add(handler, child);
        }
      }
      ends.push_back(StatementList(body, handler));
    }

    const int join = NewBlock();
    for (int block : ends) Edge(block, join);
    if (ts_node_is_null(finally_clause)) {
      return graph_.blocks_[join].predecessors.empty() ? ControlFlowGraph::kNone : join;
    }
    // NOTE: a return inside the try goes to the exit without the finally body.
    TSNode finally_body{};
    for (TSNode child : NamedChildren(finally_clause)) {
      if (Is(child, sym_.block)) finally_body = child;
    }
    return StatementList(finally_body, join);
  }

  int MatchStatement(TSNode statement, int current) {
    SetBranch(current, Field(statement, "subject"), statement);
    const int join = NewBlock();
    bool has_wildcard = false;
    TSNode body = Field(statement, "body");
    for (TSNode clause : NamedChildren(body)) {
      if (std::string_view(ts_node_type(clause)) != "case_clause") continue;
      const int arm = Edged(current);
      TSNode consequence = Field(clause, "consequence");
      for (TSNode child : NamedChildren(clause)) {
        if (!ts_node_eq(child, consequence)) Add(arm, child);
      }
      const bool guarded = !ts_node_is_null(Field(clause, "guard"));
      if (!guarded && ts_node_named_child_count(clause) >= 1) {
        const std::string_view pattern = NodeText(ts_node_named_child(clause, 0), text_);
        if (pattern == "_") has_wildcard = true;
      }
      Edge(StatementList(consequence, arm), join);
    }
    if (!has_wildcard) Edge(current, join);
    return graph_.blocks_[join].predecessors.empty() ? ControlFlowGraph::kNone : join;
  }

  ControlFlowGraph& graph_;
  std::string_view text_;
  const SemanticModel* semantic_;
  CfgOptions options_;
  const Symbols& sym_;
  std::vector<Loop> loops_;
  std::vector<std::vector<int>> handlers_;
};

namespace {

// Reverse postorder of the blocks reachable from `start` over `edges`.
std::vector<int> ReversePostorder(const std::vector<std::vector<int>>& edges, int start) {
  std::vector<int> order;
  std::vector<char> seen(edges.size(), 0);
  std::vector<std::pair<int, size_t>> stack = {{start, 0}};
  seen[start] = 1;
  while (!stack.empty()) {
    auto& [block, next] = stack.back();
    if (next < edges[block].size()) {
      const int successor = edges[block][next++];
      if (!seen[successor]) {
        seen[successor] = 1;
        stack.emplace_back(successor, 0);
      }
      continue;
    }
    order.push_back(block);
    stack.pop_back();
  }
  std::reverse(order.begin(), order.end());
  return order;
}

// Immediate dominators over `successors` from `start` (Cooper, Harvey and
// Kennedy, "A Simple, Fast Dominance Algorithm", 2001). Blocks that `start`
// does not reach get kNone; `start` is its own immediate dominator.
std::vector<int> ImmediateDominators(const std::vector<std::vector<int>>& successors,
                                     const std::vector<std::vector<int>>& predecessors, int start) {
  const std::vector<int> order = ReversePostorder(successors, start);
  std::vector<int> position(successors.size(), -1);
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int>(i);
  std::vector<int> idom(successors.size(), ControlFlowGraph::kNone);
  idom[start] = start;

  auto intersect = [&](int a, int b) {
    while (a != b) {
      while (position[a] > position[b]) a = idom[a];
      while (position[b] > position[a]) b = idom[b];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 1; i < order.size(); ++i) {
      const int block = order[i];
      int candidate = ControlFlowGraph::kNone;
      for (int predecessor : predecessors[block]) {
        if (idom[predecessor] == ControlFlowGraph::kNone) continue;
        candidate = candidate == ControlFlowGraph::kNone ? predecessor : intersect(predecessor, candidate);
      }
      if (candidate != idom[block]) {
        idom[block] = candidate;
        changed = true;
      }
    }
  }
  return idom;
}

bool TreeAncestor(const std::vector<int>& parent, int ancestor, int block) {
  if (parent[block] == ControlFlowGraph::kNone) return false;
  for (int current = block;;) {
    if (current == ancestor) return true;
    const int next = parent[current];
    if (next == current || next == ControlFlowGraph::kNone) return false;
    current = next;
  }
}

}  // namespace

ControlFlowGraph ControlFlowGraph::Build(TSNode scope, std::string_view text, const SemanticModel* semantic,
                                         CfgOptions options) {
  ControlFlowGraph graph;
  CfgBuilder(graph, text, semantic, options).Run(scope);
  graph.ComputeDominators();
  graph.ComputePostDominators();
  graph.ComputeControlDependence();
  return graph;
}

int ControlFlowGraph::BlockOf(TSNode node) const {
  for (TSNode current = node; !ts_node_is_null(current); current = ts_node_parent(current)) {
    auto it = block_of_start_.find(StartByte(current));
    if (it == block_of_start_.end()) continue;
    // The key is a start byte, so make sure `current` is the mapped node or
    // starts with it (an expression statement and its call share a start).
    for (TSNode statement : blocks_[it->second].statements) {
      if (StartByte(statement) == StartByte(current) && EndByte(statement) >= EndByte(current)) return it->second;
    }
  }
  return kNone;
}

void ControlFlowGraph::ComputeDominators() {
  std::vector<std::vector<int>> successors(blocks_.size());
  std::vector<std::vector<int>> predecessors(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) {
    successors[i] = blocks_[i].successors;
    predecessors[i] = blocks_[i].predecessors;
  }
  idom_ = ImmediateDominators(successors, predecessors, kEntry);
}

void ControlFlowGraph::ComputePostDominators() {
  std::vector<std::vector<int>> successors(blocks_.size());
  std::vector<std::vector<int>> predecessors(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) {
    successors[i] = blocks_[i].predecessors;
    predecessors[i] = blocks_[i].successors;
  }
  ipdom_ = ImmediateDominators(successors, predecessors, kExit);
}

void ControlFlowGraph::ComputeControlDependence() {
  // For each edge A -> S, the blocks from S up the post-dominator tree to
  // (not including) A's immediate post-dominator depend on A.
  control_parents_.assign(blocks_.size(), {});
  for (size_t a = 0; a < blocks_.size(); ++a) {
    if (blocks_[a].successors.size() < 2) continue;
    const int stop = ipdom_[a];
    for (int successor : blocks_[a].successors) {
      for (int runner = successor; runner != kNone && runner != stop;) {
        std::vector<int>& parents = control_parents_[runner];
        if (std::find(parents.begin(), parents.end(), static_cast<int>(a)) == parents.end()) {
          parents.push_back(static_cast<int>(a));
        }
        const int next = ipdom_[runner];
        if (next == runner) break;
        runner = next;
      }
    }
  }
}

bool ControlFlowGraph::Dominates(int dominator, int block) const { return TreeAncestor(idom_, dominator, block); }

bool ControlFlowGraph::PostDominates(int post_dominator, int block) const {
  return TreeAncestor(ipdom_, post_dominator, block);
}

std::vector<int> ControlFlowGraph::ControlDependencies(int block) const {
  std::vector<int> result;
  std::vector<int> work = {block};
  std::vector<char> seen(blocks_.size(), 0);
  while (!work.empty()) {
    const int current = work.back();
    work.pop_back();
    for (int parent : control_parents_[current]) {
      if (seen[parent]) continue;
      seen[parent] = 1;
      result.push_back(parent);
      work.push_back(parent);
    }
  }
  return result;
}

}  // namespace distlint
