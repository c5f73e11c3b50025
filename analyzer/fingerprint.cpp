#include "analyzer/fingerprint.h"

#include <cstdio>
#include <map>

namespace distlint {

std::string NormalizedSourceText(const SourceFile& file, const Diagnostic& diagnostic) {
  const uint32_t first = diagnostic.start_position.line;
  uint32_t last = diagnostic.end_position.line;
  if (last > first && diagnostic.end_position.byte_column == 1) --last;

  std::string normalized;
  for (uint32_t line = first; line <= last && line <= file.line_count(); ++line) {
    if (line > first) normalized.push_back('\n');
    bool pending_space = false;
    const size_t line_start = normalized.size();
    for (const char character : file.LineText(line)) {
      if (character == ' ' || character == '\t' || character == '\r' || character == '\f' || character == '\v') {
        pending_space = normalized.size() > line_start;
        continue;
      }
      if (pending_space) normalized.push_back(' ');
      pending_space = false;
      normalized.push_back(character);
    }
  }
  return normalized;
}

std::string FingerprintHash(const std::string& code, const std::string& path, const std::string& normalized_text) {
  // The leading "1" versions the inputs: change it when they change, so old
  // baselines fail to match instead of matching the wrong findings.
  std::string input = "1";
  input.push_back('\0');
  input += code;
  input.push_back('\0');
  input += path;
  input.push_back('\0');
  input += normalized_text;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(StableHash64(input)));
  return hex;
}

void AssignFingerprints(std::vector<FileResult>& results, const PathMapper& paths) {
  for (FileResult& result : results) {
    if (result.diagnostics.empty() || !result.source) continue;
    const std::string path = paths.Relative(result.path);
    std::map<std::string, int> occurrences;
    // Diagnostics are sorted by position, so the index follows the order in the file.
    for (Diagnostic& diagnostic : result.diagnostics) {
      const std::string hash = FingerprintHash(diagnostic.code, path, NormalizedSourceText(*result.source, diagnostic));
      diagnostic.fingerprint = hash + ":" + std::to_string(occurrences[hash]++);
    }
  }
}

}  // namespace distlint
