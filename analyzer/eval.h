// `distlint eval`: measures the rules against a corpus of real bugs.
//
// A corpus is a folder of cases, one folder each, holding `buggy.py`,
// `fixed.py` and `case.json`. The JSON names the root cause, symptom, fix
// strategy, upstream reference and expected findings on buggy.py. It also
// says whether distlint's fix should turn buggy.py into fixed.py, and whether
// any rule reaches the case yet (corpus/README.md lists the keys). The evaluation reports, per root cause and per fix
// strategy: recall of the expected findings on buggy files, findings on
// fixed files (false positives) and fix accuracy.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace distlint {

struct ExpectedFinding {
  int line = 0;
  std::string code;
};

struct CorpusCase {
  std::string id;  // The folder name.
  std::string folder;
  std::string root_cause;
  std::string symptom;
  std::string fix_strategy;
  std::string upstream;  // "owner/repo#number".
  std::string description;
  std::string target_torch;  // Optional `--target-torch` range for this case; empty for the default.
  // Optional opt-in rules (codes) that run on this case beside the default set.
  std::vector<std::string> select;
  std::vector<ExpectedFinding> expected;
  bool fix_automatic = false;
  bool reachable = true;
};

// The outcome of one case.
struct CaseResult {
  const CorpusCase* source = nullptr;
  int expected_found = 0;
  std::vector<ExpectedFinding> missed;
  std::vector<ExpectedFinding> unexpected_on_buggy;  // Findings on buggy.py that case.json does not list.
  std::vector<ExpectedFinding> findings_on_fixed;
  bool fix_matches = false;  // Meaningful only when fix_automatic.
  std::string error;         // A file that could not be read or parsed.
};

// Sums over a group of cases (a root cause, a fix strategy, or all).
struct EvalTotals {
  int cases = 0;
  int reachable_cases = 0;
  int expected = 0;            // Expected findings on reachable cases.
  int found = 0;               // Of those, reported.
  int unexpected_on_buggy = 0;
  int fixed_findings = 0;      // Findings on fixed.py of every case.
  int fixable = 0;             // Cases with fix_automatic.
  int fix_matches = 0;
  int errors = 0;

  double Recall() const { return expected == 0 ? 1.0 : static_cast<double>(found) / expected; }
  double FixAccuracy() const { return fixable == 0 ? 1.0 : static_cast<double>(fix_matches) / fixable; }
  void Add(const CaseResult& result);
};

struct EvalReport {
  std::vector<CorpusCase> cases;
  std::vector<CaseResult> results;  // Parallel to `cases`.
  std::map<std::string, EvalTotals> by_root_cause;
  std::map<std::string, EvalTotals> by_fix_strategy;
  EvalTotals total;
};

// Reads every case folder under `corpus`. Returns nullopt and fills
// `errors` (one message per invalid case) when any case is invalid.
std::optional<std::vector<CorpusCase>> LoadCorpus(const std::string& corpus, std::vector<std::string>& errors);

// Runs the default rules, plus the opt-in rules a case lists in `select`, on
// each case (no configuration files) and fills in the report.
EvalReport EvaluateCorpus(std::vector<CorpusCase> cases);

// Collapses each line's whitespace runs to one space, trims lines and drops
// blank lines, so fix accuracy ignores layout.
std::string NormalizeWhitespace(std::string_view text);

// Runs `distlint eval` with its own arguments (after the word "eval").
int RunEval(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace distlint
