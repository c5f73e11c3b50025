#include "analyzer/rule.h"

#include <algorithm>

namespace distlint {

const char* FamilyName(Family family) {
  switch (family) {
    case Family::kAllocation: return "allocation";
    case Family::kCommunication: return "communication";
    case Family::kVersionCompatibility: return "version-compatibility";
    case Family::kConfiguration: return "configuration";
    case Family::kParameterHandling: return "parameter-handling";
    case Family::kMissingPrecondition: return "missing-precondition";
    case Family::kApiMisuse: return "api-misuse";
  }
  return "unknown";
}

const char* FixStrategyName(FixStrategy strategy) {
  switch (strategy) {
    case FixStrategy::kConditionalLogic: return "conditional-logic";
    case FixStrategy::kParameterHandling: return "parameter-handling";
    case FixStrategy::kVersionCompatibility: return "version-compatibility";
    case FixStrategy::kOther: return "other";
  }
  return "unknown";
}

const char* FixAvailabilityName(FixAvailability availability) {
  switch (availability) {
    case FixAvailability::kNone: return "none";
    case FixAvailability::kSometimes: return "sometimes";
    case FixAvailability::kAlways: return "always";
  }
  return "unknown";
}

const char* ApplicabilityName(Applicability applicability) {
  switch (applicability) {
    case Applicability::kSafe: return "safe";
    case Applicability::kUnsafe: return "unsafe";
    case Applicability::kDisplayOnly: return "display-only";
  }
  return "unknown";
}

bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b) {
  if (a.start != b.start) return a.start < b.start;
  if (a.code != b.code) return a.code < b.code;
  if (a.end != b.end) return a.end < b.end;
  return a.message < b.message;
}

Diagnostic& RuleContext::Report(TSNode node, std::string message) {
  return Report(StartByte(node), EndByte(node), std::move(message));
}

Diagnostic& RuleContext::Report(uint32_t start, uint32_t end, std::string message) {
  Diagnostic diagnostic;
  diagnostic.code = std::string(rule_->info().code);
  diagnostic.rule_name = std::string(rule_->info().name);
  diagnostic.message = std::move(message);
  diagnostic.start = start;
  diagnostic.end = end;
  diagnostic.start_position = file_.PositionOf(start);
  diagnostic.end_position = file_.PositionOf(end);
  sink_.push_back(std::move(diagnostic));
  return sink_.back();
}

void RuleContext::AddRelated(Diagnostic& diagnostic, TSNode node, std::string message) const {
  RelatedLocation related;
  related.start = StartByte(node);
  related.end = EndByte(node);
  related.start_position = file_.PositionOf(related.start);
  related.end_position = file_.PositionOf(related.end);
  related.message = std::move(message);
  diagnostic.related.push_back(std::move(related));
}

std::vector<std::reference_wrapper<Diagnostic>> RuleContext::FindingsWithin(uint32_t start, uint32_t end) {
  std::vector<std::reference_wrapper<Diagnostic>> found;
  for (Diagnostic& diagnostic : sink_) {
    if (diagnostic.code == rule_->info().code && diagnostic.start >= start && diagnostic.start < end) {
      found.push_back(diagnostic);
    }
  }
  return found;
}

RuleRegistry& RuleRegistry::Instance() {
  static RuleRegistry registry;
  return registry;
}

void RuleRegistry::Add(std::unique_ptr<Rule> rule) {
  owned_.push_back(std::move(rule));
  dirty_ = true;
}

const std::vector<const Rule*>& RuleRegistry::rules() const {
  if (dirty_) {
    sorted_.clear();
    for (const auto& rule : owned_) sorted_.push_back(rule.get());
    std::sort(sorted_.begin(), sorted_.end(),
              [](const Rule* a, const Rule* b) { return a->info().code < b->info().code; });
    dirty_ = false;
  }
  return sorted_;
}

const Rule* RuleRegistry::Find(std::string_view code) const {
  for (const Rule* rule : rules()) {
    if (rule->info().code == code || rule->info().name == code) return rule;
  }
  return nullptr;
}

}  // namespace distlint
