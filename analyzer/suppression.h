// Suppression comments, read from the comment nodes of the syntax tree (so
// text inside strings never counts):
//   # distlint: ignore[CODE,...]       findings on this line, or on any line of
//                                      the statement whose first line it is on
//   # noqa: CODE[,CODE]                the same, the syntax flake8 and Ruff read
//   # noqa                             every finding on the line
//   # distlint: ignore-file[CODE,...]  findings anywhere in the file
// A bare `# distlint: ignore` or `# distlint: ignore-file` covers every code.
// Codes may be prefixes (`COM` covers COM001).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/rule.h"
#include "analyzer/source_file.h"
#include "analyzer/syntax.h"

namespace distlint {

enum class SuppressionKind {
  kIgnore,      // # distlint: ignore[...]
  kNoqa,        // # noqa[: ...]
  kIgnoreFile,  // # distlint: ignore-file[...]
};

// One code or prefix in a suppression comment.
struct SuppressionCode {
  std::string code;
  uint32_t start = 0;  // Byte range of the code in the file's text.
  uint32_t end = 0;
  bool used = false;   // It suppressed at least one finding.
};

// One directive. A comment may hold several (`# noqa: X  # distlint: ignore[Y]`).
struct Suppression {
  SuppressionKind kind = SuppressionKind::kIgnore;
  uint32_t line = 0;           // 1-based line of the comment.
  uint32_t start = 0;          // Byte range of the directive: its '#' up to the end of its code list.
  uint32_t end = 0;
  uint32_t comment_start = 0;  // Byte range of the whole comment.
  uint32_t comment_end = 0;
  bool all_codes = false;      // A bare directive, without a code list.
  std::vector<SuppressionCode> codes;
  bool used = false;           // It suppressed at least one finding.
};

// Finds the suppression directives in `comments` (comment nodes, in order).
std::vector<Suppression> FindSuppressions(const std::vector<TSNode>& comments, const SourceFile& file);

// True when a suppression entry (a code or a code prefix) covers `code`.
bool SuppressionCovers(std::string_view entry, std::string_view code);

// Removes from `diagnostics` every finding a directive covers and marks the
// directives and codes that matched as used. A line directive covers the
// findings that start on its line, and those that start inside a statement
// whose first line contains the directive. A bare directive does not cover a
// finding about its own text.
void ApplySuppressions(std::vector<Diagnostic>& diagnostics, std::vector<Suppression>& suppressions, TSNode root,
                       const SourceFile& file);

// The input of a rule that judges suppression comments (see
// Rule::CheckSuppressions): the file's directives after matching, and which
// rules ran on the file.
struct SuppressionCheck {
  const std::vector<Suppression>& suppressions;
  // True when the rule ran on this file, so an unused code of it is really unused.
  std::function<bool(const RuleInfo&)> rule_ran;
};

}  // namespace distlint
