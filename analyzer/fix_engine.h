// Applies fixes to a source text: non-overlapping edits per pass, re-parse
// after each pass, repeat until nothing changes, and drop any fix whose
// result would not parse.
#pragma once

#include <string>
#include <vector>

#include "analyzer/analyzer.h"

namespace distlint {

struct DroppedFix {
  std::string code;
  std::string title;
  Position position;
  std::string reason;
};

struct FixOutcome {
  std::string text;                   // The fixed text (without BOM).
  int applied = 0;                    // Fixes applied over all passes.
  std::vector<std::string> applied_codes;
  std::vector<DroppedFix> dropped;
  std::vector<Diagnostic> remaining;  // Findings of the final text.
  bool changed = false;
  bool hit_pass_limit = false;
};

// Applies `edits` (any order, non-overlapping) to `text`.
std::string ApplyEdits(std::string_view text, std::vector<Edit> edits);

// True when `fix` may be applied at this safety setting.
bool FixAllowed(const Fix& fix, bool unsafe_fixes);

// Fixes `file` with `analyzer`'s rules. Passes stop when a pass applies
// nothing or after `max_passes`.
FixOutcome FixSource(const Analyzer& analyzer, const SourceFile& file, PythonParser& parser, bool unsafe_fixes,
                     int max_passes = 10);

// Writes `bytes` to `path` atomically: a temporary file in the same folder,
// given the original file's mode, flushed, then renamed over `path`.
// Returns false and sets `error` on failure; the original is then untouched.
bool WriteFileAtomically(const std::string& path, const std::string& bytes, std::string* error);

}  // namespace distlint
