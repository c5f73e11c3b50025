#include "fixers/edits.h"

namespace distlint::fixers {

Edit ReplaceNode(TSNode node, std::string replacement) {
  return Edit{StartByte(node), EndByte(node), std::move(replacement)};
}

std::vector<TSNode> Arguments(TSNode call) {
  std::vector<TSNode> arguments;
  for (TSNode child : NamedChildren(Field(call, "arguments"))) {
    // Ex) f(a, \<newline> b): the backslash is a named line_continuation node.
    if (std::string_view(ts_node_type(child)) == "line_continuation") continue;
    arguments.push_back(child);
  }
  return arguments;
}

bool HasSplatArguments(TSNode call) {
  const Symbols& sym = Symbols::Get();
  for (TSNode argument : Arguments(call)) {
    if (Is(argument, sym.list_splat) || Is(argument, sym.dictionary_splat)) return true;
  }
  return false;
}

TSNode KeywordArgument(TSNode call, std::string_view name, std::string_view text) {
  const Symbols& sym = Symbols::Get();
  for (TSNode argument : Arguments(call)) {
    if (Is(argument, sym.keyword_argument) && NodeText(Field(argument, "name"), text) == name) return argument;
  }
  return TSNode{};
}

TSNode PositionalArgument(TSNode call, size_t index) {
  const Symbols& sym = Symbols::Get();
  size_t position = 0;
  for (TSNode argument : Arguments(call)) {
    if (Is(argument, sym.keyword_argument) || Is(argument, sym.list_splat) || Is(argument, sym.dictionary_splat) ||
        Is(argument, sym.comment)) {
      if (Is(argument, sym.comment)) continue;
      break;
    }
    if (position++ == index) return argument;
  }
  return TSNode{};
}

std::optional<Edit> AddKeywordArgument(TSNode call, std::string_view name, std::string_view value,
                                       std::string_view text) {
  if (HasSplatArguments(call)) return std::nullopt;
  TSNode arguments = Field(call, "arguments");
  const std::string keyword = std::string(name) + "=" + std::string(value);
  const Symbols& sym = Symbols::Get();

  // The last argument that is not a comment, and whether a comma follows it.
  TSNode last{};
  for (TSNode argument : NamedChildren(arguments)) {
    if (!Is(argument, sym.comment)) last = argument;
  }
  if (ts_node_is_null(last)) {
    const uint32_t open = StartByte(arguments) + 1;
    return Edit{open, open, keyword};
  }
  TSNode next = ts_node_next_sibling(last);
  while (!ts_node_is_null(next) && Is(next, sym.comment)) next = ts_node_next_sibling(next);
  if (!ts_node_is_null(next) && NodeText(next, text) == ",") {
    return Edit{EndByte(next), EndByte(next), " " + keyword + ","};
  }
  return Edit{EndByte(last), EndByte(last), ", " + keyword};
}

Edit PrependArguments(TSNode call, std::string_view arguments_text) {
  TSNode arguments = Field(call, "arguments");
  const uint32_t open = StartByte(arguments) + 1;
  std::string insertion(arguments_text);
  if (ts_node_named_child_count(arguments) > 0) insertion += ", ";
  return Edit{open, open, insertion};
}

Edit RemoveArgument(TSNode call, TSNode argument, std::string_view text) {
  TSNode next = ts_node_next_sibling(argument);
  TSNode previous = ts_node_prev_sibling(argument);
  if (!ts_node_is_null(next) && NodeText(next, text) == ",") {
    // Remove "arg, " up to the next argument.
    TSNode after = ts_node_next_sibling(next);
    const uint32_t end = ts_node_is_null(after) || NodeText(after, text) == ")" ? EndByte(next) : StartByte(after);
    if (!ts_node_is_null(previous) && NodeText(previous, text) == "," &&
        (ts_node_is_null(after) || NodeText(after, text) == ")")) {
      return Edit{StartByte(previous), EndByte(next), ""};
    }
    return Edit{StartByte(argument), end, ""};
  }
  if (!ts_node_is_null(previous) && NodeText(previous, text) == ",") {
    return Edit{StartByte(previous), EndByte(argument), ""};
  }
  return Edit{StartByte(argument), EndByte(argument), ""};
}

std::optional<std::string> SpellQualifiedName(const SemanticModel& semantic, TSNode reference,
                                              std::string_view new_name) {
  const Symbols& sym = Symbols::Get();
  // Walk down the attribute chain: dist._all_gather_base -> dist.
  for (TSNode base = reference; Is(base, sym.attribute) || Is(base, sym.identifier);) {
    const std::string qualified = semantic.QualifiedName(base);
    if (!qualified.empty() && base.id != reference.id && new_name.size() > qualified.size() &&
        new_name.compare(0, qualified.size(), qualified) == 0 && new_name[qualified.size()] == '.') {
      return std::string(semantic.Text(base)) + std::string(new_name.substr(qualified.size()));
    }
    if (!Is(base, sym.attribute)) break;
    base = Field(base, "object");
  }
  // `import torch` binds torch under its own name: spell the full name.
  const std::string top(new_name.substr(0, new_name.find('.')));
  if (semantic.BindsModuleAsItself(top)) return std::string(new_name);
  return std::nullopt;
}

}  // namespace distlint::fixers
