// Tests of suppression comments: parsing each form from the syntax tree,
// matching findings in the Analyzer, and their effect on text and JSON
// output and on `distlint fix`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/fix_engine.h"
#include "analyzer/suppression.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kHeader =
    "import torch\n"
    "import torch.distributed as dist\n";

bool Contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::vector<Suppression> Parse(const std::string& text) {
  std::string error;
  auto file = SourceFile::FromBytes("t.py", text, &error);
  EXPECT_TRUE(file.has_value()) << error;
  PythonParser parser;
  SyntaxTree tree = parser.Parse(file->text());
  std::vector<TSNode> comments;
  Walk(tree.root(), [&](TSNode node) {
    if (Is(node, Symbols::Get().comment)) comments.push_back(node);
    return true;
  });
  return FindSuppressions(comments, *file);
}

std::vector<std::string> CodesOf(const Suppression& suppression) {
  std::vector<std::string> codes;
  for (const SuppressionCode& code : suppression.codes) codes.push_back(code.code);
  return codes;
}

// Analyses `text` with `select` and returns "line:CODE" per finding.
std::vector<std::string> Findings(const std::string& text, std::vector<std::string> select = {}) {
  const Analyzer analyzer(AnalysisOptions{}, RuleSelection{std::move(select), {}});
  PythonParser parser;
  const FileResult result = analyzer.AnalyzeBuffer("t.py", text, parser);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  std::vector<std::string> findings;
  for (const Diagnostic& diagnostic : result.diagnostics) {
    findings.push_back(std::to_string(diagnostic.start_position.line) + ":" + diagnostic.code);
  }
  return findings;
}

using Lines = std::vector<std::string>;

// --- Parsing ---------------------------------------------------------------------

TEST(SuppressionParse, DistlintIgnoreCodes) {
  const auto suppressions = Parse("x = 1  # distlint: ignore[COM001, VER]\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(suppressions[0].kind, SuppressionKind::kIgnore);
  EXPECT_FALSE(suppressions[0].all_codes);
  EXPECT_EQ(CodesOf(suppressions[0]), (std::vector<std::string>{"COM001", "VER"}));
  EXPECT_EQ(suppressions[0].line, 1u);
}

TEST(SuppressionParse, CodeOffsetsPointIntoText) {
  const std::string text = "x = 1  # distlint: ignore[COM001,  VER]\n";
  const auto suppressions = Parse(text);
  ASSERT_EQ(suppressions.size(), 1u);
  ASSERT_EQ(suppressions[0].codes.size(), 2u);
  const SuppressionCode& second = suppressions[0].codes[1];
  EXPECT_EQ(text.substr(second.start, second.end - second.start), "VER");
  EXPECT_EQ(text.substr(suppressions[0].start, suppressions[0].end - suppressions[0].start),
            "# distlint: ignore[COM001,  VER]");
}

TEST(SuppressionParse, NoqaForms) {
  auto suppressions = Parse("x = 1  # noqa: COM001,VER002 E501\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(suppressions[0].kind, SuppressionKind::kNoqa);
  EXPECT_EQ(CodesOf(suppressions[0]), (std::vector<std::string>{"COM001", "VER002", "E501"}));

  suppressions = Parse("x = 1  # noqa\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_TRUE(suppressions[0].all_codes);

  suppressions = Parse("x = 1  # NOQA:COM001 because\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(CodesOf(suppressions[0]), (std::vector<std::string>{"COM001"}));
}

TEST(SuppressionParse, IgnoreFileForms) {
  auto suppressions = Parse("# distlint: ignore-file[ALC]\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(suppressions[0].kind, SuppressionKind::kIgnoreFile);
  EXPECT_EQ(CodesOf(suppressions[0]), (std::vector<std::string>{"ALC"}));

  suppressions = Parse("# distlint: ignore-file\n");
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(suppressions[0].kind, SuppressionKind::kIgnoreFile);
  EXPECT_TRUE(suppressions[0].all_codes);
}

TEST(SuppressionParse, SeveralDirectivesInOneComment) {
  const auto suppressions = Parse("x = 1  # type: ignore  # noqa: F401  # distlint: ignore[COM001]\n");
  ASSERT_EQ(suppressions.size(), 2u);
  EXPECT_EQ(suppressions[0].kind, SuppressionKind::kNoqa);
  EXPECT_EQ(suppressions[1].kind, SuppressionKind::kIgnore);
}

TEST(SuppressionParse, LookalikesAreNotDirectives) {
  EXPECT_TRUE(Parse("s = '# distlint: ignore[COM001]'\n").empty());
  EXPECT_TRUE(Parse("s = \"\"\"\n# noqa\n\"\"\"\n").empty());
  EXPECT_TRUE(Parse("x = 1  # noqaed\n").empty());
  EXPECT_TRUE(Parse("x = 1  # distlint: ignored\n").empty());
  EXPECT_TRUE(Parse("x = 1  # distlint: ignore[COM001\n").empty());
  EXPECT_TRUE(Parse("x = 1  # see distlint: ignore[COM001]\n").empty());
}

// --- Matching in the Analyzer ---------------------------------------------------------

TEST(SuppressionMatch, EachFormSuppresses) {
  const std::string text = std::string(kHeader) +
                           "a = torch.load('a')  # distlint: ignore[ALC001]\n"
                           "b = torch.load('b')  # noqa: ALC001\n"
                           "c = torch.load('c')  # noqa\n"
                           "d = torch.load('d')  # distlint: ignore[ALC]\n"
                           "e = torch.load('e')  # distlint: ignore\n"
                           "f = torch.load('f')  # distlint: ignore[VER003]\n";

  EXPECT_EQ(Findings(text, {"ALC001"}), (Lines{"8:ALC001"}));
}

TEST(SuppressionMatch, CrlfNoqaKeepsItsCodes) {
  const std::string text =
      "import torch\r\n"
      "import torch.distributed as dist\r\n"
      "a = torch.load('a')  # noqa: VER003\r\n"
      "b = torch.load('b')  # noqa: ALC001\r\n";

  const std::vector<Suppression> suppressions = Parse(text);
  ASSERT_EQ(suppressions.size(), 2u);
  EXPECT_FALSE(suppressions[0].all_codes);
  EXPECT_EQ(CodesOf(suppressions[0]), (std::vector<std::string>{"VER003"}));
  // A `# noqa: VER003` must not hide the ALC001 finding on its line.
  EXPECT_EQ(Findings(text, {"ALC001"}), (Lines{"3:ALC001"}));
}

TEST(SuppressionFix, CrlfUnusedCodeRemovedKeepingLineEnding) {
  TempDir dir;
  WriteFile(dir / "a.py",
            "import torch\r\n"
            "import torch.distributed as dist\r\n"
            "x = torch.load('x', map_location='cpu')  # noqa: ALC001\r\n"
            "y = 1  # rank 0 only  # distlint: ignore[ALC001]\r\n");

  const CommandResult result = RunDistlint({"fix", "--select", "ALC001,CFG001", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(ReadFile(dir / "a.py"),
            "import torch\r\n"
            "import torch.distributed as dist\r\n"
            "x = torch.load('x', map_location='cpu')\r\n"
            "y = 1  # rank 0 only\r\n");
}

TEST(SuppressionMatch, FileLevelSuppresses) {
  const std::string body = "a = torch.load('a')\nif torch.__version__[:3] >= '1.9':\n    pass\n";

  EXPECT_EQ(Findings(std::string(kHeader) + "# distlint: ignore-file[ALC001]\n" + body, {"ALC001", "VER003"}),
            (Lines{"5:VER003"}));
  EXPECT_TRUE(Findings(std::string(kHeader) + body + "# distlint: ignore-file\n", {"ALC001", "VER003"}).empty());
}

TEST(SuppressionMatch, StatementFirstLineCoversContinuation) {
  const std::string text = std::string(kHeader) +
                           "value = combine(1,  # distlint: ignore[ALC001]\n"
                           "                torch.load('a'))\n"
                           "other = combine(torch.load('b'),\n"
                           "                1)  # distlint: ignore[ALC001]\n";

  // Only the first line of a statement counts, not its last.
  EXPECT_EQ(Findings(text, {"ALC001"}), (Lines{"5:ALC001"}));
}

TEST(SuppressionMatch, BlockHeaderDoesNotCoverBody) {
  const std::string text = std::string(kHeader) +
                           "if ready:  # distlint: ignore[ALC001]\n"
                           "    a = torch.load('a')\n";

  EXPECT_EQ(Findings(text, {"ALC001"}), (Lines{"4:ALC001"}));
}

TEST(SuppressionMatch, OtherLinesUnaffected) {
  const std::string text = std::string(kHeader) +
                           "# distlint: ignore[ALC001]\n"
                           "a = torch.load('a')\n";

  EXPECT_EQ(Findings(text, {"ALC001"}), (Lines{"4:ALC001"}));
}

// --- Output and fix ----------------------------------------------------------------------

constexpr const char* kSuppressedFile =
    "import torch\n"
    "import torch.distributed as dist\n"
    "\n"
    "a = torch.load(\"a.pt\")  # distlint: ignore[ALC001]\n"
    "b = torch.load(\"b.pt\")  # noqa: ALC001\n"
    "c = torch.load(\"c.pt\")  # noqa\n"
    "if torch.__version__[:3] >= \"1.9\":  # noqa: VER003\n"
    "    pass\n";

TEST(SuppressionOutput, TextHidesSuppressed) {
  TempDir dir;
  WriteFile(dir / "a.py", kSuppressedFile);

  const CommandResult result = RunDistlint({"check", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "No findings.\n");
}

TEST(SuppressionOutput, JsonHidesSuppressed) {
  TempDir dir;
  WriteFile(dir / "a.py", kSuppressedFile);
  WriteFile(dir / "b.py", std::string(kSuppressedFile) + "d = torch.load(\"d.pt\")\n");

  const CommandResult result = RunDistlint({"check", "--format", "json", "a.py", "b.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  ASSERT_EQ(document["findings"].size(), 1u) << result.out;
  EXPECT_EQ(document["findings"][0]["path"], "b.py");
  EXPECT_EQ(document["findings"][0]["start"]["line"], 9);
}

TEST(SuppressionOutput, IgnoreFileInCheck) {
  TempDir dir;
  WriteFile(dir / "a.py", std::string("# distlint: ignore-file[ALC]\n") + kHeader + "a = torch.load('a')\n");

  const CommandResult result = RunDistlint({"check", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out;
}

TEST(SuppressionFix, SuppressedFixNotApplied) {
  TempDir dir;
  WriteFile(dir / "a.py", kSuppressedFile);

  const CommandResult result = RunDistlint({"fix", "--unsafe-fixes", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(ReadFile(dir / "a.py"), kSuppressedFile);
}

TEST(SuppressionFix, UnsuppressedNeighbourStillFixed) {
  TempDir dir;
  const std::string text = std::string(kSuppressedFile) + "d = torch.load(\"d.pt\")\n";
  WriteFile(dir / "a.py", text);

  RunDistlint({"fix", "--unsafe-fixes", "a.py"}, dir.path().string());

  const std::string fixed = ReadFile(dir / "a.py");
  EXPECT_TRUE(Contains(fixed, "d = torch.load(\"d.pt\", map_location=\"cpu\")\n")) << fixed;
  EXPECT_TRUE(Contains(fixed, "a = torch.load(\"a.pt\")  # distlint: ignore[ALC001]\n")) << fixed;
}

TEST(SuppressionFix, UnusedOwnLineDirectiveRemovedWithLine) {
  TempDir dir;
  WriteFile(dir / "a.py", std::string(kHeader) + "# distlint: ignore-file[ALC001]\nx = 1\n");

  const CommandResult result = RunDistlint({"fix", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(ReadFile(dir / "a.py"), std::string(kHeader) + "x = 1\n");
}

TEST(SuppressionFix, UnusedCodeOfDeselectedRuleKept) {
  TempDir dir;
  const std::string text = std::string(kHeader) + "x = 1  # distlint: ignore[VER003]\n";
  WriteFile(dir / "a.py", text);

  const CommandResult result = RunDistlint({"fix", "--select", "ALC,CFG", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(ReadFile(dir / "a.py"), text);
}

TEST(SuppressionFix, PrefixJudgedOnlyWhenAllItsRulesRan) {
  TempDir dir;
  const std::string text = std::string(kHeader) + "x = 1  # distlint: ignore[ALC]\n";
  WriteFile(dir / "a.py", text);

  const CommandResult some = RunDistlint({"check", "--select", "ALC001,CFG", "a.py"}, dir.path().string());
  const CommandResult all = RunDistlint({"check", "--select", "ALC,CFG", "a.py"}, dir.path().string());

  EXPECT_EQ(some.exit_code, 0) << some.out;
  EXPECT_EQ(all.exit_code, 1) << all.out;
  EXPECT_TRUE(Contains(all.out, "CFG001 [*] unused suppression: no `ALC` finding on this line")) << all.out;
}

TEST(SuppressionFix, PerFileIgnoredRuleNotJudged) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "[per-file-ignores]\n\"a.py\" = [\"VER003\"]\n");
  const std::string text = std::string(kHeader) + "x = 1  # distlint: ignore[VER003]\n";
  WriteFile(dir / "a.py", text);
  WriteFile(dir / "b.py", text);

  const CommandResult result = RunDistlint({"check", "--format", "json", "."}, dir.path().string());

  const nlohmann::json document = nlohmann::json::parse(result.out);
  ASSERT_EQ(document["findings"].size(), 1u) << result.out;
  EXPECT_EQ(document["findings"][0]["path"], "b.py");
  EXPECT_EQ(document["findings"][0]["code"], "CFG001");
}

}  // namespace
}  // namespace distlint
