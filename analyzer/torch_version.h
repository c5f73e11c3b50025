// torch release versions and the range of them a project supports.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace distlint {

struct TorchVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  // Parses "2", "2.1" or "2.1.3" (a local suffix such as "+cu121" or "a0" is ignored).
  static std::optional<TorchVersion> Parse(std::string_view text);
  std::string ToString() const;
  auto operator<=>(const TorchVersion&) const = default;
};

// A half-open range [lower, upper) of torch versions; no upper bound means
// every future release.
struct TorchVersionRange {
  TorchVersion lower{1, 13, 0};
  std::optional<TorchVersion> upper;

  // The range assumed when a project states none: torch 1.13 and later.
  static TorchVersionRange Default() { return {}; }
  // Parses a specifier list such as ">=1.13", ">=1.13,<2.5" or "==2.1".
  // Returns nullopt and sets `error` on anything else.
  static std::optional<TorchVersionRange> Parse(std::string_view spec, std::string* error);
  std::string ToString() const;

  // True when some supported version is >= `version` (an API removed in
  // `version` is then missing somewhere in the range).
  bool ReachesVersion(const TorchVersion& version) const { return !upper || version < *upper; }
  // True when every supported version is >= `version` (an API added in
  // `version` then exists everywhere in the range).
  bool AllAtLeast(const TorchVersion& version) const { return !(lower < version); }
};

}  // namespace distlint
