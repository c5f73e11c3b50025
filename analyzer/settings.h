// Settings per checked file: finds the configuration file that applies to
// each file (the nearest one up the folder tree), merges it with the
// command line, and keeps one Analyzer per distinct result.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/config.h"
#include "analyzer/discovery.h"

namespace distlint {

// Settings given on the command line. Each one that is set overrides the
// configuration files.
struct CommandLineSettings {
  std::optional<std::string> config_file;  // --config: use exactly this file for every checked file.
  bool isolated = false;                   // --isolated: read no configuration or dependency file.
  std::optional<std::vector<std::string>> select;  // --select: replaces `select` and `extend-select`.
  std::vector<std::string> extend_select;          // --extend-select
  std::vector<std::string> ignore;                 // --ignore: added to `ignore`.
  std::optional<TorchVersionRange> target_torch;   // --target-torch
  std::optional<bool> unsafe_fixes;                // --unsafe-fixes, --no-unsafe-fixes
  bool force_exclude = false;  // --force-exclude: exclude globs apply to paths named on the command line too.
};

// The settings one file is analysed with.
struct FileSettings {
  std::optional<std::filesystem::path> config_file;  // The configuration file read, if any.
  RuleSelection selection;
  AnalysisOptions analysis;
  FindingPolicy policy;
  std::vector<ConfigGlob> exclude;  // `exclude` and `extend-exclude`.
  // The source of `analysis.target_torch`: "--target-torch", a file and its
  // key, or "default".
  std::string target_torch_source;
};

// Resolves settings per file and caches them per folder. Not thread-safe:
// resolve every file before analysing in parallel.
class SettingsResolver {
 public:
  explicit SettingsResolver(CommandLineSettings command_line);

  // The settings of files in `folder`. Throws ConfigError for invalid files.
  std::shared_ptr<const FileSettings> ForFolder(const std::filesystem::path& folder);
  std::shared_ptr<const FileSettings> ForFile(const std::string& path);

  // The analyzer for `path`, shared by every file with the same settings.
  const Analyzer& AnalyzerFor(const std::string& path);

  // True when the `exclude` globs of the settings that govern `path` match
  // it. `path` is absolute and normalised.
  bool IsExcluded(const std::filesystem::path& path, bool is_directory);

  // Discovery options that apply the exclude globs.
  DiscoveryOptions Discovery();

 private:
  // The nearest configuration file at or above `folder`, and the nearest
  // folder with a project file (pyproject.toml, setup.py, requirements.txt),
  // where torch pins are read when no configuration file applies.
  struct FolderLookup {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> project_folder;
  };
  const FolderLookup& Lookup(const std::filesystem::path& folder);
  std::shared_ptr<const FileSettings> Resolve(const std::optional<std::filesystem::path>& config_file,
                                              const std::optional<std::filesystem::path>& pin_folder);

  CommandLineSettings command_line_;
  std::map<std::filesystem::path, FolderLookup> lookups_;
  // Configuration files read, by path; nullopt for a pyproject.toml without [tool.distlint].
  std::map<std::filesystem::path, std::optional<ConfigFile>> configs_;
  std::map<std::string, std::shared_ptr<const FileSettings>> settings_;  // By config file and pin folder.
  std::map<const FileSettings*, std::unique_ptr<Analyzer>> analyzers_;
};

}  // namespace distlint
