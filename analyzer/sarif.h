// SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format),
// the format GitHub code scanning and most CI dashboards read.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/repository.h"

namespace distlint {

// The key under which results carry their fingerprint in
// `partialFingerprints`. The "/v1" suffix follows the SARIF convention of
// versioning fingerprint algorithms.
inline constexpr const char* kSarifFingerprintKey = "distlintFingerprint/v1";

// Writes one SARIF log with one run: the tool with every registered rule,
// one result per finding (fingerprints must be assigned), and the files
// that could not be analysed as tool execution notifications. Artifact URIs
// are relative to the SRCROOT base, the root of `paths`.
void WriteSarif(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths);

// Returns the text of a markdown section ("## What it does") of a rule's
// documentation, without its heading, or an empty string.
std::string MarkdownSection(std::string_view doc, std::string_view heading);

}  // namespace distlint
