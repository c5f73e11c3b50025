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
    "package version compared as a string or a float, or torch minor version compared alone",
    R"md(## What it does
Finds an ordering comparison (`<`, `<=`, `>`, `>=`) of a package version
written as a plain string or a float: a slice or `split` of
`torch.__version__`, `str(torch.__version__)` or `float(torch.__version__[:3])`,
the same for the `__version__` of any other imported package, and the
`__version__` of another package compared directly with a string literal
(`bnb.__version__ >= "0.39.0"`).

`torch.__version__` itself is a `TorchVersion` since torch 1.10 and compares
correctly with version strings, so `torch.__version__ >= "1.10"` is not
reported when the supported torch range starts at 1.10 or later. When the
range reaches an older torch, where `__version__` is a plain `str`, the
direct comparison with a string or float literal is reported too. Other
packages' `__version__` is assumed to be a plain `str`.

It also finds an ordering comparison of the torch minor version with an
integer when neither the same condition nor an `assert` in the same
function looks at the major version, or when the condition requires one
exact major version (`major == 1 and minor >= 11`). The minor
version is `int(torch.__version__.split(".")[1])` or the `.minor` of
`packaging.version.parse(torch.__version__)` or `Version(torch.__version__)`,
used directly, through a variable assigned once in the same function or
module, or through a `self.` or `cls.` attribute assigned once in the class
body.

## Why is this bad?
Strings compare character by character: `"1.10" < "1.9"` is true, so a
guard written for torch 1.9 takes the wrong branch on 1.10 and later, and
`float("1.10")` is `1.1`. The wrong branch picks an API that does not exist
on the installed torch, or silently skips a fix the newer release needs.

A minor version alone says nothing across major releases: torch 2.0 has
minor version 0, so `minor >= 9` is false on it, and `major == 1 and
minor >= 11` is false on every torch 2 release.

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

Other packages' versions and minor-only comparisons get no fix: comparing
them correctly needs `packaging.version`, which may not be imported.
)md"};

// The component of the torch version an expression reads as an integer:
// the major, the minor, or neither.
enum class Component { kNone, kMajor, kMinor };

// Returns the package that `node` reads the version of ("torch" for
// torch.__version__, "bitsandbytes" for bnb.__version__ after
// `import bitsandbytes as bnb`), or empty when `node` is no `__version__`.
std::string VersionPackage(const SemanticModel& semantic, TSNode node) {
  constexpr std::string_view kSuffix = ".__version__";
  std::string name = semantic.QualifiedName(node);
  if (name.size() <= kSuffix.size() || name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return {};
  }
  name.resize(name.size() - kSuffix.size());
  return name;
}

bool IsTorchVersion(const SemanticModel& semantic, TSNode node) {
  return semantic.QualifiedName(node) == "torch.__version__";
}

TSNode Unparenthesize(const Symbols& sym, TSNode node) {
  while (Is(node, sym.parenthesized_expression) && ts_node_named_child_count(node) == 1) {
    node = ts_node_named_child(node, 0);
  }
  return node;
}

class TorchVersionStringCompare final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"comparison_operator"}; }

  void Check(RuleContext& context, TSNode comparison) const override {
    // Only a single ordering comparison: a < b.
    if (ts_node_named_child_count(comparison) != 2) return;
    std::string_view op;
    for (uint32_t i = 0; i < ts_node_child_count(comparison); ++i) {
      TSNode child = ts_node_child(comparison, i);
      if (!ts_node_is_named(child)) op = context.Text(child);
    }
    if (op != "<" && op != "<=" && op != ">" && op != ">=") return;

    TSNode left = ts_node_named_child(comparison, 0);
    TSNode right = ts_node_named_child(comparison, 1);
    for (auto [version_side, literal_side] : {std::pair{left, right}, std::pair{right, left}}) {
      std::string package;
      const std::string_view how = DerivedPlainVersion(context, version_side, &package);
      if (how.empty()) continue;
      const std::string subject = package == "torch" ? "the torch version" : "the `" + package + "` version";
      Diagnostic& diagnostic =
          context.Report(comparison, subject + " is compared as " + std::string(how) +
                                         ": \"1.10\" < \"1.9\" as strings and float(\"1.10\") == 1.1");
      if (package == "torch") AttachFix(context, diagnostic, version_side, literal_side);
      return;
    }
    for (auto [version_side, literal_side] : {std::pair{left, right}, std::pair{right, left}}) {
      const std::string package = VersionPackage(context.semantic(), version_side);
      if (package.empty() || package == "torch" || !Is(literal_side, context.symbols().string)) continue;
      context.Report(comparison, "`" + std::string(context.Text(version_side)) +
                                     "` is a plain string, so it is compared character by character and "
                                     "\"0.100.0\" < \"0.39.0\". Compare `packaging.version.Version` objects");
      return;
    }
    // Ex) torch.__version__ < "1.5" where the supported range reaches below 1.10
    if (!context.options().target_torch.AllAtLeast(TorchVersion{1, 10, 0})) {
      for (auto [version_side, literal_side] : {std::pair{left, right}, std::pair{right, left}}) {
        const TSNode literal = Unparenthesize(context.symbols(), literal_side);
        if (!IsTorchVersion(context.semantic(), version_side) ||
            !(Is(literal, context.symbols().string) || Is(literal, context.symbols().float_))) {
          continue;
        }
        context.Report(comparison, "`torch.__version__` is a plain string before torch 1.10, inside the supported "
                                   "range " +
                                       context.options().target_torch.ToString() +
                                       ", so it is compared character by character and \"1.10\" < \"1.5\". "
                                       "Compare `packaging.version.Version` objects");
        return;
      }
    }
    CheckMinorOnly(context, comparison, op);
  }

 private:
  // Describes how `node` turns a package's __version__ into a plain string or
  // float ("a string slice", "a float") and stores the package; returns
  // empty when it does not.
  static std::string_view DerivedPlainVersion(RuleContext& context, TSNode node, std::string* package) {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();
    if (Is(node, sym.subscript)) {
      *package = VersionPackage(semantic, Field(node, "value"));
      if (!package->empty()) return "a string slice";
    }
    if (Is(node, sym.call)) {
      TSNode function = Field(node, "function");
      TSNode first = fixers::PositionalArgument(node, 0);
      const std::string_view name = context.Text(function);
      if ((name == "float" || name == "str") && !ts_node_is_null(first)) {
        *package = VersionPackage(semantic, first);
        if (!package->empty() || !DerivedPlainVersion(context, first, package).empty()) {
          return name == "float" ? "a float" : "a string";
        }
      }
      // torch.__version__.split(".")[0] is handled as a subscript of a call below.
    }
    if (Is(node, sym.subscript)) {
      TSNode value = Field(node, "value");
      if (Is(value, sym.call)) {
        TSNode function = Field(value, "function");
        if (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "split") {
          *package = VersionPackage(semantic, Field(function, "object"));
          if (!package->empty()) return "a string piece";
        }
      }
    }
    package->clear();
    return {};
  }

  // Reports `minor <op> N` when the enclosing condition ignores the major
  // version, or pins it with `major == K and minor >= N`.
  static void CheckMinorOnly(RuleContext& context, TSNode comparison, std::string_view op) {
    const Symbols& sym = context.symbols();
    TSNode left = ts_node_named_child(comparison, 0);
    TSNode right = ts_node_named_child(comparison, 1);
    bool minor_on_left = false;
    if (TorchComponent(context, left, 0) == Component::kMinor && Is(Unparenthesize(sym, right), sym.integer)) {
      minor_on_left = true;
    } else if (!(TorchComponent(context, right, 0) == Component::kMinor &&
                 Is(Unparenthesize(sym, left), sym.integer))) {
      return;
    }

    // The whole condition: parentheses, `and`, `or` and `not` around the comparison.
    TSNode condition = comparison;
    for (TSNode parent = ts_node_parent(condition); Is(parent, sym.parenthesized_expression) ||
                                                    Is(parent, sym.boolean_operator) || Is(parent, sym.not_operator);
         parent = ts_node_parent(parent)) {
      condition = parent;
    }
    bool reads_major = false;
    Walk(condition, [&](TSNode node) {
      if (reads_major) return false;
      if (!Is(node, sym.comparison_operator)) return true;
      for (TSNode operand : NamedChildren(node)) {
        if (TorchComponent(context, operand, 0) == Component::kMajor) reads_major = true;
      }
      return false;
    });
    // Ex) assert parsed.major == 1, earlier in the same function.
    if (!reads_major) reads_major = AssertsMajor(context, comparison);
    if (!reads_major) {
      context.Report(comparison, "only the minor version of torch is compared, so torch 2.0 (minor version 0) "
                                 "takes the same branch as torch 1.0. Compare the major version too");
      return;
    }

    // Ex) major == 1 and minor >= 11: false on every torch 2 release.
    const bool lower_bound = minor_on_left ? (op == ">" || op == ">=") : (op == "<" || op == "<=");
    if (!lower_bound || !Is(condition, sym.boolean_operator) ||
        context.Text(Field(condition, "operator")) != "and") {
      return;
    }
    TSNode first = Unparenthesize(sym, Field(condition, "left"));
    TSNode second = Unparenthesize(sym, Field(condition, "right"));
    TSNode other = ts_node_eq(first, comparison) ? second : ts_node_eq(second, comparison) ? first : TSNode{};
    if (!Is(other, sym.comparison_operator) || ts_node_named_child_count(other) != 2) return;
    for (uint32_t i = 0; i < ts_node_child_count(other); ++i) {
      TSNode child = ts_node_child(other, i);
      if (!ts_node_is_named(child) && context.Text(child) != "==") return;
    }
    TSNode major = ts_node_named_child(other, 0);
    TSNode pinned = ts_node_named_child(other, 1);
    if (TorchComponent(context, major, 0) != Component::kMajor) std::swap(major, pinned);
    if (TorchComponent(context, major, 0) != Component::kMajor || !Is(pinned, sym.integer)) return;
    const std::string k(context.Text(pinned));
    const std::string bound = minor_on_left ? std::string(op) + " " + std::string(context.Text(right))
                                            : std::string(op == "<" ? ">" : ">=") + " " + std::string(context.Text(left));
    context.Report(comparison, "the condition requires torch major version " + k +
                                   ", so this lower bound on the minor version is false on every later major "
                                   "release. Write `major > " + k + " or (major == " + k + " and minor " + bound +
                                   ")`");
  }

  // True when the function or module around `node` has an `assert` that
  // compares the torch major version.
  static bool AssertsMajor(RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    TSNode scope = context.semantic().EnclosingScope(node);
    bool found = false;
    Walk(scope, [&](TSNode current) {
      if (found) return false;
      if (!ts_node_eq(current, scope) && (Is(current, sym.function_definition) || Is(current, sym.class_definition))) {
        return false;
      }
      if (std::string_view(ts_node_type(current)) != "assert_statement") return true;
      Walk(current, [&](TSNode inner) {
        if (found || !Is(inner, sym.comparison_operator)) return !found;
        for (TSNode operand : NamedChildren(inner)) {
          if (TorchComponent(context, operand, 0) == Component::kMajor) found = true;
        }
        return false;
      });
      return false;
    });
    return found;
  }

  // Classifies `node` as the torch major or minor version. Follows a name
  // assigned once in the enclosing function or module, and a `self.` or
  // `cls.` attribute assigned once in the enclosing class body.
  static Component TorchComponent(RuleContext& context, TSNode node, int depth) {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();
    node = Unparenthesize(sym, node);
    if (depth > 3) return Component::kNone;

    // Ex) int(torch.__version__.split(".")[1])
    if (Is(node, sym.call) && context.Text(Field(node, "function")) == "int") {
      TSNode piece = fixers::PositionalArgument(node, 0);
      if (!Is(piece, sym.subscript)) return Component::kNone;
      TSNode split = Field(piece, "value");
      TSNode index = Field(piece, "subscript");
      if (!Is(split, sym.call) || !Is(index, sym.integer)) return Component::kNone;
      TSNode function = Field(split, "function");
      TSNode separator = fixers::PositionalArgument(split, 0);
      if (!Is(function, sym.attribute) || context.Text(Field(function, "attribute")) != "split" ||
          !IsTorchVersion(semantic, Field(function, "object")) ||
          StringLiteralValue(separator, context.text()) != ".") {
        return Component::kNone;
      }
      const std::string_view position = context.Text(index);
      if (position == "0") return Component::kMajor;
      if (position == "1") return Component::kMinor;
      return Component::kNone;
    }

    if (Is(node, sym.attribute)) {
      TSNode object = Unparenthesize(sym, Field(node, "object"));
      const std::string_view attribute = context.Text(Field(node, "attribute"));
      // Ex) version.parse(torch.__version__).minor, torch_version.minor
      if (attribute == "major" || attribute == "minor") {
        if (IsParsedTorchVersion(context, object, depth)) {
          return attribute == "major" ? Component::kMajor : Component::kMinor;
        }
        return Component::kNone;
      }
      // Ex) cls.torch_minor, self.torch_minor
      const std::string_view owner = context.Text(object);
      if (Is(object, sym.identifier) && (owner == "self" || owner == "cls")) {
        TSNode value = ClassAttributeValue(context, node, attribute);
        return ts_node_is_null(value) ? Component::kNone : TorchComponent(context, value, depth + 1);
      }
      return Component::kNone;
    }

    if (Is(node, sym.identifier)) {
      TSNode value = SingleAssignedValue(context, node);
      return ts_node_is_null(value) ? Component::kNone : TorchComponent(context, value, depth + 1);
    }
    return Component::kNone;
  }

  // True for packaging.version.parse(torch.__version__) or
  // packaging.version.Version(torch.__version__), or a name assigned once
  // from one.
  static bool IsParsedTorchVersion(RuleContext& context, TSNode node, int depth) {
    const Symbols& sym = context.symbols();
    if (depth > 3) return false;
    if (Is(node, sym.identifier)) {
      TSNode value = SingleAssignedValue(context, node);
      return !ts_node_is_null(value) && IsParsedTorchVersion(context, Unparenthesize(sym, value), depth + 1);
    }
    if (!Is(node, sym.call)) return false;
    const std::string callee = context.semantic().CalleeName(node);
    if (callee != "packaging.version.parse" && callee != "packaging.version.Version") return false;
    return IsTorchVersion(context.semantic(), fixers::PositionalArgument(node, 0));
  }

  // The right side of the only `name = value` in the enclosing function or
  // module, skipping nested functions and classes; null when there is not
  // exactly one.
  static TSNode SingleAssignedValue(RuleContext& context, TSNode name) {
    const Symbols& sym = context.symbols();
    TSNode scope = context.semantic().EnclosingScope(name);
    const std::string_view text = context.Text(name);
    TSNode value{};
    int count = 0;
    Walk(scope, [&](TSNode node) {
      if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
        return false;
      }
      if (Is(node, sym.assignment) || Is(node, sym.augmented_assignment)) {
        TSNode target = Field(node, "left");
        if (Is(target, sym.identifier) && context.Text(target) == text) {
          ++count;
          value = Field(node, "right");
        } else if (!Is(target, sym.identifier) && !Is(target, sym.attribute) && !Is(target, sym.subscript) &&
                   context.Text(target).find(text) != std::string_view::npos) {
          ++count;  // Tuple unpacking may bind the name: give up.
        }
      }
      return true;
    });
    return count == 1 ? value : TSNode{};
  }

  // The right side of the only `attribute = value` statement directly in the
  // body of the class around `node`; null when there is not exactly one.
  static TSNode ClassAttributeValue(RuleContext& context, TSNode node, std::string_view attribute) {
    const Symbols& sym = context.symbols();
    TSNode owner = node;
    while (!ts_node_is_null(owner) && !Is(owner, sym.class_definition)) owner = ts_node_parent(owner);
    if (ts_node_is_null(owner)) return {};
    TSNode value{};
    int count = 0;
    for (TSNode statement : NamedChildren(Field(owner, "body"))) {
      if (!Is(statement, sym.expression_statement) || ts_node_named_child_count(statement) != 1) continue;
      TSNode assignment = ts_node_named_child(statement, 0);
      if (!Is(assignment, sym.assignment)) continue;
      TSNode target = Field(assignment, "left");
      if (Is(target, sym.identifier) && context.Text(target) == attribute) {
        ++count;
        value = Field(assignment, "right");
      }
    }
    return count == 1 ? value : TSNode{};
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
