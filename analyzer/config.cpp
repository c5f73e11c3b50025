#include "analyzer/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>
#include <string_view>
#include <system_error>

namespace distlint {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCodesExample = R"(["COM", "VER001"])";

const char* TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date or time";
    case toml::node_type::none: break;
  }
  return "no value";
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += separator;
    joined += item;
  }
  return joined;
}

toml::table ParseTomlFile(const fs::path& path) {
  std::string error;
  auto bytes = ReadFileBytes(path.string(), &error);
  if (!bytes) throw ConfigError(path.string() + ": " + error);
  try {
    return toml::parse(*bytes, path.string());
  } catch (const toml::parse_error& parse_error) {
    const toml::source_position& begin = parse_error.source().begin;
    throw ConfigError(path.string() + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                      ": invalid TOML: " + std::string(parse_error.description()));
  }
}

// Reads the keys of one configuration table, and builds error messages that
// name the file, the position, the table and the key.
class TableReader {
 public:
  TableReader(fs::path path, bool in_pyproject) : path_(std::move(path)), in_pyproject_(in_pyproject) {}

  [[noreturn]] void Fail(const toml::source_region& where, const std::string& message) const {
    throw ConfigError(path_.string() + ":" + std::to_string(where.begin.line) + ":" +
                      std::to_string(where.begin.column) + ": " + message);
  }

  // "'select' in [tool.distlint]", or "'select'" in a distlint.toml.
  std::string KeyName(std::string_view key) const {
    std::string name = "'";
    name.append(key);
    name += "'";
    if (in_pyproject_) name += " in [tool.distlint]";
    return name;
  }

  [[noreturn]] void FailType(std::string_view key, const toml::node& value, std::string_view expected) const {
    Fail(value.source(), "invalid " + KeyName(key) + ": expected " + std::string(expected) + ", got " +
                             TypeName(value));
  }

  std::string String(std::string_view key, const toml::node& value, std::string_view example) const {
    const auto* text = value.as_string();
    if (!text) FailType(key, value, "a string such as " + std::string(example));
    return text->get();
  }

  bool Boolean(std::string_view key, const toml::node& value) const {
    const auto* flag = value.as_boolean();
    if (!flag) FailType(key, value, "true or false");
    return flag->get();
  }

  std::vector<std::string> Strings(std::string_view key, const toml::node& value, std::string_view example) const {
    const auto* array = value.as_array();
    if (!array) FailType(key, value, "an array of strings such as " + std::string(example));
    std::vector<std::string> items;
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (!text) {
        Fail(item.source(), "invalid " + KeyName(key) + ": expected an array of strings such as " +
                                std::string(example) + ", but item " + std::to_string(items.size() + 1) + " is " +
                                TypeName(item));
      }
      items.push_back(text->get());
    }
    return items;
  }

  // An array of rule codes, prefixes or names; each must name some rule.
  std::vector<std::string> Codes(std::string_view key, const toml::node& value) const {
    std::vector<std::string> codes = Strings(key, value, kCodesExample);
    const auto* array = value.as_array();
    for (size_t i = 0; i < codes.size(); ++i) {
      if (!RuleSelection{{codes[i]}, {}}.FirstUnknown()) continue;
      std::vector<std::string> known;
      for (const Rule* rule : RuleRegistry::Instance().rules()) {
        known.emplace_back(rule->info().code);
        known.emplace_back(rule->info().name);
      }
      const std::string suggestion = ClosestMatch(codes[i], known);
      Fail((*array)[i].source(), "invalid " + KeyName(key) + ": '" + codes[i] +
                                     "' matches no rule code, prefix or name" +
                                     (suggestion.empty() ? "." : "; did you mean '" + suggestion + "'?") +
                                     " Run 'distlint rules' for the list.");
    }
    return codes;
  }

  std::vector<ConfigGlob> Globs(std::string_view key, const toml::node& value) const {
    std::vector<ConfigGlob> globs;
    for (std::string& glob : Strings(key, value, R"(["legacy/", "tests/**/fixtures"])")) {
      globs.push_back({path_.parent_path(), std::move(glob)});
    }
    return globs;
  }

  std::vector<PerFileIgnore> PerFileIgnores(std::string_view key, const toml::node& value) const {
    const auto* table = value.as_table();
    if (!table) FailType(key, value, R"(a table of globs to codes such as { "tests/**" = ["ALC"] })");
    std::vector<PerFileIgnore> ignores;
    for (const auto& [glob, codes] : *table) {
      const std::string entry_key = std::string(key) + "." + std::string(glob.str());
      ignores.push_back({path_.parent_path(), std::string(glob.str()), Codes(entry_key, codes)});
    }
    return ignores;
  }

  TorchVersionRange TargetTorch(std::string_view key, const toml::node& value) const {
    const std::string spec = String(key, value, R"(">=1.13,<2.5")");
    std::string error;
    auto range = TorchVersionRange::Parse(spec, &error);
    if (!range) Fail(value.source(), "invalid " + KeyName(key) + ": " + error);
    return *range;
  }

  // Rejects a key no configuration accepts, suggesting a near miss.
  void CheckKnown(const toml::key& key) const {
    const std::string name(key.str());
    const std::vector<std::string>& known = ConfigKeys();
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    const std::string suggestion = ClosestMatch(name, known);
    Fail(key.source(), "unknown key " + KeyName(name) +
                           (suggestion.empty() ? "." : "; did you mean '" + suggestion + "'?") +
                           " Accepted keys: " + Join(known, ", ") + ".");
  }

 private:
  fs::path path_;
  bool in_pyproject_;
};

std::optional<ConfigFile> ReadChain(const fs::path& path, std::vector<fs::path>& chain) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error).lexically_normal();
  if (std::find(chain.begin(), chain.end(), absolute) != chain.end()) {
    std::vector<std::string> names;
    for (const fs::path& link : chain) names.push_back(link.string());
    names.push_back(absolute.string());
    throw ConfigError(chain.back().string() + ": 'extend' forms a cycle: " + Join(names, " -> "));
  }
  if (!fs::is_regular_file(absolute, error)) {
    if (chain.empty()) throw ConfigError(absolute.string() + ": configuration file not found");
    throw ConfigError(chain.back().string() + ": 'extend' names " + absolute.string() + ", which is not a file");
  }

  const toml::table document = ParseTomlFile(absolute);
  const bool in_pyproject = absolute.filename() == "pyproject.toml";
  const toml::table* table = &document;
  if (in_pyproject) {
    const auto node = document["tool"]["distlint"];
    if (!node) return std::nullopt;
    table = node.as_table();
    if (!table) {
      throw ConfigError(absolute.string() + ":" + std::to_string(node.node()->source().begin.line) +
                        ": [tool.distlint] must be a table, got " + TypeName(*node.node()));
    }
  }
  const TableReader reader(absolute, in_pyproject);
  for (const auto& [key, value] : *table) reader.CheckKnown(key);

  ConfigFile config;
  if (const toml::node* extend = table->get("extend")) {
    const std::string target = reader.String("extend", *extend, R"("../distlint.toml")");
    chain.push_back(absolute);
    std::optional<ConfigFile> base = ReadChain(absolute.parent_path() / target, chain);
    chain.pop_back();
    if (!base) {
      reader.Fail(extend->source(), "invalid " + reader.KeyName("extend") + ": " + target +
                                        " has no [tool.distlint] table to extend");
    }
    config = std::move(*base);
  }
  config.path = absolute;

  for (const auto& [key_object, value] : *table) {
    const std::string_view key = key_object.str();
    if (key == "select") {
      config.select = reader.Codes(key, value);
    } else if (key == "extend-select") {
      for (std::string& code : reader.Codes(key, value)) config.extend_select.push_back(std::move(code));
    } else if (key == "ignore") {
      config.ignore = reader.Codes(key, value);
    } else if (key == "per-file-ignores") {
      config.per_file_ignores = reader.PerFileIgnores(key, value);
    } else if (key == "exclude") {
      config.exclude = reader.Globs(key, value);
    } else if (key == "extend-exclude") {
      for (ConfigGlob& glob : reader.Globs(key, value)) config.extend_exclude.push_back(std::move(glob));
    } else if (key == "unsafe-fixes") {
      config.unsafe_fixes = reader.Boolean(key, value);
    } else if (key == "fixable") {
      config.fixable = reader.Codes(key, value);
    } else if (key == "unfixable") {
      config.unfixable = reader.Codes(key, value);
    } else if (key == "target-torch") {
      config.target_torch = reader.TargetTorch(key, value);
    }
  }
  return config;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> kKeys = {
      "exclude",       "extend",           "extend-exclude", "extend-select", "fixable",  "ignore",
      "per-file-ignores", "select",        "target-torch",   "unfixable",     "unsafe-fixes"};
  return kKeys;
}

std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  // A third of the word's length, at least one edit: "selct" -> "select",
  // "per_file_ignores" -> "per-file-ignores", but not "fix" -> "fixable".
  const size_t limit = std::max<size_t>(1, word.size() / 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<ConfigFile> ReadConfigFile(const std::filesystem::path& path) {
  std::vector<fs::path> chain;
  return ReadChain(path, chain);
}

}  // namespace distlint
