// The rule interface: static metadata (code, name, taxonomy family, fix
// strategy, documentation) and a check over the syntax tree and the
// semantic model. Rules register themselves in RuleRegistry.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/semantic.h"
#include "analyzer/syntax.h"
#include "analyzer/torch_version.h"

namespace distlint {

// Root-cause families of distributed training bugs.
enum class Family {
  kAllocation,            // Device placement and memory partitioning.
  kCommunication,         // Collectives, process groups, ranks.
  kVersionCompatibility,  // APIs that differ between library versions.
  kConfiguration,
  kParameterHandling,
  kMissingPrecondition,
  kApiMisuse,             // A library API called in a way it does not support.
};

// The usual way a fix for this kind of bug is made.
enum class FixStrategy { kConditionalLogic, kParameterHandling, kVersionCompatibility, kOther };

enum class FixAvailability { kNone, kSometimes, kAlways };

const char* FamilyName(Family family);
const char* FixStrategyName(FixStrategy strategy);
const char* FixAvailabilityName(FixAvailability availability);

struct RuleInfo {
  std::string_view code;     // Stable: a family prefix and three digits, e.g. "COM001".
  std::string_view name;     // Readable kebab-case name, e.g. "collective-in-rank-branch".
  Family family;
  FixStrategy strategy;
  FixAvailability fix;
  std::string_view summary;  // One line for `distlint rules`.
  std::string_view doc;      // Markdown: what, why, example, fixed example, fix safety.
  // Opt-in rules run only when --select or `select` names their code, name
  // or prefix; the default set and "ALL" leave them out.
  bool enabled_by_default = true;
};

// Settings that rules read.
struct AnalysisOptions {
  // The torch versions the checked project supports.
  TorchVersionRange target_torch = TorchVersionRange::Default();
};

class RuleContext;
struct SuppressionCheck;

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  // Node kinds (grammar names) whose nodes this rule is called on, in one
  // traversal of the tree shared by all rules.
  virtual std::vector<std::string_view> NodeKinds() const = 0;
  virtual void Check(RuleContext& context, TSNode node) const = 0;
  // True when the rule queries SemanticModel about functions of other files
  // (IssuedCollective, rank-returning helpers), so a scan indexes the
  // project before rules run.
  virtual bool UsesProjectIndex() const { return false; }
  // Called once per file, after the other rules' findings were matched
  // against the file's suppression comments. Only rules that judge the
  // comments themselves override it.
  virtual void CheckSuppressions(RuleContext& context, const SuppressionCheck& check) const {}
};

// The file, semantic model, options and finding sink of one rule run.
class RuleContext {
 public:
  RuleContext(const SourceFile& file, const SemanticModel& semantic, const AnalysisOptions& options,
              const Rule& rule, std::vector<Diagnostic>& sink)
      : file_(file), semantic_(semantic), options_(options), rule_(&rule), sink_(sink) {}

  const SourceFile& file() const { return file_; }
  std::string_view text() const { return file_.text(); }
  const SemanticModel& semantic() const { return semantic_; }
  const Symbols& symbols() const { return Symbols::Get(); }
  const AnalysisOptions& options() const { return options_; }
  std::string_view Text(TSNode node) const { return NodeText(node, file_.text()); }
  void set_rule(const Rule& rule) { rule_ = &rule; }

  // Reports a finding of the current rule over the bytes of `node`.
  Diagnostic& Report(TSNode node, std::string message);
  Diagnostic& Report(uint32_t start, uint32_t end, std::string message);
  void AddRelated(Diagnostic& diagnostic, TSNode node, std::string message) const;
  // The findings of the current rule that start in [start, end).
  std::vector<std::reference_wrapper<Diagnostic>> FindingsWithin(uint32_t start, uint32_t end);

 private:
  const SourceFile& file_;
  const SemanticModel& semantic_;
  const AnalysisOptions& options_;
  const Rule* rule_;
  std::vector<Diagnostic>& sink_;
};

class RuleRegistry {
 public:
  static RuleRegistry& Instance();
  void Add(std::unique_ptr<Rule> rule);
  // All rules, sorted by code.
  const std::vector<const Rule*>& rules() const;
  const Rule* Find(std::string_view code) const;

 private:
  std::vector<std::unique_ptr<Rule>> owned_;
  mutable std::vector<const Rule*> sorted_;
  mutable bool dirty_ = true;
};

// Registers a rule type at static initialisation: `DISTLINT_REGISTER_RULE(MyRule);`
template <typename RuleType>
struct RuleRegistrar {
  RuleRegistrar() { RuleRegistry::Instance().Add(std::make_unique<RuleType>()); }
};
#define DISTLINT_REGISTER_RULE(RuleType) static const ::distlint::RuleRegistrar<RuleType> kRegistrar##RuleType

}  // namespace distlint
