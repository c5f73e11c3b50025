// Lines changed since a git ref, for `distlint check --diff-base REF`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/repository.h"

namespace distlint {

class ChangedLines {
 public:
  // Marks lines [first, last] (1-based, inclusive) of a repository-relative path.
  void AddRange(const std::string& path, uint32_t first, uint32_t last);
  // Marks every line of a file (untracked or new files).
  void AddWholeFile(const std::string& path);
  // True when any of lines [first, last] of `path` changed.
  bool Touches(const std::string& path, uint32_t first, uint32_t last) const;
  bool FileChanged(const std::string& path) const;

 private:
  std::map<std::string, std::vector<std::pair<uint32_t, uint32_t>>> ranges_;
  std::set<std::string> whole_files_;
};

// Adds the new-side lines of every hunk in the output of
// `git diff --unified=0 --src-prefix=a/ --dst-prefix=b/` to `changed`. A
// hunk that only deletes lines marks the lines on both sides of the gap, so
// a finding whose range spans the deletion counts as touched. Deleted files
// are skipped.
void AddDiffHunks(std::string_view diff, ChangedLines& changed);

// Runs git in the repository of `paths` (which must be in one) and
// collects the lines changed between `ref` and the working tree: committed,
// staged and unstaged changes, and untracked files (not ignored) as wholly
// changed. Returns nullopt and sets `error` when the folder is not in a git
// repository, `ref` names no commit, or git fails.
std::optional<ChangedLines> LoadChangedLines(const std::string& ref, const PathMapper& paths, std::string* error);

// Keeps the findings whose primary range touches a changed line, and the
// parse errors of changed files. Returns how many findings were removed.
size_t KeepChangedFindings(std::vector<FileResult>& results, const ChangedLines& changed, const PathMapper& paths);

}  // namespace distlint
