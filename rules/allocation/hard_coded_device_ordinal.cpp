// ALC002 hard-coded-device-ordinal
#include <cctype>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC002",
    "hard-coded-device-ordinal",
    Family::kAllocation,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Hard-coded CUDA device ordinal in distributed code",
    R"md(## What it does
Finds a fixed CUDA device ordinal: a `"cuda:N"` string passed to a call,
`.cuda(N)`, `torch.device("cuda", N)` and `torch.cuda.set_device(N)` with
an integer literal `N`. Only modules that run as part of a distributed job
are checked. Such a module imports `torch.distributed` or `deepspeed.comm`,
calls a framework's launch or parallel-state API, wraps a model in
`DistributedDataParallel`, or reads the rank. Device property queries
(`torch.cuda.get_device_properties("cuda:0")`) and `add_argument` defaults
are not reported.

## Why is this bad?
Each rank of a job owns one GPU, chosen by its local rank. A literal ordinal
sends the tensors of every rank on the node to the same GPU: that GPU runs
out of memory, the others sit idle, and NCCL collectives fail or hang
because several ranks share one device.

## Example
```python
import torch
import torch.distributed as dist

buffer = torch.zeros(1024, device="cuda:0")
model.cuda(0)
```

Use instead:
```python
import torch
import torch.distributed as dist

torch.cuda.set_device(local_rank)
buffer = torch.zeros(1024, device="cuda")
model.cuda()
```

## Fix safety
The fix drops the ordinal, so the tensor goes to the current device:
`"cuda:0"` becomes `"cuda"`, `.cuda(0)` becomes `.cuda()` and
`torch.device("cuda", 0)` becomes `torch.device("cuda")`. This is right once
each rank has called `torch.cuda.set_device(local_rank)`, and changes where
tensors live, so it is unsafe. `torch.cuda.set_device(N)` gets no fix: the
local rank has to come from the launcher.
)md"};

// True for "cuda:<digits>".
bool IsCudaOrdinalString(const std::string& value) {
  if (value.rfind("cuda:", 0) != 0 || value.size() == 5) return false;
  for (size_t i = 5; i < value.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(value[i]))) return false;
  }
  return true;
}

class HardCodedDeviceOrdinal final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    if (!semantic.RunsDistributed()) return;
    const Symbols& sym = context.symbols();
    const std::string callee = semantic.CalleeName(call);
    TSNode function = Field(call, "function");

    // Ex) torch.cuda.set_device(0)
    if (callee == "torch.cuda.set_device") {
      TSNode ordinal = fixers::PositionalArgument(call, 0);
      if (Is(ordinal, sym.integer)) {
        context.Report(ordinal, "`torch.cuda.set_device(" + std::string(context.Text(ordinal)) +
                                    ")` binds every rank to the same GPU; pass the local rank");
      }
      return;
    }

    // Ex) torch.device("cuda", 0)
    if (callee == "torch.device") {
      TSNode kind = fixers::PositionalArgument(call, 0);
      TSNode ordinal = fixers::PositionalArgument(call, 1);
      auto kind_value = StringLiteralValue(kind, context.text());
      if (kind_value && *kind_value == "cuda" && Is(ordinal, sym.integer)) {
        Diagnostic& diagnostic = context.Report(
            call, "`torch.device(\"cuda\", " + std::string(context.Text(ordinal)) +
                      ")` names a fixed GPU; every rank on the node uses the same device");
        AttachFix(diagnostic, "Use the current device", fixers::RemoveArgument(call, ordinal, context.text()));
        return;
      }
    }

    // Ex) model.cuda(0)
    if (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "cuda" &&
        callee.empty()) {
      TSNode ordinal = fixers::PositionalArgument(call, 0);
      if (Is(ordinal, sym.integer)) {
        Diagnostic& diagnostic = context.Report(
            call, "`.cuda(" + std::string(context.Text(ordinal)) +
                      ")` moves the tensor to a fixed GPU; every rank on the node uses the same device");
        AttachFix(diagnostic, "Use `.cuda()` (the current device)",
                  fixers::RemoveArgument(call, ordinal, context.text()));
      }
      return;
    }

    // Reading a property of GPU 0 allocates nothing there, and an
    // `add_argument` default is the user's setting, not a placement.
    if (IsDevicePropertyQuery(callee)) return;
    if (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "add_argument") return;

    // Ex) x.to("cuda:0"), torch.zeros(4, device="cuda:0"), torch.device("cuda:0")
    for (TSNode argument : fixers::Arguments(call)) {
      TSNode value = Is(argument, sym.keyword_argument) ? Field(argument, "value") : argument;
      auto literal = StringLiteralValue(value, context.text());
      if (!literal || !IsCudaOrdinalString(*literal)) continue;
      Diagnostic& diagnostic = context.Report(
          value, "\"" + *literal + "\" names a fixed GPU; every rank on the node uses the same device");
      // Cut ":N" out of the literal as written, so the prefix and the quotes
      // (one or three) stay: r"cuda:0" -> r"cuda", """cuda:0""" -> """cuda""".
      std::string_view quoted = context.Text(value);
      const size_t colon = quoted.find(':');
      size_t digits_end = colon + 1;
      while (digits_end < quoted.size() && std::isdigit(static_cast<unsigned char>(quoted[digits_end]))) ++digits_end;
      std::string replacement(quoted.substr(0, colon));
      replacement.append(quoted.substr(digits_end));
      AttachFix(diagnostic, "Use \"cuda\" (the current device)", fixers::ReplaceNode(value, replacement));
    }
  }

 private:
  static bool IsDevicePropertyQuery(const std::string& callee) {
    return callee == "torch.cuda.get_device_properties" || callee == "torch.cuda.get_device_capability" ||
           callee == "torch.cuda.get_device_name";
  }

  static void AttachFix(Diagnostic& diagnostic, std::string title, Edit edit) {
    Fix fix;
    fix.title = std::move(title);
    fix.applicability = Applicability::kUnsafe;
    fix.edits.push_back(std::move(edit));
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(HardCodedDeviceOrdinal);

}  // namespace
}  // namespace distlint
