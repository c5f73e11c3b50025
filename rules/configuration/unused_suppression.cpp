// CFG001 unused-suppression
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "analyzer/suppression.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG001",
    "unused-suppression",
    Family::kConfiguration,
    FixStrategy::kOther,
    FixAvailability::kAlways,
    "suppression comment that suppresses nothing, names an unknown code or repeats a code",
    R"md(## What it does
Checks the suppression comments `# distlint: ignore[...]`,
`# distlint: ignore-file[...]` and `# noqa: ...`, and reports:
- a code (or prefix) that suppresses no finding on its line, statement or
  file;
- a bare `# distlint: ignore` or `# distlint: ignore-file` that suppresses
  nothing;
- a code in a `# distlint:` comment that matches no distlint rule;
- a code named twice in one comment.

A code is judged unused only when every rule it names ran on the file, so
codes of rules switched off by `--select`, `ignore` or `per-file-ignores`
are left alone. `# noqa` is shared with flake8 and Ruff, so in a `# noqa`
comment only full distlint codes (`COM001`, not `COM`) are judged, and a
bare `# noqa` is never reported.

## Why is this bad?
A suppression outlives the finding it was written for: once the code is
fixed or the rule changes, the comment silently hides the next real bug on
that line, such as a collective moved into a rank branch. A misspelt code
suppresses nothing while looking as if it did.

## Example
```python
import torch
import torch.distributed as dist

state = torch.load(path, map_location="cpu")  # distlint: ignore[ALC001, ALC001]
dist.barrier()  # noqa: COM001  # rank 0 waits for the others
```

Use instead:
```python
import torch
import torch.distributed as dist

state = torch.load(path, map_location="cpu")
dist.barrier()  # rank 0 waits for the others
```

## Fix safety
The fix removes the unused, unknown or repeated code, or the whole
directive when no code would remain. Other text in the comment stays (in
`# noqa: COM001  # reason` only `# reason` is kept). Suppression comments
never change what the program does, so the fix is safe.
)md"};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// An edit that removes the directive from its comment, keeping the rest of
// the comment's text. A comment left empty is removed with the blanks before
// it, and with its whole line when it stood alone on that line.
Edit RemoveDirective(std::string_view text, const Suppression& suppression) {
  std::string_view before = text.substr(suppression.comment_start, suppression.start - suppression.comment_start);
  std::string_view after = text.substr(suppression.end, suppression.comment_end - suppression.end);
  while (!before.empty() && IsBlank(before.back())) before.remove_suffix(1);
  while (!after.empty() && IsBlank(after.front())) after.remove_prefix(1);
  while (!after.empty() && IsBlank(after.back())) after.remove_suffix(1);

  std::string kept_after(after);
  // `# noqa: COM001 rank 0 waits` keeps its explanation as a comment.
  if (!kept_after.empty() && kept_after.front() != '#') kept_after = "# " + kept_after;
  std::string replacement(before);
  if (!replacement.empty() && !kept_after.empty()) replacement += "  ";
  replacement += kept_after;
  if (!replacement.empty()) return Edit{suppression.comment_start, suppression.comment_end, replacement};

  uint32_t start = suppression.comment_start;
  while (start > 0 && IsBlank(text[start - 1])) --start;
  uint32_t end = suppression.comment_end;
  if (start == 0 || text[start - 1] == '\n') {
    while (end < text.size() && IsBlank(text[end])) ++end;
    if (end < text.size() && text[end] == '\r') ++end;
    if (end < text.size() && text[end] == '\n') ++end;
  }
  return Edit{start, end, ""};
}

// An edit that removes `suppression.codes[index]` and one separator next to
// it, or the whole directive when it is the only code.
Edit RemoveCode(std::string_view text, const Suppression& suppression, size_t index) {
  const std::vector<SuppressionCode>& codes = suppression.codes;
  if (codes.size() == 1) return RemoveDirective(text, suppression);
  if (index + 1 < codes.size()) return Edit{codes[index].start, codes[index + 1].start, ""};
  return Edit{codes[index - 1].end, codes[index].end, ""};
}

// The registered rules a suppression code covers.
std::vector<const Rule*> RulesCovered(std::string_view code) {
  std::vector<const Rule*> rules;
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    if (SuppressionCovers(code, rule->info().code)) rules.push_back(rule);
  }
  return rules;
}

// True when `code` is a whole rule code, not a prefix or a name.
bool IsRuleCode(std::string_view code) {
  for (const Rule* rule : RuleRegistry::Instance().rules()) {
    if (rule->info().code == code) return true;
  }
  return false;
}

class UnusedSuppression final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {}; }
  void Check(RuleContext& context, TSNode node) const override {}

  void CheckSuppressions(RuleContext& context, const SuppressionCheck& check) const override {
    for (const Suppression& suppression : check.suppressions) {
      if (suppression.all_codes) {
        CheckBareDirective(context, suppression);
      } else {
        CheckCodes(context, check, suppression);
      }
    }
  }

 private:
  static const char* Scope(const Suppression& suppression) {
    return suppression.kind == SuppressionKind::kIgnoreFile ? "in this file" : "on this line";
  }

  static void CheckBareDirective(RuleContext& context, const Suppression& suppression) {
    // A bare `# noqa` may be there for flake8 or Ruff.
    if (suppression.used || suppression.kind == SuppressionKind::kNoqa) return;
    Diagnostic& diagnostic = context.Report(
        suppression.start, suppression.end,
        std::string("unused suppression: no finding ") + Scope(suppression) + " to suppress");
    Fix fix;
    fix.title = "Remove the unused suppression";
    fix.edits.push_back(RemoveDirective(context.text(), suppression));
    diagnostic.fix = std::move(fix);
  }

  static void CheckCodes(RuleContext& context, const SuppressionCheck& check, const Suppression& suppression) {
    const bool noqa = suppression.kind == SuppressionKind::kNoqa;
    for (size_t index = 0; index < suppression.codes.size(); ++index) {
      const SuppressionCode& code = suppression.codes[index];
      // Other tools' codes in `# noqa` are theirs to judge.
      if (noqa && !IsRuleCode(code.code)) continue;

      std::string message;
      std::string title;
      if (IsRepeated(suppression, index)) {
        message = "`" + code.code + "` appears more than once in this suppression comment";
        title = "Remove the repeated `" + code.code + "`";
      } else if (RulesCovered(code.code).empty()) {
        message = "`" + code.code + "` in this suppression comment matches no distlint rule code or prefix";
        title = "Remove the unknown code `" + code.code + "`";
      } else if (!code.used && CanJudge(check, code.code)) {
        message = "unused suppression: no `" + code.code + "` finding " + Scope(suppression) + " to suppress";
        title = "Remove the unused `" + code.code + "`";
      } else {
        continue;
      }
      Diagnostic& diagnostic = context.Report(code.start, code.end, std::move(message));
      Fix fix;
      fix.title = std::move(title);
      fix.edits.push_back(RemoveCode(context.text(), suppression, index));
      diagnostic.fix = std::move(fix);
    }
  }

  static bool IsRepeated(const Suppression& suppression, size_t index) {
    for (size_t earlier = 0; earlier < index; ++earlier) {
      if (suppression.codes[earlier].code == suppression.codes[index].code) return true;
    }
    return false;
  }

  // True when every rule the code covers ran on the file. Codes that cover
  // this rule are never judged: its own findings are matched after it runs.
  static bool CanJudge(const SuppressionCheck& check, std::string_view code) {
    if (SuppressionCovers(code, kInfo.code)) return false;
    for (const Rule* rule : RulesCovered(code)) {
      if (!check.rule_ran(rule->info())) return false;
    }
    return true;
  }
};

DISTLINT_REGISTER_RULE(UnusedSuppression);

}  // namespace
}  // namespace distlint
