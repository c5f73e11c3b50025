#include "fixers/hoist.h"

#include <string>

namespace distlint::fixers {
namespace {

// Offset of the first byte of the line that contains `offset`.
uint32_t LineStart(std::string_view text, uint32_t offset) {
  const size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : static_cast<uint32_t>(newline + 1);
}

// Offset of the line terminator ("\n" or "\r\n") that ends the line of
// `offset`, or the text size on the last line.
uint32_t LineEnd(std::string_view text, uint32_t offset) {
  size_t newline = text.find('\n', offset);
  if (newline == std::string_view::npos) return static_cast<uint32_t>(text.size());
  if (newline > 0 && text[newline - 1] == '\r') --newline;
  return static_cast<uint32_t>(newline);
}

bool IsBlank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

std::optional<std::vector<Edit>> HoistAfterIf(TSNode statement, TSNode arm, TSNode if_statement,
                                              std::string_view text) {
  const uint32_t start = StartByte(statement);
  const uint32_t end = EndByte(statement);
  const uint32_t line_start = LineStart(text, start);
  const uint32_t line_end = LineEnd(text, end);
  if (LineStart(text, end) != line_start) return std::nullopt;  // Spans lines.
  if (!IsBlank(text.substr(line_start, start - line_start))) return std::nullopt;
  const std::string_view after = text.substr(end, line_end - end);
  const size_t trailing = after.find_first_not_of(" \t");
  if (trailing != std::string_view::npos && after[trailing] != '#') return std::nullopt;  // `a(); b()`

  const uint32_t if_line_start = LineStart(text, StartByte(if_statement));
  const std::string_view if_indent = text.substr(if_line_start, StartByte(if_statement) - if_line_start);
  if (!IsBlank(if_indent)) return std::nullopt;
  const uint32_t if_line_end = LineEnd(text, EndByte(if_statement));
  const std::string newline = if_line_end < text.size() && text[if_line_end] == '\r' ? "\r\n" : "\n";

  size_t statements = 0;
  for (TSNode child : NamedChildren(arm)) {
    if (!Is(child, Symbols::Get().comment)) ++statements;
  }
  const std::string statement_indent(text.substr(line_start, start - line_start));
  const std::string placeholder = statements == 1 ? statement_indent + "pass" : std::string();
  const std::string moved = std::string(if_indent) + std::string(text.substr(start, line_end - start));

  if (line_end == if_line_end) {
    // The statement is the last line of the if statement: rewrite that line.
    std::string replacement = placeholder.empty() ? moved : placeholder + newline + moved;
    return std::vector<Edit>{Edit{line_start, line_end, std::move(replacement)}};
  }
  std::vector<Edit> edits;
  const uint32_t next_line = line_end + static_cast<uint32_t>(newline.size());
  if (placeholder.empty()) {
    edits.push_back(Edit{line_start, next_line, ""});
  } else {
    edits.push_back(Edit{line_start, line_end, placeholder});
  }
  edits.push_back(Edit{if_line_end, if_line_end, newline + moved});
  return edits;
}

}  // namespace distlint::fixers
