// ALC008 local-device-never-selected
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC008",
    "local-device-never-selected",
    Family::kAllocation,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Current CUDA device used in a file that builds the local rank's device but never selects it",
    R"md(## What it does
Finds uses of the current CUDA device (`torch.cuda.current_device()`,
`.cuda()` without an ordinal, `device="cuda"`) in a file with two
properties. The file builds the local rank's device from the `LOCAL_RANK`
environment variable (`torch.device(f"cuda:{os.environ['LOCAL_RANK']}")`,
directly or through a name assigned in the same function). And it never
makes a device current: it calls no `torch.cuda.set_device`, no
`torch.cuda.device(...)` and no `set_device` of `get_accelerator()`, and
does not mention `CUDA_VISIBLE_DEVICES`.

## Why is this bad?
Building a `torch.device` for the local rank does not select it. Until some
code calls `set_device`, the current device of every process is GPU 0, so
the buffers allocated on `current_device()` of every rank of a node land on
GPU 0, beside tensors that sit on the local rank's GPU: the next operation
fails on a device mismatch, or GPU 0 runs out of memory.

## Example
```python
class PartitionedInit:
    def __init__(self):
        self.local_device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}")

    def gather_buffer(self, numel):
        return torch.empty(numel, device=torch.cuda.current_device())
```

Use instead:
```python
class PartitionedInit:
    def __init__(self):
        self.local_device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}")
        torch.cuda.set_device(self.local_device)

    def gather_buffer(self, numel):
        return torch.empty(numel, device=torch.cuda.current_device())
```

## Fix safety
There is no automatic fix: the device should be selected once, where the
process starts, which may be in another file.
)md"};

// Facts about the whole file, collected in one walk.
struct FileDevices {
  TSNode local_device = TSNode{};  // The first device built from LOCAL_RANK.
  bool selects_device = false;
};

class LocalDeviceNeverSelected final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  // Runs once per file: the verdict depends on the whole file, and every
  // current-device use shares it.
  std::vector<std::string_view> NodeKinds() const override { return {"module"}; }

  void Check(RuleContext& context, TSNode module) const override {
    const FileDevices devices = ScanFile(context, module);
    if (devices.selects_device || ts_node_is_null(devices.local_device)) return;

    const Symbols& sym = context.symbols();
    Walk(module, [&](TSNode node) {
      if (!Is(node, sym.call) || !IsCurrentDeviceUse(context, node)) return true;
      Diagnostic& diagnostic = context.Report(
          node, "`" + std::string(context.Text(node)) +
                    "` uses the current CUDA device, which is GPU 0 on every rank: the file builds the local rank's "
                    "device but never selects it with `torch.cuda.set_device`");
      context.AddRelated(diagnostic, devices.local_device, "the local rank's device is built here");
      return true;
    });
  }

 private:
  // True for torch.cuda.current_device(), x.cuda() and a call with device="cuda".
  static bool IsCurrentDeviceUse(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    const std::string callee = context.semantic().CalleeName(call);
    if (callee == "torch.cuda.current_device") return true;
    TSNode function = Field(call, "function");
    if (Is(function, sym.attribute) && callee.empty() && context.Text(Field(function, "attribute")) == "cuda" &&
        fixers::Arguments(call).empty()) {
      return true;
    }
    TSNode device = fixers::KeywordArgument(call, "device", context.text());
    if (ts_node_is_null(device)) return false;
    auto value = StringLiteralValue(Field(device, "value"), context.text());
    return value && *value == "cuda";
  }

  static FileDevices ScanFile(const RuleContext& context, TSNode root) {
    const Symbols& sym = context.symbols();
    FileDevices devices;
    Walk(root, [&](TSNode node) {
      if (devices.selects_device) return false;
      if (Is(node, sym.string) && context.Text(node).find("CUDA_VISIBLE_DEVICES") != std::string_view::npos) {
        devices.selects_device = true;
      }
      if (!Is(node, sym.call)) return true;
      const std::string callee = context.semantic().CalleeName(node);
      TSNode function = Field(node, "function");
      if (callee == "torch.cuda.set_device" || callee == "torch.cuda.device" ||
          (Is(function, sym.attribute) && context.Text(Field(function, "attribute")) == "set_device")) {
        devices.selects_device = true;
      }
      // Ex) torch.device(f"cuda:{os.environ['LOCAL_RANK']}"), torch.device("cuda", local_rank)
      if (callee == "torch.device" && ts_node_is_null(devices.local_device) && ReadsLocalRank(context, node, 0)) {
        devices.local_device = node;
      }
      return true;
    });
    return devices;
  }

  // True when `node` reads the LOCAL_RANK environment variable, or uses a
  // name that the enclosing function assigns from such a read.
  static bool ReadsLocalRank(const RuleContext& context, TSNode node, int depth) {
    const Symbols& sym = context.symbols();
    if (depth > 3) return false;
    bool found = false;
    Walk(node, [&](TSNode child) {
      if (found) return false;
      if (Is(child, sym.string)) {
        auto value = StringLiteralValue(child, context.text());
        if (value && *value == "LOCAL_RANK") found = true;
      }
      if (Is(child, sym.identifier) && depth < 3 && !Is(ts_node_parent(child), sym.attribute)) {
        found = NameAssignedLocalRank(context, child, depth);
      }
      return !found;
    });
    return found;
  }

  static bool NameAssignedLocalRank(const RuleContext& context, TSNode name, int depth) {
    const Symbols& sym = context.symbols();
    bool found = false;
    Walk(context.semantic().EnclosingScope(name), [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym.assignment) && context.Text(Field(node, "left")) == context.Text(name)) {
        found = ReadsLocalRank(context, Field(node, "right"), depth + 1);
      }
      return !found;
    });
    return found;
  }
};

DISTLINT_REGISTER_RULE(LocalDeviceNeverSelected);

}  // namespace
}  // namespace distlint
