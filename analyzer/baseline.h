// Baselines: the findings a project already had when it adopted distlint,
// recorded by fingerprint so later checks report only new ones. The file
// format is described in docs/ci.md.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/repository.h"

namespace distlint {

struct Baseline {
  std::set<std::string> fingerprints;  // "HASH:N" values, see analyzer/fingerprint.h.
  std::set<std::string> error_paths;   // Repository-relative paths of files that failed to parse.
};

// Returns the baseline document for `results` (fingerprints must be
// assigned): entries sorted by path, then code, then fingerprint, so the
// same findings always give the same bytes.
std::string BaselineDocument(const std::vector<FileResult>& results, const PathMapper& paths);

// Reads a baseline file. Returns nullopt and sets `error` when the file is
// missing, is not JSON or does not have the baseline layout.
std::optional<Baseline> LoadBaseline(const std::string& path, std::string* error);

struct BaselineMatch {
  size_t suppressed = 0;  // Findings removed because the baseline lists them.
  size_t stale = 0;       // Baseline fingerprints that no finding has any more.
};

// Removes the findings whose fingerprint the baseline lists, and the parse
// errors of files the baseline lists as failing. Each fingerprint matches
// at most one finding, because the occurrence index makes fingerprints
// unique within a file.
BaselineMatch ApplyBaseline(std::vector<FileResult>& results, const Baseline& baseline, const PathMapper& paths);

}  // namespace distlint
