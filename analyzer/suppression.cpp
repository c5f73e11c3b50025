#include "analyzer/suppression.h"

#include <cctype>
#include <cstring>
#include <map>
#include <optional>

namespace distlint {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool IsWordCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

bool StartsWithIgnoringCase(std::string_view text, size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

size_t SkipBlanks(std::string_view text, size_t at) {
  while (at < text.size() && IsBlank(text[at])) ++at;
  return at;
}

// Reads the codes after `# noqa:`, as flake8 writes them: upper-case letters
// then digits, separated by commas or blanks. Returns the end of the last
// code, or `at` when there is none.
size_t ReadNoqaCodes(std::string_view text, size_t at, uint32_t base, std::vector<SuppressionCode>& codes) {
  size_t end = at;
  size_t position = at;
  for (;;) {
    while (position < text.size() && (IsBlank(text[position]) || text[position] == ',')) ++position;
    size_t token_end = position;
    while (token_end < text.size() && std::isupper(static_cast<unsigned char>(text[token_end]))) ++token_end;
    if (token_end == position) break;
    while (token_end < text.size() && std::isdigit(static_cast<unsigned char>(text[token_end]))) ++token_end;
    if (token_end < text.size() && !IsBlank(text[token_end]) && text[token_end] != ',' && text[token_end] != '#') {
      break;
    }
    codes.push_back({std::string(text.substr(position, token_end - position)), base + static_cast<uint32_t>(position),
                     base + static_cast<uint32_t>(token_end), false});
    end = token_end;
    position = token_end;
  }
  return end;
}

// Parses a `noqa` directive whose word starts at `word`. Returns nullopt when
// the word is only the start of a longer word.
std::optional<Suppression> ParseNoqa(std::string_view text, size_t word, uint32_t base) {
  size_t position = word + 4;
  if (position < text.size() && IsWordCharacter(text[position])) return std::nullopt;
  Suppression suppression;
  suppression.kind = SuppressionKind::kNoqa;
  suppression.end = base + static_cast<uint32_t>(position);
  const size_t colon = SkipBlanks(text, position);
  if (colon < text.size() && text[colon] == ':') {
    const size_t codes_end = ReadNoqaCodes(text, colon + 1, base, suppression.codes);
    if (!suppression.codes.empty()) suppression.end = base + static_cast<uint32_t>(codes_end);
  }
  // `# noqa:` followed by no code reads as a bare `# noqa`, as flake8 reads it.
  suppression.all_codes = suppression.codes.empty();
  return suppression;
}

// Parses `distlint: ignore[...]` or `distlint: ignore-file[...]`, where `at`
// is just past "distlint:". Returns nullopt for any other text.
std::optional<Suppression> ParseDistlintDirective(std::string_view text, size_t at, uint32_t base) {
  Suppression suppression;
  size_t position = SkipBlanks(text, at);
  if (text.substr(position, 11) == "ignore-file") {
    suppression.kind = SuppressionKind::kIgnoreFile;
    position += 11;
  } else if (text.substr(position, 6) == "ignore") {
    suppression.kind = SuppressionKind::kIgnore;
    position += 6;
  } else {
    return std::nullopt;
  }

  if (position < text.size() && text[position] == '[') {
    const size_t close = text.find(']', position);
    if (close == std::string_view::npos) return std::nullopt;
    size_t item = position + 1;
    while (item < close) {
      size_t comma = text.find(',', item);
      if (comma == std::string_view::npos || comma > close) comma = close;
      size_t first = item;
      size_t last = comma;
      while (first < last && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
      while (last > first && std::isspace(static_cast<unsigned char>(text[last - 1]))) --last;
      if (first < last) {
        suppression.codes.push_back({std::string(text.substr(first, last - first)),
                                     base + static_cast<uint32_t>(first), base + static_cast<uint32_t>(last), false});
      }
      item = comma + 1;
    }
    suppression.end = base + static_cast<uint32_t>(close + 1);
    return suppression;
  }
  if (position < text.size() && IsWordCharacter(text[position])) return std::nullopt;
  suppression.all_codes = true;
  suppression.end = base + static_cast<uint32_t>(position);
  return suppression;
}

// Finds the directives in one comment. Each directive starts at a '#', so
// `# type: ignore  # noqa: COM001` contains one directive and `# reason` none.
void ParseComment(std::string_view text, uint32_t comment_start, uint32_t line, std::vector<Suppression>& into) {
  for (size_t hash = text.find('#'); hash != std::string_view::npos; hash = text.find('#', hash + 1)) {
    const size_t word = SkipBlanks(text, hash + 1);
    std::optional<Suppression> suppression;
    if (StartsWithIgnoringCase(text, word, "noqa")) {
      suppression = ParseNoqa(text, word, comment_start);
    } else if (text.substr(word, 9) == "distlint:") {
      suppression = ParseDistlintDirective(text, word + 9, comment_start);
    }
    if (!suppression) continue;
    suppression->line = line;
    suppression->start = comment_start + static_cast<uint32_t>(hash);
    suppression->comment_start = comment_start;
    suppression->comment_end = comment_start + static_cast<uint32_t>(text.size());
    into.push_back(std::move(*suppression));
  }
}

bool IsStatement(TSNode node) {
  const char* type = ts_node_type(node);
  const size_t length = std::strlen(type);
  constexpr std::string_view kSuffix = "_statement";
  if (length >= kSuffix.size() && std::string_view(type + length - kSuffix.size()) == kSuffix) return true;
  return std::strcmp(type, "function_definition") == 0 || std::strcmp(type, "class_definition") == 0 ||
         std::strcmp(type, "decorated_definition") == 0;
}

// The first line of the innermost statement containing `offset`, or 0.
uint32_t StatementFirstLine(TSNode root, uint32_t offset, const SourceFile& file) {
  for (TSNode node = ts_node_descendant_for_byte_range(root, offset, offset); !ts_node_is_null(node);
       node = ts_node_parent(node)) {
    if (IsStatement(node)) return file.PositionOf(StartByte(node)).line;
  }
  return 0;
}

// Matches one finding against one directive and marks what matched.
bool Covers(Suppression& suppression, const Diagnostic& diagnostic) {
  if (suppression.all_codes) {
    // A bare directive would otherwise hide the finding that it is unused.
    if (diagnostic.start >= suppression.start && diagnostic.start < suppression.end) return false;
    suppression.used = true;
    return true;
  }
  bool covered = false;
  for (SuppressionCode& code : suppression.codes) {
    if (SuppressionCovers(code.code, diagnostic.code)) {
      code.used = true;
      covered = true;
    }
  }
  suppression.used = suppression.used || covered;
  return covered;
}

}  // namespace

bool SuppressionCovers(std::string_view entry, std::string_view code) {
  return !entry.empty() && code.substr(0, entry.size()) == entry;
}

std::vector<Suppression> FindSuppressions(const std::vector<TSNode>& comments, const SourceFile& file) {
  std::vector<Suppression> suppressions;
  for (TSNode comment : comments) {
    std::string_view text = NodeText(comment, file.text());
    // In a CRLF file the comment token ends with the '\r', which would read
    // as part of the last code (`# noqa: COM001\r`) and end up in fix edits.
    while (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    // A cheap test first: most comments contain no directive.
    if (text.find("distlint:") == std::string_view::npos && text.find("noqa") == std::string_view::npos &&
        text.find("NOQA") == std::string_view::npos && text.find("Noqa") == std::string_view::npos) {
      continue;
    }
    ParseComment(text, StartByte(comment), file.PositionOf(StartByte(comment)).line, suppressions);
  }
  return suppressions;
}

void ApplySuppressions(std::vector<Diagnostic>& diagnostics, std::vector<Suppression>& suppressions, TSNode root,
                       const SourceFile& file) {
  if (suppressions.empty() || diagnostics.empty()) return;
  std::multimap<uint32_t, Suppression*> by_line;
  std::vector<Suppression*> file_wide;
  for (Suppression& suppression : suppressions) {
    if (suppression.kind == SuppressionKind::kIgnoreFile) {
      file_wide.push_back(&suppression);
    } else {
      by_line.emplace(suppression.line, &suppression);
    }
  }

  std::vector<Diagnostic> unsuppressed;
  unsuppressed.reserve(diagnostics.size());
  for (Diagnostic& diagnostic : diagnostics) {
    bool suppressed = false;
    // Every matching directive is marked, not only the first, so none of
    // them is later reported as unused.
    auto match_line = [&](uint32_t line) {
      auto [first, last] = by_line.equal_range(line);
      for (auto it = first; it != last; ++it) suppressed = Covers(*it->second, diagnostic) || suppressed;
    };
    const uint32_t line = diagnostic.start_position.line;
    match_line(line);
    if (!by_line.empty()) {
      const uint32_t statement_line = StatementFirstLine(root, diagnostic.start, file);
      if (statement_line != 0 && statement_line != line) match_line(statement_line);
    }
    for (Suppression* suppression : file_wide) suppressed = Covers(*suppression, diagnostic) || suppressed;
    if (!suppressed) unsuppressed.push_back(std::move(diagnostic));
  }
  diagnostics = std::move(unsuppressed);
}

}  // namespace distlint
