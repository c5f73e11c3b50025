// Tests of the options that gate CI on new findings only: baselines,
// diff-aware checks, shards and merging shard outputs. Diff-aware tests use
// real git repositories in temporary folders.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "analyzer/changed_lines.h"
#include "analyzer/repository.h"
#include "analyzer/shard.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

// Three lines: the imports and a call that makes the module distributed code.
constexpr const char* kHeader = "import torch\nimport torch.distributed as dist\ndist.init_process_group('nccl')\n";
constexpr const char* kLoad = "state = torch.load('x.pt')\n";
constexpr const char* kBarrierOnRankZero = "if dist.get_rank() == 0:\n    dist.barrier()\n";

void Git(const TempDir& dir, const std::vector<std::string>& arguments) {
  const ProcessResult result = RunGit(arguments, dir.path().string());
  ASSERT_EQ(result.exit_code, 0) << "git " << arguments.front() << " failed: " << result.err;
}

void InitRepository(const TempDir& dir) {
  Git(dir, {"init", "-q", "."});
  Git(dir, {"config", "user.name", "distlint tests"});
  Git(dir, {"config", "user.email", "tests@distlint.invalid"});
}

void CommitAll(const TempDir& dir, const std::string& message) {
  Git(dir, {"add", "-A"});
  Git(dir, {"commit", "-q", "-m", message});
}

// The (path, line, code) of every finding in `distlint check --format json` output.
std::vector<std::string> FindingKeys(const std::string& json_output) {
  std::vector<std::string> keys;
  const nlohmann::json document = nlohmann::json::parse(json_output);
  for (const auto& finding : document["findings"]) {
    keys.push_back(finding["path"].get<std::string>() + ":" + std::to_string(finding["start"]["line"].get<int>()) +
                   ":" + finding["code"].get<std::string>());
  }
  return keys;
}

CommandResult Check(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> arguments = {"check", "--format", "json"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  arguments.push_back(".");
  return RunDistlint(arguments, dir.path().string());
}

TEST(Baseline, HidesRecordedFindings) {
  TempDir dir;
  WriteFile(dir / "train.py", std::string(kHeader) + kLoad + kBarrierOnRankZero);

  const CommandResult write = RunDistlint({"check", "--write-baseline", "baseline.json", "."}, dir.path().string());
  const CommandResult check = Check(dir, {"--baseline", "baseline.json"});

  EXPECT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(write.out, "");
  EXPECT_NE(write.err.find("recorded 2 findings in baseline.json"), std::string::npos) << write.err;
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(FindingKeys(check.out).empty()) << check.out;
  EXPECT_NE(check.err.find("2 findings recorded in baseline.json not reported"), std::string::npos) << check.err;
}

TEST(Baseline, ReportsOnlyNewFindings) {
  TempDir dir;
  WriteFile(dir / "train.py", std::string(kHeader) + kLoad);
  ASSERT_EQ(RunDistlint({"check", "--write-baseline", "baseline.json", "."}, dir.path().string()).exit_code, 0);

  // Lines inserted above the old finding, and a new finding below it.
  WriteFile(dir / "train.py", std::string(kHeader) + "\n# moved down\n" + kLoad + kBarrierOnRankZero);
  const CommandResult check = Check(dir, {"--baseline", "baseline.json"});

  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(FindingKeys(check.out), std::vector<std::string>({"train.py:8:COM001"})) << check.out;
}

TEST(Baseline, CountAwareForIdenticalFindings) {
  TempDir dir;
  WriteFile(dir / "train.py", std::string(kHeader) + kLoad);
  ASSERT_EQ(RunDistlint({"check", "--write-baseline", "baseline.json", "."}, dir.path().string()).exit_code, 0);

  WriteFile(dir / "train.py", std::string(kHeader) + kLoad + kLoad);
  const CommandResult check = Check(dir, {"--baseline", "baseline.json"});

  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(FindingKeys(check.out).size(), 1u) << check.out;
}

TEST(Baseline, FileSortedAndStable) {
  TempDir dir;
  WriteFile(dir / "b.py", std::string(kHeader) + kLoad + kBarrierOnRankZero);
  WriteFile(dir / "a.py", std::string(kHeader) + kBarrierOnRankZero + kLoad);
  ASSERT_EQ(RunDistlint({"check", "--write-baseline", "first.json", "."}, dir.path().string()).exit_code, 0);

  WriteFile(dir / "a.py", std::string("# header comment\n") + kHeader + kBarrierOnRankZero + kLoad);
  ASSERT_EQ(RunDistlint({"check", "--write-baseline", "second.json", "-j", "1", "."}, dir.path().string()).exit_code,
            0);

  const std::string first = ReadFile(dir / "first.json");
  EXPECT_EQ(first, ReadFile(dir / "second.json"));
  const nlohmann::json document = nlohmann::json::parse(first);
  EXPECT_EQ(document["distlint_baseline"], 1);
  ASSERT_EQ(document["findings"].size(), 4u);
  std::vector<std::string> order;
  for (const auto& entry : document["findings"]) order.push_back(entry["path"].get<std::string>() + " " +
                                                                  entry["code"].get<std::string>());
  EXPECT_EQ(order, std::vector<std::string>({"a.py ALC001", "a.py COM001", "b.py ALC001", "b.py COM001"}));
}

TEST(Baseline, RecordsFilesThatFailToParse) {
  TempDir dir;
  WriteFile(dir / "broken.py", "def broken(:\n");
  ASSERT_EQ(RunDistlint({"check", "--write-baseline", "baseline.json", "."}, dir.path().string()).exit_code, 0);

  const CommandResult check = Check(dir, {"--baseline", "baseline.json"});

  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err.find("syntax error"), std::string::npos) << check.err;
}

TEST(Baseline, MissingOrInvalidFileIsError) {
  TempDir dir;
  WriteFile(dir / "train.py", std::string(kHeader) + kLoad);
  WriteFile(dir / "not-json.json", "{");
  WriteFile(dir / "other.json", "{\"findings\": []}");

  const CommandResult missing = Check(dir, {"--baseline", "missing.json"});
  const CommandResult not_json = Check(dir, {"--baseline", "not-json.json"});
  const CommandResult other = Check(dir, {"--baseline", "other.json"});

  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read baseline missing.json"), std::string::npos) << missing.err;
  EXPECT_EQ(not_json.exit_code, 2);
  EXPECT_NE(not_json.err.find("is not valid JSON"), std::string::npos) << not_json.err;
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("is not a distlint baseline"), std::string::npos) << other.err;
}

TEST(Baseline, WriteRejectsFilterOptions) {
  TempDir dir;
  WriteFile(dir / "train.py", std::string(kHeader) + kLoad);

  const CommandResult result =
      RunDistlint({"check", "--write-baseline", "b.json", "--shard", "1/2", "."}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot be combined"), std::string::npos) << result.err;
  EXPECT_FALSE(testing::fs::exists(dir / "b.json"));
}

TEST(DiffBase, ReportsChangedAndUntrackedOnly) {
  TempDir dir;
  InitRepository(dir);
  WriteFile(dir / "old.py", std::string(kHeader) + kLoad + "x = 1\n");
  WriteFile(dir / "edited.py", std::string(kHeader) + "y = 2\n" + kLoad);
  CommitAll(dir, "start");
  Git(dir, {"tag", "base"});

  // A committed change, a staged change and an untracked file after `base`.
  WriteFile(dir / "edited.py", std::string(kHeader) + "y = 2\n" + kLoad + kBarrierOnRankZero);
  CommitAll(dir, "add a barrier");
  WriteFile(dir / "old.py", std::string(kHeader) + kLoad + "x = 1\nagain = torch.load('y.pt')\n");
  Git(dir, {"add", "old.py"});
  WriteFile(dir / "new.py", std::string(kHeader) + kLoad);

  const CommandResult check = Check(dir, {"--diff-base", "base"});

  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(FindingKeys(check.out),
            std::vector<std::string>({"edited.py:7:COM001", "new.py:4:ALC001", "old.py:6:ALC001"}))
      << check.out;
  EXPECT_NE(check.err.find("2 findings on lines unchanged since base not reported"), std::string::npos) << check.err;
}

TEST(DiffBase, CleanWhenNothingChanged) {
  TempDir dir;
  InitRepository(dir);
  WriteFile(dir / "old.py", std::string(kHeader) + kLoad);
  CommitAll(dir, "start");

  const CommandResult check = Check(dir, {"--diff-base", "HEAD"});

  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(FindingKeys(check.out).empty()) << check.out;
}

TEST(DiffBase, NotARepositoryIsError) {
  TempDir dir;
  WriteFile(dir / "old.py", std::string(kHeader) + kLoad);

  const CommandResult check = Check(dir, {"--diff-base", "main"});

  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("--diff-base needs a git repository"), std::string::npos) << check.err;
}

TEST(DiffBase, UnknownRefIsError) {
  TempDir dir;
  InitRepository(dir);
  WriteFile(dir / "old.py", std::string(kHeader) + kLoad);
  CommitAll(dir, "start");

  const CommandResult check = Check(dir, {"--diff-base", "no-such-branch"});

  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("unknown git ref 'no-such-branch'"), std::string::npos) << check.err;
  EXPECT_EQ(check.out, "");
}

TEST(DiffHunks, ParsesAddedModifiedDeletedAndQuoted) {
  const std::string diff =
      "diff --git a/a.py b/a.py\n"
      "--- a/a.py\n"
      "+++ b/a.py\n"
      "@@ -3 +3 @@ def f():\n"
      "-old\n"
      "+new\n"
      "@@ -10,2 +9,0 @@\n"
      "-gone\n"
      "-gone\n"
      "@@ -20,0 +19,3 @@\n"
      "+one\n+two\n+three\n"
      "diff --git a/removed.py b/removed.py\n"
      "--- a/removed.py\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-x\n-y\n"
      "diff --git \"a/tab\\there.py\" \"b/tab\\there.py\"\n"
      "--- \"a/tab\\there.py\"\n"
      "+++ \"b/tab\\there.py\"\n"
      "@@ -0,0 +1 @@\n"
      "+z\n";
  ChangedLines changed;

  AddDiffHunks(diff, changed);

  EXPECT_TRUE(changed.Touches("a.py", 3, 3));
  EXPECT_FALSE(changed.Touches("a.py", 4, 8));
  // Lines 10 and 11 were deleted after new line 9: lines 9 and 10 border the gap.
  EXPECT_TRUE(changed.Touches("a.py", 9, 9));
  EXPECT_TRUE(changed.Touches("a.py", 10, 10));
  EXPECT_FALSE(changed.Touches("a.py", 12, 18));
  EXPECT_TRUE(changed.Touches("a.py", 21, 30));
  EXPECT_FALSE(changed.Touches("a.py", 22, 30));
  EXPECT_FALSE(changed.FileChanged("removed.py"));
  EXPECT_TRUE(changed.Touches("tab\there.py", 1, 1));
}

TEST(DiffHunks, NameWithSpaceEndsBeforeTab) {
  // git ends a "+++" name that contains a space with a tab.
  const std::string diff =
      "diff --git a/sub dir/a b.py b/sub dir/a b.py\n"
      "--- a/sub dir/a b.py\t\n"
      "+++ b/sub dir/a b.py\t\n"
      "@@ -2,0 +3 @@\n"
      "+y = 1\n";
  ChangedLines changed;

  AddDiffHunks(diff, changed);

  EXPECT_TRUE(changed.Touches("sub dir/a b.py", 3, 3));
  EXPECT_FALSE(changed.FileChanged("sub dir/a b.py\t"));
}

TEST(Shard, ParsesValidAndRejectsInvalid) {
  std::string error;
  const auto shard = ParseShard("2/5", &error);
  ASSERT_TRUE(shard) << error;
  EXPECT_EQ(shard->index, 2);
  EXPECT_EQ(shard->count, 5);
  for (const std::string text : {"0/3", "4/3", "1/0", "1", "a/b", "1/3/4", "-1/3", "1/100000", ""}) {
    EXPECT_FALSE(ParseShard(text, &error)) << text;
    EXPECT_NE(error.find("expected I/N"), std::string::npos) << error;
  }
}

TEST(Shard, EachFileInExactlyOneShard) {
  std::vector<std::string> paths;
  for (int i = 0; i < 200; ++i) paths.push_back("pkg/module_" + std::to_string(i) + ".py");
  std::vector<int> sizes(4, 0);

  for (const std::string& path : paths) {
    int shards = 0;
    for (int index = 1; index <= 4; ++index) {
      if (InShard(path, Shard{index, 4})) {
        ++shards;
        ++sizes[index - 1];
      }
    }
    EXPECT_EQ(shards, 1) << path;
  }
  // 200 files over 4 shards: each gets some, none gets most.
  for (int size : sizes) {
    EXPECT_GT(size, 25);
    EXPECT_LT(size, 80);
  }
}

TEST(Shard, CliSplitsFilesAndUnionIsFull) {
  TempDir dir;
  for (int i = 0; i < 12; ++i) WriteFile(dir / ("m" + std::to_string(i) + ".py"), std::string(kHeader) + kLoad);
  const std::vector<std::string> full = FindingKeys(Check(dir, {}).out);

  std::vector<std::string> combined;
  for (const std::string shard : {"1/3", "2/3", "3/3"}) {
    const std::vector<std::string> keys = FindingKeys(Check(dir, {"--shard", shard}).out);
    EXPECT_LT(keys.size(), full.size()) << shard;
    combined.insert(combined.end(), keys.begin(), keys.end());
  }

  std::sort(combined.begin(), combined.end());
  EXPECT_EQ(combined, full);
}

TEST(Shard, AddingFileKeepsOthersInPlace) {
  TempDir dir;
  for (int i = 0; i < 8; ++i) WriteFile(dir / ("m" + std::to_string(i) + ".py"), std::string(kHeader) + kLoad);
  const std::vector<std::string> before = FindingKeys(Check(dir, {"--shard", "2/3"}).out);

  WriteFile(dir / "added.py", std::string(kHeader) + kLoad);
  std::vector<std::string> after = FindingKeys(Check(dir, {"--shard", "2/3"}).out);
  after.erase(std::remove(after.begin(), after.end(), "added.py:4:ALC001"), after.end());

  EXPECT_EQ(before, after);
}

TEST(Shard, CrossFileFactsSeeEveryFile) {
  TempDir dir;
  WriteFile(dir / "pkg/__init__.py", "");
  WriteFile(dir / "pkg/helpers.py", "import torch.distributed as dist\n\ndef save_checkpoint():\n    dist.barrier()\n");
  WriteFile(dir / "pkg/train.py",
            "import torch.distributed as dist\nfrom pkg.helpers import save_checkpoint\n\n"
            "if dist.get_rank() == 0:\n    save_checkpoint()\n");
  const auto shard_of = [](const std::string& path, int count) {
    for (int index = 1; index <= count; ++index) {
      if (InShard(path, Shard{index, count})) return index;
    }
    return 0;
  };
  // A shard count that puts the helper and its caller in different shards.
  int count = 2;
  while (shard_of("pkg/helpers.py", count) == shard_of("pkg/train.py", count)) ++count;
  const int caller_shard = shard_of("pkg/train.py", count);

  const CommandResult check = Check(dir, {"--shard", std::to_string(caller_shard) + "/" + std::to_string(count)});

  EXPECT_EQ(FindingKeys(check.out), std::vector<std::string>({"pkg/train.py:5:COM001"})) << check.out << check.err;
}

TEST(Merge, JsonShardsEqualFullRun) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) WriteFile(dir / ("m" + std::to_string(i) + ".py"), std::string(kHeader) + kLoad);
  WriteFile(dir / "broken.py", "def broken(:\n");
  const nlohmann::json full = nlohmann::json::parse(Check(dir, {}).out);
  WriteFile(dir / "s1.json", Check(dir, {"--shard", "1/2"}).out);
  WriteFile(dir / "s2.json", Check(dir, {"--shard", "2/2"}).out);

  const CommandResult merged = RunDistlint({"merge", "s1.json", "s2.json"}, dir.path().string());

  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const nlohmann::json document = nlohmann::json::parse(merged.out);
  EXPECT_EQ(document["findings"], full["findings"]);
  EXPECT_EQ(document["errors"], full["errors"]);
  EXPECT_EQ(document["summary"], full["summary"]);
}

TEST(Merge, SarifShardsEqualFullRun) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) WriteFile(dir / ("m" + std::to_string(i) + ".py"), std::string(kHeader) + kLoad);
  const auto sarif = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = {"check", "--format", "sarif"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back(".");
    return RunDistlint(arguments, dir.path().string()).out;
  };
  const nlohmann::json full = nlohmann::json::parse(sarif({}));
  WriteFile(dir / "s1.sarif", sarif({"--shard", "1/2"}));
  WriteFile(dir / "s2.sarif", sarif({"--shard", "2/2"}));

  const CommandResult merged = RunDistlint({"merge", "s1.sarif", "s2.sarif"}, dir.path().string());

  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const nlohmann::json document = nlohmann::json::parse(merged.out);
  ASSERT_EQ(document["runs"].size(), 1u);
  EXPECT_EQ(document["runs"][0]["results"], full["runs"][0]["results"]);
  EXPECT_EQ(document["runs"][0]["tool"], full["runs"][0]["tool"]);
}

TEST(Merge, RejectsMixedAndUnknownFormats) {
  TempDir dir;
  WriteFile(dir / "m.py", std::string(kHeader) + kLoad);
  WriteFile(dir / "a.json", Check(dir, {}).out);
  WriteFile(dir / "b.sarif", RunDistlint({"check", "--format", "sarif", "."}, dir.path().string()).out);
  WriteFile(dir / "c.json", "[1, 2]");

  const CommandResult mixed = RunDistlint({"merge", "a.json", "b.sarif"}, dir.path().string());
  const CommandResult unknown = RunDistlint({"merge", "a.json", "c.json"}, dir.path().string());
  const CommandResult none = RunDistlint({"merge"}, dir.path().string());

  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("cannot merge SARIF (b.sarif) with distlint JSON (a.json)"), std::string::npos)
      << mixed.err;
  EXPECT_EQ(mixed.out, "");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("c.json is neither distlint JSON output"), std::string::npos) << unknown.err;
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("'distlint merge' needs the files to merge"), std::string::npos) << none.err;
}

TEST(Merge, RejectsSameShardTwice) {
  TempDir dir;
  WriteFile(dir / "m.py", std::string(kHeader) + kLoad);
  WriteFile(dir / "a.json", Check(dir, {}).out);

  const CommandResult twice = RunDistlint({"merge", "a.json", "./a.json"}, dir.path().string());

  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("./a.json is given twice"), std::string::npos) << twice.err;
  EXPECT_EQ(twice.out, "");
}

}  // namespace
}  // namespace distlint
