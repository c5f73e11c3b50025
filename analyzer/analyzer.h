// The entry point of the library: analyses one file, from disk or from an
// in-memory buffer, with the selected rules, and returns findings as data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/rule.h"
#include "analyzer/source_file.h"
#include "analyzer/syntax.h"

namespace distlint {

// Which rules run: a code or prefix in `select` turns rules on (all when
// empty), one in `ignore` turns them off. The longest matching entry wins,
// and `ignore` wins a tie, as in Ruff.
struct RuleSelection {
  std::vector<std::string> select;
  std::vector<std::string> ignore;

  bool Enabled(const RuleInfo& info) const;
  // Returns the first entry that names no rule (no code, prefix or name
  // matches), or nullopt.
  std::optional<std::string> FirstUnknown() const;
};

// The result of analysing a source text: its findings, or its syntax error.
struct SourceAnalysis {
  std::vector<Diagnostic> diagnostics;
  std::optional<SyntaxError> syntax_error;
};

class Analyzer {
 public:
  Analyzer(AnalysisOptions options, RuleSelection selection);

  // Reads and analyses a file. Never throws: unreadable, binary, badly
  // encoded or unparsable files come back with `error` set.
  FileResult AnalyzeFile(const std::string& path, PythonParser& parser) const;
  // The same over bytes already in memory (an editor buffer, a test).
  FileResult AnalyzeBuffer(const std::string& path, std::string bytes, PythonParser& parser) const;
  // Analyses a decoded source; the fix engine calls this between passes.
  SourceAnalysis AnalyzeSource(const SourceFile& file, PythonParser& parser) const;

  const AnalysisOptions& options() const { return options_; }
  const std::vector<const Rule*>& enabled_rules() const { return enabled_; }

 private:
  AnalysisOptions options_;
  std::vector<const Rule*> enabled_;
  std::unordered_map<TSSymbol, std::vector<const Rule*>> rules_by_symbol_;
};

// Reads a whole file. Returns nullopt and sets `error` when it cannot.
std::optional<std::string> ReadFileBytes(const std::string& path, std::string* error);

}  // namespace distlint
