#include "analyzer/torch_pins.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <system_error>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/syntax.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Rewrites one PEP 440 clause into what TorchVersionRange::Parse reads:
// "~=2.1.0" becomes ">=2.1.0,<2.2". Returns an empty string for clauses that
// do not bound the range ("!=2.0.1", "===2.1").
std::string NormaliseClause(std::string_view clause) {
  if (clause.rfind("!=", 0) == 0 || clause.rfind("===", 0) == 0) return {};
  if (clause.rfind("~=", 0) != 0) return std::string(clause);
  const std::string_view version = Trim(clause.substr(2));
  std::vector<int> parts;
  std::istringstream stream{std::string(version)};
  for (std::string part; std::getline(stream, part, '.');) {
    if (part.empty() || part.size() > 6 || !std::all_of(part.begin(), part.end(), [](unsigned char c) {
          return std::isdigit(c) != 0;
        })) {
      break;
    }
    parts.push_back(std::stoi(part));
  }
  // PEP 440 requires at least two parts after ~=; the last one is free.
  if (parts.size() < 2) return std::string(clause);
  parts.pop_back();
  ++parts.back();
  std::string upper;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) upper += '.';
    upper += std::to_string(parts[i]);
  }
  return ">=" + std::string(version) + ",<" + upper;
}

std::optional<TorchVersionRange> RangeFromLines(std::string_view text) {
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    // A '#' at the start or after a blank starts a comment in requirements files.
    for (size_t hash = line.find('#'); hash != std::string::npos; hash = line.find('#', hash + 1)) {
      if (hash == 0 || std::isspace(static_cast<unsigned char>(line[hash - 1]))) {
        line.erase(hash);
        break;
      }
    }
    if (auto range = TorchRangeFromRequirement(line)) return range;
  }
  return std::nullopt;
}

std::optional<TorchVersionRange> RangeFromPyproject(const fs::path& path) {
  std::string error;
  auto bytes = ReadFileBytes(path.string(), &error);
  if (!bytes) return std::nullopt;
  toml::table document;
  try {
    document = toml::parse(*bytes, path.string());
  } catch (const toml::parse_error&) {
    return std::nullopt;  // The configuration reader reports invalid TOML when the file matters to it.
  }
  const toml::array* dependencies = document["project"]["dependencies"].as_array();
  if (!dependencies) return std::nullopt;
  for (const toml::node& dependency : *dependencies) {
    const auto* requirement = dependency.as_string();
    if (!requirement) continue;
    if (auto range = TorchRangeFromRequirement(requirement->get())) return range;
  }
  return std::nullopt;
}

// Reads the string items of `install_requires=[...]` in a setup() call.
std::optional<TorchVersionRange> RangeFromSetupPy(const fs::path& path) {
  std::string error;
  auto bytes = ReadFileBytes(path.string(), &error);
  if (!bytes) return std::nullopt;
  PythonParser parser;
  SyntaxTree tree = parser.Parse(*bytes);
  if (!tree.valid()) return std::nullopt;

  const Symbols& symbols = Symbols::Get();
  std::optional<TorchVersionRange> found;
  Walk(tree.root(), [&](TSNode node) {
    if (found) return false;
    if (!Is(node, symbols.keyword_argument)) return true;
    if (NodeText(Field(node, "name"), *bytes) != "install_requires") return true;
    const TSNode value = Field(node, "value");
    if (ts_node_is_null(value) || (std::string_view(ts_node_type(value)) != "list" && !Is(value, symbols.tuple))) {
      return false;
    }
    for (TSNode item : NamedChildren(value)) {
      auto requirement = StringLiteralValue(item, *bytes);
      if (!requirement) continue;
      found = TorchRangeFromRequirement(*requirement);
      if (found) break;
    }
    return false;
  });
  return found;
}

}  // namespace

std::optional<TorchVersionRange> TorchRangeFromRequirement(std::string_view requirement) {
  std::string_view text = Trim(requirement);
  if (text.empty() || text.front() == '-') return std::nullopt;  // Options such as `-r other.txt`.

  size_t name_end = 0;
  while (name_end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[name_end])) || text[name_end] == '-' ||
          text[name_end] == '_' || text[name_end] == '.')) {
    ++name_end;
  }
  std::string name(text.substr(0, name_end));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c == '_' || c == '.' ? '-' : static_cast<char>(std::tolower(c));
  });
  if (name != "torch") return std::nullopt;

  std::string_view rest = Trim(text.substr(name_end));
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    rest = Trim(rest.substr(close + 1));
  }
  if (!rest.empty() && rest.front() == '@') return std::nullopt;  // A direct URL pins no readable version.
  rest = Trim(rest.substr(0, rest.find(';')));
  if (!rest.empty() && rest.front() == '(' && rest.back() == ')') rest = Trim(rest.substr(1, rest.size() - 2));

  std::string spec;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    if (comma == std::string_view::npos) comma = rest.size();
    const std::string clause = NormaliseClause(Trim(rest.substr(start, comma - start)));
    if (!clause.empty()) {
      if (!spec.empty()) spec += ',';
      spec += clause;
    }
    start = comma + 1;
  }
  if (spec.empty()) return std::nullopt;
  std::string error;
  return TorchVersionRange::Parse(spec, &error);
}

std::optional<TorchPin> FindTorchPin(const std::filesystem::path& folder) {
  std::error_code error;
  const fs::path pyproject = folder / "pyproject.toml";
  if (fs::is_regular_file(pyproject, error)) {
    if (auto range = RangeFromPyproject(pyproject)) return TorchPin{*range, pyproject.string() + " [project].dependencies"};
  }

  std::vector<fs::path> requirement_files;
  if (fs::is_regular_file(folder / "requirements.txt", error)) requirement_files.push_back(folder / "requirements.txt");
  std::vector<fs::path> nested;
  if (fs::is_directory(folder / "requirements", error)) {
    for (const auto& entry : fs::directory_iterator(folder / "requirements", error)) {
      if (entry.path().extension() == ".txt" && entry.is_regular_file(error)) nested.push_back(entry.path());
    }
  }
  std::sort(nested.begin(), nested.end());
  requirement_files.insert(requirement_files.end(), nested.begin(), nested.end());
  for (const fs::path& path : requirement_files) {
    std::string read_error;
    auto bytes = ReadFileBytes(path.string(), &read_error);
    if (!bytes) continue;
    if (auto range = RangeFromLines(*bytes)) return TorchPin{*range, path.string()};
  }

  const fs::path setup = folder / "setup.py";
  if (fs::is_regular_file(setup, error)) {
    if (auto range = RangeFromSetupPy(setup)) return TorchPin{*range, setup.string() + " install_requires"};
  }
  return std::nullopt;
}

}  // namespace distlint
