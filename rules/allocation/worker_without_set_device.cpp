// ALC005 worker-without-set-device
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "ALC005",
    "worker-without-set-device",
    Family::kAllocation,
    FixStrategy::kOther,
    FixAvailability::kNone,
    "Worker thread or process uses the current CUDA device without selecting it",
    R"md(## What it does
Finds a function started as a worker, by `threading.Thread(target=f)`,
`multiprocessing.Process(target=f)` (also from `torch.multiprocessing` and
from a context of `get_context()`), or `executor.submit(f)` and
`executor.map(f, ...)` of a `concurrent.futures` executor, when `f` uses the
current CUDA device and does not select one first.

These uses count as using the current device:
- a `torch.cuda` function that works on it, called without a device
  argument (`synchronize`, `memory_allocated`, `max_memory_allocated`,
  `current_device`, `Stream`, `empty_cache`, ...);
- `.cuda()` without an ordinal;
- Colossal-AI's `get_current_device()`;
- a method of DeepSpeed's `get_accelerator()` that works on the current
  device.

Selecting a device means
`torch.cuda.set_device`, `with torch.cuda.device(...)` or
`get_accelerator().set_device` in `f`, or an `initializer=` given to the
executor.

Only files that use torch.distributed, DeepSpeed, Megatron-LM or
Colossal-AI are checked, and only functions of the same file (`f`,
`self.f`) are followed.

## Why is this bad?
The current CUDA device belongs to the thread: a new thread, like a new
process, starts on device 0 whatever the main thread selected. On a node
with one process per GPU, the worker of every rank measures, synchronises
or allocates on GPU 0: memory statistics are wrong, GPU 0 runs out of
memory, and a CUDA context of every rank sits on it.

## Example
```python
def _sample(self):
    torch.cuda.synchronize()
    self.peak = torch.cuda.max_memory_allocated()

self.executor = ThreadPoolExecutor(max_workers=1)
self.executor.submit(self._sample)
```

Use instead:
```python
device = torch.cuda.current_device()
self.executor = ThreadPoolExecutor(max_workers=1, initializer=lambda: torch.cuda.set_device(device))
self.executor.submit(self._sample)
```

## Fix safety
There is no automatic fix: the device to select is the one of the thread
that starts the worker, which the worker has to receive.
)md"};

// torch.cuda functions that need no current device or set it.
constexpr std::string_view kDeviceIndependent[] = {
    "torch.cuda.is_available", "torch.cuda.device_count", "torch.cuda.set_device", "torch.cuda.device",
    "torch.cuda.get_device_properties", "torch.cuda.get_device_name", "torch.cuda.get_device_capability",
    "torch.cuda.is_initialized", "torch.cuda.is_bf16_supported",
    // Releases the cached blocks of every device.
    "torch.cuda.empty_cache",
};

// get_accelerator() methods that select a device or need none.
constexpr std::string_view kAcceleratorDeviceIndependent[] = {
    "set_device", "device_name", "device_count", "is_available", "is_bf16_supported", "is_fp16_supported",
    "communication_backend_name", "device", "is_synchronized_device", "name",
};

template <size_t N>
bool Contains(const std::string_view (&names)[N], std::string_view name) {
  for (std::string_view candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

class WorkerWithoutSetDevice final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    if (!semantic.UsesDistributed()) return;
    const Symbols& sym = context.symbols();

    TSNode target = WorkerTarget(context, call);
    if (ts_node_is_null(target)) return;
    TSNode definition = FunctionDefinition(context, target);
    if (ts_node_is_null(definition)) return;

    TSNode use = TSNode{};
    bool selects = false;
    Walk(Field(definition, "body"), [&](TSNode node) {
      if (selects) return false;
      if (Is(node, sym.function_definition) || Is(node, sym.class_definition) || Is(node, sym.lambda)) return false;
      if (!Is(node, sym.call)) return true;
      switch (Classify(context, node)) {
        case DeviceUse::kSelects: selects = true; break;
        case DeviceUse::kUsesCurrent:
          if (ts_node_is_null(use)) use = node;
          break;
        case DeviceUse::kNone: break;
      }
      return true;
    });
    if (selects || ts_node_is_null(use)) return;

    const std::string name(context.Text(Field(definition, "name")));
    Diagnostic& diagnostic = context.Report(
        target, "`" + name + "` runs in a new thread or process, which starts on CUDA device 0, and uses the "
                "current device without selecting it; call `torch.cuda.set_device` with the caller's device first");
    context.AddRelated(diagnostic, use, "uses the current CUDA device here");
  }

 private:
  enum class DeviceUse { kNone, kSelects, kUsesCurrent };

  // The function argument of a worker start, or a null node.
  static TSNode WorkerTarget(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode function = Field(call, "function");
    std::string_view method;
    if (Is(function, sym.attribute)) method = context.Text(Field(function, "attribute"));
    if (Is(function, sym.identifier)) method = context.Text(function);

    // Ex) threading.Thread(target=f), ctx.Process(target=f), mp.Process(target=f)
    if (method == "Thread" || method == "Process") {
      const std::string callee = context.semantic().QualifiedName(function);
      const bool known = callee == "threading.Thread" || callee == "multiprocessing.Process" ||
                         callee == "torch.multiprocessing.Process" || callee.empty();
      if (!known) return TSNode{};
      TSNode argument = fixers::KeywordArgument(call, "target", context.text());
      return ts_node_is_null(argument) ? argument : Field(argument, "value");
    }
    // Ex) self.executor.submit(self._sample), pool.map(f, items)
    if ((method == "submit" || method == "map") && Is(function, sym.attribute) &&
        context.semantic().ImportsUnder("concurrent.futures") && !ExecutorHasInitializer(context, call)) {
      return fixers::PositionalArgument(call, 0);
    }
    return TSNode{};
  }

  // True when the file builds a concurrent.futures executor with an
  // `initializer=`, which may select the device in each worker thread.
  static bool ExecutorHasInitializer(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode root = ts_tree_root_node(call.tree);
    bool found = false;
    Walk(root, [&](TSNode node) {
      if (found) return false;
      if (!Is(node, sym.call)) return true;
      const std::string callee = context.semantic().QualifiedName(Field(node, "function"));
      if (callee.rfind("concurrent.futures.", 0) == 0 &&
          !ts_node_is_null(fixers::KeywordArgument(node, "initializer", context.text()))) {
        found = true;
      }
      return !found;
    });
    return found;
  }

  // The definition `target` names: `f` defined in the enclosing scopes or
  // at module level, or `self.f` / `cls.f` defined in the enclosing class.
  static TSNode FunctionDefinition(const RuleContext& context, TSNode target) {
    const Symbols& sym = context.symbols();
    std::string_view name;
    TSNode container = ts_node_parent(target);
    if (Is(target, sym.identifier)) {
      name = context.Text(target);
    } else if (Is(target, sym.attribute) && (context.Text(Field(target, "object")) == "self" ||
                                              context.Text(Field(target, "object")) == "cls")) {
      name = context.Text(Field(target, "attribute"));
      while (!ts_node_is_null(container) && !Is(container, sym.class_definition)) container = ts_node_parent(container);
      if (ts_node_is_null(container)) return TSNode{};
      container = Field(container, "body");
    } else {
      return TSNode{};
    }

    // Search the blocks that enclose the start, innermost first.
    for (TSNode scope = container; !ts_node_is_null(scope); scope = ts_node_parent(scope)) {
      if (!Is(scope, sym.block) && !Is(scope, sym.module)) continue;
      for (TSNode statement : NamedChildren(scope)) {
        TSNode definition = Is(statement, sym.decorated_definition) ? Field(statement, "definition") : statement;
        if (Is(definition, sym.function_definition) && context.Text(Field(definition, "name")) == name) {
          return definition;
        }
      }
      if (Is(target, sym.attribute)) break;
    }
    return TSNode{};
  }

  static DeviceUse Classify(const RuleContext& context, TSNode call) {
    const Symbols& sym = context.symbols();
    const std::string callee = context.semantic().CalleeName(call);
    TSNode function = Field(call, "function");
    const bool has_arguments = !fixers::Arguments(call).empty();

    // Ex) torch.cuda.set_device(device), with torch.cuda.device(device):
    if (callee == "torch.cuda.set_device" || callee == "torch.cuda.device") return DeviceUse::kSelects;
    // Ex) torch.cuda.synchronize(), torch.cuda.max_memory_allocated()
    if (callee.rfind("torch.cuda.", 0) == 0) {
      if (Contains(kDeviceIndependent, callee) || has_arguments) return DeviceUse::kNone;
      return DeviceUse::kUsesCurrent;
    }
    // Ex) get_current_device() of Colossal-AI
    if (callee == "colossalai.utils.get_current_device" || callee == "colossalai.accelerator.get_current_device") {
      return DeviceUse::kUsesCurrent;
    }
    if (!Is(function, sym.attribute)) return DeviceUse::kNone;
    const std::string_view method = context.Text(Field(function, "attribute"));
    TSNode object = Field(function, "object");
    // Ex) get_accelerator().synchronize(), get_accelerator().set_device(device)
    if (Is(object, sym.call) && context.semantic().CalleeName(object) == "deepspeed.accelerator.get_accelerator") {
      if (method == "set_device") return DeviceUse::kSelects;
      if (Contains(kAcceleratorDeviceIndependent, method) || has_arguments) return DeviceUse::kNone;
      return DeviceUse::kUsesCurrent;
    }
    // Ex) tensor.cuda()
    if (method == "cuda" && callee.empty() && !has_arguments) return DeviceUse::kUsesCurrent;
    return DeviceUse::kNone;
  }
};

DISTLINT_REGISTER_RULE(WorkerWithoutSetDevice);

}  // namespace
}  // namespace distlint
