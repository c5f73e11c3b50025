// VER003 torch-version-string-compare
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER003",
    "torch-version-string-compare",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kSometimes,
    "torch version compared as a string or a float",
    R"md(## What it does
Finds an ordering comparison (`<`, `<=`, `>`, `>=`) of the torch version
written as a plain string or a float: a slice or `split` of
`torch.__version__`, `str(torch.__version__)` or `float(torch.__version__[:3])`.

`torch.__version__` itself is a `TorchVersion` since torch 1.10 and compares
correctly with version strings, so `torch.__version__ >= "1.10"` is not
reported.

## Why is this bad?
Strings compare character by character: `"1.10" < "1.9"` is true, so a
guard written for torch 1.9 takes the wrong branch on 1.10 and later, and
`float("1.10")` is `1.1`. The wrong branch picks an API that does not exist
on the installed torch, or silently skips a fix the newer release needs.

## Example
```python
import torch

if float(torch.__version__[:3]) >= 1.9:
    gather = dist.all_gather_into_tensor
```

Use instead:
```python
import torch

if torch.__version__ >= "1.9":
    gather = dist.all_gather_into_tensor
```

## Fix safety
When the version side is a slice, `str(...)` or `float(...)` of
`torch.__version__` and the other side is a literal, the fix compares
`torch.__version__` itself with the literal written as a version string.
A float literal is ambiguous (`1.1` may mean 1.1 or 1.10), so that fix is
unsafe; a string literal gives a safe fix. The fix relies on `TorchVersion`,
so it is offered only when every supported torch is 1.10 or later.
)md"};

class TorchVersionStringCompare final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"comparison_operator"}; }

  void Check(RuleContext& context, TSNode comparison) const override {
    // Only a single ordering comparison: a < b.
    if (ts_node_named_child_count(comparison) != 2) return;
    bool ordering = false;
    for (uint32_t i = 0; i < ts_node_child_count(comparison); ++i) {
      TSNode child = ts_node_child(comparison, i);
      if (ts_node_is_named(child)) continue;
      const std::string_view op = context.Text(child);
      ordering = op == "<" || op == "<=" || op == ">" || op == ">=";
    }
    if (!ordering) return;

    TSNode left = ts_node_named_child(comparison, 0);
    TSNode right = ts_node_named_child(comparison, 1);
    for (auto [version_side, literal_side] : {std::pair{left, right}, std::pair{right, left}}) {
      const std::string_view how = DerivedPlainVersion(context, version_side);
      if (how.empty()) continue;
      Diagnostic& diagnostic =
          context.Report(comparison, "the torch version is compared as " + std::string(how) +
                                         ": \"1.10\" < \"1.9\" as strings and float(\"1.10\") == 1.1");
      AttachFix(context, diagnostic, version_side, literal_side);
      return;
    }
  }

 private:
  // Describes how `node` turns torch.__version__ into a plain string or
  // float ("a string slice", "a float"); returns empty when it does not.
  static std::string_view DerivedPlainVersion(RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();
    if (Is(node, sym.subscript) && IsTorchVersion(semantic, Field(node, "value"))) return "a string slice";
    if (Is(node, sym.call)) {
      TSNode function = Field(node, "function");
      TSNode first = fixers::PositionalArgument(node, 0);
      const std::string_view name = context.Text(function);
      if ((name == "float" || name == "str") && !ts_node_is_null(first) &&
          (IsTorchVersion(semantic, first) || !DerivedPlainVersion(context, first).empty())) {
        return name == "float" ? "a float" : "a string";
      }
      // torch.__version__.split(".")[0] is handled as a subscript of a call below.
    }
    if (Is(node, sym.subscript)) {
      TSNode value = Field(node, "value");
      if (Is(value, sym.call)) {
        TSNode function = Field(value, "function");
        if (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "split" &&
            IsTorchVersion(semantic, Field(function, "object"))) {
          return "a string piece";
        }
      }
    }
    return {};
  }

  static bool IsTorchVersion(const SemanticModel& semantic, TSNode node) {
    return semantic.QualifiedName(node) == "torch.__version__";
  }

  static void AttachFix(RuleContext& context, Diagnostic& diagnostic, TSNode version_side, TSNode literal_side) {
    const Symbols& sym = context.symbols();
    if (!context.options().target_torch.AllAtLeast(TorchVersion{1, 10, 0})) return;
    std::string version_literal;
    Applicability applicability = Applicability::kSafe;
    if (auto value = StringLiteralValue(literal_side, context.text())) {
      version_literal = *value;
    } else if (Is(literal_side, sym.float_)) {
      version_literal = std::string(context.Text(literal_side));
      applicability = Applicability::kUnsafe;
    } else {
      return;
    }
    if (!TorchVersion::Parse(version_literal)) return;

    // Find the torch.__version__ reference inside the version side.
    TSNode reference{};
    Walk(version_side, [&](TSNode node) {
      if (!ts_node_is_null(reference)) return false;
      if (IsTorchVersion(context.semantic(), node)) reference = node;
      return ts_node_is_null(reference);
    });
    if (ts_node_is_null(reference)) return;
    if (Is(version_side, sym.subscript) && context.Text(version_side).find("split") != std::string_view::npos) return;

    Fix fix;
    fix.title = "Compare `torch.__version__` with \"" + version_literal + "\"";
    fix.applicability = applicability;
    fix.edits.push_back(fixers::ReplaceNode(version_side, std::string(context.Text(reference))));
    fix.edits.push_back(fixers::ReplaceNode(literal_side, "\"" + version_literal + "\""));
    if (StartByte(literal_side) < StartByte(version_side)) std::swap(fix.edits[0], fix.edits[1]);
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(TorchVersionStringCompare);

}  // namespace
}  // namespace distlint
