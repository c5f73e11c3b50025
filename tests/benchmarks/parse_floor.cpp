// Measures the floor of distlint's design: the time tree-sitter alone takes
// to parse a set of Python files with the analyzer's PythonParser, on one
// thread, with no syntax-error search, semantic model or rules.
//
// Usage: parse_floor [--repeat N] [--list] PATH...
// Folders are expanded with the same discovery as `distlint check`, so both
// see the same files. Every file is read into memory before the clock
// starts, and the timed pass parses each file and frees its tree. The
// output is one line per repetition:
//   files=<count> bytes=<total> seconds=<parse time>
// With --list it prints the discovered paths, one per line, and parses
// nothing, so other tools can be given the same files.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/discovery.h"
#include "analyzer/syntax.h"

int main(int argc, char** argv) {
  int repeat = 1;
  bool list_only = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--repeat") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "parse_floor: --repeat needs a value, the number of timed passes\n");
        return 2;
      }
      repeat = std::atoi(argv[++i]);
      if (repeat < 1) {
        std::fprintf(stderr, "parse_floor: invalid --repeat '%s'; expected a whole number of at least 1\n", argv[i]);
        return 2;
      }
    } else if (argument == "--list") {
      list_only = true;
    } else {
      paths.push_back(argument);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "Usage: parse_floor [--repeat N] [--list] PATH...\n");
    return 2;
  }

  const distlint::DiscoveryResult discovered = distlint::DiscoverFiles(paths);
  for (const std::string& error : discovered.errors) std::fprintf(stderr, "parse_floor: %s\n", error.c_str());
  if (list_only) {
    for (const std::string& path : discovered.files) std::printf("%s\n", path.c_str());
    return 0;
  }

  std::vector<std::string> sources;
  sources.reserve(discovered.files.size());
  size_t bytes = 0;
  for (const std::string& path : discovered.files) {
    std::string error;
    auto contents = distlint::ReadFileBytes(path, &error);
    if (!contents) {
      std::fprintf(stderr, "parse_floor: %s: %s\n", path.c_str(), error.c_str());
      continue;
    }
    bytes += contents->size();
    sources.push_back(std::move(*contents));
  }

  distlint::PythonParser parser;
  for (int round = 0; round < repeat; ++round) {
    size_t failed = 0;
    const auto started = std::chrono::steady_clock::now();
    for (const std::string& source : sources) {
      distlint::SyntaxTree tree = parser.Parse(source);
      if (!tree.valid()) ++failed;
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    std::printf("files=%zu bytes=%zu seconds=%.3f", sources.size(), bytes, elapsed.count());
    if (failed > 0) std::printf(" parser_gave_up=%zu", failed);
    std::printf("\n");
  }
  return 0;
}
