#include "analyzer/eval.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/analyzer.h"
#include "analyzer/fix_engine.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::set<std::string> kRootCauses = {"allocation-strategy", "distributed-communication",
                                           "version-compatibility", "configuration",
                                           "parameter-handling", "missing-precondition", "api-misuse"};
const std::set<std::string> kSymptoms = {"crash", "hang", "wrong-result", "build-failure", "slowdown"};
const std::set<std::string> kFixStrategies = {"conditional-logic", "parameter-handling", "version-compatibility",
                                              "other"};

std::string Joined(const std::set<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) joined += (joined.empty() ? "" : ", ") + value;
  return joined;
}

// True for "owner/repo#number".
bool IsUpstreamReference(const std::string& reference) {
  const size_t slash = reference.find('/');
  const size_t hash = reference.find('#');
  if (slash == std::string::npos || hash == std::string::npos || slash == 0 || hash < slash + 2) return false;
  if (hash + 1 == reference.size()) return false;
  return std::all_of(reference.begin() + hash + 1, reference.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads one case.json into `result`; returns the first problem, or empty.
std::string ParseCase(const fs::path& folder, CorpusCase& result) {
  result.id = folder.filename().string();
  result.folder = folder.string();
  for (const char* name : {"buggy.py", "fixed.py", "case.json"}) {
    if (!fs::is_regular_file(folder / name)) return std::string(name) + " is missing";
  }
  std::ifstream stream(folder / "case.json");
  json document = json::parse(stream, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) return "case.json is not a valid JSON object";

  auto text_field = [&](const char* key, std::string& into) -> std::string {
    if (!document.contains(key) || !document[key].is_string()) return std::string("\"") + key + "\" (a string) is missing";
    into = document[key].get<std::string>();
    return {};
  };
  auto bool_field = [&](const char* key, bool& into) -> std::string {
    if (!document.contains(key) || !document[key].is_boolean()) return std::string("\"") + key + "\" (true or false) is missing";
    into = document[key].get<bool>();
    return {};
  };
  for (auto [key, into] : {std::pair{"root_cause", &result.root_cause}, std::pair{"symptom", &result.symptom},
                           std::pair{"fix_strategy", &result.fix_strategy}, std::pair{"upstream", &result.upstream},
                           std::pair{"description", &result.description}}) {
    if (std::string problem = text_field(key, *into); !problem.empty()) return problem;
  }
  if (std::string problem = bool_field("fix_automatic", result.fix_automatic); !problem.empty()) return problem;
  if (std::string problem = bool_field("reachable", result.reachable); !problem.empty()) return problem;
  if (document.contains("target_torch")) {
    if (!document["target_torch"].is_string()) return "\"target_torch\" must be a string such as \">=2.1\"";
    result.target_torch = document["target_torch"].get<std::string>();
  }

  if (document.contains("select")) {
    const json& select = document["select"];
    if (!select.is_array() || !std::all_of(select.begin(), select.end(), [](const json& code) {
          return code.is_string();
        })) {
      return "\"select\" must be a list of rule codes such as [\"PAR002\"]";
    }
    for (const json& code : select) result.select.push_back(code.get<std::string>());
  }

  if (!kRootCauses.count(result.root_cause)) {
    return "invalid root_cause \"" + result.root_cause + "\"; expected one of " + Joined(kRootCauses);
  }
  if (!kSymptoms.count(result.symptom)) {
    return "invalid symptom \"" + result.symptom + "\"; expected one of " + Joined(kSymptoms);
  }
  if (!kFixStrategies.count(result.fix_strategy)) {
    return "invalid fix_strategy \"" + result.fix_strategy + "\"; expected one of " + Joined(kFixStrategies);
  }
  if (!IsUpstreamReference(result.upstream)) {
    return "invalid upstream \"" + result.upstream + "\"; expected \"owner/repo#number\"";
  }

  if (!document.contains("expected_findings") || !document["expected_findings"].is_array()) {
    return "\"expected_findings\" (a list of {\"line\", \"code\"}) is missing";
  }
  for (const json& finding : document["expected_findings"]) {
    if (!finding.is_object() || !finding.contains("line") || !finding["line"].is_number_integer() ||
        !finding.contains("code") || !finding["code"].is_string()) {
      return "each expected finding needs an integer \"line\" and a string \"code\"";
    }
    result.expected.push_back({finding["line"].get<int>(), finding["code"].get<std::string>()});
  }
  if (result.reachable && result.expected.empty()) {
    return "a reachable case needs at least one expected finding; set \"reachable\": false otherwise";
  }
  if (!result.reachable && result.fix_automatic) return "a case no rule reaches cannot have an automatic fix";
  return {};
}

// The analyzer for a case's torch range and opt-in rules, shared by cases
// that have the same ones.
class AnalyzerCache {
 public:
  const Analyzer* For(const CorpusCase& corpus_case, std::string& error) {
    std::string key = corpus_case.target_torch;
    for (const std::string& code : corpus_case.select) key += "|" + code;
    auto found = analyzers_.find(key);
    if (found != analyzers_.end()) return found->second.get();
    AnalysisOptions options;
    if (!corpus_case.target_torch.empty()) {
      auto range = TorchVersionRange::Parse(corpus_case.target_torch, &error);
      if (!range) return nullptr;
      options.target_torch = *range;
    }
    // "ALL" keeps the default set; naming a code adds that opt-in rule.
    RuleSelection selection;
    if (!corpus_case.select.empty()) {
      selection.select = {"ALL"};
      selection.select.insert(selection.select.end(), corpus_case.select.begin(), corpus_case.select.end());
      if (auto unknown = selection.FirstUnknown()) {
        error = "unknown rule \"" + *unknown + "\" in \"select\"";
        return nullptr;
      }
    }
    auto analyzer = std::make_unique<Analyzer>(options, selection);
    const Analyzer* pointer = analyzer.get();
    analyzers_.emplace(key, std::move(analyzer));
    return pointer;
  }

 private:
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers_;
};

// Analyses one file; returns its findings as (line, code) pairs.
std::optional<std::vector<ExpectedFinding>> FindingsOf(const Analyzer& analyzer, const std::string& path,
                                                      PythonParser& parser, std::string& error) {
  FileResult result = analyzer.AnalyzeFile(path, parser);
  if (result.error) {
    error = path + ": " + *result.error;
    return std::nullopt;
  }
  std::vector<ExpectedFinding> findings;
  for (const Diagnostic& diagnostic : result.diagnostics) {
    findings.push_back({static_cast<int>(diagnostic.start_position.line), diagnostic.code});
  }
  return findings;
}

CaseResult EvaluateCase(const CorpusCase& corpus_case, AnalyzerCache& cache, PythonParser& parser) {
  CaseResult result;
  result.source = &corpus_case;
  const Analyzer* analyzer = cache.For(corpus_case, result.error);
  if (!analyzer) {
    result.error = corpus_case.id + ": invalid target_torch or select: " + result.error;
    return result;
  }
  const std::string buggy_path = (fs::path(corpus_case.folder) / "buggy.py").string();
  const std::string fixed_path = (fs::path(corpus_case.folder) / "fixed.py").string();

  auto buggy_findings = FindingsOf(*analyzer, buggy_path, parser, result.error);
  auto fixed_findings = FindingsOf(*analyzer, fixed_path, parser, result.error);
  if (!buggy_findings || !fixed_findings) return result;

  // Each expected finding consumes one reported finding, so a code expected
  // twice on a line needs two reports.
  std::vector<ExpectedFinding> unmatched = *buggy_findings;
  for (const ExpectedFinding& expected : corpus_case.expected) {
    auto match = std::find_if(unmatched.begin(), unmatched.end(), [&](const ExpectedFinding& reported) {
      return reported.line == expected.line && reported.code == expected.code;
    });
    if (match != unmatched.end()) {
      unmatched.erase(match);
      ++result.expected_found;
    } else {
      result.missed.push_back(expected);
    }
  }
  result.unexpected_on_buggy = std::move(unmatched);
  result.findings_on_fixed = std::move(*fixed_findings);

  if (corpus_case.fix_automatic) {
    std::string error;
    auto bytes = ReadFileBytes(buggy_path, &error);
    auto expected_text = ReadFileBytes(fixed_path, &error);
    std::optional<SourceFile> source;
    if (bytes) source = SourceFile::FromBytes(buggy_path, std::move(*bytes), &error);
    if (!source || !expected_text) {
      result.error = buggy_path + ": " + error;
      return result;
    }
    const FixOutcome outcome = FixSource(*analyzer, *source, parser, /*unsafe_fixes=*/true);
    result.fix_matches = NormalizeWhitespace(outcome.text) == NormalizeWhitespace(*expected_text);
  }
  return result;
}

}  // namespace

void EvalTotals::Add(const CaseResult& result) {
  const CorpusCase& source = *result.source;
  ++cases;
  if (!result.error.empty()) {
    ++errors;
    return;
  }
  if (source.reachable) {
    ++reachable_cases;
    expected += static_cast<int>(source.expected.size());
    found += result.expected_found;
  }
  unexpected_on_buggy += static_cast<int>(result.unexpected_on_buggy.size());
  fixed_findings += static_cast<int>(result.findings_on_fixed.size());
  if (source.fix_automatic) {
    ++fixable;
    fix_matches += result.fix_matches ? 1 : 0;
  }
}

std::string NormalizeWhitespace(std::string_view text) {
  std::string normalized;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::string collapsed;
    bool in_space = false;
    for (char c : line) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        in_space = true;
        continue;
      }
      if (in_space && !collapsed.empty()) collapsed += ' ';
      in_space = false;
      collapsed += c;
    }
    if (collapsed.empty()) continue;
    normalized += collapsed;
    normalized += '\n';
  }
  return normalized;
}

std::optional<std::vector<CorpusCase>> LoadCorpus(const std::string& corpus, std::vector<std::string>& errors) {
  std::error_code error;
  if (!fs::is_directory(corpus, error)) {
    errors.push_back(corpus + ": not a folder");
    return std::nullopt;
  }
  std::vector<fs::path> folders;
  for (const fs::directory_entry& entry : fs::directory_iterator(corpus)) {
    // A folder without case.json (a helper's __pycache__) is no case.
    if (entry.is_directory() && fs::exists(entry.path() / "case.json")) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());

  std::vector<CorpusCase> cases;
  for (const fs::path& folder : folders) {
    CorpusCase corpus_case;
    const std::string problem = ParseCase(folder, corpus_case);
    if (!problem.empty()) {
      errors.push_back(folder.string() + ": " + problem);
      continue;
    }
    cases.push_back(std::move(corpus_case));
  }
  if (!errors.empty()) return std::nullopt;
  return cases;
}

EvalReport EvaluateCorpus(std::vector<CorpusCase> cases) {
  EvalReport report;
  report.cases = std::move(cases);
  AnalyzerCache cache;
  PythonParser parser;
  report.results.reserve(report.cases.size());
  for (const CorpusCase& corpus_case : report.cases) {
    report.results.push_back(EvaluateCase(corpus_case, cache, parser));
  }
  for (const CaseResult& result : report.results) {
    report.by_root_cause[result.source->root_cause].Add(result);
    report.by_fix_strategy[result.source->fix_strategy].Add(result);
    report.total.Add(result);
  }
  return report;
}

}  // namespace distlint
