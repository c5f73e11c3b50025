// Tests of the thresholds of `distlint eval`: recall per root cause, the
// number of reachable cases per root cause and the number of cases.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "analyzer/eval.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::TempDir;
using testing::WriteFile;

// VER001 reports line 1 of this file with the default rules.
constexpr const char* kRemovedApi = "from torch._six import inf\n\nprint(inf)\n";
constexpr const char* kClean = "from math import inf\n\nprint(inf)\n";

// Writes a case whose buggy.py is kRemovedApi. `expected_line` is the line
// case.json expects VER001 on; a line other than 1 is a case the rules miss.
void WriteCase(const TempDir& corpus, const std::string& id, const std::string& root_cause, bool reachable,
               int expected_line) {
  WriteFile(corpus.path() / id / "buggy.py", kRemovedApi);
  WriteFile(corpus.path() / id / "fixed.py", kClean);
  const std::string expected =
      reachable ? R"([{"line": )" + std::to_string(expected_line) + R"(, "code": "VER001"}])" : "[]";
  WriteFile(corpus.path() / id / "case.json",
            R"({"description": "d", "upstream": "owner/repo#1", "root_cause": ")" + root_cause +
                R"(", "symptom": "crash", "fix_strategy": "version-compatibility", "expected_findings": )" +
                expected + R"(, "fix_automatic": false, "reachable": )" + (reachable ? "true" : "false") + "}\n");
}

struct EvalRun {
  int status = -1;
  std::string out;
  std::string err;
};

EvalRun RunEvalOn(const TempDir& corpus, std::vector<std::string> options) {
  options.insert(options.begin(), corpus.path().string());
  std::ostringstream out;
  std::ostringstream err;
  EvalRun run;
  run.status = RunEval(options, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(EvalThresholds, RecallCheckedPerRootCause) {
  TempDir corpus;
  WriteCase(corpus, "found", "version-compatibility", true, 1);
  WriteCase(corpus, "missed", "configuration", true, 3);
  // Overall recall is 1 of 2, which meets 0.5. The configuration root cause
  // alone has 0 of 1.
  const EvalRun run = RunEvalOn(corpus, {"--min-recall", "0.5"});
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("recall on configuration is 0.0%"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("recall on version-compatibility"), std::string::npos) << run.err;
}

TEST(EvalThresholds, RecallMetInEveryRootCause) {
  TempDir corpus;
  WriteCase(corpus, "found", "version-compatibility", true, 1);
  WriteCase(corpus, "gap", "configuration", false, 0);
  const EvalRun run = RunEvalOn(corpus, {"--min-recall", "1"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;
}

TEST(EvalThresholds, TooFewReachableCasesFail) {
  TempDir corpus;
  WriteCase(corpus, "found", "version-compatibility", true, 1);
  WriteCase(corpus, "gap", "configuration", false, 0);
  const EvalRun run = RunEvalOn(corpus, {"--min-reachable", "1"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("configuration has 0 reachable cases, fewer than the minimum 1"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("version-compatibility has"), std::string::npos) << run.err;

  const EvalRun zero_minimum = RunEvalOn(corpus, {"--min-reachable", "0"});
  EXPECT_EQ(zero_minimum.status, 0) << zero_minimum.err;
}

TEST(EvalThresholds, TooFewCasesFail) {
  TempDir corpus;
  WriteCase(corpus, "found", "version-compatibility", true, 1);
  WriteCase(corpus, "other", "version-compatibility", true, 1);
  EXPECT_EQ(RunEvalOn(corpus, {"--min-cases", "2"}).status, 0);
  const EvalRun run = RunEvalOn(corpus, {"--min-cases", "3"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("the corpus has 2 cases, fewer than the minimum 3"), std::string::npos) << run.err;
}

TEST(EvalThresholds, NonNumericCountRejected) {
  TempDir corpus;
  WriteCase(corpus, "found", "version-compatibility", true, 1);
  const EvalRun run = RunEvalOn(corpus, {"--min-reachable", "ten"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("invalid --min-reachable 'ten'"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace distlint
