// Configuration files: the `[tool.distlint]` table of a pyproject.toml, or
// the top level of a distlint.toml. docs/configuration.md describes the keys.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/torch_version.h"

namespace distlint {

// An invalid configuration file. The message names the file and, where it
// applies, the line and column, the key and the accepted values.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A glob from a configuration file and the folder it is relative to: the
// folder of the file that wrote it.
struct ConfigGlob {
  std::filesystem::path base;
  std::string glob;
};

// The settings of one configuration file with the files it extends merged
// in. A key the file sets replaces the value of the file it extends, except
// `extend-select` and `extend-exclude`, which add to it. An unset optional
// means no file in the chain sets the key.
struct ConfigFile {
  std::filesystem::path path;  // Absolute and normalised.
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::optional<std::vector<std::string>> ignore;
  std::optional<std::vector<PerFileIgnore>> per_file_ignores;
  std::optional<std::vector<ConfigGlob>> exclude;
  std::vector<ConfigGlob> extend_exclude;
  std::optional<bool> unsafe_fixes;
  std::optional<std::vector<std::string>> fixable;
  std::optional<std::vector<std::string>> unfixable;
  std::optional<TorchVersionRange> target_torch;
};

// Reads the configuration file at `path` and the files it extends. Returns
// nullopt for a pyproject.toml without a [tool.distlint] table. Throws
// ConfigError for unreadable or invalid files and for `extend` cycles.
std::optional<ConfigFile> ReadConfigFile(const std::filesystem::path& path);

// The names of the keys a configuration table accepts, sorted.
const std::vector<std::string>& ConfigKeys();

// Returns the candidate closest to `word` by edit distance when it is close
// enough to be a likely misspelling, or an empty string.
std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace distlint
