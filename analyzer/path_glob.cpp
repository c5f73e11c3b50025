#include "analyzer/path_glob.h"

#include <string>

#include "analyzer/discovery.h"

namespace distlint {

bool ConfigGlobMatches(std::string_view glob, const std::filesystem::path& base, const std::filesystem::path& path,
                       bool is_directory) {
  const std::string relative = path.lexically_relative(base).generic_string();
  if (relative.empty() || relative == "." || relative.rfind("..", 0) == 0) return false;

  std::string pattern(glob);
  while (pattern.rfind("./", 0) == 0) pattern.erase(0, 2);
  bool directory_only = false;
  if (!pattern.empty() && pattern.back() == '/') {
    directory_only = true;
    pattern.pop_back();
  }
  if (pattern.empty()) return false;
  const bool anchored = pattern.find('/') != std::string::npos;
  if (pattern.front() == '/') pattern.erase(0, 1);

  // Try every folder on the way and then the path itself: "a", "a/b", "a/b/c.py".
  size_t component_start = 0;
  for (;;) {
    const size_t slash = relative.find('/', component_start);
    const bool last = slash == std::string::npos;
    const size_t component_end = last ? relative.size() : slash;
    const bool folder = !last || is_directory;
    if (folder || !directory_only) {
      const std::string_view candidate =
          anchored ? std::string_view(relative).substr(0, component_end)
                   : std::string_view(relative).substr(component_start, component_end - component_start);
      if (GitignoreGlobMatch(pattern, candidate)) return true;
    }
    if (last) return false;
    component_start = slash + 1;
  }
}

}  // namespace distlint
