// Tests of the CI output formats: SARIF, GitHub Actions annotations, JUnit
// XML, and the fingerprints they and baselines share. The SARIF schema
// itself is checked by tests/sarif/check_schema.sh.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "analyzer/ci_output.h"
#include "analyzer/fingerprint.h"
#include "analyzer/repository.h"
#include "analyzer/rule.h"
#include "analyzer/sarif.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

// ALC001 at 4:9 (with a fix), COM001 at 6:5 (with a related location) and
// VER003 at 7:4.
constexpr const char* kThreeFindings =
    "import torch\n"
    "import torch.distributed as dist\n"
    "\n"
    "state = torch.load(\"x.pt\")\n"
    "if dist.get_rank() == 0:\n"
    "    dist.barrier()\n"
    "if torch.__version__[:3] >= \"1.9\":\n"
    "    pass\n";

void Git(const TempDir& dir, const std::vector<std::string>& arguments) {
  const ProcessResult result = RunGit(arguments, dir.path().string());
  ASSERT_EQ(result.exit_code, 0) << "git failed: " << result.err;
}

void InitRepository(const TempDir& dir) {
  Git(dir, {"init", "-q", "."});
  Git(dir, {"config", "user.name", "distlint tests"});
  Git(dir, {"config", "user.email", "tests@distlint.invalid"});
}

nlohmann::json CheckSarif(const std::string& working_directory, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> arguments = {"check", "--format", "sarif"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  const CommandResult result = RunDistlint(arguments, working_directory);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  return nlohmann::json::parse(result.out);
}

std::vector<std::string> Fingerprints(const nlohmann::json& sarif) {
  std::vector<std::string> fingerprints;
  for (const auto& result : sarif["runs"][0]["results"]) {
    fingerprints.push_back(result["partialFingerprints"][kSarifFingerprintKey].get<std::string>());
  }
  return fingerprints;
}

TEST(SarifOutput, DriverListsEveryRule) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);

  const nlohmann::json sarif = CheckSarif(dir.path().string());

  EXPECT_EQ(sarif["version"], "2.1.0");
  const nlohmann::json& driver = sarif["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "distlint");
  EXPECT_TRUE(driver.contains("version"));
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));
  ASSERT_EQ(driver["rules"].size(), RuleRegistry::Instance().rules().size());
  for (const auto& rule : driver["rules"]) {
    const std::string id = rule["id"];
    EXPECT_TRUE(rule["helpUri"].get<std::string>().ends_with("docs/rules.md#" + id)) << rule["helpUri"];
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty()) << id;
    EXPECT_FALSE(rule["fullDescription"]["markdown"].get<std::string>().empty()) << id;
    EXPECT_NE(rule["help"]["markdown"].get<std::string>().find("## Why is this bad?"), std::string::npos) << id;
    EXPECT_TRUE(rule["properties"].contains("family")) << id;
    EXPECT_TRUE(rule["properties"].contains("fixStrategy")) << id;
  }
}

TEST(SarifOutput, ResultHasRegionFixAndRelated) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);

  const nlohmann::json sarif = CheckSarif(dir.path().string());

  const nlohmann::json& run = sarif["runs"][0];
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  ASSERT_EQ(run["results"].size(), 3u);
  const nlohmann::json& load = run["results"][0];
  EXPECT_EQ(load["ruleId"], "ALC001");
  EXPECT_EQ(run["tool"]["driver"]["rules"][load["ruleIndex"].get<size_t>()]["id"], "ALC001");
  EXPECT_EQ(load["level"], "error");
  const nlohmann::json& location = load["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "train.py");
  EXPECT_EQ(location["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(location["region"]["startLine"], 4);
  EXPECT_EQ(location["region"]["startColumn"], 9);
  EXPECT_EQ(location["region"]["endLine"], 4);
  EXPECT_EQ(location["region"]["endColumn"], 27);
  const nlohmann::json& replacement = load["fixes"][0]["artifactChanges"][0]["replacements"][0];
  EXPECT_EQ(replacement["insertedContent"]["text"], ", map_location=\"cpu\"");
  EXPECT_EQ(replacement["deletedRegion"]["startLine"], 4);
  EXPECT_EQ(replacement["deletedRegion"]["startColumn"], 26);
  EXPECT_EQ(replacement["deletedRegion"]["byteLength"], 0);

  const nlohmann::json& barrier = run["results"][1];
  EXPECT_EQ(barrier["ruleId"], "COM001");
  ASSERT_EQ(barrier["relatedLocations"].size(), 1u);
  EXPECT_EQ(barrier["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 5);
  EXPECT_EQ(barrier["relatedLocations"][0]["message"]["text"], "this condition depends on the rank");
}

TEST(SarifOutput, PathsRelativeToGitTopLevel) {
  TempDir dir;
  InitRepository(dir);
  WriteFile(dir / "src/pkg/train.py", kThreeFindings);

  const nlohmann::json sarif = CheckSarif(dir / "src", {"pkg"});

  const nlohmann::json& run = sarif["runs"][0];
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/pkg/train.py");
  const std::string root_uri = run["originalUriBaseIds"]["SRCROOT"]["uri"];
  EXPECT_TRUE(root_uri.starts_with("file:///")) << root_uri;
  EXPECT_TRUE(root_uri.ends_with("/")) << root_uri;
}

TEST(SarifOutput, PathsRelativeToWorkingFolderOutsideGit) {
  TempDir dir;
  WriteFile(dir / "src/pkg/train.py", kThreeFindings);

  const nlohmann::json sarif = CheckSarif(dir / "src", {"pkg"});

  EXPECT_EQ(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "pkg/train.py");
}

TEST(SarifOutput, ParseErrorIsNotification) {
  TempDir dir;
  WriteFile(dir / "broken.py", "def broken(:\n");

  const CommandResult result = RunDistlint({"check", "--format", "sarif", "."}, dir.path().string());

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const nlohmann::json sarif = nlohmann::json::parse(result.out);
  const nlohmann::json& notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notifications.size(), 1u);
  EXPECT_EQ(notifications[0]["level"], "error");
  EXPECT_EQ(notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "broken.py");
  EXPECT_TRUE(sarif["runs"][0]["results"].empty());
}

TEST(Fingerprint, StableWhenLinesInsertedAbove) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);
  const std::vector<std::string> before = Fingerprints(CheckSarif(dir.path().string()));

  WriteFile(dir / "train.py", std::string("# a new comment\n\nimport os\n") + kThreeFindings);
  const std::vector<std::string> after = Fingerprints(CheckSarif(dir.path().string()));

  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(before, after);
}

TEST(Fingerprint, StableWhenIndentationChanges) {
  TempDir dir;
  WriteFile(dir / "train.py", "import torch\nimport torch.distributed as dist\ndist.barrier()\nstate = torch.load('x')\n");
  const std::vector<std::string> before = Fingerprints(CheckSarif(dir.path().string()));

  WriteFile(dir / "train.py", "import torch\nimport torch.distributed as dist\ndist.barrier()\nif True:\n    state  =  torch.load('x')\n");
  const std::vector<std::string> after = Fingerprints(CheckSarif(dir.path().string()));

  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before, after);
}

TEST(Fingerprint, ChangesWithLineTextOrPath) {
  TempDir dir;
  WriteFile(dir / "a.py", "import torch\nimport torch.distributed as dist\ndist.barrier()\nstate = torch.load('x')\n");
  WriteFile(dir / "b.py", "import torch\nimport torch.distributed as dist\ndist.barrier()\nstate = torch.load('x')\n");
  WriteFile(dir / "c.py", "import torch\nimport torch.distributed as dist\ndist.barrier()\nstate = torch.load('y')\n");

  const std::vector<std::string> fingerprints = Fingerprints(CheckSarif(dir.path().string()));

  ASSERT_EQ(fingerprints.size(), 3u);
  EXPECT_EQ(std::set<std::string>(fingerprints.begin(), fingerprints.end()).size(), 3u);
}

TEST(Fingerprint, IdenticalFindingsGetOccurrenceIndex) {
  TempDir dir;
  WriteFile(dir / "a.py",
            "import torch\nimport torch.distributed as dist\ndist.barrier()\nstate = torch.load('x')\nstate = torch.load('x')\n");

  const std::vector<std::string> fingerprints = Fingerprints(CheckSarif(dir.path().string()));

  ASSERT_EQ(fingerprints.size(), 2u);
  const std::string hash = fingerprints[0].substr(0, fingerprints[0].find(':'));
  EXPECT_EQ(fingerprints[0], hash + ":0");
  EXPECT_EQ(fingerprints[1], hash + ":1");
}

TEST(Fingerprint, JsonOutputCarriesSameValue) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);
  const std::vector<std::string> sarif = Fingerprints(CheckSarif(dir.path().string()));

  const CommandResult result = RunDistlint({"check", "--format", "json", "."}, dir.path().string());

  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["findings"].size(), sarif.size());
  for (size_t i = 0; i < sarif.size(); ++i) EXPECT_EQ(json["findings"][i]["fingerprint"], sarif[i]) << i;
}

TEST(Fingerprint, NormalizedTextCollapsesWhitespace) {
  std::string error;
  auto file = SourceFile::FromBytes("a.py", "x = 1\n  a  =\t torch.load(\n      'x' )\ny = 2\n", &error);
  ASSERT_TRUE(file) << error;
  Diagnostic diagnostic;
  diagnostic.start_position = file->PositionOf(12);
  diagnostic.end_position = file->PositionOf(37);

  EXPECT_EQ(NormalizedSourceText(*file, diagnostic), "a = torch.load(\n'x' )");
}

TEST(Fingerprint, RangeEndingAtLineStartExcludesThatLine) {
  std::string error;
  auto file = SourceFile::FromBytes("a.py", "first\nsecond\n", &error);
  ASSERT_TRUE(file) << error;
  Diagnostic diagnostic;
  diagnostic.start_position = file->PositionOf(0);
  diagnostic.end_position = file->PositionOf(6);

  EXPECT_EQ(NormalizedSourceText(*file, diagnostic), "first");
}

TEST(MarkdownSection, ExtractsBodyWithoutHeading) {
  const std::string doc = "## What it does\nFinds things.\nMore.\n\n## Why is this bad?\nBecause.\n";

  EXPECT_EQ(MarkdownSection(doc, "What it does"), "Finds things.\nMore.");
  EXPECT_EQ(MarkdownSection(doc, "Why is this bad?"), "Because.");
  EXPECT_EQ(MarkdownSection(doc, "Example"), "");
}

TEST(GithubFormat, EscapesDataAndProperties) {
  EXPECT_EQ(EscapeWorkflowData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  EXPECT_EQ(EscapeWorkflowProperty("dir:a,b/100%.py\n"), "dir%3Aa%2Cb/100%25.py%0A");
}

TEST(GithubFormat, OneErrorCommandPerFinding) {
  TempDir dir;
  InitRepository(dir);
  WriteFile(dir / "sub/a,b.py", kThreeFindings);
  WriteFile(dir / "sub/broken.py", "def broken(:\n");

  const CommandResult result = RunDistlint({"check", "--format", "github", "."}, dir / "sub");

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("::error file=sub/a%2Cb.py,line=4,col=9,endLine=4,endColumn=27,title=ALC001::`torch.load` "),
            std::string::npos)
      << result.out;
  // The related location becomes a second line of the message, escaped.
  EXPECT_NE(result.out.find("%0Anote: sub/a,b.py:5:4: this condition depends on the rank"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("::error file=sub/broken.py,title=distlint::syntax error"), std::string::npos)
      << result.out;
  size_t lines = 0;
  for (const char character : result.out) lines += character == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 4u) << result.out;
}

TEST(JunitFormat, EscapesXmlText) {
  EXPECT_EQ(EscapeXml("a<b>&\"c'\n"), "a&lt;b&gt;&amp;&quot;c&apos;&#10;");
  EXPECT_EQ(EscapeXml(std::string("bell\x07")), "bell\xEF\xBF\xBD");
  EXPECT_EQ(EscapeXml("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(EscapeXml("bad\xC3("), "bad\xEF\xBF\xBD(");
}

TEST(JunitFormat, TestcasePerFileFailurePerFinding) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);
  WriteFile(dir / "clean.py", "x = 1\n");
  WriteFile(dir / "broken.py", "def broken(:\n");

  const CommandResult result = RunDistlint({"check", "--format", "junit", "."}, dir.path().string());

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(result.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) << result.out;
  EXPECT_NE(result.out.find("<testsuite name=\"distlint\" tests=\"3\" failures=\"3\" errors=\"1\""),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("<testcase classname=\"distlint\" name=\"clean.py\" file=\"clean.py\"/>"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("<error type=\"analysis-error\" message=\"syntax error"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("<failure type=\"VER003\" message=\"VER003 the torch version is compared as a string "
                            "slice: &quot;1.10&quot; &lt; &quot;1.9&quot;"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("\"1.9\""), std::string::npos) << "unescaped quotes in: " << result.out;
}

TEST(CiFormats, RejectedForFixAndStatistics) {
  TempDir dir;
  WriteFile(dir / "train.py", kThreeFindings);

  const CommandResult fix = RunDistlint({"fix", "--format", "sarif", "."}, dir.path().string());
  const CommandResult statistics = RunDistlint({"check", "--statistics", "--format", "junit", "."}, dir.path().string());

  EXPECT_EQ(fix.exit_code, 2);
  EXPECT_NE(fix.err.find("--format sarif applies to 'distlint check' only"), std::string::npos) << fix.err;
  EXPECT_EQ(statistics.exit_code, 2);
  EXPECT_NE(statistics.err.find("--statistics prints text or json only"), std::string::npos) << statistics.err;
  EXPECT_EQ(ReadFile(dir / "train.py"), kThreeFindings);
}

}  // namespace
}  // namespace distlint
