#include "analyzer/syntax.h"

#include <cstring>
#include <stdexcept>

extern "C" const TSLanguage* tree_sitter_python();

namespace distlint {

const TSLanguage* PythonLanguage() { return tree_sitter_python(); }

SyntaxTree& SyntaxTree::operator=(SyntaxTree&& other) noexcept {
  if (this != &other) {
    if (tree_) ts_tree_delete(tree_);
    tree_ = other.tree_;
    other.tree_ = nullptr;
  }
  return *this;
}

SyntaxTree::~SyntaxTree() {
  if (tree_) ts_tree_delete(tree_);
}

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!ts_parser_set_language(parser_, PythonLanguage())) {
    ts_parser_delete(parser_);
    throw std::runtime_error("the tree-sitter Python grammar's ABI does not match the tree-sitter library");
  }
}

PythonParser::~PythonParser() { ts_parser_delete(parser_); }

SyntaxTree PythonParser::Parse(std::string_view text) {
  return SyntaxTree(ts_parser_parse_string(parser_, nullptr, text.data(), static_cast<uint32_t>(text.size())));
}

std::optional<SyntaxError> FindSyntaxError(TSNode root, std::string_view text) {
  if (!ts_node_has_error(root)) return std::nullopt;
  std::optional<SyntaxError> found;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    if (!ts_node_has_error(node)) return false;
    if (ts_node_is_missing(node)) {
      found = SyntaxError{StartByte(node), std::string("expected '") + ts_node_type(node) + "'"};
      return false;
    }
    if (std::string_view(ts_node_type(node)) == "ERROR") {
      std::string_view snippet = NodeText(node, text);
      const size_t newline = snippet.find('\n');
      if (newline != std::string_view::npos) snippet = snippet.substr(0, newline);
      if (snippet.size() > 40) snippet = snippet.substr(0, 40);
      found = SyntaxError{StartByte(node), "invalid syntax near '" + std::string(snippet) + "'"};
      // Keep descending: a more precise MISSING node may sit inside.
    }
    return true;
  });
  if (!found) found = SyntaxError{StartByte(root), "invalid syntax"};
  return found;
}

namespace {
TSSymbol Lookup(const char* name, bool named = true) {
  const TSSymbol symbol =
      ts_language_symbol_for_name(PythonLanguage(), name, static_cast<uint32_t>(std::strlen(name)), named);
  if (symbol == 0) throw std::runtime_error(std::string("grammar has no node kind '") + name + "'");
  return symbol;
}
}  // namespace

const Symbols& Symbols::Get() {
  static const Symbols symbols = [] {
    Symbols s{};
    s.module = Lookup("module");
    s.call = Lookup("call");
    s.attribute = Lookup("attribute");
    s.identifier = Lookup("identifier");
    s.string = Lookup("string");
    s.integer = Lookup("integer");
    s.float_ = Lookup("float");
    s.keyword_argument = Lookup("keyword_argument");
    s.argument_list = Lookup("argument_list");
    s.if_statement = Lookup("if_statement");
    s.elif_clause = Lookup("elif_clause");
    s.else_clause = Lookup("else_clause");
    s.block = Lookup("block");
    s.function_definition = Lookup("function_definition");
    s.class_definition = Lookup("class_definition");
    s.lambda = Lookup("lambda");
    s.import_statement = Lookup("import_statement");
    s.import_from_statement = Lookup("import_from_statement");
    s.aliased_import = Lookup("aliased_import");
    s.dotted_name = Lookup("dotted_name");
    s.relative_import = Lookup("relative_import");
    s.assignment = Lookup("assignment");
    s.augmented_assignment = Lookup("augmented_assignment");
    s.comparison_operator = Lookup("comparison_operator");
    s.subscript = Lookup("subscript");
    s.binary_operator = Lookup("binary_operator");
    s.boolean_operator = Lookup("boolean_operator");
    s.not_operator = Lookup("not_operator");
    s.parenthesized_expression = Lookup("parenthesized_expression");
    s.conditional_expression = Lookup("conditional_expression");
    s.expression_statement = Lookup("expression_statement");
    s.decorated_definition = Lookup("decorated_definition");
    s.string_content = Lookup("string_content");
    s.for_statement = Lookup("for_statement");
    s.while_statement = Lookup("while_statement");
    s.with_statement = Lookup("with_statement");
    s.try_statement = Lookup("try_statement");
    s.return_statement = Lookup("return_statement");
    s.parameters = Lookup("parameters");
    s.default_parameter = Lookup("default_parameter");
    s.typed_parameter = Lookup("typed_parameter");
    s.typed_default_parameter = Lookup("typed_default_parameter");
    s.list_splat = Lookup("list_splat");
    s.dictionary_splat = Lookup("dictionary_splat");
    s.comment = Lookup("comment");
    s.pattern_list = Lookup("pattern_list");
    s.tuple_pattern = Lookup("tuple_pattern");
    s.tuple = Lookup("tuple");
    s.concatenated_string = Lookup("concatenated_string");
    s.unary_operator = Lookup("unary_operator");
    s.wildcard_import = Lookup("wildcard_import");
    return s;
  }();
  return symbols;
}

std::string_view NodeText(TSNode node, std::string_view text) {
  const uint32_t start = StartByte(node);
  const uint32_t end = EndByte(node);
  if (start > text.size() || end > text.size() || end < start) return {};
  return text.substr(start, end - start);
}

TSNode Field(TSNode node, const char* name) {
  return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

std::vector<TSNode> NamedChildren(TSNode node) {
  std::vector<TSNode> children;
  const uint32_t count = ts_node_named_child_count(node);
  children.reserve(count);
  for (uint32_t i = 0; i < count; ++i) children.push_back(ts_node_named_child(node, i));
  return children;
}

std::optional<std::string> StringLiteralValue(TSNode node, std::string_view text) {
  const Symbols& sym = Symbols::Get();
  if (!Is(node, sym.string)) return std::nullopt;
  std::string_view raw = NodeText(node, text);
  // Prefixes: plain and raw strings only; f-strings and bytes are not plain values.
  size_t prefix = 0;
  while (prefix < raw.size() && raw[prefix] != '\'' && raw[prefix] != '"') {
    const char c = static_cast<char>(raw[prefix] | 0x20);
    if (c != 'r' && c != 'u') return std::nullopt;
    ++prefix;
  }
  std::string value;
  for (TSNode child : NamedChildren(node)) {
    if (Is(child, sym.string_content)) {
      value.append(NodeText(child, text));
    } else if (ts_node_type(child) == std::string_view("escape_sequence") ||
               ts_node_type(child) == std::string_view("interpolation")) {
      return std::nullopt;
    }
  }
  const bool raw_prefix = prefix > 0 && (raw.substr(0, prefix).find_first_of("rR") != std::string_view::npos);
  if (!raw_prefix && value.find('\\') != std::string::npos) return std::nullopt;
  return value;
}

}  // namespace distlint
