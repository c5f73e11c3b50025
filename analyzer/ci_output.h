// Output formats for CI systems other than SARIF: GitHub Actions workflow
// commands (annotations on the pull request) and JUnit XML (test reports).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/repository.h"

namespace distlint {

// Writes one `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE::message`
// line per finding and one `::error file=...::reason` line per file that
// could not be analysed. Paths are repository-relative, because GitHub
// resolves annotation paths against the repository root.
void WriteGithubAnnotations(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths);

// Writes a JUnit XML report: one testsuite named "distlint", a testcase per
// checked file (named by its repository-relative path), a <failure> per
// finding and an <error> for a file that could not be analysed.
void WriteJunit(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths);

// Escapes the message part of a workflow command: %, CR and LF.
std::string EscapeWorkflowData(std::string_view text);
// Escapes a property value of a workflow command: also ':' and ','.
std::string EscapeWorkflowProperty(std::string_view text);
// Escapes text for XML character data and attribute values. Characters
// that XML 1.0 forbids (most C0 controls, invalid UTF-8) become U+FFFD.
std::string EscapeXml(std::string_view text);

}  // namespace distlint
