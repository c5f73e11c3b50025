// The `distlint eval` command: argument parsing, the text and JSON reports
// and the thresholds that make it fail.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/cli.h"
#include "analyzer/eval.h"

namespace distlint {
namespace {

using nlohmann::json;

constexpr const char* kEvalUsage = R"(Usage: distlint eval [CORPUS] [options]

Runs every rule on each case of CORPUS (default: corpus) and reports, per root
cause and per fix strategy: recall of the expected findings on buggy.py,
findings on fixed.py, and fix accuracy (buggy.py fixed with unsafe fixes
equals fixed.py, ignoring whitespace).

Options:
  --format FORMAT          text (default, a Markdown table) or json
  --min-recall R           Fail when recall on reachable cases, overall or in any root
                           cause, is below R (0 to 1)
  --min-reachable N        Fail when a root cause has fewer than N reachable cases
  --min-cases N            Fail when the corpus has fewer than N cases
  --max-fixed-findings N   Fail when the fixed files have more than N findings
  --min-fix-accuracy A     Fail when fix accuracy is below A (0 to 1)

Exit status: 0 within the thresholds; 1 a threshold failed; 2 usage error or
an invalid case.
)";

struct EvalOptions {
  std::string corpus = "corpus";
  std::string format = "text";
  std::optional<double> min_recall;
  std::optional<int> max_fixed_findings;
  std::optional<double> min_fix_accuracy;
  std::optional<int> min_reachable;
  std::optional<int> min_cases;
};

std::string Percent(double ratio) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", ratio * 100.0);
  return buffer;
}

std::string Findings(const std::vector<ExpectedFinding>& findings) {
  std::string text;
  for (const ExpectedFinding& finding : findings) {
    text += (text.empty() ? "" : ", ") + finding.code + " at line " + std::to_string(finding.line);
  }
  return text;
}

// "3/4 (75.0%)", or "n/a" when there is nothing to count.
std::string Ratio(int part, int whole) {
  if (whole == 0) return "n/a";
  return std::to_string(part) + "/" + std::to_string(whole) + " (" + Percent(static_cast<double>(part) / whole) + ")";
}

void WriteTableRow(std::ostream& out, const std::string& group, const EvalTotals& totals) {
  out << "| " << group << " | " << totals.cases << " | " << totals.reachable_cases << " | "
      << Ratio(totals.found, totals.expected) << " | " << totals.unexpected_on_buggy << " | " << totals.fixed_findings
      << " | " << Ratio(totals.fix_matches, totals.fixable) << " |\n";
}

void WriteTable(std::ostream& out, const std::string& heading, const std::map<std::string, EvalTotals>& groups,
                const EvalTotals& total) {
  out << "| " << heading
      << " | Cases | Reachable | Recall (reachable) | Other findings on buggy | Findings on fixed | Fix accuracy |\n"
      << "|---|---|---|---|---|---|---|\n";
  for (const auto& [group, totals] : groups) WriteTableRow(out, group, totals);
  WriteTableRow(out, "**all**", total);
}

void WriteText(std::ostream& out, const EvalReport& report) {
  WriteTable(out, "Root cause", report.by_root_cause, report.total);
  out << '\n';
  WriteTable(out, "Fix strategy", report.by_fix_strategy, report.total);

  bool heading = false;
  for (const CaseResult& result : report.results) {
    const CorpusCase& source = *result.source;
    std::vector<std::string> problems;
    if (!result.error.empty()) problems.push_back("error: " + result.error);
    if (source.reachable && !result.missed.empty()) problems.push_back("missed " + Findings(result.missed));
    if (!result.findings_on_fixed.empty()) problems.push_back("fixed.py has " + Findings(result.findings_on_fixed));
    if (source.fix_automatic && result.error.empty() && !result.fix_matches) {
      problems.push_back("the fixed buggy.py differs from fixed.py");
    }
    if (problems.empty()) continue;
    if (!heading) out << "\nCases with problems:\n";
    heading = true;
    for (const std::string& problem : problems) out << "- " << source.id << ": " << problem << '\n';
  }
}

json TotalsJson(const EvalTotals& totals) {
  return {{"cases", totals.cases},
          {"reachable_cases", totals.reachable_cases},
          {"expected_findings", totals.expected},
          {"found_findings", totals.found},
          {"recall", totals.Recall()},
          {"other_findings_on_buggy", totals.unexpected_on_buggy},
          {"findings_on_fixed", totals.fixed_findings},
          {"fixable_cases", totals.fixable},
          {"fix_matches", totals.fix_matches},
          {"fix_accuracy", totals.FixAccuracy()},
          {"errors", totals.errors}};
}

json FindingsJson(const std::vector<ExpectedFinding>& findings) {
  json list = json::array();
  for (const ExpectedFinding& finding : findings) list.push_back({{"line", finding.line}, {"code", finding.code}});
  return list;
}

void WriteJson(std::ostream& out, const EvalReport& report) {
  json document;
  document["total"] = TotalsJson(report.total);
  for (const auto& [group, totals] : report.by_root_cause) document["by_root_cause"][group] = TotalsJson(totals);
  for (const auto& [group, totals] : report.by_fix_strategy) document["by_fix_strategy"][group] = TotalsJson(totals);
  document["cases"] = json::array();
  for (const CaseResult& result : report.results) {
    const CorpusCase& source = *result.source;
    json item = {{"id", source.id},
                 {"root_cause", source.root_cause},
                 {"fix_strategy", source.fix_strategy},
                 {"upstream", source.upstream},
                 {"reachable", source.reachable},
                 {"missed", FindingsJson(result.missed)},
                 {"other_findings_on_buggy", FindingsJson(result.unexpected_on_buggy)},
                 {"findings_on_fixed", FindingsJson(result.findings_on_fixed)}};
    if (source.fix_automatic) item["fix_matches"] = result.fix_matches;
    if (!result.error.empty()) item["error"] = result.error;
    document["cases"].push_back(std::move(item));
  }
  out << document.dump(2) << '\n';
}

// Parses a ratio in [0, 1] or a count; throws std::invalid_argument.
double ParseNumber(const std::string& flag, const std::string& value, double max) {
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(number) || number < 0 || number > max) {
    throw std::invalid_argument("invalid " + flag + " '" + value + "'; expected a number from 0 to " +
                                (max > 1 ? std::string("a large count") : std::string("1")));
  }
  return number;
}

EvalOptions ParseEvalArguments(const std::vector<std::string>& arguments) {
  EvalOptions options;
  bool corpus_given = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= arguments.size()) throw std::invalid_argument("option " + argument + " needs a value");
      return arguments[++i];
    };
    if (argument == "--format") {
      options.format = value();
      if (options.format != "text" && options.format != "json") {
        throw std::invalid_argument("invalid --format '" + options.format + "'; expected text or json");
      }
    } else if (argument == "--min-recall") {
      options.min_recall = ParseNumber(argument, value(), 1.0);
    } else if (argument == "--max-fixed-findings") {
      options.max_fixed_findings = static_cast<int>(ParseNumber(argument, value(), 1e9));
    } else if (argument == "--min-fix-accuracy") {
      options.min_fix_accuracy = ParseNumber(argument, value(), 1.0);
    } else if (argument == "--min-reachable") {
      options.min_reachable = static_cast<int>(ParseNumber(argument, value(), 1e9));
    } else if (argument == "--min-cases") {
      options.min_cases = static_cast<int>(ParseNumber(argument, value(), 1e9));
    } else if (!argument.empty() && argument[0] == '-') {
      throw std::invalid_argument("unknown option '" + argument + "' for eval; run 'distlint eval --help'");
    } else if (corpus_given) {
      throw std::invalid_argument("eval takes one corpus folder, got '" + options.corpus + "' and '" + argument + "'");
    } else {
      options.corpus = argument;
      corpus_given = true;
    }
  }
  return options;
}

// Checks the thresholds; writes one line per failure.
bool WithinThresholds(const EvalOptions& options, const EvalReport& report, std::ostream& err) {
  const EvalTotals& total = report.total;
  bool ok = total.errors == 0;
  if (options.min_recall && total.Recall() + 1e-9 < *options.min_recall) {
    err << "distlint eval: recall " << Percent(total.Recall()) << " is below the minimum "
        << Percent(*options.min_recall) << '\n';
    ok = false;
  }
  for (const auto& [root_cause, totals] : report.by_root_cause) {
    if (options.min_recall && totals.expected > 0 && totals.Recall() + 1e-9 < *options.min_recall) {
      err << "distlint eval: recall on " << root_cause << " is " << Percent(totals.Recall())
          << ", below the minimum " << Percent(*options.min_recall) << '\n';
      ok = false;
    }
    if (options.min_reachable && totals.reachable_cases < *options.min_reachable) {
      err << "distlint eval: " << root_cause << " has " << totals.reachable_cases
          << " reachable cases, fewer than the minimum " << *options.min_reachable << '\n';
      ok = false;
    }
  }
  if (options.min_cases && total.cases < *options.min_cases) {
    err << "distlint eval: the corpus has " << total.cases << " cases, fewer than the minimum "
        << *options.min_cases << '\n';
    ok = false;
  }
  if (options.max_fixed_findings && total.fixed_findings > *options.max_fixed_findings) {
    err << "distlint eval: " << total.fixed_findings << " findings on fixed files, more than the maximum "
        << *options.max_fixed_findings << '\n';
    ok = false;
  }
  if (options.min_fix_accuracy && total.FixAccuracy() + 1e-9 < *options.min_fix_accuracy) {
    err << "distlint eval: fix accuracy " << Percent(total.FixAccuracy()) << " is below the minimum "
        << Percent(*options.min_fix_accuracy) << '\n';
    ok = false;
  }
  if (total.errors > 0) err << "distlint eval: " << total.errors << " cases could not be evaluated\n";
  return ok;
}

}  // namespace

int RunEval(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
  for (const std::string& argument : arguments) {
    if (argument == "-h" || argument == "--help") {
      out << kEvalUsage;
      return kExitClean;
    }
  }
  EvalOptions options;
  try {
    options = ParseEvalArguments(arguments);
  } catch (const std::invalid_argument& error) {
    err << "distlint: error: " << error.what() << '\n';
    return kExitError;
  }

  std::vector<std::string> errors;
  auto cases = LoadCorpus(options.corpus, errors);
  if (!cases) {
    for (const std::string& error : errors) err << "distlint: error: " << error << '\n';
    return kExitError;
  }
  const EvalReport report = EvaluateCorpus(std::move(*cases));
  if (options.format == "json") {
    WriteJson(out, report);
  } else {
    WriteText(out, report);
  }
  return WithinThresholds(options, report, err) ? kExitClean : kExitFindings;
}

}  // namespace distlint
