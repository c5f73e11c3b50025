// Findings and fixes as plain data, shared by every output format, the fix
// engine and the editor integration.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/source_file.h"

namespace distlint {

// How much a fix can be trusted to keep the program's meaning.
enum class Applicability {
  kSafe,         // Applied by `distlint fix`.
  kUnsafe,       // Applied only with --unsafe-fixes: it may change behaviour.
  kDisplayOnly,  // Shown as a suggestion, never applied.
};
const char* ApplicabilityName(Applicability applicability);

// Replace the bytes [start, end) of the file's text with `replacement`.
struct Edit {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string replacement;
};

struct Fix {
  std::string title;
  Applicability applicability = Applicability::kSafe;
  std::vector<Edit> edits;  // Sorted by start, non-overlapping.
};

// A second place that explains a finding: the rank source, the branch.
struct RelatedLocation {
  uint32_t start = 0;
  uint32_t end = 0;
  Position start_position;
  Position end_position;
  std::string message;
};

struct Diagnostic {
  std::string code;
  std::string rule_name;
  std::string message;
  uint32_t start = 0;
  uint32_t end = 0;
  Position start_position;
  Position end_position;
  std::vector<RelatedLocation> related;
  std::optional<Fix> fix;
  // "HASH:N" from AssignFingerprints (analyzer/fingerprint.h); empty until
  // `distlint check` assigns it.
  std::string fingerprint;
};

// Orders diagnostics by position, then code, then message.
bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b);

// The outcome for one file: its findings, or why it could not be analysed.
struct FileResult {
  std::string path;
  std::vector<Diagnostic> diagnostics;
  std::optional<std::string> error;  // Unreadable, binary, bad encoding or syntax error.
  bool io_error = false;             // The file could not be read at all.
  // The analysed source, kept when there are findings (for source lines in
  // text output and for offsets on disk).
  std::shared_ptr<const SourceFile> source;
};

}  // namespace distlint
