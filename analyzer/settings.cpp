#include "analyzer/settings.h"

#include <system_error>

#include "analyzer/path_glob.h"
#include "analyzer/torch_pins.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;

fs::path AbsoluteNormal(const fs::path& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error).lexically_normal();
  if (error) return path.lexically_normal();
  // "/a/b/" and "/a/b" must be the same cache key.
  if (!absolute.has_filename() && absolute.has_parent_path() && absolute != absolute.root_path()) {
    absolute = absolute.parent_path();
  }
  return absolute;
}

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

}  // namespace

SettingsResolver::SettingsResolver(CommandLineSettings command_line) : command_line_(std::move(command_line)) {}

const SettingsResolver::FolderLookup& SettingsResolver::Lookup(const fs::path& folder) {
  if (auto it = lookups_.find(folder); it != lookups_.end()) return it->second;

  FolderLookup lookup;
  // A distlint.toml wins over a pyproject.toml in the same folder, and a
  // pyproject.toml without [tool.distlint] does not count.
  for (const char* name : {"distlint.toml", "pyproject.toml"}) {
    const fs::path candidate = folder / name;
    if (!IsFile(candidate)) continue;
    auto cached = configs_.find(candidate);
    if (cached == configs_.end()) cached = configs_.emplace(candidate, ReadConfigFile(candidate)).first;
    if (cached->second) {
      lookup.config_file = candidate;
      break;
    }
  }
  for (const char* name : {"pyproject.toml", "setup.py", "requirements.txt"}) {
    if (IsFile(folder / name)) {
      lookup.project_folder = folder;
      break;
    }
  }

  const fs::path parent = folder.parent_path();
  if ((!lookup.config_file || !lookup.project_folder) && !parent.empty() && parent != folder) {
    const FolderLookup& above = Lookup(parent);
    if (!lookup.config_file) lookup.config_file = above.config_file;
    if (!lookup.project_folder) lookup.project_folder = above.project_folder;
  }
  return lookups_.emplace(folder, std::move(lookup)).first->second;
}

std::shared_ptr<const FileSettings> SettingsResolver::ForFolder(const fs::path& folder) {
  if (command_line_.isolated) return Resolve(std::nullopt, std::nullopt);
  if (command_line_.config_file) {
    const fs::path config = AbsoluteNormal(*command_line_.config_file);
    return Resolve(config, config.parent_path());
  }
  const FolderLookup& lookup = Lookup(AbsoluteNormal(folder));
  // Pins are read next to the configuration file when there is one.
  const std::optional<fs::path> pin_folder =
      lookup.config_file ? std::optional<fs::path>(lookup.config_file->parent_path()) : lookup.project_folder;
  return Resolve(lookup.config_file, pin_folder);
}

std::shared_ptr<const FileSettings> SettingsResolver::ForFile(const std::string& path) {
  return ForFolder(AbsoluteNormal(path).parent_path());
}

std::shared_ptr<const FileSettings> SettingsResolver::Resolve(const std::optional<fs::path>& config_file,
                                                              const std::optional<fs::path>& pin_folder) {
  const std::string key = (config_file ? config_file->string() : "") + "\n" + (pin_folder ? pin_folder->string() : "");
  if (auto it = settings_.find(key); it != settings_.end()) return it->second;

  ConfigFile config;
  if (config_file) {
    auto cached = configs_.find(*config_file);
    if (cached == configs_.end()) cached = configs_.emplace(*config_file, ReadConfigFile(*config_file)).first;
    if (!cached->second) throw ConfigError(config_file->string() + ": no [tool.distlint] table in this file");
    config = *cached->second;
  }

  auto settings = std::make_shared<FileSettings>();
  settings->config_file = config_file;

  // --select replaces both `select` and `extend-select`; --ignore adds to `ignore`.
  std::vector<std::string> select;
  std::vector<std::string> extend_select;
  if (command_line_.select) {
    select = *command_line_.select;
  } else {
    select = config.select.value_or(std::vector<std::string>{});
    extend_select = config.extend_select;
  }
  extend_select.insert(extend_select.end(), command_line_.extend_select.begin(), command_line_.extend_select.end());
  if (!extend_select.empty()) {
    // An empty `select` means every rule, which "ALL" keeps once codes are added.
    if (select.empty()) select.push_back("ALL");
    select.insert(select.end(), extend_select.begin(), extend_select.end());
  }
  settings->selection.select = std::move(select);
  settings->selection.ignore = config.ignore.value_or(std::vector<std::string>{});
  settings->selection.ignore.insert(settings->selection.ignore.end(), command_line_.ignore.begin(),
                                    command_line_.ignore.end());

  if (command_line_.target_torch) {
    settings->analysis.target_torch = *command_line_.target_torch;
    settings->target_torch_source = "--target-torch";
  } else if (config.target_torch) {
    settings->analysis.target_torch = *config.target_torch;
    settings->target_torch_source = config.path.string() + " target-torch";
  } else if (auto pin = pin_folder ? FindTorchPin(*pin_folder) : std::nullopt) {
    settings->analysis.target_torch = pin->range;
    settings->target_torch_source = pin->source;
  } else {
    settings->target_torch_source = "default";
  }

  settings->policy.per_file_ignores = config.per_file_ignores.value_or(std::vector<PerFileIgnore>{});
  settings->policy.fixable.select = config.fixable.value_or(std::vector<std::string>{});
  settings->policy.fixable.ignore = config.unfixable.value_or(std::vector<std::string>{});
  settings->policy.unsafe_fixes = command_line_.unsafe_fixes.value_or(config.unsafe_fixes.value_or(false));

  settings->exclude = config.exclude.value_or(std::vector<ConfigGlob>{});
  settings->exclude.insert(settings->exclude.end(), config.extend_exclude.begin(), config.extend_exclude.end());

  settings_.emplace(key, settings);
  return settings;
}

const Analyzer& SettingsResolver::AnalyzerFor(const std::string& path) {
  std::shared_ptr<const FileSettings> settings = ForFile(path);
  std::unique_ptr<Analyzer>& analyzer = analyzers_[settings.get()];
  if (!analyzer) analyzer = std::make_unique<Analyzer>(settings->analysis, settings->selection, settings->policy);
  return *analyzer;
}

bool SettingsResolver::IsExcluded(const fs::path& path, bool is_directory) {
  std::shared_ptr<const FileSettings> settings = ForFolder(path.parent_path());
  for (const ConfigGlob& glob : settings->exclude) {
    if (ConfigGlobMatches(glob.glob, glob.base, path, is_directory)) return true;
  }
  return false;
}

DiscoveryOptions SettingsResolver::Discovery() {
  DiscoveryOptions options;
  options.is_excluded = [this](const fs::path& path, bool is_directory) { return IsExcluded(path, is_directory); };
  options.force_exclude = command_line_.force_exclude;
  return options;
}

}  // namespace distlint
