// ALC007 cuda-string-in-accelerator-code
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC007",
    "cuda-string-in-accelerator-code",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Device written as \"cuda\" in code that uses DeepSpeed's accelerator interface",
    R"md(## What it does
Finds a device written as a `"cuda"` string (`"cuda"`, `"cuda:N"` or
`f"cuda:{...}"`) in a file that imports `get_accelerator` from
`deepspeed.accelerator`. The string is reported in these places:
- as `device=` or `map_location=` of any call;
- as the first argument of `torch.device(...)` or of `.to(...)`, also as a
  branch of a conditional expression there;
- compared with `==` or `!=` with an expression whose text mentions
  `device` (`tensor.device.type == "cuda"`). A comparison with the accelerator's name
(`get_accelerator().device_name() == "cuda"`, `accelerator_name == "cuda"`)
tests which accelerator runs and is not reported. A line with the
comment `#ignore-cuda`, DeepSpeed's marker for code that is meant to run
only on CUDA, is not reported.

## Why is this bad?
A file that imports `get_accelerator()` is written to run on every
accelerator DeepSpeed supports. A `"cuda"` device in it fails on Ascend
NPU, Intel XPU, Gaudi HPU and the CPU accelerator. Without CUDA, torch
raises. With CUDA present but another accelerator selected, the tensor
lands on a different device than the rest of the model, and the next
operation fails on a device mismatch.

## Example
```python
from deepspeed.accelerator import get_accelerator

backup = torch.randn(1, device="cuda")
```

Use instead:
```python
from deepspeed.accelerator import get_accelerator

backup = torch.randn(1, device=get_accelerator().device_name())
```

## Fix safety
There is no automatic fix: the replacement is `device_name()`,
`device_name(index)` or `current_device_name()` depending on whether the
string names an ordinal, which the rule does not choose.
)md",
    /*enabled_by_default=*/false};

class CudaStringInAcceleratorCode final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call", "comparison_operator"}; }

  void Check(RuleContext& context, TSNode node) const override {
    if (!context.semantic().ImportsUnder("deepspeed.accelerator")) return;
    const Symbols& sym = context.symbols();
    if (Is(node, sym.comparison_operator)) {
      CheckComparison(context, node);
      return;
    }
    TSNode call = node;

    // Ex) torch.zeros(n, device="cuda"), torch.load(path, map_location="cuda:0")
    for (const char* keyword : {"device", "map_location"}) {
      TSNode argument = fixers::KeywordArgument(call, keyword, context.text());
      if (!ts_node_is_null(argument)) CheckDevice(context, Field(argument, "value"));
    }
    // Ex) torch.device(f"cuda:{local_rank}"), x.to("cuda")
    TSNode function = Field(call, "function");
    const bool is_to = Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "to" &&
                       context.semantic().QualifiedName(function).empty();
    if (is_to || context.semantic().CalleeName(call) == "torch.device") {
      CheckDevice(context, fixers::PositionalArgument(call, 0));
    }
  }

 private:
  // Ex) device == "cuda", tensor.device.type != "cuda". Only an expression
  // whose text mentions `device` is checked: other names (`accelerator_name`)
  // usually hold the accelerator's name, and comparing that with "cuda" tests
  // which accelerator runs.
  static void CheckComparison(RuleContext& context, TSNode comparison) {
    if (ts_node_child_count(comparison) != 3) return;
    const std::string_view op = context.Text(ts_node_child(comparison, 1));
    if (op != "==" && op != "!=") return;
    TSNode left = ts_node_child(comparison, 0);
    TSNode right = ts_node_child(comparison, 2);
    const Symbols& sym = context.symbols();
    TSNode literal = Is(right, sym.string) ? right : left;
    TSNode other = Is(right, sym.string) ? left : right;
    if (!Is(literal, sym.string) || Is(other, sym.string)) return;
    const std::string_view other_text = context.Text(other);
    if (other_text.find("device") == std::string_view::npos) return;
    if (other_text.find("get_accelerator()") != std::string_view::npos) return;
    CheckDevice(context, literal);
  }

  static void CheckDevice(RuleContext& context, TSNode device) {
    // Ex) device="cuda" if device is None else device
    if (Is(device, context.symbols().conditional_expression) && ts_node_named_child_count(device) == 3) {
      CheckDevice(context, ts_node_named_child(device, 0));
      CheckDevice(context, ts_node_named_child(device, 2));
      return;
    }
    if (!Is(device, context.symbols().string) || !NamesCuda(context, device)) return;
    if (LineHasIgnoreMarker(context, device)) return;
    context.Report(device, "`" + std::string(context.Text(device)) +
                               "` names a CUDA device in code written for DeepSpeed's accelerator interface; use "
                               "`get_accelerator().device_name()` or `current_device_name()`");
  }

  // True for "cuda", "cuda:N" and f"cuda:{...}" (any prefix and quotes).
  static bool NamesCuda(const RuleContext& context, TSNode string) {
    std::string_view text = context.Text(string);
    const size_t quote = text.find_first_of("'\"");
    if (quote == std::string_view::npos) return false;
    const std::string_view prefix = text.substr(0, quote);
    if (prefix.find_first_not_of("fFrR") != std::string_view::npos) return false;
    text.remove_prefix(quote);
    while (!text.empty() && (text.front() == '"' || text.front() == '\'')) text.remove_prefix(1);
    return text.rfind("cuda", 0) == 0 && (text.size() == 4 || text[4] == ':' || text[4] == '"' || text[4] == '\'');
  }

  // True when the line of `node` carries DeepSpeed's `#ignore-cuda` marker.
  static bool LineHasIgnoreMarker(const RuleContext& context, TSNode node) {
    const std::string_view text = context.text();
    size_t end = text.find('\n', EndByte(node));
    if (end == std::string_view::npos) end = text.size();
    size_t start = text.rfind('\n', StartByte(node));
    start = start == std::string_view::npos ? 0 : start + 1;
    const std::string_view line = text.substr(start, end - start);
    return line.find("#ignore-cuda") != std::string_view::npos || line.find("# ignore-cuda") != std::string_view::npos;
  }
};

DISTLINT_REGISTER_RULE(CudaStringInAcceleratorCode);

}  // namespace
}  // namespace distlint
