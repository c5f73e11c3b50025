#include "analyzer/merge.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "analyzer/cli.h"

namespace distlint {
namespace {

using Json = nlohmann::ordered_json;

enum class ReportFormat { kJson, kSarif };

const char* FormatName(ReportFormat format) { return format == ReportFormat::kJson ? "distlint JSON" : "SARIF"; }

struct Input {
  std::string path;
  Json document;
  ReportFormat format;
};

// Orders JSON findings as `distlint check` does: path, line, column, code.
bool JsonFindingLess(const Json& a, const Json& b) {
  return std::make_tuple(a.value("path", ""), a["start"].value("line", 0), a["start"].value("column", 0),
                         a.value("code", "")) < std::make_tuple(b.value("path", ""), b["start"].value("line", 0),
                                                                b["start"].value("column", 0), b.value("code", ""));
}

Json MergeJson(std::vector<Input>& inputs) {
  Json findings = Json::array();
  Json errors = Json::array();
  size_t files_scanned = 0;
  for (Input& input : inputs) {
    const Json& summary = input.document["summary"];
    files_scanned += summary.value("files_scanned", size_t{0});
    for (Json& finding : input.document["findings"]) findings.push_back(std::move(finding));
    for (Json& error : input.document["errors"]) errors.push_back(std::move(error));
  }
  std::stable_sort(findings.begin(), findings.end(), JsonFindingLess);
  std::stable_sort(errors.begin(), errors.end(),
                   [](const Json& a, const Json& b) { return a.value("path", "") < b.value("path", ""); });
  Json document = {
      {"schema_version", inputs.front().document["schema_version"]},
      {"tool", inputs.front().document["tool"]},
      {"summary", {{"files_scanned", files_scanned}, {"files_with_errors", errors.size()}, {"findings", findings.size()}}},
      {"findings", std::move(findings)},
      {"errors", std::move(errors)},
  };
  return document;
}

std::string ResultUri(const Json& result) {
  const Json& locations = result.value("locations", Json::array());
  if (locations.empty()) return "";
  return locations[0]["physicalLocation"]["artifactLocation"].value("uri", "");
}

int ResultLine(const Json& result, const char* field) {
  const Json& locations = result.value("locations", Json::array());
  if (locations.empty()) return 0;
  return locations[0]["physicalLocation"].value("region", Json::object()).value(field, 0);
}

Json MergeSarif(std::vector<Input>& inputs, std::ostream& err) {
  Json run = inputs.front().document["runs"][0];

  // The union of the rules, by id, sorted; results point into it again.
  std::map<std::string, Json> rules_by_id;
  Json results = Json::array();
  Json notifications = Json::array();
  bool successful = true;
  for (Input& input : inputs) {
    for (Json& input_run : input.document["runs"]) {
      if (input_run["tool"]["driver"].value("name", "") != run["tool"]["driver"].value("name", "")) {
        err << "distlint: warning: " << input.path << " was written by "
            << input_run["tool"]["driver"].value("name", "an unnamed tool") << "; its results are merged anyway\n";
      }
      if (input_run.value("originalUriBaseIds", Json::object()) != run.value("originalUriBaseIds", Json::object())) {
        err << "distlint: warning: " << input.path
            << " has a different SRCROOT; the merged log keeps the first file's, and relative paths are kept as they are\n";
      }
      for (Json& rule : input_run["tool"]["driver"].value("rules", Json::array())) {
        rules_by_id.emplace(rule.value("id", ""), rule);
      }
      for (Json& result : input_run.value("results", Json::array())) results.push_back(result);
      for (Json& invocation : input_run.value("invocations", Json::array())) {
        successful = successful && invocation.value("executionSuccessful", true);
        for (Json& notification : invocation.value("toolExecutionNotifications", Json::array())) {
          notifications.push_back(notification);
        }
      }
    }
  }

  Json rules = Json::array();
  std::map<std::string, size_t> rule_index;
  for (auto& [id, rule] : rules_by_id) {
    rule_index[id] = rules.size();
    rules.push_back(std::move(rule));
  }
  for (Json& result : results) {
    const auto found = rule_index.find(result.value("ruleId", ""));
    if (found != rule_index.end()) result["ruleIndex"] = found->second;
    else result.erase("ruleIndex");
  }
  std::stable_sort(results.begin(), results.end(), [](const Json& a, const Json& b) {
    return std::make_tuple(ResultUri(a), ResultLine(a, "startLine"), ResultLine(a, "startColumn"),
                           a.value("ruleId", "")) <
           std::make_tuple(ResultUri(b), ResultLine(b, "startLine"), ResultLine(b, "startColumn"),
                           b.value("ruleId", ""));
  });

  run["tool"]["driver"]["rules"] = std::move(rules);
  run["invocations"] = Json::array({{{"executionSuccessful", successful},
                                     {"toolExecutionNotifications", std::move(notifications)}}});
  run["results"] = std::move(results);
  Json document = inputs.front().document;
  document["runs"] = Json::array({std::move(run)});
  return document;
}

// Reads one input and recognises its format, or returns an error message.
std::optional<Input> ReadInput(const std::string& path, std::string* error) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  Json document = Json::parse(buffer.str(), nullptr, false);
  if (document.is_discarded()) {
    *error = path + " is not valid JSON";
    return std::nullopt;
  }
  if (document.is_object() && document.contains("schema_version") && document.contains("findings") &&
      document["findings"].is_array()) {
    if (!document.contains("errors") || !document["errors"].is_array()) document["errors"] = Json::array();
    return Input{path, std::move(document), ReportFormat::kJson};
  }
  if (document.is_object() && document.value("version", "") == "2.1.0" && document.contains("runs") &&
      document["runs"].is_array() && !document["runs"].empty()) {
    return Input{path, std::move(document), ReportFormat::kSarif};
  }
  *error = path + " is neither distlint JSON output (--format json) nor a SARIF 2.1.0 log (--format sarif)";
  return std::nullopt;
}

}  // namespace

int MergeReports(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err) {
  if (paths.empty()) {
    err << "distlint: error: 'distlint merge' needs the files to merge, e.g. 'distlint merge shard-1.sarif shard-2.sarif'\n";
    return kExitError;
  }
  std::vector<Input> inputs;
  std::vector<std::filesystem::path> seen;
  for (const std::string& path : paths) {
    // The same shard twice would count its findings twice.
    std::error_code canonical_error;
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, canonical_error);
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) {
      err << "distlint: error: " << path << " is given twice; pass each shard's output once\n";
      return kExitError;
    }
    seen.push_back(canonical);
    std::string error;
    auto input = ReadInput(path, &error);
    if (!input) {
      err << "distlint: error: " << error << '\n';
      return kExitError;
    }
    if (!inputs.empty() && input->format != inputs.front().format) {
      err << "distlint: error: cannot merge " << FormatName(input->format) << " (" << path << ") with "
          << FormatName(inputs.front().format) << " (" << inputs.front().path
          << "); write every shard with the same --format\n";
      return kExitError;
    }
    if (input->format == ReportFormat::kJson && !inputs.empty() &&
        input->document["schema_version"] != inputs.front().document["schema_version"]) {
      err << "distlint: error: " << path << " has schema_version " << input->document["schema_version"].dump()
          << " but " << inputs.front().path << " has " << inputs.front().document["schema_version"].dump()
          << "; write every shard with the same distlint version\n";
      return kExitError;
    }
    inputs.push_back(std::move(*input));
  }
  const Json merged = inputs.front().format == ReportFormat::kJson ? MergeJson(inputs) : MergeSarif(inputs, err);
  out << merged.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return kExitClean;
}

}  // namespace distlint
