#include "analyzer/changed_lines.h"

#include <algorithm>
#include <cstdlib>

namespace distlint {
namespace {

// Undoes git's C-style quoting of a path ("a\tb", "\303\251"), which it
// uses for names with control characters, quotes, backslashes or, unless
// core.quotePath is off, bytes above 0x7F.
std::string UnquoteGitPath(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  std::string path;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != '\\' || i + 2 >= text.size()) {
      path.push_back(text[i]);
      continue;
    }
    const char escaped = text[++i];
    switch (escaped) {
      case 'a': path.push_back('\a'); break;
      case 'b': path.push_back('\b'); break;
      case 'f': path.push_back('\f'); break;
      case 'n': path.push_back('\n'); break;
      case 'r': path.push_back('\r'); break;
      case 't': path.push_back('\t'); break;
      case 'v': path.push_back('\v'); break;
      default:
        if (escaped >= '0' && escaped <= '7' && i + 2 < text.size() - 1) {
          const int value = (escaped - '0') * 64 + (text[i + 1] - '0') * 8 + (text[i + 2] - '0');
          path.push_back(static_cast<char>(value));
          i += 2;
        } else {
          path.push_back(escaped);
        }
    }
  }
  return path;
}

// Parses "N" or "N,M" at the start of `text`. A missing M means 1.
void ParseRange(std::string_view text, uint32_t& start, uint32_t& count) {
  const std::string value(text.substr(0, text.find(' ')));
  char* end = nullptr;
  start = static_cast<uint32_t>(std::strtoul(value.c_str(), &end, 10));
  count = (*end == ',') ? static_cast<uint32_t>(std::strtoul(end + 1, nullptr, 10)) : 1;
}

uint32_t LastLine(const Diagnostic& diagnostic) {
  const uint32_t first = diagnostic.start_position.line;
  const uint32_t last = diagnostic.end_position.line;
  return (last > first && diagnostic.end_position.byte_column == 1) ? last - 1 : last;
}

}  // namespace

void ChangedLines::AddRange(const std::string& path, uint32_t first, uint32_t last) {
  ranges_[path].emplace_back(first, last);
}

void ChangedLines::AddWholeFile(const std::string& path) { whole_files_.insert(path); }

bool ChangedLines::FileChanged(const std::string& path) const {
  return whole_files_.count(path) > 0 || ranges_.count(path) > 0;
}

bool ChangedLines::Touches(const std::string& path, uint32_t first, uint32_t last) const {
  if (whole_files_.count(path)) return true;
  const auto found = ranges_.find(path);
  if (found == ranges_.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [&](const auto& range) { return range.first <= last && first <= range.second; });
}

void AddDiffHunks(std::string_view diff, ChangedLines& changed) {
  std::string path;
  size_t start = 0;
  while (start < diff.size()) {
    size_t end = diff.find('\n', start);
    if (end == std::string_view::npos) end = diff.size();
    const std::string_view line = diff.substr(start, end - start);
    start = end + 1;

    if (line.starts_with("diff --git ")) {
      path.clear();
    } else if (line.starts_with("+++ ")) {
      std::string_view name = line.substr(4);
      // git ends the name with a tab when it contains a space ("+++ b/a b.py\t").
      // A name that really ends with a tab is quoted, so the tab is never part of it.
      if (name.ends_with('\t')) name.remove_suffix(1);
      const std::string target = UnquoteGitPath(name);
      path = target.starts_with("b/") ? target.substr(2) : std::string();  // Empty for /dev/null.
    } else if (line.starts_with("@@ ") && !path.empty()) {
      const size_t plus = line.find(" +");
      if (plus == std::string_view::npos) continue;
      uint32_t first = 0;
      uint32_t count = 0;
      ParseRange(line.substr(plus + 2), first, count);
      if (count > 0) {
        changed.AddRange(path, first, first + count - 1);
      } else {
        // Lines were deleted after line `first` of the new file.
        changed.AddRange(path, std::max<uint32_t>(first, 1), first + 1);
      }
    }
  }
}

std::optional<ChangedLines> LoadChangedLines(const std::string& ref, const PathMapper& paths, std::string* error) {
  if (!paths.in_repository()) {
    *error = "--diff-base needs a git repository, but " + paths.root() +
             " is not inside one; run distlint from the repository's working tree";
    return std::nullopt;
  }
  const std::string& root = paths.root();
  const ProcessResult verify = RunGit({"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, root);
  if (verify.exit_code != 0) {
    *error = "--diff-base: unknown git ref '" + ref + "' in " + root +
             "; use a branch, tag or commit that exists locally (fetch it first in a shallow CI clone)";
    return std::nullopt;
  }
  std::string commit = verify.out;
  while (!commit.empty() && (commit.back() == '\n' || commit.back() == '\r')) commit.pop_back();

  // Options that user configuration could change are set explicitly.
  const ProcessResult diff = RunGit({"-c", "core.quotePath=false", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                                     "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", commit, "--"},
                                    root);
  if (diff.exit_code != 0) {
    *error = "--diff-base: 'git diff " + ref + "' failed: " + diff.err;
    return std::nullopt;
  }
  ChangedLines changed;
  AddDiffHunks(diff.out, changed);

  const ProcessResult untracked = RunGit({"ls-files", "-z", "--others", "--exclude-standard"}, root);
  if (untracked.exit_code != 0) {
    *error = "--diff-base: 'git ls-files --others' failed: " + untracked.err;
    return std::nullopt;
  }
  size_t start = 0;
  while (start < untracked.out.size()) {
    size_t end = untracked.out.find('\0', start);
    if (end == std::string::npos) end = untracked.out.size();
    if (end > start) changed.AddWholeFile(untracked.out.substr(start, end - start));
    start = end + 1;
  }
  return changed;
}

size_t KeepChangedFindings(std::vector<FileResult>& results, const ChangedLines& changed, const PathMapper& paths) {
  size_t removed = 0;
  for (FileResult& result : results) {
    const std::string path = paths.Relative(result.path);
    if (result.error && !result.io_error && !changed.FileChanged(path)) result.error.reset();
    auto& diagnostics = result.diagnostics;
    const auto removed_begin = std::remove_if(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& diagnostic) {
      return !changed.Touches(path, diagnostic.start_position.line, LastLine(diagnostic));
    });
    removed += static_cast<size_t>(diagnostics.end() - removed_begin);
    diagnostics.erase(removed_begin, diagnostics.end());
  }
  return removed;
}

}  // namespace distlint
