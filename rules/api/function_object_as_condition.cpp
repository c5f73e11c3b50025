// API001 function-object-as-condition
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "API001",
    "function-object-as-condition",
    Family::kApiMisuse,
    FixStrategy::kOther,
    FixAvailability::kSometimes,
    "Function tested or compared without being called",
    R"md(## What it does
Finds a function that is tested as a condition or compared with a value
without being called: `if torch.cuda.is_available:`, `not dist.is_initialized`,
`assert self.support_no_sync`, `self.optimizer_name != "adam"`. A condition
is the test of `if`, `elif`, `while`, `assert` and of a conditional
expression, and the operand of `not`, `and` and `or`. A comparison is `==`,
`!=`, `<`, `<=`, `>` or `>=` with a literal or an upper-case constant
(`ADAM_OPTIMIZER`) on the other side; comparing two functions is an identity
test and is not reported.

The function is one of:
- a function of torch, DeepSpeed, Megatron-LM or Colossal-AI whose name
  starts with `is_` (`torch.cuda.is_available`,
  `torch.distributed.is_initialized`, `parallel_state.is_pipeline_first_stage`),
  `torch.distributed.get_rank` and `get_world_size`, `torch.cuda.device_count`,
  `current_device` and `get_device_name`, or a public method of
  `get_accelerator()`;
- a function defined at module level in the same file, when the file
  assigns the name nowhere else;
- `self.name` or `cls.name` inside a class whose body defines `name` as a
  method, when the class does not make it a property or class attribute and
  assigns no `self.name`; or `self.attr.name`, when a method assigns
  `self.attr` a parameter annotated with a class of the same file
  (`plugin: Optional[Plugin]`) that defines `name` as a method.

An imported name that the enclosing function (or the module, for a test at
module level) binds again holds a value there and is not reported: a
parameter `def build(is_initialized=True)`, an assignment, a loop target,
`:=`, `with ... as` and `except ... as`. The module of
a dotted name (`dist` of `dist.is_initialized`) is skipped only when it is
a parameter.

Attributes of other objects (`self.config.flash_decode`) are not checked:
the file does not show their class, and a configuration attribute often has
the name of a method elsewhere.

## Why is this bad?
A function object is always true and never equals a number or a string.
`if not torch.cuda.is_available:` never takes its branch, so a check meant to
stop a run without GPUs lets it continue; `self.optimizer_name != "adam"`
is always true, so every rank takes the branch meant for other optimizers.
Nothing raises: the program runs on with the wrong decision.

## Example
```python
import torch

if not torch.cuda.is_available:
    raise RuntimeError("fp16 training needs CUDA")
```

Use instead:
```python
import torch

if not torch.cuda.is_available():
    raise RuntimeError("fp16 training needs CUDA")
```

## Fix safety
The fix adds `()`. It is offered when the function takes no required
argument: for `torch.cuda.is_available`, `torch.distributed.is_initialized`,
`get_rank`, `get_world_size` and the other torch queries of that kind, for
Megatron-LM's `parallel_state.is_*`, for the `is_*` methods of
`get_accelerator()` and its `device_name`, `current_device`,
`current_device_name`, `device_count` and `communication_backend_name`
(DeepSpeed's accelerator interface gives them no required parameter), and
for methods and functions of the same file whose
parameters (after `self` or `cls`) all have defaults. Calling the function changes what the condition
tests, and a method may do more than return a value, so the fix is unsafe.
)md"};

// The library functions reported by qualified name, beside every `is_*`
// function of the libraries in kLibraryPrefixes.
constexpr std::string_view kQueryFunctions[] = {
    "torch.distributed.get_rank", "torch.distributed.get_world_size", "torch.cuda.device_count",
    "torch.cuda.current_device", "torch.cuda.get_device_name",
};
constexpr std::string_view kLibraryPrefixes[] = {"torch.", "deepspeed.", "megatron.", "colossalai."};

// Library functions whose parameters all have defaults, so the fix can call
// them without arguments: torch 1.13's signatures and Megatron-LM's
// `parallel_state.is_*` (optional `ignore_virtual` and the like).
constexpr std::string_view kNoArgumentFunctions[] = {
    "torch.cuda.is_available",         "torch.cuda.is_initialized",       "torch.cuda.is_bf16_supported",
    "torch.cuda.device_count",         "torch.cuda.current_device",       "torch.cuda.get_device_name",
    "torch.distributed.is_available",  "torch.distributed.is_initialized", "torch.distributed.is_nccl_available",
    "torch.distributed.is_gloo_available", "torch.distributed.is_mpi_available",
    "torch.distributed.is_torchelastic_launched", "torch.distributed.get_rank", "torch.distributed.get_world_size",
    "torch.backends.mps.is_available", "torch.backends.mps.is_built",     "torch.jit.is_scripting",
    "torch.jit.is_tracing",            "torch.is_grad_enabled",
};

bool TakesNoArguments(std::string_view qualified_name) {
  for (std::string_view name : kNoArgumentFunctions) {
    if (name == qualified_name) return true;
  }
  return qualified_name.rfind("megatron.core.parallel_state.is_", 0) == 0;
}

// Comparison operators whose result is fixed when one side is a function.
bool IsOrderOrEqualityOperator(std::string_view op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

// True for a literal (`1.0`, `"adam"`, `-1`, `None`) or a constant's name
// (`ADAM_OPTIMIZER`, `constants.ADAM_OPTIMIZER`).
bool IsValueOrConstant(const RuleContext& context, TSNode node) {
  const Symbols& sym = context.symbols();
  if (Is(node, sym.unary_operator)) node = Field(node, "argument");
  const std::string_view kind = ts_node_type(node);
  if (Is(node, sym.integer) || Is(node, sym.float_) || Is(node, sym.string) || Is(node, sym.concatenated_string) ||
      kind == "none" || kind == "true" || kind == "false") {
    return true;
  }
  if (Is(node, sym.attribute)) node = Field(node, "attribute");
  if (!Is(node, sym.identifier)) return false;
  const std::string_view name = context.Text(node);
  bool has_letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') has_letter = true;
  }
  return has_letter;
}

std::string_view LastComponent(std::string_view qualified_name) {
  const size_t dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? qualified_name : qualified_name.substr(dot + 1);
}

class FunctionObjectAsCondition final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  // The rule starts from the nodes that hold a condition, not from every
  // name: `ts_node_parent` walks down from the root, so calling it on each
  // link of a long attribute chain would take quadratic time.
  std::vector<std::string_view> NodeKinds() const override {
    return {"if_statement", "elif_clause",      "while_statement",        "assert_statement",
            "not_operator", "boolean_operator", "conditional_expression", "comparison_operator"};
  }

  void Check(RuleContext& context, TSNode holder) const override {
    for (const Operand& operand : ConditionOperands(context, holder)) {
      TSNode node = operand.node;
      bool takes_no_arguments = false;
      if (!IsFunctionObject(context, node, holder, takes_no_arguments)) continue;

      const std::string text(context.Text(node));
      Diagnostic& diagnostic = context.Report(
          node, "`" + text + "` is a function and is not called here; " + operand.usage + ". Call it: `" + text +
                    "()`");
      if (!takes_no_arguments) continue;
      Fix fix;
      fix.title = "Call `" + text + "()`";
      fix.applicability = Applicability::kUnsafe;
      fix.edits.push_back(fixers::ReplaceNode(node, text + "()"));
      diagnostic.fix = std::move(fix);
    }
  }

 private:
  struct Operand {
    TSNode node;
    const char* usage;  // Sentence part for the message: the effect of the missing call.
  };

  static TSNode Unparenthesized(const RuleContext& context, TSNode node) {
    while (Is(node, context.symbols().parenthesized_expression) && ts_node_named_child_count(node) == 1) {
      node = ts_node_named_child(node, 0);
    }
    return node;
  }

  // The names and attributes that `holder` tests as a condition or compares
  // with a value.
  static std::vector<Operand> ConditionOperands(const RuleContext& context, TSNode holder) {
    const Symbols& sym = context.symbols();
    constexpr const char* kAlwaysTrue = "a function object is always true";
    std::vector<Operand> operands;
    auto add = [&](TSNode node, const char* usage) {
      node = Unparenthesized(context, node);
      if (Is(node, sym.identifier) || Is(node, sym.attribute)) operands.push_back({node, usage});
    };

    // Ex) if torch.cuda.is_available:, while self.running:
    if (Is(holder, sym.if_statement) || Is(holder, sym.elif_clause) || Is(holder, sym.while_statement)) {
      add(Field(holder, "condition"), kAlwaysTrue);
    } else if (Is(holder, sym.not_operator)) {
      // Ex) not dist.is_initialized
      add(Field(holder, "argument"), kAlwaysTrue);
    } else if (Is(holder, sym.boolean_operator)) {
      // Ex) a and self.enabled
      add(Field(holder, "left"), kAlwaysTrue);
      add(Field(holder, "right"), kAlwaysTrue);
    } else if (Is(holder, sym.conditional_expression)) {
      // Ex) "cuda" if torch.cuda.is_available else "cpu"
      if (ts_node_named_child_count(holder) == 3) add(ts_node_named_child(holder, 1), kAlwaysTrue);
    } else if (std::string_view(ts_node_type(holder)) == "assert_statement") {
      // Ex) assert self.plugin.support_no_sync, "..."
      if (ts_node_named_child_count(holder) > 0) add(ts_node_named_child(holder, 0), kAlwaysTrue);
    } else if (Is(holder, sym.comparison_operator)) {
      // Ex) self.optimizer_name != "adam". Only a comparison with a literal
      // or a constant: comparing two functions (`handler == self.on_step`)
      // is a deliberate identity test.
      if (ts_node_child_count(holder) != 3 || !IsOrderOrEqualityOperator(context.Text(ts_node_child(holder, 1)))) {
        return operands;
      }
      TSNode left = ts_node_child(holder, 0);
      TSNode right = ts_node_child(holder, 2);
      constexpr const char* kNeverEqual = "a function object never equals a value and has no order";
      if (IsValueOrConstant(context, Unparenthesized(context, right))) add(left, kNeverEqual);
      if (IsValueOrConstant(context, Unparenthesized(context, left))) add(right, kNeverEqual);
    }
    return operands;
  }

  // True when `node` names a function or method (see the rule's
  // documentation). Sets `takes_no_arguments` when a call without arguments
  // is valid.
  static bool IsFunctionObject(const RuleContext& context, TSNode node, TSNode holder, bool& takes_no_arguments) {
    const Symbols& sym = context.symbols();
    const SemanticModel& semantic = context.semantic();

    // Ex) torch.cuda.is_available, dist.is_initialized, mpu.is_pipeline_first_stage
    const std::string qualified = semantic.CanonicalName(node);
    if (!qualified.empty()) {
      // Ex) def build(is_initialized=True): if is_initialized: ...
      if (BaseNameIsRebound(context, node)) return false;
      takes_no_arguments = TakesNoArguments(qualified);
      for (std::string_view query : kQueryFunctions) {
        if (qualified == query) return true;
      }
      for (std::string_view prefix : kLibraryPrefixes) {
        if (qualified.rfind(prefix, 0) == 0 && LastComponent(qualified).rfind("is_", 0) == 0) return true;
      }
      return false;
    }

    TSNode root = ts_tree_root_node(holder.tree);

    // Ex) if is_rocm_pytorch:, with `def is_rocm_pytorch():` at module level
    if (Is(node, sym.identifier)) {
      const std::string_view name = context.Text(node);
      TSNode definition = ModuleFunction(context, root, name);
      if (ts_node_is_null(definition) || NameIsAssigned(context, root, name)) return false;
      takes_no_arguments = HasNoRequiredParameters(context, definition, /*skip_first=*/false);
      return true;
    }
    if (!Is(node, sym.attribute)) return false;

    TSNode object = Field(node, "object");
    const std::string_view name = context.Text(Field(node, "attribute"));
    // Ex) get_accelerator().is_bf16_supported
    if (Is(object, sym.call) && semantic.CalleeName(object) == "deepspeed.accelerator.get_accelerator") {
      takes_no_arguments = name.rfind("is_", 0) == 0 || name == "device_name" || name == "current_device" ||
                           name == "current_device_name" || name == "device_count" ||
                           name == "communication_backend_name";
      return !name.empty() && name[0] != '_';
    }

    // Ex) self.wall_clock_breakdown inside the class that defines it, and
    // self.plugin.support_no_sync when `self.plugin` is assigned a parameter
    // annotated with a class of the file. Other receivers
    // (`self.config.flash_decode`) are left out: the file does not show
    // their class.
    TSNode owner = ts_node_parent(holder);
    while (!ts_node_is_null(owner) && !Is(owner, sym.class_definition)) owner = ts_node_parent(owner);
    if (ts_node_is_null(owner)) return false;
    if (!IsSelf(context, object)) {
      if (!Is(object, sym.attribute) || !IsSelf(context, Field(object, "object"))) return false;
      owner = AnnotatedClass(context, owner, root, context.Text(Field(object, "attribute")));
      if (ts_node_is_null(owner)) return false;
    }
    if (AttributeIsAssigned(context, owner, name)) return false;
    TSNode method = TSNode{};
    bool conflicting = false;
    FindMethod(context, owner, name, method, conflicting);
    if (conflicting || ts_node_is_null(method)) return false;
    takes_no_arguments = HasNoRequiredParameters(context, method, /*skip_first=*/true);
    return true;
  }

  // True when the scope of `node` binds the first name of `node` other than
  // by an import, so the name refers to a value and not the imported function.
  // A plain name counts as bound by a parameter or the target of an
  // assignment, a loop, `with ... as`, `except ... as` or `:=`. The module of
  // an attribute (`dist` of `dist.is_initialized`) counts as bound only by a
  // parameter, because `except ImportError: dist = None` keeps the module in
  // the branch that tests it. Nested functions and classes of the scope are
  // not searched, because they bind their own names.
  static bool BaseNameIsRebound(const RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    TSNode base = node;
    while (Is(base, sym.attribute)) base = Field(base, "object");
    if (!Is(base, sym.identifier)) return false;
    const bool parameters_only = !ts_node_eq(base, node);
    const std::string_view name = context.Text(base);

    const TSNode scope = context.semantic().EnclosingScope(node);
    bool bound = false;
    Walk(scope, [&](TSNode child) {
      if (bound) return false;
      if (!ts_node_eq(child, scope) && (Is(child, sym.function_definition) || Is(child, sym.class_definition))) {
        return false;
      }
      if (Is(child, sym.identifier) && context.Text(child) == name) {
        bound = parameters_only ? IsParameterName(context, child) : BindsName(context, child);
      }
      return !bound;
    });
    return bound;
  }

  // True when the identifier `name` is the name of a function or lambda parameter.
  static bool IsParameterName(const RuleContext& context, TSNode name) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(name);
    if (Is(parent, sym.default_parameter) || Is(parent, sym.typed_default_parameter)) {
      return ts_node_eq(Field(parent, "name"), name);
    }
    return Is(parent, sym.parameters) || std::string_view(ts_node_type(parent)) == "lambda_parameters" ||
           Is(parent, sym.typed_parameter);
  }

  // True when the identifier `name` is a binding target other than an import.
  static bool BindsName(const RuleContext& context, TSNode name) {
    const Symbols& sym = context.symbols();
    TSNode parent = ts_node_parent(name);
    const std::string_view kind = ts_node_type(parent);
    if (Is(parent, sym.assignment) || Is(parent, sym.augmented_assignment) || Is(parent, sym.for_statement) ||
        kind == "for_in_clause") {
      return ts_node_eq(Field(parent, "left"), name);
    }
    if (kind == "named_expression") return ts_node_eq(Field(parent, "name"), name);
    if (Is(parent, sym.default_parameter) || Is(parent, sym.typed_default_parameter)) {
      return ts_node_eq(Field(parent, "name"), name);
    }
    if (kind == "except_clause") return ts_node_eq(Field(parent, "alias"), name);
    return Is(parent, sym.parameters) || kind == "lambda_parameters" || Is(parent, sym.typed_parameter) ||
           Is(parent, sym.pattern_list) || Is(parent, sym.tuple_pattern) || kind == "list_pattern" ||
           kind == "as_pattern_target";
  }

  static bool IsSelf(const RuleContext& context, TSNode node) {
    const std::string_view text = context.Text(node);
    return Is(node, context.symbols().identifier) && (text == "self" || text == "cls");
  }

  // The class of `self.attribute` inside `owner`, when a method of `owner`
  // assigns it a parameter annotated with a class defined at module level
  // (`def __init__(self, plugin: Optional[Plugin])`, `self.plugin = plugin`),
  // or a null node.
  static TSNode AnnotatedClass(const RuleContext& context, TSNode owner, TSNode root, std::string_view attribute) {
    const Symbols& sym = context.symbols();
    std::string_view type_name;
    Walk(Field(owner, "body"), [&](TSNode node) {
      if (!type_name.empty()) return false;
      if (!Is(node, sym.assignment)) return true;
      TSNode left = Field(node, "left");
      TSNode right = Field(node, "right");
      if (!Is(left, sym.attribute) || !IsSelf(context, Field(left, "object")) ||
          context.Text(Field(left, "attribute")) != attribute || !Is(right, sym.identifier)) {
        return true;
      }
      TSNode function = ts_node_parent(node);
      while (!ts_node_is_null(function) && !Is(function, sym.function_definition)) function = ts_node_parent(function);
      if (ts_node_is_null(function)) return true;
      for (TSNode parameter : NamedChildren(Field(function, "parameters"))) {
        if (!Is(parameter, sym.typed_parameter) && !Is(parameter, sym.typed_default_parameter)) continue;
        TSNode parameter_name = Is(parameter, sym.typed_default_parameter) ? Field(parameter, "name")
                                                                            : ts_node_named_child(parameter, 0);
        if (context.Text(parameter_name) != context.Text(right)) continue;
        type_name = AnnotatedClassName(context, Field(parameter, "type"));
      }
      return true;
    });
    if (type_name.empty()) return TSNode{};
    for (TSNode statement : NamedChildren(root)) {
      TSNode definition = Is(statement, sym.decorated_definition) ? Field(statement, "definition") : statement;
      if (Is(definition, sym.class_definition) && context.Text(Field(definition, "name")) == type_name) {
        return definition;
      }
    }
    return TSNode{};
  }

  // `Plugin` for the annotations `Plugin` and `Optional[Plugin]`, or empty.
  static std::string_view AnnotatedClassName(const RuleContext& context, TSNode type) {
    const Symbols& sym = context.symbols();
    TSNode node = ts_node_named_child_count(type) == 1 ? ts_node_named_child(type, 0) : type;
    // Ex) Optional[Plugin]
    if (std::string_view(ts_node_type(node)) == "generic_type" || Is(node, sym.subscript)) {
      std::string_view text = context.Text(node);
      if (text.rfind("Optional[", 0) != 0 || text.back() != ']') return {};
      text = text.substr(9, text.size() - 10);
      for (char c : text) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return {};
      }
      return text;
    }
    return Is(node, sym.identifier) ? context.Text(node) : std::string_view{};
  }

  // The module-level `def name(...)` of the file, or a null node.
  static TSNode ModuleFunction(const RuleContext& context, TSNode root, std::string_view name) {
    const Symbols& sym = context.symbols();
    // Most tested names are variables. A text search rules them out without
    // a pass over the module's statements for each condition.
    if (context.text().find("def " + std::string(name)) == std::string_view::npos) return TSNode{};
    for (TSNode statement : NamedChildren(root)) {
      TSNode definition = Is(statement, sym.decorated_definition) ? Field(statement, "definition") : statement;
      if (Is(definition, sym.function_definition) && context.Text(Field(definition, "name")) == name) {
        return definition;
      }
    }
    return TSNode{};
  }

  // True when `name = ...`, `for name in`, `import ... as name` or a
  // parameter `name` rebinds the name somewhere in the file.
  static bool NameIsAssigned(const RuleContext& context, TSNode root, std::string_view name) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(root, [&](TSNode node) {
      if (found) return false;
      if (!Is(node, sym.identifier) || context.Text(node) != name) return true;
      TSNode parent = ts_node_parent(node);
      if (Is(parent, sym.assignment) || Is(parent, sym.augmented_assignment)) {
        found = ts_node_eq(Field(parent, "left"), node);
      } else if (Is(parent, sym.pattern_list) || Is(parent, sym.tuple_pattern) || Is(parent, sym.parameters) ||
                 Is(parent, sym.default_parameter) || Is(parent, sym.typed_parameter) ||
                 Is(parent, sym.typed_default_parameter) || Is(parent, sym.aliased_import) ||
                 Is(parent, sym.for_statement)) {
        found = true;
      }
      return !found;
    });
    return found;
  }

  // True when the class assigns `self.name` or `cls.name` (`self.name = ...`,
  // `self.name += ...`) or calls `setattr(self, "name", ...)`, which hides
  // the method.
  static bool AttributeIsAssigned(const RuleContext& context, TSNode owner, std::string_view name) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(owner, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.assignment) || Is(node, sym.augmented_assignment)) {
        std::vector<TSNode> targets = {Field(node, "left")};
        if (Is(targets[0], sym.pattern_list) || Is(targets[0], sym.tuple_pattern)) targets = NamedChildren(targets[0]);
        for (TSNode target : targets) {
          if (!Is(target, sym.attribute) || context.Text(Field(target, "attribute")) != name) continue;
          const std::string_view object = context.Text(Field(target, "object"));
          if (object == "self" || object == "cls") found = true;
        }
      } else if (Is(node, sym.call) && context.Text(Field(node, "function")) == "setattr") {
        auto key = StringLiteralValue(fixers::PositionalArgument(node, 1), context.text());
        found = key && *key == name;
      }
      return !found;
    });
    return found;
  }

  // Looks through the body of `owner` for `name`: `method` gets a plain
  // method definition, and `conflicting` is set when the class makes `name`
  // a property, a class attribute or a nested class instead.
  static void FindMethod(const RuleContext& context, TSNode owner, std::string_view name, TSNode& method,
                         bool& conflicting) {
    const Symbols& sym = context.symbols();
    for (TSNode member : NamedChildren(Field(owner, "body"))) {
      TSNode definition = member;
      bool decorated_as_attribute = false;
      if (Is(member, sym.decorated_definition)) {
        definition = Field(member, "definition");
        for (TSNode decorator : NamedChildren(member)) {
          if (std::string_view(ts_node_type(decorator)) != "decorator") continue;
          const std::string_view text = context.Text(decorator);
          // @property, @functools.cached_property, @name.setter and
          // decorators that may wrap the method in another object.
          const bool keeps_method = text == "@staticmethod" || text == "@classmethod" ||
                                    text.find("abstractmethod") != std::string_view::npos;
          if (!keeps_method) {
            decorated_as_attribute = true;
          }
        }
      }
      if (Is(definition, sym.function_definition) || Is(definition, sym.class_definition)) {
        if (context.Text(Field(definition, "name")) != name) continue;
        if (decorated_as_attribute || Is(definition, sym.class_definition)) {
          conflicting = true;
        } else if (ts_node_is_null(method)) {
          method = definition;
        }
        continue;
      }
      // Ex) name = True, name: bool = False in the class body
      if (Is(member, sym.expression_statement)) {
        TSNode statement = ts_node_named_child(member, 0);
        if (Is(statement, sym.assignment) && context.Text(Field(statement, "left")) == name) conflicting = true;
      }
    }
  }

  // True when every parameter of `definition`, after the first one when
  // `skip_first` is set, has a default or is `*args` / `**kwargs`.
  static bool HasNoRequiredParameters(const RuleContext& context, TSNode definition, bool skip_first) {
    const Symbols& sym = context.symbols();
    std::vector<TSNode> parameters = NamedChildren(Field(definition, "parameters"));
    bool first = true;
    for (TSNode parameter : parameters) {
      // A static method has no `self` or `cls` to skip.
      const bool skip = first && skip_first && (context.Text(parameter) == "self" || context.Text(parameter) == "cls");
      first = false;
      if (skip) continue;
      if (Is(parameter, sym.default_parameter) || Is(parameter, sym.typed_default_parameter) ||
          Is(parameter, sym.list_splat) || Is(parameter, sym.dictionary_splat)) {
        continue;
      }
      const std::string_view kind = ts_node_type(parameter);
      if (kind == "list_splat_pattern" || kind == "dictionary_splat_pattern" || kind == "keyword_separator" ||
          kind == "positional_separator") {
        continue;
      }
      return false;
    }
    return true;
  }
};

DISTLINT_REGISTER_RULE(FunctionObjectAsCondition);

}  // namespace
}  // namespace distlint
