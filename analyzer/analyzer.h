// The entry point of the library: analyses one file, from disk or from an
// in-memory buffer, with the selected rules, and returns findings as data.
#pragma once

#include <filesystem>
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

class ProjectIndex;
struct ParsedFile;

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

// Files matching `glob` (relative to the folder `base`, see
// ConfigGlobMatches) skip the rules that `codes` name.
struct PerFileIgnore {
  std::filesystem::path base;
  std::string glob;
  std::vector<std::string> codes;
};

// Configuration beyond the rule selection: the rules each file skips, and
// the fixes that may be applied.
struct FindingPolicy {
  std::vector<PerFileIgnore> per_file_ignores;
  // Rules whose fixes are kept: `select` contains `fixable` (every rule when
  // empty) and `ignore` contains `unfixable`. Other rules' findings lose their fix.
  RuleSelection fixable;
  bool unsafe_fixes = false;  // `fix` also applies unsafe fixes.
};

// The result of analysing a source text: its findings, or its syntax error.
struct SourceAnalysis {
  std::vector<Diagnostic> diagnostics;
  std::optional<SyntaxError> syntax_error;
};

class Analyzer {
 public:
  Analyzer(AnalysisOptions options, RuleSelection selection, FindingPolicy policy = {});

  // Reads and analyses a file. Never throws: unreadable, binary, badly
  // encoded or unparsable files come back with `error` set.
  // `index`, when set, holds the function summaries of the whole scanned
  // project (see ProjectIndex); without it rules see this file's own only.
  FileResult AnalyzeFile(const std::string& path, PythonParser& parser, const ProjectIndex* index = nullptr) const;
  // The same over bytes already in memory (an editor buffer, a test).
  FileResult AnalyzeBuffer(const std::string& path, std::string bytes, PythonParser& parser,
                           const ProjectIndex* index = nullptr) const;
  // Analyses a decoded source; the fix engine calls this between passes.
  SourceAnalysis AnalyzeSource(const SourceFile& file, PythonParser& parser,
                               const ProjectIndex* index = nullptr) const;
  // The same over a source that is already parsed: `tree` must be the tree
  // of `file.text()`, and `semantic`, when set, a model of the same tree.
  SourceAnalysis AnalyzeTree(const SourceFile& file, const SyntaxTree& tree, const ProjectIndex* index = nullptr,
                             const SemanticModel* semantic = nullptr) const;
  // AnalyzeBuffer for a file that the project index pass already read and
  // parsed (`parsed.source` set).
  FileResult AnalyzeParsed(ParsedFile parsed, const ProjectIndex* index) const;
  // True when an enabled rule reads cross-file function summaries, so a
  // scan of many files should build a ProjectIndex first.
  bool UsesProjectIndex() const;

  const AnalysisOptions& options() const { return options_; }
  const std::vector<const Rule*>& enabled_rules() const { return enabled_; }
  const FindingPolicy& policy() const { return policy_; }

 private:
  // The enabled rules that `path`'s per-file ignores switch off.
  std::vector<const Rule*> RulesIgnoredFor(const std::string& path) const;

  AnalysisOptions options_;
  FindingPolicy policy_;
  std::vector<const Rule*> enabled_;
  std::unordered_map<TSSymbol, std::vector<const Rule*>> rules_by_symbol_;
};

// Reads a whole file. Returns nullopt and sets `error` when it cannot.
std::optional<std::string> ReadFileBytes(const std::string& path, std::string* error);

}  // namespace distlint
