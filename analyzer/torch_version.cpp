#include "analyzer/torch_version.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace distlint {

std::optional<TorchVersion> TorchVersion::Parse(std::string_view text) {
  TorchVersion version;
  int* parts[] = {&version.major, &version.minor, &version.patch};
  size_t position = 0;
  int index = 0;
  while (index < 3) {
    if (position >= text.size() || !std::isdigit(static_cast<unsigned char>(text[position]))) {
      if (index == 0) return std::nullopt;
      break;
    }
    int value = 0;
    while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
      value = value * 10 + (text[position] - '0');
      if (value > 100000) return std::nullopt;
      ++position;
    }
    *parts[index++] = value;
    if (position < text.size() && text[position] == '.') {
      ++position;
      continue;
    }
    break;
  }
  return version;
}

std::string TorchVersion::ToString() const {
  std::string text = std::to_string(major) + "." + std::to_string(minor);
  if (patch != 0) text += "." + std::to_string(patch);
  return text;
}

std::optional<TorchVersionRange> TorchVersionRange::Parse(std::string_view spec, std::string* error) {
  TorchVersionRange range;
  range.lower = TorchVersion{0, 0, 0};
  bool has_lower = false;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view clause = spec.substr(start, comma - start);
    while (!clause.empty() && std::isspace(static_cast<unsigned char>(clause.front()))) clause.remove_prefix(1);
    while (!clause.empty() && std::isspace(static_cast<unsigned char>(clause.back()))) clause.remove_suffix(1);
    start = comma + 1;
    if (clause.empty()) {
      if (comma == spec.size()) break;
      continue;
    }

    std::string_view op;
    for (std::string_view candidate : {">=", "<=", "==", "~=", ">", "<"}) {
      if (clause.substr(0, candidate.size()) == candidate) {
        op = candidate;
        break;
      }
    }
    std::string_view number = clause.substr(op.size());
    while (!number.empty() && std::isspace(static_cast<unsigned char>(number.front()))) number.remove_prefix(1);
    auto version = TorchVersion::Parse(number);
    if (!version) {
      *error = "invalid torch version '" + std::string(number) + "' in '" + std::string(spec) +
               "'; expected a specifier such as \">=1.13\" or \">=1.13,<2.5\"";
      return std::nullopt;
    }
    if (op.empty() || op == ">=") {
      range.lower = *version, has_lower = true;
    } else if (op == ">") {
      range.lower = TorchVersion{version->major, version->minor, version->patch + 1}, has_lower = true;
    } else if (op == "<") {
      range.upper = *version;
    } else if (op == "<=") {
      range.upper = TorchVersion{version->major, version->minor, version->patch + 1};
    } else if (op == "==") {
      range.lower = *version, has_lower = true;
      range.upper = TorchVersion{version->major, version->minor + 1, 0};
    } else if (op == "~=") {
      // PEP 440: ~=2.1 allows 2.x from 2.1 on, and ~=2.1.3 allows 2.1.x from 2.1.3 on.
      range.lower = *version, has_lower = true;
      const bool has_patch = std::count(number.begin(), number.end(), '.') >= 2;
      range.upper = has_patch ? TorchVersion{version->major, version->minor + 1, 0}
                              : TorchVersion{version->major + 1, 0, 0};
    }
    if (comma == spec.size()) break;
  }
  if (!has_lower && !range.upper) {
    *error = "empty torch version range '" + std::string(spec) + "'; expected a specifier such as \">=1.13\"";
    return std::nullopt;
  }
  if (range.upper && !(range.lower < *range.upper)) {
    *error = "torch version range '" + std::string(spec) + "' contains no version";
    return std::nullopt;
  }
  return range;
}

std::string TorchVersionRange::ToString() const {
  std::string text = ">=" + lower.ToString();
  if (upper) text += ",<" + upper->ToString();
  return text;
}

}  // namespace distlint
