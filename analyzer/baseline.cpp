#include "analyzer/baseline.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>


namespace distlint {

std::string BaselineDocument(const std::vector<FileResult>& results, const PathMapper& paths) {
  struct Entry {
    std::string path;
    std::string code;
    std::string fingerprint;
  };
  std::vector<Entry> entries;
  std::vector<std::string> error_paths;
  for (const FileResult& result : results) {
    const std::string path = paths.Relative(result.path);
    if (result.error && !result.io_error) error_paths.push_back(path);
    for (const Diagnostic& diagnostic : result.diagnostics) {
      entries.push_back({path, diagnostic.code, diagnostic.fingerprint});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.path, a.code, a.fingerprint) < std::tie(b.path, b.code, b.fingerprint);
  });
  std::sort(error_paths.begin(), error_paths.end());

  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Entry& entry : entries) {
    findings.push_back({{"path", entry.path}, {"code", entry.code}, {"fingerprint", entry.fingerprint}});
  }
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const std::string& path : error_paths) errors.push_back({{"path", path}});
  // The tool version is left out so that upgrading distlint does not
  // rewrite an unchanged baseline.
  nlohmann::ordered_json document = {
      {"distlint_baseline", 1},
      {"findings", std::move(findings)},
      {"errors", std::move(errors)},
  };
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<Baseline> LoadBaseline(const std::string& path, std::string* error) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    *error = "cannot read baseline " + path + "; create it with 'distlint check --write-baseline " + path + "'";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  const nlohmann::json document = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (document.is_discarded()) {
    *error = "baseline " + path + " is not valid JSON";
    return std::nullopt;
  }
  if (!document.is_object() || !document.contains("distlint_baseline")) {
    *error = "baseline " + path + " is not a distlint baseline (no \"distlint_baseline\" field)";
    return std::nullopt;
  }
  if (document["distlint_baseline"] != 1) {
    *error = "baseline " + path + " has format " + document["distlint_baseline"].dump() +
             "; this distlint reads format 1, so write the baseline again with --write-baseline";
    return std::nullopt;
  }

  Baseline baseline;
  const nlohmann::json findings = document.value("findings", nlohmann::json::array());
  const nlohmann::json errors = document.value("errors", nlohmann::json::array());
  if (!findings.is_array() || !errors.is_array()) {
    *error = "baseline " + path + ": \"findings\" and \"errors\" must be arrays";
    return std::nullopt;
  }
  for (const nlohmann::json& entry : findings) {
    if (!entry.is_object() || !entry.contains("fingerprint") || !entry["fingerprint"].is_string()) {
      *error = "baseline " + path + ": every entry of \"findings\" needs a string \"fingerprint\"";
      return std::nullopt;
    }
    baseline.fingerprints.insert(entry["fingerprint"].get<std::string>());
  }
  for (const nlohmann::json& entry : errors) {
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string()) {
      *error = "baseline " + path + ": every entry of \"errors\" needs a string \"path\"";
      return std::nullopt;
    }
    baseline.error_paths.insert(entry["path"].get<std::string>());
  }
  return baseline;
}

BaselineMatch ApplyBaseline(std::vector<FileResult>& results, const Baseline& baseline, const PathMapper& paths) {
  BaselineMatch match;
  std::set<std::string> used;
  for (FileResult& result : results) {
    if (result.error && !result.io_error && baseline.error_paths.count(paths.Relative(result.path))) {
      result.error.reset();
    }
    auto& diagnostics = result.diagnostics;
    const auto removed_begin = std::remove_if(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& diagnostic) {
      if (!baseline.fingerprints.count(diagnostic.fingerprint)) return false;
      used.insert(diagnostic.fingerprint);
      return true;
    });
    match.suppressed += static_cast<size_t>(diagnostics.end() - removed_begin);
    diagnostics.erase(removed_begin, diagnostics.end());
  }
  match.stale = baseline.fingerprints.size() - used.size();
  return match;
}

}  // namespace distlint
