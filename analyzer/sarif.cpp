#include "analyzer/sarif.h"

#include <map>
#include <nlohmann/json.hpp>

#include "analyzer/output.h"
#include "analyzer/project_info.h"
#include "analyzer/rule.h"

namespace distlint {
namespace {

using Json = nlohmann::ordered_json;

// Builds the SARIF region of the text range [start, end): 1-based lines and
// columns with an exclusive end column, as SARIF defines them, plus the
// byte range on disk. Columns count Unicode code points, which the run
// declares with columnKind.
Json Region(const FileResult& result, uint32_t start, uint32_t end, const Position& start_position,
            const Position& end_position) {
  const uint32_t bom = result.source && result.source->has_bom() ? 3 : 0;
  return Json{{"startLine", start_position.line},
              {"startColumn", start_position.column},
              {"endLine", end_position.line},
              {"endColumn", end_position.column},
              {"byteOffset", start + bom},
              {"byteLength", end - start}};
}

Json ArtifactLocation(const std::string& relative_path) {
  if (relative_path.starts_with('/')) return Json{{"uri", "file://" + PathToUriReference(relative_path)}};
  return Json{{"uri", PathToUriReference(relative_path)}, {"uriBaseId", "SRCROOT"}};
}

// SARIF requires the URI of a base id to end with a slash.
std::string RootUri(const std::string& root) {
  std::string uri = "file://" + PathToUriReference(root);
  if (!uri.ends_with('/')) uri.push_back('/');
  return uri;
}

Json RuleDescriptor(const RuleInfo& info) {
  std::string what = MarkdownSection(info.doc, "What it does");
  if (what.empty()) what = std::string(info.summary);
  const std::string doc(info.doc);
  return Json{
      {"id", info.code},
      {"name", info.name},
      {"shortDescription", {{"text", info.summary}}},
      {"fullDescription", {{"text", what}, {"markdown", what}}},
      {"help", {{"text", doc}, {"markdown", doc}}},
      {"helpUri", std::string(kRulesDocumentUrl) + "#" + std::string(info.code)},
      {"defaultConfiguration", {{"level", "error"}}},
      {"properties",
       {{"family", FamilyName(info.family)},
        {"fixStrategy", FixStrategyName(info.strategy)},
        {"automaticFix", FixAvailabilityName(info.fix)},
        {"tags", {"distributed", FamilyName(info.family)}}}},
  };
}

Json ResultFor(const FileResult& result, const Diagnostic& diagnostic, const std::string& path,
               const std::map<std::string, size_t>& rule_index) {
  Json location = {
      {"physicalLocation",
       {{"artifactLocation", ArtifactLocation(path)},
        {"region", Region(result, diagnostic.start, diagnostic.end, diagnostic.start_position,
                          diagnostic.end_position)}}}};
  Json sarif = {{"ruleId", diagnostic.code}};
  if (const auto found = rule_index.find(diagnostic.code); found != rule_index.end()) {
    sarif["ruleIndex"] = found->second;
  }
  sarif["level"] = "error";
  sarif["message"] = {{"text", diagnostic.message}};
  sarif["locations"] = Json::array({std::move(location)});

  if (!diagnostic.related.empty()) {
    Json related = Json::array();
    int id = 1;
    for (const RelatedLocation& place : diagnostic.related) {
      related.push_back({{"id", id++},
                         {"physicalLocation",
                          {{"artifactLocation", ArtifactLocation(path)},
                           {"region", Region(result, place.start, place.end, place.start_position,
                                             place.end_position)}}},
                         {"message", {{"text", place.message}}}});
    }
    sarif["relatedLocations"] = std::move(related);
  }
  sarif["partialFingerprints"] = {{kSarifFingerprintKey, diagnostic.fingerprint}};

  if (diagnostic.fix && result.source) {
    Json replacements = Json::array();
    for (const Edit& edit : diagnostic.fix->edits) {
      const Position start = result.source->PositionOf(edit.start);
      const Position end = result.source->PositionOf(edit.end);
      replacements.push_back(
          {{"deletedRegion", Region(result, edit.start, edit.end, start, end)},
           {"insertedContent", {{"text", AdaptLineEndings(edit.replacement, result.source->line_ending())}}}});
    }
    sarif["fixes"] = Json::array({{{"description", {{"text", diagnostic.fix->title}}},
                                   {"artifactChanges", Json::array({{{"artifactLocation", ArtifactLocation(path)},
                                                                     {"replacements", std::move(replacements)}}})},
                                   {"properties", {{"applicability", ApplicabilityName(diagnostic.fix->applicability)}}}}});
  }
  sarif["properties"] = {{"rule", diagnostic.rule_name}};
  return sarif;
}

}  // namespace

std::string MarkdownSection(std::string_view doc, std::string_view heading) {
  const std::string marker = "## " + std::string(heading) + "\n";
  size_t start = doc.rfind(marker, 0) == 0 ? 0 : doc.find("\n" + marker);
  if (start == std::string_view::npos) return "";
  start = doc.find('\n', start + (start == 0 ? 0 : 1)) + 1;
  size_t end = doc.find("\n## ", start);
  if (end == std::string_view::npos) end = doc.size();
  std::string section(doc.substr(start, end - start));
  while (!section.empty() && (section.back() == '\n' || section.back() == ' ')) section.pop_back();
  return section;
}

void WriteSarif(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths) {
  Json rules = Json::array();
  std::map<std::string, size_t> rule_index;
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    rule_index[std::string(rule->info().code)] = rules.size();
    rules.push_back(RuleDescriptor(rule->info()));
  }

  Json sarif_results = Json::array();
  Json notifications = Json::array();
  bool io_error = false;
  for (const FileResult& result : results) {
    const std::string path = paths.Relative(result.path);
    if (result.error) {
      io_error = io_error || result.io_error;
      notifications.push_back(
          {{"level", "error"},
           {"message", {{"text", *result.error + "; file skipped"}}},
           {"locations", Json::array({{{"physicalLocation", {{"artifactLocation", ArtifactLocation(path)}}}}})}});
    }
    for (const Diagnostic& diagnostic : result.diagnostics) {
      sarif_results.push_back(ResultFor(result, diagnostic, path, rule_index));
    }
  }

  Json run = {
      {"tool",
       {{"driver",
         {{"name", "distlint"},
          {"version", DistlintVersion()},
          {"semanticVersion", DistlintVersion()},
          {"informationUri", kProjectHomepage},
          {"rules", std::move(rules)}}}}},
      {"invocations", Json::array({{{"executionSuccessful", !io_error},
                                    {"toolExecutionNotifications", std::move(notifications)}}})},
      {"originalUriBaseIds", {{"SRCROOT", {{"uri", RootUri(paths.root())}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(sarif_results)},
  };
  Json document = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Json::array({std::move(run)})},
  };
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace distlint
