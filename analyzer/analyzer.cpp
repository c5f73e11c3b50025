#include "analyzer/analyzer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "analyzer/path_glob.h"
#include "analyzer/project_index.h"
#include "analyzer/suppression.h"

namespace distlint {
namespace {

// Length of the longest entry matching the rule: a code prefix ("COM",
// "COM001") or the rule's full name; 0 when none matches.
size_t LongestMatch(const std::vector<std::string>& entries, const RuleInfo& info) {
  size_t best = 0;
  for (const std::string& entry : entries) {
    if (entry == "ALL") {
      best = std::max<size_t>(best, 1);
    } else if (entry == info.name) {
      best = std::max(best, info.code.size() + 1);
    } else if (!entry.empty() && info.code.substr(0, entry.size()) == entry) {
      best = std::max(best, entry.size() + 1);
    }
  }
  return best;
}

bool Contains(const std::vector<const Rule*>& rules, const Rule* rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

}  // namespace

bool RuleSelection::Enabled(const RuleInfo& info) const {
  size_t selected = select.empty() ? 1 : LongestMatch(select, info);
  // A match of length 1 is the default set or "ALL".
  if (!info.enabled_by_default && selected <= 1) return false;
  const size_t ignored = LongestMatch(ignore, info);
  return selected > 0 && selected > ignored;
}

std::optional<std::string> RuleSelection::FirstUnknown() const {
  for (const auto* entries : {&select, &ignore}) {
    for (const std::string& entry : *entries) {
      bool known = entry == "ALL";
      for (const Rule* rule : RuleRegistry::Instance().rules()) {
        if (known) break;
        known = LongestMatch({entry}, rule->info()) > 0;
      }
      if (!known) return entry;
    }
  }
  return std::nullopt;
}

Analyzer::Analyzer(AnalysisOptions options, RuleSelection selection, FindingPolicy policy)
    : options_(std::move(options)), policy_(std::move(policy)) {
  const TSLanguage* language = PythonLanguage();
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    if (!selection.Enabled(rule->info())) continue;
    enabled_.push_back(rule);
    for (std::string_view kind : rule->NodeKinds()) {
      const TSSymbol symbol =
          ts_language_symbol_for_name(language, kind.data(), static_cast<uint32_t>(kind.size()), true);
      rules_by_symbol_[symbol].push_back(rule);
    }
  }
}

std::vector<const Rule*> Analyzer::RulesIgnoredFor(const std::string& path) const {
  std::vector<const Rule*> ignored;
  if (policy_.per_file_ignores.empty()) return ignored;
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error).lexically_normal();
  if (error) return ignored;
  for (const PerFileIgnore& entry : policy_.per_file_ignores) {
    if (!ConfigGlobMatches(entry.glob, entry.base, absolute)) continue;
    for (const Rule* rule : enabled_) {
      if (LongestMatch(entry.codes, rule->info()) > 0 && !Contains(ignored, rule)) ignored.push_back(rule);
    }
  }
  return ignored;
}

std::optional<std::string> ReadFileBytes(const std::string& path, std::string* error) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    *error = std::string("cannot read: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  if (stream.bad()) {
    *error = std::string("read failed: ") + std::strerror(errno);
    return std::nullopt;
  }
  return std::move(buffer).str();
}

namespace {

// Moves a file's findings, or its syntax error as the file's error, into `result`.
FileResult ToFileResult(FileResult result, SourceFile file, SourceAnalysis analysis) {
  if (analysis.syntax_error) {
    const Position position = file.PositionOf(analysis.syntax_error->offset);
    result.error = "syntax error at line " + std::to_string(position.line) + ", column " +
                   std::to_string(position.column) + ": " + analysis.syntax_error->message;
    return result;
  }
  result.diagnostics = std::move(analysis.diagnostics);
  if (!result.diagnostics.empty()) result.source = std::make_shared<const SourceFile>(std::move(file));
  return result;
}

}  // namespace

bool Analyzer::UsesProjectIndex() const {
  return std::any_of(enabled_.begin(), enabled_.end(), [](const Rule* rule) { return rule->UsesProjectIndex(); });
}

FileResult Analyzer::AnalyzeFile(const std::string& path, PythonParser& parser, const ProjectIndex* index) const {
  std::string error;
  auto bytes = ReadFileBytes(path, &error);
  if (!bytes) {
    FileResult result;
    result.path = path;
    result.error = error;
    result.io_error = true;
    return result;
  }
  return AnalyzeBuffer(path, std::move(*bytes), parser, index);
}

FileResult Analyzer::AnalyzeBuffer(const std::string& path, std::string bytes, PythonParser& parser,
                                   const ProjectIndex* index) const {
  FileResult result;
  result.path = path;
  std::string error;
  auto file = SourceFile::FromBytes(path, std::move(bytes), &error);
  if (!file) {
    result.error = error;
    return result;
  }
  SourceAnalysis analysis = AnalyzeSource(*file, parser, index);
  return ToFileResult(std::move(result), std::move(*file), std::move(analysis));
}

FileResult Analyzer::AnalyzeParsed(ParsedFile parsed, const ProjectIndex* index) const {
  FileResult result;
  result.path = parsed.source->path();
  if (parsed.semantic) parsed.semantic->set_project_index(index);
  SourceAnalysis analysis = AnalyzeTree(*parsed.source, parsed.tree, index, parsed.semantic.get());
  return ToFileResult(std::move(result), std::move(*parsed.source), std::move(analysis));
}

SourceAnalysis Analyzer::AnalyzeSource(const SourceFile& file, PythonParser& parser,
                                       const ProjectIndex* index) const {
  SyntaxTree tree = parser.Parse(file.text());
  return AnalyzeTree(file, tree, index);
}

SourceAnalysis Analyzer::AnalyzeTree(const SourceFile& file, const SyntaxTree& tree, const ProjectIndex* index,
                                     const SemanticModel* prebuilt) const {
  SourceAnalysis analysis;
  if (!tree.valid()) {
    analysis.syntax_error = SyntaxError{0, "the parser gave up on this file"};
    return analysis;
  }
  const TSNode root = tree.root();
  if (auto syntax_error = FindSyntaxError(root, file.text())) {
    analysis.syntax_error = std::move(syntax_error);
    return analysis;
  }
  if (enabled_.empty()) return analysis;
  const std::vector<const Rule*> ignored = RulesIgnoredFor(file.path());

  std::optional<SemanticModel> own_semantic;
  if (prebuilt == nullptr) own_semantic.emplace(file, root, index);
  const SemanticModel& semantic = prebuilt != nullptr ? *prebuilt : *own_semantic;
  RuleContext context(file, semantic, options_, *enabled_.front(), analysis.diagnostics);
  const TSSymbol comment_symbol = Symbols::Get().comment;
  std::vector<TSNode> comments;
  Walk(root, [&](TSNode node) {
    const TSSymbol symbol = ts_node_symbol(node);
    if (symbol == comment_symbol) comments.push_back(node);
    auto it = rules_by_symbol_.find(symbol);
    if (it != rules_by_symbol_.end()) {
      for (const Rule* rule : it->second) {
        if (!ignored.empty() && Contains(ignored, rule)) continue;
        context.set_rule(*rule);
        rule->Check(context, node);
      }
    }
    return true;
  });

  std::vector<Suppression> suppressions = FindSuppressions(comments, file);
  ApplySuppressions(analysis.diagnostics, suppressions, root, file);

  // Rules that judge the suppression comments run after the matching, and
  // their own findings can be suppressed too.
  std::vector<Diagnostic> suppression_findings;
  RuleContext suppression_context(file, semantic, options_, *enabled_.front(), suppression_findings);
  const SuppressionCheck check{suppressions, [&](const RuleInfo& info) {
                                 const Rule* rule = RuleRegistry::Instance().Find(info.code);
                                 return rule && Contains(enabled_, rule) && !Contains(ignored, rule);
                               }};
  for (const Rule* rule : enabled_) {
    if (!ignored.empty() && Contains(ignored, rule)) continue;
    suppression_context.set_rule(*rule);
    rule->CheckSuppressions(suppression_context, check);
  }
  ApplySuppressions(suppression_findings, suppressions, root, file);
  for (Diagnostic& diagnostic : suppression_findings) analysis.diagnostics.push_back(std::move(diagnostic));

  if (!policy_.fixable.select.empty() || !policy_.fixable.ignore.empty()) {
    for (Diagnostic& diagnostic : analysis.diagnostics) {
      const Rule* rule = RuleRegistry::Instance().Find(diagnostic.code);
      if (diagnostic.fix && rule && !policy_.fixable.Enabled(rule->info())) diagnostic.fix.reset();
    }
  }
  std::sort(analysis.diagnostics.begin(), analysis.diagnostics.end(), DiagnosticLess);
  return analysis;
}

}  // namespace distlint
