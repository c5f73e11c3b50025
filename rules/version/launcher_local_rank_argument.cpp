// VER004 launcher-local-rank-argument
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER004",
    "launcher-local-rank-argument",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kAlways,
    "argparse accepts only one spelling of the launcher's local-rank option",
    R"md(## What it does
Finds an `add_argument("--local_rank", ...)` without the `"--local-rank"`
spelling when the supported torch versions include 2.0 or later, and an
`add_argument("--local-rank", ...)` without `"--local_rank"` when they
include versions before 2.0.

## Why is this bad?
`torch.distributed.launch` passes the local rank to each process as a
command-line option. Before torch 2.0 it passes `--local_rank=N`; from 2.0
on it passes `--local-rank=N`. A script that accepts only one spelling exits
at start-up on every rank with `error: unrecognized arguments`. The
DeepSpeed launcher passes `--local_rank`, so code shared between launchers
needs both.

## Example
```python
parser.add_argument("--local_rank", type=int, default=-1)
```

Use instead:
```python
parser.add_argument("--local_rank", "--local-rank", type=int, default=-1)
```

## Fix safety
The fix adds the missing spelling after the existing one. argparse takes the
destination from the first long option, so `args.local_rank` keeps its name,
and the fix is safe.
)md"};

class LauncherLocalRankArgument final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const Symbols& sym = context.symbols();
    TSNode function = Field(call, "function");
    if (!Is(function, sym.attribute) || context.Text(Field(function, "attribute")) != "add_argument") return;

    TSNode underscore{};
    TSNode hyphen{};
    for (TSNode argument : fixers::Arguments(call)) {
      if (Is(argument, sym.keyword_argument)) break;
      auto value = StringLiteralValue(argument, context.text());
      if (!value) continue;
      if (*value == "--local_rank") underscore = argument;
      if (*value == "--local-rank") hyphen = argument;
    }
    const TorchVersionRange& range = context.options().target_torch;
    // Ex) add_argument("--local_rank") with torch >= 2.0 in range
    if (!ts_node_is_null(underscore) && ts_node_is_null(hyphen) && range.ReachesVersion({2, 0, 0})) {
      Report(context, underscore, "--local_rank", "--local-rank", "2.0 and later");
    }
    // Ex) add_argument("--local-rank") with torch < 2.0 in range
    if (!ts_node_is_null(hyphen) && ts_node_is_null(underscore) && !range.AllAtLeast({2, 0, 0})) {
      Report(context, hyphen, "--local-rank", "--local_rank", "before 2.0 and the DeepSpeed launcher");
    }
  }

 private:
  static void Report(RuleContext& context, TSNode option, const std::string& present, const std::string& missing,
                     const std::string& versions) {
    Diagnostic& diagnostic = context.Report(
        option, "only `" + present + "` is accepted, but `torch.distributed.launch` in torch " + versions +
                    " passes `" + missing + "`; add `\"" + missing + "\"` as a second option string");
    Fix fix;
    fix.title = "Also accept `" + missing + "`";
    fix.applicability = Applicability::kSafe;
    // Reuse the literal's quote character.
    const std::string_view literal = context.Text(option);
    const char quote = literal.empty() ? '"' : literal.back();
    fix.edits.push_back(Edit{EndByte(option), EndByte(option), std::string(", ") + quote + missing + quote});
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(LauncherLocalRankArgument);

}  // namespace
}  // namespace distlint
