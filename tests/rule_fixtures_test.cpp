// Fixture-driven tests of every rule, over tests/fixtures/rules/<CODE>/.
//
// Finding fixtures (`*.py`, in the style of clang-tidy's lit tests): a line
// that the rule must report ends with `# expect: CODE` (several codes
// separated by commas, and a code twice for two findings on one line). Every
// other line must produce no finding. Only the
// rule named by the folder runs. Files named `near_miss_*.py` must produce
// no finding at all.
//
// Fix fixtures (in the style of TorchFix): `NAME.in.py` is fixed with safe
// fixes and compared byte for byte with `NAME.out.py`. It is also fixed with
// unsafe fixes and compared with `NAME.unsafe.out.py`, or with `NAME.out.py`
// when that file is absent. The `.in.py` file is also a finding fixture, but
// the `.out.py` files are not.
//
// Folder fixtures: each folder inside tests/fixtures/rules/<CODE>/ is a small
// project whose `.py` files (in any sub-folder) are analysed together, as
// `distlint check` does, so the project index gives one file the function
// summaries of another. `# expect:` comments work as in single files, in
// any of the files. A folder named `near_miss_*` must produce no finding.
// Folder fixtures take no options line.
//
// A fixture sets analysis options in its first line:
// `# distlint-test: target-torch=>=2.3` (several `key=value` pairs separated
// by spaces). `extend-select=ALC001,VER003` (whole codes) runs more rules beside the folder's
// one, for rules that judge other rules' findings; their findings are then
// expected like the folder rule's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/driver.h"
#include "analyzer/fix_engine.h"
#include "analyzer/rule.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExpectMarker = "# expect:";
constexpr std::string_view kOptionsMarker = "# distlint-test:";
constexpr std::string_view kNearMissPrefix = "near_miss_";
constexpr std::string_view kFixInputSuffix = ".in.py";
constexpr std::string_view kSafeOutputSuffix = ".out.py";
constexpr std::string_view kUnsafeOutputSuffix = ".unsafe.out.py";

fs::path FixtureRoot() { return fs::path(DISTLINT_SOURCE_DIR) / "tests" / "fixtures" / "rules"; }

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::string ReadText(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return std::move(buffer).str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// One fixture file and the rule its folder names.
struct Fixture {
  std::string code;
  fs::path path;

  std::string FileName() const { return path.filename().string(); }
  bool IsNearMiss() const { return FileName().rfind(kNearMissPrefix, 0) == 0; }
  bool IsFixInput() const { return EndsWith(FileName(), kFixInputSuffix); }
  bool IsFixOutput() const { return EndsWith(FileName(), kSafeOutputSuffix); }
};

// Prints the fixture's path in gtest output in place of its bytes.
void PrintTo(const Fixture& fixture, std::ostream* out) { *out << fixture.path.string(); }

// Lists every `.py` file under the fixture root, sorted by rule and file name.
std::vector<Fixture> AllFixtures() {
  std::vector<Fixture> fixtures;
  if (!fs::is_directory(FixtureRoot())) return fixtures;
  for (const fs::directory_entry& folder : fs::directory_iterator(FixtureRoot())) {
    if (!folder.is_directory()) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(folder.path())) {
      if (file.is_regular_file() && file.path().extension() == ".py") {
        fixtures.push_back({folder.path().filename().string(), file.path()});
      }
    }
  }
  std::sort(fixtures.begin(), fixtures.end(),
            [](const Fixture& a, const Fixture& b) { return std::tie(a.code, a.path) < std::tie(b.code, b.path); });
  return fixtures;
}

std::vector<Fixture> FindingFixtures() {
  std::vector<Fixture> result;
  for (Fixture& fixture : AllFixtures()) {
    if (!fixture.IsFixOutput()) result.push_back(std::move(fixture));
  }
  return result;
}

std::vector<Fixture> FixFixtures() {
  std::vector<Fixture> result;
  for (Fixture& fixture : AllFixtures()) {
    if (fixture.IsFixInput()) result.push_back(std::move(fixture));
  }
  return result;
}

// Builds a gtest parameter name from the code and the file name, with every
// character that is not a letter or a digit turned into '_'.
std::string FixtureTestName(const ::testing::TestParamInfo<Fixture>& info) {
  std::string name = info.param.code + "_" + info.param.FileName();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Reads the options line of a fixture into `options` and the rules it runs
// besides the folder's into `extra_rules`. Returns an error message for an
// unknown key or an invalid value, or an empty string.
std::string ReadOptions(const std::string& text, AnalysisOptions* options, std::vector<std::string>* extra_rules) {
  const std::string first_line = text.substr(0, text.find('\n'));
  const size_t marker = first_line.find(kOptionsMarker);
  if (marker == std::string::npos) return {};
  std::istringstream settings(first_line.substr(marker + kOptionsMarker.size()));
  for (std::string setting; settings >> setting;) {
    const size_t equals = setting.find('=');
    const std::string key = setting.substr(0, equals);
    const std::string value = equals == std::string::npos ? std::string() : setting.substr(equals + 1);
    if (key == "target-torch") {
      std::string error;
      auto range = TorchVersionRange::Parse(value, &error);
      if (!range) return "invalid target-torch '" + value + "': " + error;
      options->target_torch = *range;
    } else if (key == "extend-select") {
      std::istringstream codes(value);
      for (std::string code; std::getline(codes, code, ',');) {
        if (!RuleSelection{{code}, {}}.FirstUnknown()) {
          extra_rules->push_back(code);
        } else {
          return "extend-select names no rule: '" + code + "'";
        }
      }
    } else {
      return "unknown option '" + key + "' (known: target-torch, extend-select)";
    }
  }
  return {};
}

// A finding as the fixtures state it: (line, code). The findings of a file
// form a multiset, so a line reported twice needs its code twice.
using LineCode = std::pair<uint32_t, std::string>;
using Findings = std::multiset<LineCode>;

Findings ExpectedFindings(const std::string& text) {
  Findings expected;
  const std::vector<std::string> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t marker = lines[i].rfind(kExpectMarker);
    if (marker == std::string::npos) continue;
    std::istringstream codes(lines[i].substr(marker + kExpectMarker.size()));
    for (std::string code; std::getline(codes, code, ',');) {
      const std::string trimmed = Trim(code);
      if (!trimmed.empty()) expected.emplace(static_cast<uint32_t>(i + 1), trimmed);
    }
  }
  return expected;
}

// Lists the differences between expected and reported findings, one per
// line, with the source line and the message of unexpected findings.
std::string DescribeMismatch(const Findings& expected, const std::vector<Diagnostic>& diagnostics,
                             const std::vector<std::string>& lines) {
  Findings unmatched_expected = expected;
  std::vector<const Diagnostic*> unexpected;
  for (const Diagnostic& diagnostic : diagnostics) {
    auto match = unmatched_expected.find({diagnostic.start_position.line, diagnostic.code});
    if (match == unmatched_expected.end()) {
      unexpected.push_back(&diagnostic);
    } else {
      unmatched_expected.erase(match);
    }
  }

  auto source_line = [&](uint32_t line) { return line - 1 < lines.size() ? Trim(lines[line - 1]) : std::string(); };
  std::ostringstream out;
  for (const LineCode& finding : unmatched_expected) {
    out << "  missing    line " << finding.first << " " << finding.second << ": " << source_line(finding.first)
        << "\n";
  }
  for (const Diagnostic* diagnostic_pointer : unexpected) {
    const Diagnostic& diagnostic = *diagnostic_pointer;
    out << "  unexpected line " << diagnostic.start_position.line << ":" << diagnostic.start_position.column << " "
        << diagnostic.code << ": " << source_line(diagnostic.start_position.line) << "\n"
        << "             message: " << diagnostic.message << "\n";
  }
  return out.str();
}

// Builds a line diff of two texts from the longest common subsequence of
// their lines. Lines only in `expected` start with '-' and lines only in
// `actual` with '+'.
std::string LineDiff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> a = SplitLines(expected);
  const std::vector<std::string> b = SplitLines(actual);
  std::vector<std::vector<size_t>> common(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::ostringstream out;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out << "   " << a[i] << "\n";
      ++i, ++j;
    } else if (j < b.size() && (i == a.size() || common[i][j + 1] >= common[i + 1][j])) {
      out << " + " << b[j++] << "\n";
    } else {
      out << " - " << a[i++] << "\n";
    }
  }
  if (a == b) out << " (the lines agree; the texts differ in line endings or the final newline)\n";
  return out.str();
}

class RuleFindingFixture : public ::testing::TestWithParam<Fixture> {};

TEST_P(RuleFindingFixture, ReportsExactlyExpectedLines) {
  const Fixture& fixture = GetParam();
  ASSERT_NE(RuleRegistry::Instance().Find(fixture.code), nullptr)
      << "fixture folder " << fixture.code << " names no registered rule";
  const std::string text = ReadText(fixture.path);

  AnalysisOptions options;
  std::vector<std::string> rules = {fixture.code};
  const std::string options_error = ReadOptions(text, &options, &rules);
  ASSERT_TRUE(options_error.empty()) << fixture.path << ": " << options_error;
  const Analyzer analyzer(options, RuleSelection{rules, {}});
  PythonParser parser;
  const FileResult result = analyzer.AnalyzeBuffer(fixture.path.string(), text, parser);
  ASSERT_FALSE(result.error.has_value()) << fixture.path << ": " << *result.error;

  const Findings expected = ExpectedFindings(text);
  if (fixture.IsNearMiss()) {
    EXPECT_TRUE(expected.empty()) << fixture.path << ": a near-miss fixture must not contain `# expect:`";
  }
  for (const LineCode& finding : expected) {
    EXPECT_NE(std::find(rules.begin(), rules.end(), finding.second), rules.end())
        << fixture.path << ":" << finding.first << ": expects " << finding.second << ", but only " << fixture.code
        << " and the fixture's extend-select run on this file";
  }

  Findings reported;
  for (const Diagnostic& diagnostic : result.diagnostics) {
    reported.emplace(diagnostic.start_position.line, diagnostic.code);
  }
  EXPECT_EQ(reported, expected) << fixture.path << " (rule " << fixture.code << "):\n"
                                << DescribeMismatch(expected, result.diagnostics, SplitLines(text));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuleFindingFixture, ::testing::ValuesIn(FindingFixtures()), FixtureTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFindingFixture);

class RuleFixFixture : public ::testing::TestWithParam<Fixture> {
 protected:
  // Fixes the input with the folder's rule and compares with `output_path`.
  void ExpectFixedText(bool unsafe_fixes, const fs::path& output_path) {
    const Fixture& fixture = GetParam();
    const std::string input = ReadText(fixture.path);
    AnalysisOptions options;
    std::vector<std::string> rules = {fixture.code};
    const std::string options_error = ReadOptions(input, &options, &rules);
    ASSERT_TRUE(options_error.empty()) << fixture.path << ": " << options_error;

    const Analyzer analyzer(options, RuleSelection{rules, {}});
    PythonParser parser;
    std::string error;
    auto source = SourceFile::FromBytes(fixture.path.string(), input, &error);
    ASSERT_TRUE(source.has_value()) << fixture.path << ": " << error;
    const FixOutcome outcome = FixSource(analyzer, *source, parser, unsafe_fixes);

    std::ostringstream dropped;
    for (const DroppedFix& fix : outcome.dropped) {
      dropped << "  dropped " << fix.code << " at line " << fix.position.line << " (" << fix.title
              << "): " << fix.reason << "\n";
    }
    const std::string expected = ReadText(output_path);
    EXPECT_EQ(outcome.text, expected) << output_path << (unsafe_fixes ? " (with unsafe fixes)" : " (safe fixes)")
                                      << " differs; '-' expected, '+' actual:\n"
                                      << LineDiff(expected, outcome.text) << dropped.str();
  }

  fs::path OutputPath(std::string_view suffix) const {
    const std::string name = GetParam().FileName();
    const std::string stem = name.substr(0, name.size() - kFixInputSuffix.size());
    return GetParam().path.parent_path() / (stem + std::string(suffix));
  }
};

TEST_P(RuleFixFixture, SafeFixesGiveOutFile) {
  const fs::path output = OutputPath(kSafeOutputSuffix);
  ASSERT_TRUE(fs::exists(output)) << GetParam().path << " has no " << output.filename();
  ExpectFixedText(false, output);
}

// Without a `.unsafe.out.py` file, unsafe fixes must change nothing beyond
// the safe ones, so the `.out.py` file is expected.
TEST_P(RuleFixFixture, UnsafeFixesGiveUnsafeOutFile) {
  fs::path output = OutputPath(kUnsafeOutputSuffix);
  if (!fs::exists(output)) output = OutputPath(kSafeOutputSuffix);
  ASSERT_TRUE(fs::exists(output)) << GetParam().path << " has no " << output.filename();
  ExpectFixedText(true, output);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuleFixFixture, ::testing::ValuesIn(FixFixtures()), FixtureTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFixFixture);

// Lists the project folders inside every rule's fixture folder.
std::vector<Fixture> FolderFixtures() {
  std::vector<Fixture> fixtures;
  if (!fs::is_directory(FixtureRoot())) return fixtures;
  for (const fs::directory_entry& folder : fs::directory_iterator(FixtureRoot())) {
    if (!folder.is_directory()) continue;
    for (const fs::directory_entry& project : fs::directory_iterator(folder.path())) {
      if (project.is_directory()) fixtures.push_back({folder.path().filename().string(), project.path()});
    }
  }
  std::sort(fixtures.begin(), fixtures.end(),
            [](const Fixture& a, const Fixture& b) { return std::tie(a.code, a.path) < std::tie(b.code, b.path); });
  return fixtures;
}

// The `.py` files under `folder`, sorted.
std::vector<std::string> PythonFilesUnder(const fs::path& folder) {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class RuleFolderFixture : public ::testing::TestWithParam<Fixture> {};

TEST_P(RuleFolderFixture, ReportsExactlyExpectedLinesInEveryFile) {
  const Fixture& fixture = GetParam();
  ASSERT_NE(RuleRegistry::Instance().Find(fixture.code), nullptr)
      << "fixture folder " << fixture.code << " names no registered rule";
  const std::vector<std::string> files = PythonFilesUnder(fixture.path);
  ASSERT_FALSE(files.empty()) << fixture.path << " contains no .py file";

  const Analyzer analyzer(AnalysisOptions{}, RuleSelection{{fixture.code}, {}});
  RunOptions run_options;
  run_options.jobs = 1;
  const std::vector<FileResult> results = AnalyzeFiles(analyzer, files, run_options);
  ASSERT_EQ(results.size(), files.size());

  size_t expected_total = 0;
  for (const FileResult& result : results) {
    ASSERT_FALSE(result.error.has_value()) << result.path << ": " << *result.error;
    const std::string text = ReadText(result.path);
    const Findings expected = ExpectedFindings(text);
    expected_total += expected.size();
    Findings reported;
    for (const Diagnostic& diagnostic : result.diagnostics) {
      reported.emplace(diagnostic.start_position.line, diagnostic.code);
    }
    EXPECT_EQ(reported, expected) << result.path << " (rule " << fixture.code << ", analysed with the other files of "
                                  << fixture.path.filename() << "):\n"
                                  << DescribeMismatch(expected, result.diagnostics, SplitLines(text));
  }
  if (fixture.IsNearMiss()) {
    EXPECT_EQ(expected_total, 0u) << fixture.path << ": a near-miss folder must not contain `# expect:`";
  } else {
    EXPECT_GT(expected_total, 0u) << fixture.path << ": a folder fixture needs an `# expect:` or a near_miss_ name";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuleFolderFixture, ::testing::ValuesIn(FolderFixtures()), FixtureTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFolderFixture);

TEST(RuleFixtureCoverage, EveryRuleHasPositiveAndNearMiss) {
  std::map<std::string, int> positive;
  std::map<std::string, int> near_miss;
  for (const Fixture& fixture : FindingFixtures()) {
    if (fixture.IsNearMiss()) {
      ++near_miss[fixture.code];
    } else if (!ExpectedFindings(ReadText(fixture.path)).empty()) {
      ++positive[fixture.code];
    }
  }
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    const std::string code(rule->info().code);
    EXPECT_GT(positive[code], 0) << code << " has no fixture with `# expect: " << code << "` in "
                                 << (FixtureRoot() / code);
    EXPECT_GT(near_miss[code], 0) << code << " has no near_miss_*.py fixture in " << (FixtureRoot() / code);
  }
}

TEST(RuleFixtureCoverage, EveryFolderNamesRegisteredRule) {
  ASSERT_TRUE(fs::is_directory(FixtureRoot())) << FixtureRoot() << " is missing";
  for (const fs::directory_entry& folder : fs::directory_iterator(FixtureRoot())) {
    const std::string code = folder.path().filename().string();
    EXPECT_NE(RuleRegistry::Instance().Find(code), nullptr) << folder.path() << " names no registered rule";
  }
}

TEST(RuleFixtureCoverage, EveryFixOutputHasInput) {
  for (const Fixture& fixture : AllFixtures()) {
    if (!fixture.IsFixOutput()) continue;
    std::string name = fixture.FileName();
    const std::string_view suffix = EndsWith(name, kUnsafeOutputSuffix) ? kUnsafeOutputSuffix : kSafeOutputSuffix;
    const fs::path input = fixture.path.parent_path() / (name.substr(0, name.size() - suffix.size()) + ".in.py");
    EXPECT_TRUE(fs::exists(input)) << fixture.path << " has no input " << input.filename();
  }
}

}  // namespace
}  // namespace distlint
