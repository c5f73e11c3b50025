// Tests of file discovery: which files under a folder are checked, how
// .gitignore files are honoured, and how paths are spelled in the output.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "analyzer/discovery.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;
using testing::ScopedWorkingDirectory;
using testing::TempDir;
using testing::WriteFile;

// Discovers `root` and returns the files relative to it.
std::vector<std::string> DiscoverRelative(const fs::path& root, const fs::path& start) {
  const DiscoveryResult result = DiscoverFiles({start.string()});
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  std::vector<std::string> relative;
  for (const std::string& file : result.files) relative.push_back(fs::path(file).lexically_relative(root).string());
  return relative;
}

std::vector<std::string> DiscoverRelative(const fs::path& root) { return DiscoverRelative(root, root); }

TEST(Discovery, PythonFilesOnly) {
  TempDir dir;
  for (const char* name : {"a.py", "notes.txt", "script", "backup.py.bak", "pkg/b.py", "pkg/deep/c.py", "pkg/d.pyc"}) {
    WriteFile(dir.path() / name, "x = 1\n");
  }

  EXPECT_EQ(DiscoverRelative(dir.path()), (std::vector<std::string>{"a.py", "pkg/b.py", "pkg/deep/c.py"}));
}

TEST(Discovery, SkipsToolAndEnvironmentFolders) {
  TempDir dir;
  for (const char* name : {".git/hooks/x.py", "venv/lib/x.py", ".venv/lib/x.py", "build/lib/x.py",
                           "node_modules/pkg/x.py", "__pycache__/x.py", "src/__pycache__/x.py", "src/build/x.py",
                           "env/lib/x.py", "src/keep.py", "keep.py"}) {
    WriteFile(dir.path() / name, "x = 1\n");
  }
  // Any folder with a pyvenv.cfg is a virtual environment, whatever its name.
  WriteFile(dir.path() / "env/pyvenv.cfg", "home = /usr/bin\n");

  EXPECT_EQ(DiscoverRelative(dir.path()), (std::vector<std::string>{"keep.py", "src/keep.py"}));
}

TEST(Discovery, SymlinkedFolderNotFollowed) {
  TempDir dir;
  WriteFile(dir.path() / "real/a.py", "x = 1\n");
  fs::create_directory_symlink("real", dir.path() / "alias");

  EXPECT_EQ(DiscoverRelative(dir.path()), std::vector<std::string>{"real/a.py"});
}

TEST(Discovery, GitignorePatterns) {
  TempDir dir;
  WriteFile(dir.path() / ".gitignore",
            "# a comment, not a pattern\n"
            "#comment.py\n"
            "*.gen.py\n"
            "!keep.gen.py\n"
            "/top_only.py\n"
            "generated/\n"
            "not_a_folder.py/\n"
            "docs/**/*.py\n"
            "\\#hash.py\n"
            "trailing_space.py   \n");
  const std::vector<std::string> files = {
      "#comment.py",          // The pattern line is a comment: kept.
      "#hash.py",             // Ignored by the escaped pattern.
      "a.gen.py",             // Ignored at the top.
      "sub/c.gen.py",         // Ignored below: a pattern without a slash matches at any depth.
      "keep.gen.py",          // Re-included by the negation.
      "sub/keep.gen.py",      // Re-included at any depth.
      "top_only.py",          // Ignored: the leading slash anchors the pattern here.
      "sub/top_only.py",      // Kept: the anchored pattern does not reach sub/.
      "generated/x.py",       // Ignored folder.
      "sub/generated/y.py",   // Ignored folder at any depth.
      "not_a_folder.py",      // Kept: a trailing slash matches folders only.
      "docs/a.py",            // Ignored: ** matches zero folders.
      "docs/x/y/z.py",        // Ignored: ** matches several folders.
      "sub/docs/a.py",        // Kept: docs/**/*.py is anchored to the top.
      "trailing_space.py",    // Ignored: trailing spaces are dropped from patterns.
      "main.py",
  };
  for (const std::string& name : files) WriteFile(dir.path() / name, "x = 1\n");

  EXPECT_EQ(DiscoverRelative(dir.path()),
            (std::vector<std::string>{"#comment.py", "keep.gen.py", "main.py", "not_a_folder.py", "sub/docs/a.py",
                                      "sub/keep.gen.py", "sub/top_only.py"}));
}

TEST(Discovery, NestedGitignore) {
  TempDir dir;
  WriteFile(dir.path() / ".gitignore", "*.gen.py\n");
  WriteFile(dir.path() / "sub/.gitignore",
            "local_*.py\n"
            "/anchored.py\n"
            "!b.gen.py\n");
  for (const char* name : {"local_a.py", "anchored.py", "b.gen.py", "sub/local_a.py", "sub/anchored.py",
                           "sub/b.gen.py", "sub/c.gen.py", "sub/deeper/local_b.py", "sub/deeper/anchored.py",
                           "other/local_c.py"}) {
    WriteFile(dir.path() / name, "x = 1\n");
  }

  // The nested file applies only under sub/, and a later negation there
  // re-includes a file the parent ignores.
  EXPECT_EQ(DiscoverRelative(dir.path()),
            (std::vector<std::string>{"anchored.py", "local_a.py", "other/local_c.py", "sub/b.gen.py",
                                      "sub/deeper/anchored.py"}));
}

TEST(Discovery, AncestorGitignoreInsideRepository) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  WriteFile(dir.path() / ".gitignore", "*.gen.py\n/sub/skipped/\n");
  for (const char* name : {"sub/a.py", "sub/b.gen.py", "sub/skipped/c.py"}) WriteFile(dir.path() / name, "x = 1\n");

  EXPECT_EQ(DiscoverRelative(dir.path(), dir.path() / "sub"), std::vector<std::string>{"sub/a.py"});
}

TEST(Discovery, AncestorGitignoreOutsideRepositoryIgnored) {
  TempDir dir;
  WriteFile(dir.path() / ".gitignore", "*.gen.py\n");
  for (const char* name : {"sub/a.py", "sub/b.gen.py"}) WriteFile(dir.path() / name, "x = 1\n");

  // Without a .git folder above, a parent's .gitignore is not the project's.
  EXPECT_EQ(DiscoverRelative(dir.path(), dir.path() / "sub"),
            (std::vector<std::string>{"sub/a.py", "sub/b.gen.py"}));
}

TEST(Discovery, ExplicitFilesAlwaysChecked) {
  TempDir dir;
  WriteFile(dir.path() / ".gitignore", "ignored.py\n");
  WriteFile(dir.path() / "ignored.py", "x = 1\n");
  WriteFile(dir.path() / "script", "x = 1\n");
  WriteFile(dir.path() / "venv/lib/inside.py", "x = 1\n");

  const DiscoveryResult result =
      DiscoverFiles({dir / "ignored.py", dir / "script", dir / "venv/lib/inside.py"});

  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.files, (std::vector<std::string>{dir / "ignored.py", dir / "script", dir / "venv/lib/inside.py"}));
}

TEST(Discovery, MissingPathReported) {
  TempDir dir;
  WriteFile(dir.path() / "a.py", "x = 1\n");
  const std::string missing = dir / "missing";

  const DiscoveryResult result = DiscoverFiles({missing, dir.path().string()});

  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], missing + ": no such file or folder");
  EXPECT_EQ(result.files, std::vector<std::string>{dir / "a.py"});
}

TEST(Discovery, FifoArgumentRejected) {
  TempDir dir;
  const std::string fifo = dir / "pipe.py";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

  // Reading the FIFO would block forever, so discovery must not pass it on.
  const DiscoveryResult result = DiscoverFiles({fifo, "/dev/null"});

  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0], fifo + ": not a regular file or folder");
  EXPECT_EQ(result.errors[1], "/dev/null: not a regular file or folder");
  EXPECT_TRUE(result.files.empty());
}

TEST(Discovery, SortedWithoutDuplicates) {
  TempDir dir;
  for (const char* name : {"b.py", "a.py", "c/d.py"}) WriteFile(dir.path() / name, "x = 1\n");

  const DiscoveryResult result = DiscoverFiles({dir / "c", dir.path().string(), dir / "a.py"});

  EXPECT_EQ(result.files, (std::vector<std::string>{dir / "a.py", dir / "b.py", dir / "c/d.py"}));
}

TEST(Discovery, RelativeSpellingKept) {
  TempDir dir;
  WriteFile(dir.path() / "src/pkg/a.py", "x = 1\n");
  WriteFile(dir.path() / "top.py", "x = 1\n");
  ScopedWorkingDirectory working_directory(dir.path());

  EXPECT_EQ(DiscoverFiles({"src"}).files, std::vector<std::string>{"src/pkg/a.py"});
  EXPECT_EQ(DiscoverFiles({"src/"}).files, std::vector<std::string>{"src/pkg/a.py"});
  EXPECT_EQ(DiscoverFiles({"src/pkg/a.py"}).files, std::vector<std::string>{"src/pkg/a.py"});
  EXPECT_EQ(DiscoverFiles({"."}).files, (std::vector<std::string>{"src/pkg/a.py", "top.py"}));
  EXPECT_EQ(DiscoverFiles({"src/../top.py"}).files, std::vector<std::string>{"top.py"});
}

TEST(Discovery, RelativeParentSpellingKept) {
  TempDir dir;
  WriteFile(dir.path() / "src/a.py", "x = 1\n");
  fs::create_directories(dir.path() / "work");
  ScopedWorkingDirectory working_directory(dir.path() / "work");

  EXPECT_EQ(DiscoverFiles({"../src"}).files, std::vector<std::string>{"../src/a.py"});
}

TEST(GitignoreGlobMatch, Star) {
  EXPECT_TRUE(GitignoreGlobMatch("*.py", "a.py"));
  EXPECT_TRUE(GitignoreGlobMatch("*.py", ".py"));
  EXPECT_FALSE(GitignoreGlobMatch("*.py", "a.pyc"));
  EXPECT_FALSE(GitignoreGlobMatch("*.py", "dir/a.py")) << "* must not cross a slash";
  EXPECT_TRUE(GitignoreGlobMatch("test_*", "test_x"));
  EXPECT_TRUE(GitignoreGlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GitignoreGlobMatch("foo", "foobar"));
  EXPECT_FALSE(GitignoreGlobMatch("foobar", "foo"));
}

TEST(GitignoreGlobMatch, QuestionMarkAndBrackets) {
  EXPECT_TRUE(GitignoreGlobMatch("a?c", "abc"));
  EXPECT_FALSE(GitignoreGlobMatch("a?c", "a/c"));
  EXPECT_FALSE(GitignoreGlobMatch("a?c", "ac"));
  EXPECT_TRUE(GitignoreGlobMatch("[abc].py", "b.py"));
  EXPECT_FALSE(GitignoreGlobMatch("[abc].py", "d.py"));
  EXPECT_TRUE(GitignoreGlobMatch("[a-c].py", "c.py"));
  EXPECT_FALSE(GitignoreGlobMatch("[a-c].py", "d.py"));
  EXPECT_FALSE(GitignoreGlobMatch("[!abc].py", "b.py"));
  EXPECT_TRUE(GitignoreGlobMatch("[!abc].py", "d.py"));
  EXPECT_TRUE(GitignoreGlobMatch("[]].py", "].py"));
}

TEST(GitignoreGlobMatch, DoubleStar) {
  EXPECT_TRUE(GitignoreGlobMatch("**/foo", "foo"));
  EXPECT_TRUE(GitignoreGlobMatch("**/foo", "a/b/foo"));
  EXPECT_FALSE(GitignoreGlobMatch("**/foo", "a/foobar"));
  EXPECT_TRUE(GitignoreGlobMatch("a/**/b", "a/b"));
  EXPECT_TRUE(GitignoreGlobMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(GitignoreGlobMatch("a/**/b", "a/x/yb"));
  EXPECT_TRUE(GitignoreGlobMatch("a/**", "a/x"));
  EXPECT_TRUE(GitignoreGlobMatch("a/**", "a/x/y"));
  EXPECT_FALSE(GitignoreGlobMatch("a/**", "a"));
  EXPECT_FALSE(GitignoreGlobMatch("a/**", "b/x"));
  EXPECT_TRUE(GitignoreGlobMatch("docs/**/*.py", "docs/a/b.py"));
  EXPECT_FALSE(GitignoreGlobMatch("docs/*.py", "docs/a/b.py"));
}

TEST(GitignoreGlobMatch, Escapes) {
  EXPECT_TRUE(GitignoreGlobMatch("\\*.py", "*.py"));
  EXPECT_FALSE(GitignoreGlobMatch("\\*.py", "a.py"));
  EXPECT_TRUE(GitignoreGlobMatch("\\#x", "#x"));
}

}  // namespace
}  // namespace distlint
