// Tests of the `distlint` command line: exit statuses, text and JSON output,
// rule selection, rule documentation, parallel runs and odd input files.
// Most tests run the built executable, so exit statuses, terminal detection
// and file handling are those a user gets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/cli.h"
#include "analyzer/rule.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::CommandResult;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

// Two findings: ALC001 at 4:9 (an unsafe fix) and VER003 at 5:4 (a safe fix).
constexpr const char* kTwoFindings =
    "import torch\n"
    "import torch.distributed as dist\n"
    "\n"
    "state = torch.load(\"x.pt\")\n"
    "if torch.__version__[:3] >= \"1.9\":\n"
    "    pass\n";

constexpr const char* kClean = "x = 1\n";

bool ContainsAnsiEscape(const std::string& text) { return text.find("\033[") != std::string::npos; }

size_t CountOccurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

TEST(CliExitStatus, CleanFileIsZero) {
  TempDir dir;
  WriteFile(dir / "clean.py", kClean);

  const CommandResult result = RunDistlint({"check", dir / "clean.py"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "No findings.\n");
}

TEST(CliExitStatus, FindingsIsOne) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", dir / "findings.py"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("ALC001"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("VER003"), std::string::npos) << result.out;
}

TEST(CliExitStatus, ExitZeroFlagHidesFindings) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--exit-zero", dir / "findings.py"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ALC001"), std::string::npos) << result.out;
}

TEST(CliExitStatus, MissingPathIsTwoOthersStillChecked) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);
  const std::string missing = dir / "missing.py";

  const CommandResult result = RunDistlint({"check", missing, dir / "findings.py"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(missing + ": no such file or folder"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("ALC001"), std::string::npos) << "the existing file was not checked:\n" << result.out;
}

TEST(CliExitStatus, UsageErrorsAreTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"check", "--no-such-option"},
      {"check", "--format", "xml"},
      {"check", "--color", "sometimes"},
      {"check", "-j", "0"},
      {"check", "--jobs", "many"},
      {"check", "--select"},
      {"check", "--target-torch", "not-a-version"},
      {"check", "--diff"},
      {"frobnicate"},
  };
  for (const auto& arguments : cases) {
    const CommandResult result = RunDistlint(arguments);
    std::string joined;
    for (const std::string& argument : arguments) joined += argument + " ";
    EXPECT_EQ(result.exit_code, 2) << joined;
    EXPECT_NE(result.err.find("distlint: error: "), std::string::npos) << joined << "\n" << result.err;
  }
}

TEST(CliExitStatus, SyntaxErrorReportedRunContinues) {
  TempDir dir;
  WriteFile(dir / "a_broken.py", "def f(:\n    pass\n");
  WriteFile(dir / "b_findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", dir.path().string()});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(dir / "a_broken.py" + ": error: syntax error at line 1"), std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find(dir / "b_findings.py" + ":4:9: ALC001"), std::string::npos) << result.out;
}

TEST(CliExitStatus, SyntaxErrorAloneIsOne) {
  TempDir dir;
  WriteFile(dir / "broken.py", "x = (\n");

  const CommandResult result = RunDistlint({"check", dir / "broken.py"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("broken.py: error: syntax error"), std::string::npos) << result.err;
}

TEST(CliExitStatus, UnreadableFileIsTwo) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root: root reads a file with mode 000, so the file cannot be made unreadable";
  }
  TempDir dir;
  WriteFile(dir / "locked.py", kClean);
  WriteFile(dir / "findings.py", kTwoFindings);
  testing::fs::permissions(dir / "locked.py", testing::fs::perms::none);

  const CommandResult result = RunDistlint({"check", dir.path().string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(dir / "locked.py" + ": error: cannot read"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("findings.py:4:9: ALC001"), std::string::npos) << result.out;
}

TEST(CliExitStatus, UnreadableFolderIsTwo) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root: root lists a folder with mode 000, so the folder cannot be made unreadable";
  }
  TempDir dir;
  WriteFile(dir / "locked/hidden.py", kTwoFindings);
  WriteFile(dir / "findings.py", kTwoFindings);
  testing::fs::permissions(dir / "locked", testing::fs::perms::none);

  const CommandResult result = RunDistlint({"check", dir.path().string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(dir / "locked" + ": cannot list folder"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("findings.py:4:9: ALC001"), std::string::npos) << result.out;
}

TEST(CliTextFormat, LocationSourceLineAndCaret) {
  TempDir dir;
  const std::string path = dir / "findings.py";
  WriteFile(path, kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--select", "ALC001", path});

  std::istringstream lines(result.out);
  std::string header, source, caret;
  std::getline(lines, header);
  std::getline(lines, source);
  std::getline(lines, caret);
  EXPECT_EQ(header.rfind(path + ":4:9: ALC001 ", 0), 0u) << header;
  EXPECT_EQ(source, "    state = torch.load(\"x.pt\")");
  // Four spaces of indent, then eight for `state = `, then one caret per
  // character of `torch.load("x.pt")`.
  EXPECT_EQ(caret, "    " + std::string(8, ' ') + std::string(18, '^'));
  EXPECT_NE(result.out.find("Found 1 finding."), std::string::npos) << result.out;
}

TEST(CliTextFormat, CaretCountsCodePoints) {
  TempDir dir;
  const std::string path = dir / "accents.py";
  // "é" and "€" are 2 and 3 bytes but one column each.
  WriteFile(path,
            "import torch\n"
            "import torch.distributed as dist\n"
            "s = \"\xC3\xA9\xE2\x82\xAC\"; state = torch.load(\"x.pt\")\n");

  const CommandResult result = RunDistlint({"check", "--select", "ALC001", path});

  EXPECT_NE(result.out.find(path + ":3:19: ALC001"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\n    " + std::string(18, ' ') + std::string(18, '^') + "\n"), std::string::npos)
      << result.out;
}

TEST(CliTextFormat, NoColorWhenNotTerminal) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);
  WriteFile(dir / "broken.py", "def f(:\n");

  const CommandResult result = RunDistlint({"check", dir.path().string()});

  ASSERT_EQ(result.exit_code, 1);
  EXPECT_FALSE(ContainsAnsiEscape(result.out)) << result.out;
  EXPECT_FALSE(ContainsAnsiEscape(result.err)) << result.err;
}

TEST(CliTextFormat, ColorAlwaysPaintsOutput) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);
  WriteFile(dir / "broken.py", "def f(:\n");

  const CommandResult result = RunDistlint({"check", "--color", "always", dir.path().string()});

  EXPECT_TRUE(ContainsAnsiEscape(result.out)) << result.out;
  EXPECT_TRUE(ContainsAnsiEscape(result.err)) << result.err;
  EXPECT_NE(result.out.find("\033[31mALC001\033[0m"), std::string::npos) << result.out;
}

TEST(CliTextFormat, ColorNeverOnRequest) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--color=never", dir / "findings.py"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(ContainsAnsiEscape(result.out)) << result.out;
}

TEST(CliTextFormat, QuietDropsSummary) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "-q", dir / "findings.py"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("ALC001"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("Found "), std::string::npos) << result.out;
}

TEST(CliJsonFormat, DocumentSchema) {
  TempDir dir;
  const std::string path = dir / "findings.py";
  WriteFile(path, kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--format", "json", path});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);

  EXPECT_EQ(document.at("schema_version"), 1);
  EXPECT_EQ(document.at("tool").at("name"), "distlint");
  EXPECT_TRUE(document.at("tool").at("version").is_string());
  EXPECT_EQ(document.at("summary").at("files_scanned"), 1);
  EXPECT_EQ(document.at("summary").at("files_with_errors"), 0);
  EXPECT_EQ(document.at("summary").at("findings"), 2);
  EXPECT_TRUE(document.at("errors").is_array());
  EXPECT_TRUE(document.at("errors").empty());
  ASSERT_TRUE(document.at("findings").is_array());
  ASSERT_EQ(document.at("findings").size(), 2u);

  for (const nlohmann::json& finding : document.at("findings")) {
    EXPECT_EQ(finding.at("path"), path);
    EXPECT_TRUE(finding.at("code").is_string());
    EXPECT_TRUE(finding.at("rule").is_string());
    EXPECT_TRUE(finding.at("family").is_string());
    EXPECT_TRUE(finding.at("message").is_string());
    EXPECT_TRUE(finding.at("related").is_array());
    for (const char* key : {"start", "end"}) {
      EXPECT_TRUE(finding.at(key).at("line").is_number_unsigned()) << key;
      EXPECT_TRUE(finding.at(key).at("column").is_number_unsigned()) << key;
      EXPECT_TRUE(finding.at(key).at("offset").is_number_unsigned()) << key;
    }
    ASSERT_TRUE(finding.at("fix").is_object()) << finding.dump();
    EXPECT_TRUE(finding.at("fix").at("title").is_string());
    EXPECT_TRUE(finding.at("fix").at("edits").is_array());
    EXPECT_FALSE(finding.at("fix").at("edits").empty());
  }

  const nlohmann::json& load = document.at("findings").at(0);
  EXPECT_EQ(load.at("code"), "ALC001");
  EXPECT_EQ(load.at("rule"), "torch-load-without-map-location");
  EXPECT_EQ(load.at("family"), "allocation");
  EXPECT_EQ(load.at("start").at("line"), 4);
  EXPECT_EQ(load.at("start").at("column"), 9);
  // Line 4 starts at byte 47: "import torch\n" is 13 bytes, the import of
  // torch.distributed 33, and the blank line 1.
  EXPECT_EQ(load.at("start").at("offset"), 47 + 8);
  EXPECT_EQ(load.at("end").at("line"), 4);
  EXPECT_EQ(load.at("end").at("column"), 27);
  EXPECT_EQ(load.at("fix").at("applicability"), "unsafe");
  const nlohmann::json& edit = load.at("fix").at("edits").at(0);
  EXPECT_EQ(edit.at("content"), ", map_location=\"cpu\"");
  EXPECT_EQ(edit.at("start").at("line"), 4);
  EXPECT_TRUE(edit.at("end").at("offset").is_number_unsigned());

  const nlohmann::json& version = document.at("findings").at(1);
  EXPECT_EQ(version.at("code"), "VER003");
  EXPECT_EQ(version.at("family"), "version-compatibility");
  EXPECT_EQ(version.at("fix").at("applicability"), "safe");
  EXPECT_EQ(version.at("fix").at("edits").size(), 2u);
}

TEST(CliJsonFormat, OffsetsCountTheByteOrderMark) {
  TempDir dir;
  const std::string path = dir / "bom.py";
  WriteFile(path, std::string("\xEF\xBB\xBF") + kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--format", "json", "--select", "ALC001", path});
  const nlohmann::json document = nlohmann::json::parse(result.out);

  ASSERT_EQ(document.at("findings").size(), 1u);
  EXPECT_EQ(document.at("findings").at(0).at("start").at("offset"), 3 + 47 + 8);
  EXPECT_EQ(document.at("findings").at(0).at("start").at("column"), 9);
}

TEST(CliJsonFormat, FileErrorsListed) {
  TempDir dir;
  WriteFile(dir / "broken.py", "def f(:\n");
  WriteFile(dir / "clean.py", kClean);

  const CommandResult result = RunDistlint({"check", "--format", "json", dir.path().string()});
  const nlohmann::json document = nlohmann::json::parse(result.out);

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(document.at("summary").at("files_scanned"), 2);
  EXPECT_EQ(document.at("summary").at("files_with_errors"), 1);
  EXPECT_EQ(document.at("summary").at("findings"), 0);
  ASSERT_EQ(document.at("errors").size(), 1u);
  EXPECT_EQ(document.at("errors").at(0).at("path"), dir / "broken.py");
  EXPECT_NE(document.at("errors").at(0).at("message").get<std::string>().find("syntax error"), std::string::npos);
}

TEST(CliJsonFormat, CleanRunHasEmptyArrays) {
  TempDir dir;
  WriteFile(dir / "clean.py", kClean);

  const CommandResult result = RunDistlint({"check", "--format=json", dir / "clean.py"});
  const nlohmann::json document = nlohmann::json::parse(result.out);

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(document.at("findings").is_array());
  EXPECT_TRUE(document.at("findings").empty());
  EXPECT_EQ(document.at("summary").at("findings"), 0);
}

// The codes reported for `kTwoFindings` with these selection arguments.
std::vector<std::string> ReportedCodes(const std::vector<std::string>& selection) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);
  std::vector<std::string> arguments = {"check", "--format", "json"};
  arguments.insert(arguments.end(), selection.begin(), selection.end());
  arguments.push_back(dir / "findings.py");
  const CommandResult result = RunDistlint(arguments);
  EXPECT_NE(result.exit_code, 2) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  std::vector<std::string> codes;
  for (const nlohmann::json& finding : document.at("findings")) {
    codes.push_back(finding.at("code").get<std::string>());
  }
  return codes;
}

TEST(CliSelection, SelectByCode) {
  EXPECT_EQ(ReportedCodes({"--select", "VER003"}), std::vector<std::string>{"VER003"});
}

TEST(CliSelection, SelectByPrefix) {
  EXPECT_EQ(ReportedCodes({"--select", "ALC"}), std::vector<std::string>{"ALC001"});
  EXPECT_EQ(ReportedCodes({"--select", "VER"}), std::vector<std::string>{"VER003"});
}

TEST(CliSelection, SelectByName) {
  EXPECT_EQ(ReportedCodes({"--select", "torch-load-without-map-location"}), std::vector<std::string>{"ALC001"});
}

TEST(CliSelection, SelectCommaSeparatedAndRepeated) {
  const std::vector<std::string> both = {"ALC001", "VER003"};
  EXPECT_EQ(ReportedCodes({"--select", "ALC001, VER003"}), both);
  EXPECT_EQ(ReportedCodes({"--select", "ALC001", "--select", "VER003"}), both);
}

TEST(CliSelection, IgnoreByCodePrefixAndName) {
  EXPECT_EQ(ReportedCodes({"--ignore", "ALC001"}), std::vector<std::string>{"VER003"});
  EXPECT_EQ(ReportedCodes({"--ignore", "VER"}), std::vector<std::string>{"ALC001"});
  EXPECT_EQ(ReportedCodes({"--ignore", "torch-version-string-compare"}), std::vector<std::string>{"ALC001"});
}

TEST(CliSelection, LongerMatchWins) {
  // The code is longer than the prefix, so VER003 stays on.
  EXPECT_EQ(ReportedCodes({"--ignore", "VER", "--select", "VER003"}), std::vector<std::string>{"VER003"});
  // A tie goes to --ignore.
  EXPECT_TRUE(ReportedCodes({"--select", "VER003", "--ignore", "VER003"}).empty());
}

TEST(CliSelection, UnknownCodeRejected) {
  TempDir dir;
  WriteFile(dir / "findings.py", kTwoFindings);
  for (const char* flag : {"--select", "--ignore"}) {
    const CommandResult result = RunDistlint({"check", flag, "XYZ999", dir / "findings.py"});
    EXPECT_EQ(result.exit_code, 2) << flag;
    EXPECT_NE(result.err.find("'XYZ999'"), std::string::npos) << flag << ": " << result.err;
    EXPECT_EQ(result.out, "") << flag;
  }
  const CommandResult fix = RunDistlint({"fix", "--select", "NOPE", dir / "findings.py"});
  EXPECT_EQ(fix.exit_code, 2);
}

TEST(CliStatistics, CountsPerRule) {
  TempDir dir;
  WriteFile(dir / "one.py", kTwoFindings);
  WriteFile(dir / "two.py",
            "import torch\n"
            "import torch.distributed as dist\n"
            "a = torch.load(\"a.pt\")\n"
            "b = torch.load(\"b.pt\")\n");

  const CommandResult result = RunDistlint({"check", "--statistics", dir.path().string()});

  EXPECT_EQ(result.exit_code, 1);
  std::istringstream lines(result.out);
  std::string first, second, extra;
  std::getline(lines, first);
  std::getline(lines, second);
  // Most frequent first: three ALC001 findings, then one VER003.
  EXPECT_EQ(first.rfind("3\tALC001\ttorch-load-without-map-location\t", 0), 0u) << result.out;
  EXPECT_EQ(second.rfind("1\tVER003\ttorch-version-string-compare\t", 0), 0u) << result.out;
  EXPECT_FALSE(std::getline(lines, extra)) << "unexpected line: " << extra;
  EXPECT_EQ(result.out.find(dir / "one.py"), std::string::npos) << "statistics listed single findings";
}

TEST(CliStatistics, JsonRows) {
  TempDir dir;
  WriteFile(dir / "one.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--statistics", "--format", "json", dir / "one.py"});
  const nlohmann::json rows = nlohmann::json::parse(result.out);

  ASSERT_TRUE(rows.is_array());
  ASSERT_EQ(rows.size(), 2u);
  for (const nlohmann::json& row : rows) {
    EXPECT_EQ(row.at("count"), 1);
    EXPECT_TRUE(row.at("rule").is_string());
    EXPECT_TRUE(row.at("fixable").is_number_unsigned());
  }
}

TEST(CliRules, ListsEveryRuleSorted) {
  const CommandResult result = RunDistlint({"rules"});

  EXPECT_EQ(result.exit_code, 0);
  std::istringstream lines(result.out);
  std::string line;
  std::vector<std::string> codes;
  while (std::getline(lines, line)) {
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 4) << "expected code, name, family, fix, summary: " << line;
    codes.push_back(line.substr(0, line.find('\t')));
  }
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  for (const char* code : {"ALC001", "ALC002", "COM001", "VER001", "VER002", "VER003"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  }
}

TEST(CliRules, RuleShowsDocText) {
  const Rule* rule = RuleRegistry::Instance().Find("VER003");
  ASSERT_NE(rule, nullptr);

  const CommandResult by_code = RunDistlint({"rule", "VER003"});
  const CommandResult by_name = RunDistlint({"rule", "torch-version-string-compare"});

  EXPECT_EQ(by_code.exit_code, 0);
  EXPECT_EQ(by_code.out.rfind("# VER003 torch-version-string-compare\n", 0), 0u) << by_code.out;
  EXPECT_NE(by_code.out.find(std::string(rule->info().doc)), std::string::npos) << by_code.out;
  EXPECT_EQ(by_name.exit_code, 0);
  EXPECT_EQ(by_name.out, by_code.out);
}

TEST(CliRules, UnknownRuleIsTwo) {
  const CommandResult unknown = RunDistlint({"rule", "XYZ999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no rule 'XYZ999'"), std::string::npos) << unknown.err;

  const CommandResult missing = RunDistlint({"rule"});
  EXPECT_EQ(missing.exit_code, 2);
}

TEST(CliRunInProcess, HelpAndVersion) {
  std::ostringstream out, err;
  EXPECT_EQ(RunCli({"--help"}, out, err), kExitClean);
  EXPECT_NE(out.str().find("Usage: distlint"), std::string::npos);

  std::ostringstream version_out, version_err;
  EXPECT_EQ(RunCli({"version"}, version_out, version_err), kExitClean);
  EXPECT_EQ(version_out.str().rfind("distlint ", 0), 0u) << version_out.str();
}

TEST(CliJobs, OutputIndependentOfThreadCount) {
  TempDir dir;
  for (int i = 0; i < 48; ++i) {
    const std::string name = "pkg" + std::to_string(i % 4) + "/module_" + std::to_string(i) + ".py";
    // Every third file is clean and every tenth is broken, so findings,
    // clean files and errors interleave.
    std::string source = i % 3 == 0 ? kClean : kTwoFindings;
    if (i % 10 == 0) source = "def broken(:\n";
    WriteFile(dir.path() / name, source);
  }

  for (const char* format : {"text", "json"}) {
    const CommandResult serial = RunDistlint({"check", "-j", "1", "--format", format, dir.path().string()});
    const CommandResult parallel = RunDistlint({"check", "-j", "2", "--format", format, dir.path().string()});
    const CommandResult parallel_again = RunDistlint({"check", "-j2", "--format", format, dir.path().string()});

    EXPECT_EQ(serial.exit_code, 1) << format;
    EXPECT_EQ(serial.out, parallel.out) << format;
    EXPECT_EQ(serial.err, parallel.err) << format;
    EXPECT_EQ(serial.out, parallel_again.out) << format;
    EXPECT_FALSE(serial.out.empty()) << format;
  }
  const CommandResult text = RunDistlint({"check", "-j", "1", dir.path().string()});
  EXPECT_EQ(CountOccurrences(text.err, ": error: syntax error"), 5u) << text.err;
}

TEST(CliInputFiles, OddFilesNeverCrashTheRun) {
  TempDir dir;
  WriteFile(dir / "binary.py", std::string("import os\n\0\x01\x02", 13));
  WriteFile(dir / "invalid_utf8.py", "x = \"\xC3\x28\"\n");
  // "x = 1\n" in UTF-16 little endian, with its byte order mark.
  WriteFile(dir / "utf16.py", std::string("\xFF\xFEx\0 \0=\0 \0" "1\0\n\0", 14));
  WriteFile(dir / "latin1.py",
            "# -*- coding: latin-1 -*-\n"
            "import torch\n"
            "import torch.distributed as dist\n"
            "s = \"caf\xE9\"; state = torch.load(\"x.pt\")\n");
  WriteFile(dir / "empty.py", "");
  WriteFile(dir / "only_bom.py", "\xEF\xBB\xBF");

  for (const char* format : {"text", "json"}) {
    const CommandResult result = RunDistlint({"check", "--format", format, dir.path().string()});

    EXPECT_EQ(result.exit_code, 1) << format << "\n" << result.err;
    for (const char* name : {"binary.py", "invalid_utf8.py", "utf16.py"}) {
      EXPECT_NE(result.err.find(dir / name + ": error: "), std::string::npos) << format << " " << name << "\n"
                                                                              << result.err;
    }
    EXPECT_EQ(result.err.find("empty.py"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("only_bom.py"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("latin1.py"), std::string::npos) << result.err;
    EXPECT_NE(result.out.find("latin1.py"), std::string::npos) << format << "\n" << result.out;
  }

  const CommandResult json = RunDistlint({"check", "--format", "json", dir.path().string()});
  const nlohmann::json document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document.at("summary").at("files_scanned"), 6);
  EXPECT_EQ(document.at("summary").at("files_with_errors"), 3);
  ASSERT_EQ(document.at("findings").size(), 1u);
  const nlohmann::json& finding = document.at("findings").at(0);
  EXPECT_EQ(finding.at("code"), "ALC001");
  // Latin-1 decodes one byte per character, so the 0xE9 byte of "café" is
  // one column and `torch` starts at column 21.
  EXPECT_EQ(finding.at("start").at("line"), 4);
  EXPECT_EQ(finding.at("start").at("column"), 21);
}

TEST(CliInputFiles, LatinOneSourceLinePrintedAsUtf8) {
  TempDir dir;
  const std::string path = dir / "latin1.py";
  // 0xB0 is the degree sign in Latin-1 and a UTF-8 continuation byte.
  WriteFile(path,
            "# -*- coding: latin-1 -*-\n"
            "import torch\n"
            "import torch.distributed as dist\n"
            "s = \"90\xB0\"; state = torch.load(\"x.pt\")\n");

  const CommandResult result = RunDistlint({"check", "--select", "ALC001", path});

  EXPECT_NE(result.out.find("    s = \"90\xC2\xB0\"; state = torch.load(\"x.pt\")\n"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("\n    " + std::string(19, ' ') + "^"), std::string::npos)
      << "the caret is not under column 20:\n"
      << result.out;
}

TEST(CliPaths, RelativeStaysRelative) {
  TempDir dir;
  WriteFile(dir / "src/pkg/findings.py", kTwoFindings);
  WriteFile(dir / "loose.txt", kTwoFindings);

  const CommandResult folder = RunDistlint({"check", "--select", "ALC001", "src"}, dir.path().string());
  const CommandResult file = RunDistlint({"check", "--select", "ALC001", "loose.txt"}, dir.path().string());
  const CommandResult absolute = RunDistlint({"check", "--select", "ALC001", dir / "src"});

  EXPECT_EQ(folder.out.rfind("src/pkg/findings.py:4:9: ALC001", 0), 0u) << folder.out;
  EXPECT_EQ(file.out.rfind("loose.txt:4:9: ALC001", 0), 0u) << file.out;
  EXPECT_EQ(absolute.out.rfind(dir / "src/pkg/findings.py:4:9: ALC001", 0), 0u) << absolute.out;
}

TEST(CliPaths, DefaultIsCurrentFolder) {
  TempDir dir;
  WriteFile(dir / "pkg/findings.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--select", "ALC001"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out.rfind("pkg/findings.py:4:9: ALC001", 0), 0u) << result.out;
}

}  // namespace
}  // namespace distlint
