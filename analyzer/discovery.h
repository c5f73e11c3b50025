// Finds the Python files to check under the paths given on the command line.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace distlint {

struct DiscoveryResult {
  std::vector<std::string> files;  // Sorted, without duplicates.
  std::vector<std::string> errors; // "path: reason" for paths that do not exist or cannot be listed.
};

struct DiscoveryOptions {
  // Returns true for a file or folder to skip (configured `exclude` globs).
  // Called with absolute, normalised paths; unset skips nothing more.
  std::function<bool(const std::filesystem::path& path, bool is_directory)> is_excluded;
  // Also skip the files and folders named in `paths` that `is_excluded` matches.
  bool force_exclude = false;
};

// Walks `paths`. A file argument is always included, whatever its name. A
// folder contributes its `.py` files and skips version control folders,
// virtual environments (`venv`, `.venv`, any folder with a `pyvenv.cfg`),
// `build`, `node_modules`, `__pycache__` and tool caches. It also skips what
// the `.gitignore` files on the way ignore, and what `options.is_excluded`
// matches. Symbolic links to folders are not followed.
DiscoveryResult DiscoverFiles(const std::vector<std::string>& paths, const DiscoveryOptions& options = {});

// Matches a path relative to a .gitignore's folder against one of its
// patterns (gitignore syntax: `*`, `?`, `[...]`, `**`). Exposed for tests.
bool GitignoreGlobMatch(std::string_view pattern, std::string_view path);

}  // namespace distlint
