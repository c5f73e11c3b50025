// Globs in configuration files (`exclude`, `per-file-ignores`), matched
// with .gitignore rules relative to the configuration file's folder.
#pragma once

#include <filesystem>
#include <string_view>

namespace distlint {

// True when `glob` matches `path` (absolute and normalised) or one of its
// folders below `base`. A glob without '/' matches a file or folder name at
// any depth (`__init__.py`, `legacy`). A glob with '/' matches the path from
// `base` (`tests/**/*.py`, `/setup.py`). A matched folder covers everything
// in it, and a glob ending in '/' matches folders only. `path` is a folder
// when `is_directory` is set. Paths outside `base` never match.
bool ConfigGlobMatches(std::string_view glob, const std::filesystem::path& base, const std::filesystem::path& path,
                       bool is_directory = false);

}  // namespace distlint
