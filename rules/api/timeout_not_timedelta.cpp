// API003 timeout-not-timedelta
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "API003",
    "timeout-not-timedelta",
    Family::kApiMisuse,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Process-group timeout given as a number instead of a timedelta",
    R"md(## What it does
Finds a number passed as the `timeout` of `torch.distributed` calls that
take a `datetime.timedelta`: `init_process_group`, `new_group`,
`new_subgroups`, `new_subgroups_by_enumeration`, `monitored_barrier` and
`TCPStore`, and `deepspeed.init_distributed`. The timeout is found as the
keyword `timeout=` or at its position in the signature. A number is
an integer or float literal, arithmetic on literals (`30 * 60`), `int(...)`
or `float(...)`, or a name assigned one of these in the same function.

## Why is this bad?
These functions need the timeout as a `timedelta`. `init_process_group` and
`new_group` check it and raise `Expected timeout argument to be of type
datetime.timedelta` (a `RuntimeError` in torch 1.13), and
`monitored_barrier` and `TCPStore` fail in the C++ binding with a
`TypeError`. The error appears only when the distributed job starts, often
after a long queue wait, and a timeout read from the environment
(`int(os.environ["PG_TIMEOUT"])`) fails only where that variable is set.

## Example
```python
import torch.distributed as dist

dist.init_process_group("nccl", timeout=1800)
```

Use instead:
```python
from datetime import timedelta

import torch.distributed as dist

dist.init_process_group("nccl", timeout=timedelta(seconds=1800))
```

## Fix safety
The fix wraps the number in `timedelta(seconds=...)`, reading it as
seconds, the unit torch's documentation and its default (30 minutes) use.
It is offered when the file imports `timedelta` from `datetime` or imports
`datetime`. Reading the number as seconds is an assumption, so the fix is
unsafe.
)md"};

struct TimeoutParameter {
  std::string_view function;
  size_t position;
};

// Positions of `timeout` in the signatures of torch 1.13
// (torch/distributed/distributed_c10d.py, torch/_C/_distributed_c10d.pyi)
// and of DeepSpeed's `init_distributed` (deepspeed/comm/comm.py).
// NOTE: later torch versions append parameters; positions not checked there.
constexpr TimeoutParameter kTimeoutParameters[] = {
    {"torch.distributed.init_process_group", 2},
    {"torch.distributed.new_group", 1},
    {"torch.distributed.new_subgroups", 2},
    {"torch.distributed.new_subgroups_by_enumeration", 1},
    {"torch.distributed.monitored_barrier", 1},
    {"torch.distributed.TCPStore", 4},
    {"torch.distributed.init_distributed", 4},
    {"deepspeed.init_distributed", 4},
};

// Names are followed through at most this many assignments.
constexpr int kMaxAssignmentDepth = 3;

class TimeoutNotTimedelta final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    if (!context.semantic().UsesDistributed()) return;
    const std::string callee = context.semantic().CalleeName(call);
    const TimeoutParameter* parameter = nullptr;
    for (const TimeoutParameter& candidate : kTimeoutParameters) {
      if (callee == candidate.function) parameter = &candidate;
    }
    if (parameter == nullptr) return;

    TSNode timeout = fixers::KeywordArgument(call, "timeout", context.text());
    if (!ts_node_is_null(timeout)) {
      timeout = Field(timeout, "value");
    } else {
      timeout = fixers::PositionalArgument(call, parameter->position);
    }
    if (ts_node_is_null(timeout) || !IsNumber(context, timeout, 0)) return;

    Diagnostic& diagnostic = context.Report(
        timeout, "`timeout` of `" + callee + "` must be a `datetime.timedelta`, not the number `" +
                     std::string(context.Text(timeout)) + "`; pass `timedelta(seconds=...)`");
    const std::string spelling = TimedeltaSpelling(context, call);
    if (spelling.empty()) return;
    Fix fix;
    fix.title = "Wrap the number in `" + spelling + "(seconds=...)`";
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(
        fixers::ReplaceNode(timeout, spelling + "(seconds=" + std::string(context.Text(timeout)) + ")"));
    diagnostic.fix = std::move(fix);
  }

 private:
  static bool IsNumber(const RuleContext& context, TSNode node, int depth) {
    const Symbols& sym = context.symbols();
    if (depth > kMaxAssignmentDepth || ts_node_is_null(node)) return false;
    if (Is(node, sym.integer) || Is(node, sym.float_)) return true;

    if (Is(node, sym.parenthesized_expression) && ts_node_named_child_count(node) == 1) {
      return IsNumber(context, ts_node_named_child(node, 0), depth);
    }
    // Ex) -1, 30 * 60
    if (Is(node, sym.unary_operator)) return IsNumber(context, Field(node, "argument"), depth);
    if (Is(node, sym.binary_operator)) {
      return IsNumber(context, Field(node, "left"), depth) && IsNumber(context, Field(node, "right"), depth);
    }

    // Ex) int(os.environ["PG_TIMEOUT"])
    if (Is(node, sym.call)) {
      const std::string_view function = context.Text(Field(node, "function"));
      return function == "int" || function == "float";
    }

    // Ex) timeout = 1800; ...; init_process_group(..., timeout=timeout)
    if (Is(node, sym.identifier)) {
      const std::string_view name = context.Text(node);
      bool number = false;
      bool other = false;
      Walk(context.semantic().EnclosingScope(node), [&](TSNode candidate) {
        if (Is(candidate, sym.function_definition) && !ts_node_eq(candidate, context.semantic().EnclosingScope(node))) {
          return false;
        }
        if (Is(candidate, sym.assignment) && context.Text(Field(candidate, "left")) == name) {
          if (IsNumber(context, Field(candidate, "right"), depth + 1)) {
            number = true;
          } else {
            other = true;
          }
        }
        return true;
      });
      return number && !other;
    }
    return false;
  }

  // Returns the name of datetime.timedelta in the file: "timedelta" after
  // `from datetime import timedelta`, "datetime.timedelta" after
  // `import datetime`, or empty.
  static std::string TimedeltaSpelling(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode root = ts_tree_root_node(call.tree);
    for (TSNode statement : NamedChildren(root)) {
      if (!Is(statement, sym.import_from_statement) || context.Text(Field(statement, "module_name")) != "datetime") {
        continue;
      }
      for (TSNode name : NamedChildren(statement)) {
        if (Is(name, sym.dotted_name) && !ts_node_eq(name, Field(statement, "module_name")) &&
            context.Text(name) == "timedelta") {
          return "timedelta";
        }
      }
    }
    if (context.semantic().BindsModuleAsItself("datetime")) return "datetime.timedelta";
    return {};
  }
};

DISTLINT_REGISTER_RULE(TimeoutNotTimedelta);

}  // namespace
}  // namespace distlint
