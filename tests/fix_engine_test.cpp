// Tests of the fix engine (ApplyEdits, FixSource) and of `distlint fix`:
// passes, overlapping and syntax-breaking fixes, unsafe fixes, and how the
// fixed file is written (line endings, BOM, mode, symbolic links, diffs).
//
// The fix engine is driven by rules that exist only in this test binary
// (codes TST901 to TST905). They report calls of functions named `tst_*`,
// which no real rule and no other test uses, and are selected by code. They
// are registered only in a forked child process, so the RuleRegistry of the
// test process, which other tests check rule by rule, never contains them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/cli.h"
#include "analyzer/fix_engine.h"
#include "analyzer/rule.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFile;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

// A rule that runs `callback` on every call whose callee is a plain name.
class CallNameRule final : public Rule {
 public:
  using Callback = std::function<void(RuleContext&, TSNode call, TSNode function, std::string_view name)>;
  CallNameRule(const RuleInfo& info, Callback callback) : info_(info), callback_(std::move(callback)) {}

  const RuleInfo& info() const override { return info_; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }
  void Check(RuleContext& context, TSNode call) const override {
    TSNode function = Field(call, "function");
    if (!Is(function, context.symbols().identifier)) return;
    callback_(context, call, function, context.Text(function));
  }

 private:
  const RuleInfo& info_;
  Callback callback_;
};

Fix SingleEditFix(Applicability applicability, uint32_t start, uint32_t end, std::string replacement) {
  Fix fix;
  fix.title = "Rewrite to `" + replacement + "`";
  fix.applicability = applicability;
  fix.edits.push_back(Edit{start, end, std::move(replacement)});
  return fix;
}

constexpr RuleInfo kMultilineInfo{"TST901", "test-multiline-fix", Family::kConfiguration, FixStrategy::kOther,
                                  FixAvailability::kAlways, "Test rule: replaces a call with two lines",
                                  "Test rule.\n"};
constexpr RuleInfo kBreakingInfo{"TST902", "test-syntax-breaking-fix", Family::kConfiguration, FixStrategy::kOther,
                                 FixAvailability::kAlways, "Test rule: offers a fix that does not parse",
                                 "Test rule.\n"};
constexpr RuleInfo kChainInfo{"TST903", "test-chain-fix", Family::kConfiguration, FixStrategy::kOther,
                              FixAvailability::kAlways, "Test rule: counts tst_chain_N down to 0, one per pass",
                              "Test rule.\n"};
constexpr RuleInfo kOverlapInfo{"TST904", "test-overlapping-fixes", Family::kConfiguration, FixStrategy::kOther,
                                FixAvailability::kAlways, "Test rule: two findings whose fixes overlap",
                                "Test rule.\n"};
constexpr RuleInfo kUnsafeInfo{"TST905", "test-unsafe-fix", Family::kConfiguration, FixStrategy::kOther,
                               FixAvailability::kAlways, "Test rule: offers an unsafe fix", "Test rule.\n"};

void RegisterTestRules() {
  static std::once_flag once;
  std::call_once(once, [] {
    RuleRegistry& registry = RuleRegistry::Instance();

    // `tst_multiline()` becomes two statements on two lines.
    registry.Add(std::make_unique<CallNameRule>(kMultilineInfo, [](RuleContext& context, TSNode call, TSNode,
                                                                   std::string_view name) {
      if (name != "tst_multiline") return;
      Diagnostic& diagnostic = context.Report(call, "split into two lines");
      diagnostic.fix = SingleEditFix(Applicability::kSafe, StartByte(call), EndByte(call), "tst_done()\ntst_done()");
    }));

    // `tst_break()` would become `tst_break(`, which does not parse.
    registry.Add(std::make_unique<CallNameRule>(kBreakingInfo, [](RuleContext& context, TSNode call, TSNode,
                                                                  std::string_view name) {
      if (name != "tst_break") return;
      Diagnostic& diagnostic = context.Report(call, "break the syntax");
      diagnostic.fix = SingleEditFix(Applicability::kSafe, StartByte(call), EndByte(call), "tst_break(");
    }));

    // `tst_chain_3()` becomes `tst_chain_2()`, and so on down to 0, so the
    // file settles only after three passes.
    registry.Add(std::make_unique<CallNameRule>(kChainInfo, [](RuleContext& context, TSNode, TSNode function,
                                                               std::string_view name) {
      constexpr std::string_view kPrefix = "tst_chain_";
      if (name.rfind(kPrefix, 0) != 0) return;
      const int count = std::stoi(std::string(name.substr(kPrefix.size())));
      if (count <= 0) return;
      Diagnostic& diagnostic = context.Report(function, "count down");
      diagnostic.fix = SingleEditFix(Applicability::kSafe, StartByte(function), EndByte(function),
                                     std::string(kPrefix) + std::to_string(count - 1));
    }));

    // Each "lower" in `tst_overlap_lower_lower()` is its own finding, and
    // each fix rewrites the whole name, so the two fixes overlap.
    registry.Add(std::make_unique<CallNameRule>(kOverlapInfo, [](RuleContext& context, TSNode, TSNode function,
                                                                 std::string_view name) {
      if (name.rfind("tst_overlap", 0) != 0) return;
      int occurrence = 0;
      for (size_t at = name.find("lower"); at != std::string_view::npos; at = name.find("lower", at + 1)) {
        std::string rewritten(name);
        rewritten.replace(at, 5, "upper");
        Diagnostic& diagnostic = context.Report(function, "lower case part " + std::to_string(++occurrence));
        diagnostic.fix = SingleEditFix(Applicability::kSafe, StartByte(function), EndByte(function), rewritten);
      }
    }));

    // `tst_unsafe()` becomes `tst_unsafe_fixed()` with an unsafe fix.
    registry.Add(std::make_unique<CallNameRule>(kUnsafeInfo, [](RuleContext& context, TSNode, TSNode function,
                                                                std::string_view name) {
      if (name != "tst_unsafe") return;
      Diagnostic& diagnostic = context.Report(function, "unsafe rename");
      diagnostic.fix =
          SingleEditFix(Applicability::kUnsafe, StartByte(function), EndByte(function), "tst_unsafe_fixed");
    }));
  });
}

// Runs `body` in a forked child process that has the test rules, and
// returns the JSON document it builds.
nlohmann::json RunWithTestRules(const std::function<nlohmann::json()>& body) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");

  if (pid == 0) {
    ::close(pipe_fds[0]);
    int status = 0;
    try {
      RegisterTestRules();
      const std::string result = body().dump();
      size_t written = 0;
      while (written < result.size()) {
        const ssize_t n = ::write(pipe_fds[1], result.data() + written, result.size() - written);
        if (n <= 0) break;
        written += static_cast<size_t>(n);
      }
    } catch (const std::exception& error) {
      const std::string message = error.what();
      (void)!::write(STDERR_FILENO, message.data(), message.size());
      status = 3;
    }
    ::close(pipe_fds[1]);
    ::_exit(status);
  }

  ::close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<size_t>(n));
  ::close(pipe_fds[0]);

  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("the child process with the test rules failed, status " + std::to_string(status));
  }
  return nlohmann::json::parse(output);
}

// The parts of a FixOutcome that the tests check, copied out of the child.
struct FixSummary {
  std::string text;
  int applied = 0;
  std::vector<std::string> applied_codes;
  std::vector<std::string> dropped_codes;
  std::vector<uint32_t> dropped_lines;
  std::vector<std::string> dropped_reasons;
  std::vector<std::string> remaining_codes;
  bool changed = false;
  bool hit_pass_limit = false;
};

// Runs FixSource over `text` with the test rules in `select`.
FixSummary RunFixSource(const std::string& text, const std::vector<std::string>& select, bool unsafe_fixes = false,
                        int max_passes = 10) {
  const nlohmann::json document = RunWithTestRules([&] {
    RuleSelection selection;
    selection.select = select;
    Analyzer analyzer(AnalysisOptions{}, selection);
    std::string error;
    auto file = SourceFile::FromBytes("test.py", text, &error);
    if (!file) throw std::runtime_error("FromBytes rejected the test text: " + error);
    PythonParser parser;
    const FixOutcome outcome = FixSource(analyzer, *file, parser, unsafe_fixes, max_passes);

    nlohmann::json result = {{"text", outcome.text},
                             {"applied", outcome.applied},
                             {"applied_codes", outcome.applied_codes},
                             {"changed", outcome.changed},
                             {"hit_pass_limit", outcome.hit_pass_limit}};
    for (const DroppedFix& dropped : outcome.dropped) {
      result["dropped"].push_back({{"code", dropped.code}, {"line", dropped.position.line}, {"reason", dropped.reason}});
    }
    result["remaining"] = nlohmann::json::array();
    for (const Diagnostic& diagnostic : outcome.remaining) result["remaining"].push_back(diagnostic.code);
    return result;
  });

  FixSummary summary;
  summary.text = document.at("text");
  summary.applied = document.at("applied");
  summary.applied_codes = document.at("applied_codes").get<std::vector<std::string>>();
  summary.changed = document.at("changed");
  summary.hit_pass_limit = document.at("hit_pass_limit");
  summary.remaining_codes = document.at("remaining").get<std::vector<std::string>>();
  if (document.contains("dropped")) {
    for (const nlohmann::json& dropped : document.at("dropped")) {
      summary.dropped_codes.push_back(dropped.at("code"));
      summary.dropped_lines.push_back(dropped.at("line"));
      summary.dropped_reasons.push_back(dropped.at("reason"));
    }
  }
  return summary;
}

struct CliOutput {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs the CLI in a child process that has the test rules.
CliOutput RunCliWithTestRules(const std::vector<std::string>& arguments) {
  const nlohmann::json document = RunWithTestRules([&] {
    std::ostringstream out, err;
    const int exit_code = RunCli(arguments, out, err);
    return nlohmann::json{{"exit_code", exit_code}, {"out", out.str()}, {"err", err.str()}};
  });
  return {document.at("exit_code"), document.at("out"), document.at("err")};
}

TEST(ApplyEdits, AnyOrderNonOverlapping) {
  const std::vector<Edit> edits = {{4, 5, "E"}, {0, 1, "A"}, {2, 2, "+"}};
  EXPECT_EQ(ApplyEdits("abcdef", edits), "Ab+cdEf");
}

TEST(ApplyEdits, DeletionAndEndInsertion) {
  const std::vector<Edit> edits = {{1, 3, ""}, {6, 6, "!"}};
  EXPECT_EQ(ApplyEdits("abcdef", edits), "adef!");
}

TEST(ApplyEdits, OverlappingEditSkipped) {
  const std::vector<Edit> edits = {{2, 4, "Y"}, {0, 3, "X"}};
  // Sorted by start, [0, 3) comes first and [2, 4) overlaps it.
  EXPECT_EQ(ApplyEdits("abcdef", edits), "Xdef");
}

TEST(ApplyEdits, EditPastEndSkipped) {
  const std::vector<Edit> edits = {{2, 99, "X"}};
  EXPECT_EQ(ApplyEdits("abc", edits), "abc");
}

TEST(FixSource, RepeatsToFixedPoint) {
  const FixSummary outcome = RunFixSource("tst_chain_3()\n", {"TST903"});

  EXPECT_EQ(outcome.text, "tst_chain_0()\n");
  EXPECT_EQ(outcome.applied, 3);
  EXPECT_TRUE(outcome.changed);
  EXPECT_FALSE(outcome.hit_pass_limit);
  EXPECT_TRUE(outcome.remaining_codes.empty());
  EXPECT_EQ(outcome.applied_codes, (std::vector<std::string>{"TST903", "TST903", "TST903"}));
}

TEST(FixSource, PassLimitReported) {
  const FixSummary outcome = RunFixSource("tst_chain_5()\n", {"TST903"}, false, 2);

  EXPECT_EQ(outcome.text, "tst_chain_3()\n");
  EXPECT_EQ(outcome.applied, 2);
  EXPECT_TRUE(outcome.hit_pass_limit);
  EXPECT_EQ(outcome.remaining_codes, std::vector<std::string>{"TST903"});
}

TEST(FixSource, SettlingInLastPassIsNotLimit) {
  // Two passes settle the file, so a limit of two passes is enough.
  const FixSummary outcome = RunFixSource("tst_chain_2()\n", {"TST903"}, false, 2);

  EXPECT_EQ(outcome.text, "tst_chain_0()\n");
  EXPECT_FALSE(outcome.hit_pass_limit);
}

TEST(FixSource, OverlappingFixesInLaterPass) {
  const FixSummary one_pass = RunFixSource("tst_overlap_lower_lower()\n", {"TST904"}, false, 1);
  EXPECT_EQ(one_pass.text, "tst_overlap_upper_lower()\n") << "one pass applies only the first of two overlapping fixes";
  EXPECT_EQ(one_pass.applied, 1);

  const FixSummary outcome = RunFixSource("tst_overlap_lower_lower()\n", {"TST904"});
  EXPECT_EQ(outcome.text, "tst_overlap_upper_upper()\n");
  EXPECT_EQ(outcome.applied, 2);
  EXPECT_TRUE(outcome.dropped_codes.empty());
  EXPECT_TRUE(outcome.remaining_codes.empty());
}

TEST(FixSource, SyntaxBreakingFixDropped) {
  const FixSummary outcome = RunFixSource("tst_break()\ntst_chain_2()\n", {"TST902", "TST903"});

  EXPECT_EQ(outcome.text, "tst_break()\ntst_chain_0()\n");
  EXPECT_EQ(outcome.applied, 2);
  EXPECT_EQ(outcome.dropped_codes, std::vector<std::string>{"TST902"})
      << "a dropped fix must be reported once, not once per pass";
  EXPECT_EQ(outcome.dropped_lines, std::vector<uint32_t>{1});
  EXPECT_EQ(outcome.dropped_reasons, std::vector<std::string>{"the fixed text would not parse"});
  EXPECT_EQ(outcome.remaining_codes, std::vector<std::string>{"TST902"});
}

TEST(FixSource, DroppedFixAfterShiftReportedOnce) {
  // The applied fix before it lengthens the text, so the dropped fix starts
  // at a new offset in the next pass and must still be known as rejected.
  const FixSummary outcome = RunFixSource("tst_multiline()\ntst_break()\n", {"TST901", "TST902"});

  EXPECT_EQ(outcome.text, "tst_done()\ntst_done()\ntst_break()\n");
  EXPECT_EQ(outcome.dropped_codes, std::vector<std::string>{"TST902"});
  EXPECT_EQ(outcome.dropped_lines, std::vector<uint32_t>{2});
  EXPECT_EQ(outcome.remaining_codes, std::vector<std::string>{"TST902"});
}

TEST(FixSource, UnsafeFixNeedsFlag) {
  const FixSummary safe_only = RunFixSource("tst_unsafe()\n", {"TST905"});
  EXPECT_FALSE(safe_only.changed);
  EXPECT_EQ(safe_only.text, "tst_unsafe()\n");
  EXPECT_EQ(safe_only.remaining_codes, std::vector<std::string>{"TST905"});

  const FixSummary with_unsafe = RunFixSource("tst_unsafe()\n", {"TST905"}, true);
  EXPECT_TRUE(with_unsafe.changed);
  EXPECT_EQ(with_unsafe.text, "tst_unsafe_fixed()\n");
}

TEST(FixSource, InsertedNewlinesFollowCrlf) {
  const FixSummary outcome = RunFixSource("tst_multiline()\r\nx = 1\r\n", {"TST901"});
  EXPECT_EQ(outcome.text, "tst_done()\r\ntst_done()\r\nx = 1\r\n");
}

TEST(FixAllowed, Applicability) {
  Fix fix;
  fix.applicability = Applicability::kSafe;
  EXPECT_TRUE(FixAllowed(fix, false));
  fix.applicability = Applicability::kUnsafe;
  EXPECT_FALSE(FixAllowed(fix, false));
  EXPECT_TRUE(FixAllowed(fix, true));
  fix.applicability = Applicability::kDisplayOnly;
  EXPECT_FALSE(FixAllowed(fix, true));
}

TEST(FixCommand, DiffPrintsAndWritesNothing) {
  TempDir dir;
  const std::string path = dir / "chain.py";
  const std::string original = "a = 1\ntst_chain_1()\nb = 2\n";
  WriteFile(path, original);
  // An old mtime, so that any write would show.
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(path, old_time);
  const std::vector<std::string> before = testing::ListFolder(dir.path());

  const CliOutput result = RunCliWithTestRules({"fix", "--diff", "--select", "TST903", path});

  EXPECT_EQ(result.out,
            "--- " + path + "\n+++ " + path +
                "\n"
                "@@ -1,3 +1,3 @@\n"
                " a = 1\n"
                "-tst_chain_1()\n"
                "+tst_chain_0()\n"
                " b = 2\n");
  EXPECT_NE(result.err.find("Would apply 1 fix in 1 file."), std::string::npos) << result.err;
  EXPECT_EQ(result.exit_code, kExitFindings);
  EXPECT_EQ(ReadFile(path), original);
  EXPECT_EQ(fs::last_write_time(path), old_time);
  EXPECT_EQ(testing::ListFolder(dir.path()), before);
}

TEST(FixCommand, DiffWithBuiltBinary) {
  TempDir dir;
  const std::string path = dir / "version.py";
  const std::string original =
      "import torch\n"
      "\n"
      "if torch.__version__[:3] >= \"1.9\":\n"
      "    pass\n";
  WriteFile(path, original);
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(path, old_time);

  const CommandResult result = RunDistlint({"fix", "--diff", "--select", "VER003", path});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.out,
            "--- " + path + "\n+++ " + path +
                "\n"
                "@@ -1,4 +1,4 @@\n"
                " import torch\n"
                " \n"
                "-if torch.__version__[:3] >= \"1.9\":\n"
                "+if torch.__version__ >= \"1.9\":\n"
                "     pass\n");
  EXPECT_EQ(ReadFile(path), original);
  EXPECT_EQ(fs::last_write_time(path), old_time);
  EXPECT_EQ(testing::ListFolder(dir.path()), std::vector<std::string>{"version.py"});
}

TEST(FixCommand, WritesFixWithBuiltBinary) {
  TempDir dir;
  const std::string path = dir / "version.py";
  WriteFile(path, "import torch\nif torch.__version__[:3] >= \"1.9\":\n    pass\n");

  const CommandResult result = RunDistlint({"fix", "--select", "VER003", path});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ReadFile(path), "import torch\nif torch.__version__ >= \"1.9\":\n    pass\n");
  EXPECT_NE(result.err.find("Applied 1 fix in 1 file."), std::string::npos) << result.err;
  EXPECT_EQ(testing::ListFolder(dir.path()), std::vector<std::string>{"version.py"});
}

TEST(FixCommand, CrlfKeptOnEveryLine) {
  TempDir dir;
  const std::string path = dir / "crlf.py";
  WriteFile(path, "x = 1\r\ntst_multiline()\r\ntst_chain_2()\r\ny = 2\r\n");

  const CliOutput result = RunCliWithTestRules({"fix", "--color", "never", "--select", "TST901,TST903", path});

  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  const std::string fixed = ReadFile(path);
  EXPECT_EQ(fixed, "x = 1\r\ntst_done()\r\ntst_done()\r\ntst_chain_0()\r\ny = 2\r\n");
  for (size_t at = fixed.find('\n'); at != std::string::npos; at = fixed.find('\n', at + 1)) {
    ASSERT_GT(at, 0u) << "bare LF at byte 0";
    EXPECT_EQ(fixed[at - 1], '\r') << "bare LF at byte " << at;
  }
}

TEST(FixCommand, ByteOrderMarkKept) {
  TempDir dir;
  const std::string path = dir / "bom.py";
  WriteFile(path, "\xEF\xBB\xBFtst_chain_1()\n");

  const CliOutput result = RunCliWithTestRules({"fix", "--select", "TST903", path});

  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_EQ(ReadFile(path), "\xEF\xBB\xBFtst_chain_0()\n");
}

TEST(FixCommand, FileModeKept) {
  TempDir dir;
  const std::string path = dir / "script.py";
  WriteFile(path, "tst_chain_1()\n");
  ASSERT_EQ(::chmod(path.c_str(), 0751), 0);

  const CliOutput result = RunCliWithTestRules({"fix", "--select", "TST903", path});

  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_EQ(ReadFile(path), "tst_chain_0()\n");
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0751u);
}

TEST(FixCommand, WritesThroughSymlink) {
  TempDir dir;
  const std::string target = dir / "real/target.py";
  const std::string link = dir / "link.py";
  WriteFile(target, "tst_chain_1()\n");
  fs::create_symlink("real/target.py", link);

  const CliOutput result = RunCliWithTestRules({"fix", "--select", "TST903", link});

  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_TRUE(fs::is_symlink(link)) << "the link was replaced by a file";
  EXPECT_EQ(fs::read_symlink(link), fs::path("real/target.py"));
  EXPECT_EQ(ReadFile(target), "tst_chain_0()\n");
  EXPECT_EQ(testing::ListFolder(dir / "real"), std::vector<std::string>{"target.py"});
}

TEST(FixCommand, DroppedFixReportedOthersApplied) {
  TempDir dir;
  const std::string path = dir / "mixed.py";
  WriteFile(path, "tst_break()\ntst_chain_1()\n");

  const CliOutput result = RunCliWithTestRules({"fix", "--color", "never", "--select", "TST902,TST903", path});

  EXPECT_EQ(ReadFile(path), "tst_break()\ntst_chain_0()\n");
  EXPECT_NE(result.err.find(path + ":1:1: TST902 fix 'Rewrite to `tst_break(`' not applied: "
                                   "the fixed text would not parse"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.exit_code, kExitFindings) << "the TST902 finding remains";
  EXPECT_NE(result.out.find(path + ":1:1: TST902"), std::string::npos) << result.out;
}

TEST(FixCommand, UnsafeFixesFlag) {
  TempDir dir;
  const std::string path = dir / "unsafe.py";
  WriteFile(path, "tst_unsafe()\n");

  const CliOutput safe_only = RunCliWithTestRules({"fix", "--select", "TST905", path});
  EXPECT_EQ(ReadFile(path), "tst_unsafe()\n");
  EXPECT_EQ(safe_only.exit_code, kExitFindings);

  const CliOutput with_unsafe = RunCliWithTestRules({"fix", "--unsafe-fixes", "--select", "TST905", path});
  EXPECT_EQ(ReadFile(path), "tst_unsafe_fixed()\n");
  EXPECT_EQ(with_unsafe.exit_code, kExitClean) << with_unsafe.err;
}

TEST(FixCommand, NoTemporaryFilesLeft) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) WriteFile(dir / ("file_" + std::to_string(i) + ".py"), "tst_chain_3()\ntst_break()\n");
  const std::vector<std::string> before = testing::ListFolder(dir.path());

  const CliOutput result = RunCliWithTestRules({"fix", "-j", "2", "--select", "TST902,TST903", dir.path().string()});

  EXPECT_EQ(result.exit_code, kExitFindings);
  EXPECT_EQ(testing::ListFolder(dir.path()), before);
  for (const std::string& name : before) {
    EXPECT_EQ(ReadFile(dir.path() / name), "tst_chain_0()\ntst_break()\n") << name;
  }
}

TEST(FixCommand, CleanFileUntouched) {
  TempDir dir;
  const std::string path = dir / "clean.py";
  WriteFile(path, "x = 1\n");
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(path, old_time);

  const CliOutput result = RunCliWithTestRules({"fix", "--select", "TST903", path});

  EXPECT_EQ(result.exit_code, kExitClean);
  EXPECT_EQ(fs::last_write_time(path), old_time);
  EXPECT_NE(result.err.find("Applied 0 fixes in 0 files."), std::string::npos) << result.err;
}

TEST(FixCommand, ReadOnlyFileLeftUnchanged) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: root may write a file with mode 0444";
  TempDir dir;
  const std::string path = dir / "locked.py";
  WriteFile(path, "tst_chain_1()\n");
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);

  const CliOutput result = RunCliWithTestRules({"fix", "--select", "TST903", path});

  EXPECT_EQ(result.exit_code, kExitError);
  EXPECT_EQ(ReadFile(path), "tst_chain_1()\n");
  EXPECT_NE(result.err.find("distlint: error: cannot write " + path + ": Permission denied"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Applied 0 fixes in 0 files."), std::string::npos) << result.err;
  EXPECT_NE(result.out.find(path + ":1:1: TST903"), std::string::npos) << "the unfixed finding is reported";
  EXPECT_EQ(testing::ListFolder(dir.path()), std::vector<std::string>{"locked.py"});
}

TEST(WriteFileAtomically, ReplacesContentAndKeepsMode) {
  TempDir dir;
  const std::string path = dir / "data.txt";
  WriteFile(path, "old");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);

  std::string error;
  ASSERT_TRUE(WriteFileAtomically(path, "new content", &error)) << error;

  EXPECT_EQ(ReadFile(path), "new content");
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0640u);
  EXPECT_EQ(testing::ListFolder(dir.path()), std::vector<std::string>{"data.txt"});
}

TEST(WriteFileAtomically, MissingFolderFails) {
  TempDir dir;
  std::string error;

  EXPECT_FALSE(WriteFileAtomically(dir / "no/such/folder/file.py", "x", &error));
  EXPECT_NE(error.find("cannot create a temporary file"), std::string::npos) << error;
}

}  // namespace
}  // namespace distlint
