// The `distlint` command line: parses arguments and runs a subcommand.
// main() only forwards to RunCli, so tests can call it in-process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace distlint {

// Exit statuses.
constexpr int kExitClean = 0;     // No findings.
constexpr int kExitFindings = 1;  // Findings, files that failed to parse, or fixes left to make.
constexpr int kExitError = 2;     // Usage error, or a path that cannot be read or written.

int RunCli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

// Markdown for docs/rules.md, built from every rule's metadata and doc text.
std::string RulesMarkdown();

}  // namespace distlint
