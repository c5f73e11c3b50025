// Git access and repository-relative paths for the CI features: SARIF
// locations, fingerprints, shards and diff-aware checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distlint {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process could not start or did not exit normally.
  std::string out;
  std::string err;
};

// Runs `git ARGS...` in `working_directory` without a shell and captures
// its output. Standard input is /dev/null.
ProcessResult RunGit(const std::vector<std::string>& arguments, const std::string& working_directory);

// Maps the paths that discovery produced onto paths relative to a root
// folder: the git top-level folder when the working folder is inside a
// repository, otherwise the working folder.
class PathMapper {
 public:
  // Looks up the repository that contains the current working folder.
  static PathMapper ForWorkingDirectory();
  // A mapper with a fixed root (tests, merged documents).
  explicit PathMapper(std::string root, bool in_repository = false);

  const std::string& root() const { return root_; }  // Absolute, without a trailing slash.
  bool in_repository() const { return in_repository_; }

  // Returns `path` relative to the root with '/' separators, or the absolute
  // path when the file lies outside the root.
  std::string Relative(const std::string& path) const;

 private:
  std::string root_;
  bool in_repository_ = false;
};

// Percent-encodes a relative or absolute path for use in a URI (RFC 3986):
// unreserved characters and '/' stay, every other byte becomes %XX.
std::string PathToUriReference(const std::string& path);

// FNV-1a, 64 bits: a hash that is the same on every platform and release,
// unlike std::hash. Used for shards and fingerprints.
uint64_t StableHash64(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace distlint
