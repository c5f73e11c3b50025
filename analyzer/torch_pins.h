// Reads the torch versions a project pins in its own dependency lists, for
// projects whose configuration sets no `target-torch`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/torch_version.h"

namespace distlint {

// A torch range and the file it was read from.
struct TorchPin {
  TorchVersionRange range;
  std::string source;  // e.g. "/repo/pyproject.toml [project].dependencies"
};

// The range a PEP 508 requirement such as "torch>=2.1,<2.5" or
// "torch[cuda]==2.1.* ; python_version > '3.8'" gives, or nullopt when the
// requirement is for another package or sets no usable version.
std::optional<TorchVersionRange> TorchRangeFromRequirement(std::string_view requirement);

// Looks in `folder` for a torch requirement, in this order: [project].dependencies of
// pyproject.toml, requirements.txt, requirements/*.txt (sorted by name), and
// literal `install_requires` entries in setup.py. Files that cannot be read
// or parsed are skipped.
std::optional<TorchPin> FindTorchPin(const std::filesystem::path& folder);

}  // namespace distlint
