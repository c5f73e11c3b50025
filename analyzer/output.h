// Output formats over analysis results: text for people, JSON for tools,
// and unified diffs for `distlint fix --diff`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/rule.h"

namespace distlint {

struct TextStyle {
  bool color = false;
  bool unsafe_fixes = false;  // Count unsafe fixes as fixable in the summary.
  bool summary = true;        // End with a "Found N findings." line.
};

// Writes `path:line:col: CODE message`, the source line and a caret under
// the range, then related locations, then a summary line.
void WriteText(std::ostream& out, const std::vector<FileResult>& results, const TextStyle& style);

// Writes the JSON document described in docs/json-format.md.
void WriteJson(std::ostream& out, const std::vector<FileResult>& results, size_t files_scanned);

// Writes counts per rule, most frequent first.
void WriteStatistics(std::ostream& out, const std::vector<FileResult>& results, bool json);

// Writes "path: error: reason" lines for files that could not be analysed.
void WriteErrors(std::ostream& out, const std::vector<FileResult>& results, bool color);

// A unified diff (3 lines of context) between two texts of `path`.
std::string UnifiedDiff(const std::string& path, std::string_view before, std::string_view after);

// The distlint version string.
const char* DistlintVersion();

}  // namespace distlint
