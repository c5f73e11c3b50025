// `distlint merge`: combines the JSON or SARIF documents that the shards of
// one check wrote into a single document of the same format.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace distlint {

// Reads every file in `inputs`, checks that all are distlint JSON or all
// are SARIF, and writes the merged document to `out`. Returns an exit
// status: 0 merged, 2 when a file is unreadable, of an unknown format, or
// of a different format than the others (the reason goes to `err`).
int MergeReports(const std::vector<std::string>& inputs, std::ostream& out, std::ostream& err);

}  // namespace distlint
