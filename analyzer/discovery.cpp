#include "analyzer/discovery.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <system_error>

namespace distlint {
namespace fs = std::filesystem;
namespace {

struct GitignorePattern {
  std::string glob;
  bool negated = false;
  bool directory_only = false;
  bool anchored = false;  // Contains a slash: matched against the path from the .gitignore's folder.
};

// The patterns of one .gitignore, and the folder they are relative to.
struct GitignoreFile {
  fs::path folder;
  std::vector<GitignorePattern> patterns;
};

std::optional<GitignoreFile> LoadGitignore(const fs::path& folder) {
  std::ifstream stream(folder / ".gitignore");
  if (!stream) return std::nullopt;
  GitignoreFile file;
  file.folder = folder;
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces are ignored unless escaped.
    while (!line.empty() && line.back() == ' ' && (line.size() < 2 || line[line.size() - 2] != '\\')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    GitignorePattern pattern;
    if (line[0] == '!') {
      pattern.negated = true;
      line.erase(0, 1);
    } else if (line[0] == '\\' && line.size() > 1 && (line[1] == '#' || line[1] == '!')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      pattern.directory_only = true;
      line.pop_back();
    }
    if (line.empty()) continue;
    if (line.find('/') != std::string::npos) {
      pattern.anchored = true;
      if (line[0] == '/') line.erase(0, 1);
    }
    pattern.glob = line;
    file.patterns.push_back(std::move(pattern));
  }
  return file;
}

bool MatchBracket(std::string_view pattern, size_t& p, char c) {
  // pattern[p] == '['; on return p is past the closing ']'.
  size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) negate = true, ++i;
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char low = pattern[i];
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (c >= low && c <= pattern[i + 2]) matched = true;
      i += 3;
    } else {
      if (c == low) matched = true;
      ++i;
    }
  }
  p = i < pattern.size() ? i + 1 : i;
  return matched != negate;
}

bool GlobMatchFrom(std::string_view pattern, size_t p, std::string_view path, size_t s) {
  while (p < pattern.size()) {
    const char c = pattern[p];
    if (c == '*') {
      const bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
      if (double_star) {
        // "**/" matches zero or more folders; a trailing "**" matches everything.
        size_t next = p + 2;
        if (next < pattern.size() && pattern[next] == '/') ++next;
        if (next >= pattern.size()) return true;
        for (size_t k = s; k <= path.size(); ++k) {
          if ((k == s || path[k - 1] == '/') && GlobMatchFrom(pattern, next, path, k)) return true;
        }
        return false;
      }
      for (size_t k = s; k <= path.size(); ++k) {
        if (GlobMatchFrom(pattern, p + 1, path, k)) return true;
        if (k < path.size() && path[k] == '/') break;
      }
      return false;
    }
    if (s >= path.size()) return false;
    if (c == '?') {
      if (path[s] == '/') return false;
      ++p, ++s;
    } else if (c == '[') {
      if (path[s] == '/' || !MatchBracket(pattern, p, path[s])) return false;
      ++s;
    } else {
      if (c == '\\' && p + 1 < pattern.size()) ++p;
      if (pattern[p] != path[s]) return false;
      ++p, ++s;
    }
  }
  return s == path.size();
}

// The verdict of the gitignore stack on a path: true when ignored.
bool IsIgnored(const std::vector<std::shared_ptr<GitignoreFile>>& stack, const fs::path& path, bool is_directory) {
  bool ignored = false;
  for (const auto& file : stack) {
    // Both paths are absolute and normalised, so a lexical relation is exact.
    const std::string relative = path.lexically_relative(file->folder).generic_string();
    if (relative.empty() || relative.rfind("..", 0) == 0) continue;
    const std::string name = path.filename().string();
    for (const GitignorePattern& pattern : file->patterns) {
      if (pattern.directory_only && !is_directory) continue;
      const bool match = pattern.anchored ? GitignoreGlobMatch(pattern.glob, relative)
                                          : GitignoreGlobMatch(pattern.glob, name);
      if (match) ignored = !pattern.negated;
    }
  }
  return ignored;
}

bool IsSkippedFolder(const fs::path& folder) {
  static const std::set<std::string> kNames = {
      ".git", ".hg", ".svn", ".venv", "venv", "build", "node_modules", "__pycache__", ".tox", ".nox",
      ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "site-packages"};
  if (kNames.count(folder.filename().string())) return true;
  std::error_code error;
  return fs::exists(folder / "pyvenv.cfg", error);
}

void Walk(const fs::path& folder, std::vector<std::shared_ptr<GitignoreFile>>& stack, const DiscoveryOptions& options,
          DiscoveryResult& result) {
  const bool pushed = [&] {
    if (auto gitignore = LoadGitignore(folder)) {
      stack.push_back(std::make_shared<GitignoreFile>(std::move(*gitignore)));
      return true;
    }
    return false;
  }();

  std::error_code error;
  // A folder that cannot be listed is an error, not an empty folder, so no
  // skip_permission_denied here.
  fs::directory_iterator it(folder, error);
  if (error) {
    result.errors.push_back(folder.string() + ": cannot list folder: " + error.message());
  } else {
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(error)) {
      if (error) break;
      entries.push_back(*it);
    }
    for (const fs::directory_entry& entry : entries) {
      std::error_code status_error;
      const bool is_symlink = entry.is_symlink(status_error);
      const bool is_directory = entry.is_directory(status_error);
      const fs::path& path = entry.path();
      if (is_directory) {
        if (is_symlink || IsSkippedFolder(path) || IsIgnored(stack, path, true)) continue;
        if (options.is_excluded && options.is_excluded(path.lexically_normal(), true)) continue;
        Walk(path, stack, options, result);
      } else if (entry.is_regular_file(status_error) && path.extension() == ".py") {
        if (IsIgnored(stack, path, false)) continue;
        if (options.is_excluded && options.is_excluded(path.lexically_normal(), false)) continue;
        result.files.push_back(path.lexically_normal().string());
      }
    }
  }
  if (pushed) stack.pop_back();
}

// The .gitignore files that apply above `folder`, up to the repository root.
std::vector<std::shared_ptr<GitignoreFile>> AncestorGitignores(const fs::path& folder) {
  std::vector<std::shared_ptr<GitignoreFile>> stack;
  std::error_code error;
  fs::path current = fs::absolute(folder, error).lexically_normal();
  if (error) return stack;
  std::vector<fs::path> chain;
  for (fs::path parent = current.parent_path(); !parent.empty(); parent = parent.parent_path()) {
    chain.push_back(parent);
    if (fs::exists(parent / ".git", error) || parent == parent.root_path()) break;
  }
  std::reverse(chain.begin(), chain.end());
  // Only inside a git repository do the ancestors' .gitignore files apply.
  if (chain.empty() || !fs::exists(chain.front() / ".git", error)) return stack;
  for (const fs::path& ancestor : chain) {
    if (auto gitignore = LoadGitignore(ancestor)) stack.push_back(std::make_shared<GitignoreFile>(std::move(*gitignore)));
  }
  return stack;
}

}  // namespace

bool GitignoreGlobMatch(std::string_view pattern, std::string_view path) { return GlobMatchFrom(pattern, 0, path, 0); }

DiscoveryResult DiscoverFiles(const std::vector<std::string>& paths, const DiscoveryOptions& options) {
  DiscoveryResult result;
  for (const std::string& argument : paths) {
    std::error_code error;
    const fs::path path(argument);
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      result.errors.push_back(argument + ": no such file or folder");
      continue;
    }
    // Relative gitignore matching needs absolute folders, but output keeps
    // the spelling the user gave.
    const fs::path absolute = fs::absolute(path, error).lexically_normal();
    if (options.force_exclude && options.is_excluded &&
        options.is_excluded(absolute, fs::is_directory(status))) {
      continue;
    }
    if (fs::is_directory(status)) {
      auto stack = AncestorGitignores(absolute);
      DiscoveryResult found;
      Walk(absolute, stack, options, found);
      for (std::string& file : found.files) {
        const fs::path relative = fs::path(file).lexically_relative(absolute);
        result.files.push_back((path / relative).lexically_normal().string());
      }
      result.errors.insert(result.errors.end(), found.errors.begin(), found.errors.end());
    } else if (!fs::is_regular_file(status)) {
      // Reading a FIFO blocks until a writer appears and /dev/zero never ends.
      result.errors.push_back(argument + ": not a regular file or folder");
    } else {
      result.files.push_back(path.lexically_normal().string());  // Explicit files are always checked.
    }
  }
  std::sort(result.files.begin(), result.files.end());
  result.files.erase(std::unique(result.files.begin(), result.files.end()), result.files.end());
  return result;
}

}  // namespace distlint
