// RAII ownership of tree-sitter objects and small helpers over TSNode.
// Rule code never frees a tree-sitter object by hand.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distlint {

const TSLanguage* PythonLanguage();

// Owns a TSTree. Move-only.
class SyntaxTree {
 public:
  SyntaxTree() = default;
  explicit SyntaxTree(TSTree* tree) : tree_(tree) {}
  SyntaxTree(SyntaxTree&& other) noexcept : tree_(other.tree_) { other.tree_ = nullptr; }
  SyntaxTree& operator=(SyntaxTree&& other) noexcept;
  SyntaxTree(const SyntaxTree&) = delete;
  SyntaxTree& operator=(const SyntaxTree&) = delete;
  ~SyntaxTree();

  bool valid() const { return tree_ != nullptr; }
  TSNode root() const { return ts_tree_root_node(tree_); }
  const TSTree* get() const { return tree_; }

 private:
  TSTree* tree_ = nullptr;
};

// Owns a TSParser set to the Python grammar. One per thread: a parser is not
// thread-safe, but separate parsers may run concurrently.
class PythonParser {
 public:
  PythonParser();
  PythonParser(const PythonParser&) = delete;
  PythonParser& operator=(const PythonParser&) = delete;
  ~PythonParser();

  SyntaxTree Parse(std::string_view text);

 private:
  TSParser* parser_ = nullptr;
};

// The first syntax error in a tree: where it is and what the parser saw.
struct SyntaxError {
  uint32_t offset = 0;
  std::string message;
};
std::optional<SyntaxError> FindSyntaxError(TSNode root, std::string_view text);

// Symbol ids of the node kinds distlint dispatches on, looked up once.
struct Symbols {
  TSSymbol module, call, attribute, identifier, string, integer, float_, keyword_argument, argument_list,
      if_statement, elif_clause, else_clause, block, function_definition, class_definition, lambda,
      import_statement, import_from_statement, aliased_import, dotted_name, relative_import,
      assignment, augmented_assignment, comparison_operator, subscript, binary_operator, boolean_operator,
      not_operator, parenthesized_expression, conditional_expression, expression_statement,
      decorated_definition, string_content, for_statement, while_statement, with_statement, try_statement,
      return_statement, parameters, default_parameter, typed_parameter, typed_default_parameter,
      list_splat, dictionary_splat, comment, pattern_list, tuple_pattern, tuple, concatenated_string,
      unary_operator, wildcard_import;
  static const Symbols& Get();
};

inline bool Is(TSNode node, TSSymbol symbol) { return !ts_node_is_null(node) && ts_node_symbol(node) == symbol; }
inline uint32_t StartByte(TSNode node) { return ts_node_start_byte(node); }
inline uint32_t EndByte(TSNode node) { return ts_node_end_byte(node); }
std::string_view NodeText(TSNode node, std::string_view text);
TSNode Field(TSNode node, const char* name);

// Named children of a node, in order.
std::vector<TSNode> NamedChildren(TSNode node);

// The value of a plain string literal without prefix and quotes, or nullopt
// for f-strings, byte strings, concatenations and escapes it cannot read.
std::optional<std::string> StringLiteralValue(TSNode node, std::string_view text);

// Calls `visit` on every node of the subtree in document order. Returning
// false from `visit` skips the node's children.
template <typename Visit>
void Walk(TSNode root, Visit&& visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool descend = true;
  for (;;) {
    if (descend) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      if (visit(node) && ts_tree_cursor_goto_first_child(&cursor)) continue;
    }
    if (ts_tree_cursor_goto_next_sibling(&cursor)) {
      descend = true;
      continue;
    }
    bool moved = false;
    while (ts_tree_cursor_goto_parent(&cursor)) {
      if (ts_node_eq(ts_tree_cursor_current_node(&cursor), root)) break;
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
        break;
      }
    }
    if (!moved) break;
    descend = true;
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace distlint
