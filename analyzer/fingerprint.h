// Fingerprints: identifiers of findings that survive unrelated edits, so a
// baseline or a code scanning service can recognise a finding after lines
// are inserted or removed above it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/repository.h"

namespace distlint {

// The finding's source lines, first to last, with each run of whitespace
// reduced to one space and each line trimmed, joined by '\n'. A range that
// ends at the start of a line does not include that line.
std::string NormalizedSourceText(const SourceFile& file, const Diagnostic& diagnostic);

// The 16 hex digits of the hash of a rule code, a repository-relative path
// and normalised source text. The line number is not part of it.
std::string FingerprintHash(const std::string& code, const std::string& path, const std::string& normalized_text);

// Sets Diagnostic::fingerprint on every finding to "HASH:N", where N counts
// the earlier findings of the same file with the same hash (0 for the
// first). Two identical findings in one file thus get different
// fingerprints, and a baseline that lists one of them still reports the
// other.
void AssignFingerprints(std::vector<FileResult>& results, const PathMapper& paths);

}  // namespace distlint
