// Tests of the optional `select` key of corpus cases, which adds opt-in
// rules to the default set for one case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/eval.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr const char* kBuggy = "import torch\n\nstate = torch.load(\"model.pt\", map_location=\"cpu\")\n";
constexpr const char* kFixed =
    "import torch\n\nstate = torch.load(\"model.pt\", map_location=\"cpu\", weights_only=False)\n";

// Writes one case that expects the opt-in PAR002 on line 3; `select_json` is
// the value of "select", or empty to leave the key out.
void WriteCase(const TempDir& corpus, const std::string& select_json) {
  WriteFile(corpus.path() / "case-one" / "buggy.py", kBuggy);
  WriteFile(corpus.path() / "case-one" / "fixed.py", kFixed);
  std::string document =
      R"({"description": "d", "upstream": "owner/repo#1", "root_cause": "parameter-handling",
          "symptom": "crash", "fix_strategy": "parameter-handling",
          "expected_findings": [{"line": 3, "code": "PAR002"}],
          "fix_automatic": false, "reachable": true)";
  if (!select_json.empty()) document += R"(, "select": )" + select_json;
  WriteFile(corpus.path() / "case-one" / "case.json", document + "}\n");
}

EvalReport Evaluate(const TempDir& corpus) {
  std::vector<std::string> errors;
  auto cases = LoadCorpus(corpus.path().string(), errors);
  EXPECT_TRUE(cases.has_value());
  EXPECT_TRUE(errors.empty());
  return EvaluateCorpus(cases ? *cases : std::vector<CorpusCase>{});
}

TEST(EvalSelect, OptInRuleRunsWhenSelected) {
  TempDir corpus;
  WriteCase(corpus, R"(["PAR002"])");
  const EvalReport report = Evaluate(corpus);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_TRUE(report.results[0].error.empty()) << report.results[0].error;
  EXPECT_EQ(report.total.found, 1);
  EXPECT_TRUE(report.results[0].findings_on_fixed.empty());
}

TEST(EvalSelect, OptInRuleSkippedWithoutSelect) {
  TempDir corpus;
  WriteCase(corpus, "");
  const EvalReport report = Evaluate(corpus);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.total.found, 0);
  EXPECT_EQ(report.results[0].missed.size(), 1u);
}

TEST(EvalSelect, NonStringEntryRejected) {
  TempDir corpus;
  WriteCase(corpus, "[2]");
  std::vector<std::string> errors;
  EXPECT_FALSE(LoadCorpus(corpus.path().string(), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("\"select\" must be a list of rule codes"), std::string::npos) << errors[0];
}

TEST(EvalSelect, UnknownCodeReported) {
  TempDir corpus;
  WriteCase(corpus, R"(["XYZ999"])");
  const EvalReport report = Evaluate(corpus);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_NE(report.results[0].error.find("unknown rule \"XYZ999\""), std::string::npos) << report.results[0].error;
}

}  // namespace
}  // namespace distlint
