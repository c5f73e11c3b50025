// CFG007 microbatch-size-as-count
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG007",
    "microbatch-size-as-count",
    Family::kConfiguration,
    FixStrategy::kParameterHandling,
    FixAvailability::kNone,
    "Micro-batch size passed as the number of micro-batches, or the reverse",
    R"md(## What it does
Finds a keyword argument for the number of micro-batches
(`num_microbatches`, `num_micro_batches`) whose value is named as a
micro-batch size (`mbs`, `micro_batch_size`, `microbatch_size`,
`micro_bs`, as a name or the last attribute of a chain such as
`args.mbs`), and a keyword argument for the micro-batch size
(`microbatch_size`, `micro_batch_size`) whose value is named as a number of
micro-batches (`num_microbatches`, `num_micro_batches`). Calls in test
functions (`test*`) and test classes (`Test*`) are not reported.

## Why is this bad?
A pipeline schedule splits each batch either into a given number of
micro-batches or into micro-batches of a given size. Passing the size as
the count (or the reverse) runs without an error but with a different
schedule: with a micro-batch size of 2 and a batch of 16, the pipeline makes
2 micro-batches of 8 samples instead of 8 of 2. Memory use, pipeline
bubbles and throughput change, and a benchmark measures the wrong
configuration.

## Example
```python
plugin = HybridParallelPlugin(tp_size=args.tp, pp_size=args.pp, num_microbatches=args.mbs)
```

Use instead:
```python
plugin = HybridParallelPlugin(tp_size=args.tp, pp_size=args.pp, microbatch_size=args.mbs)
```

## Fix safety
No automatic fix: the callee may need the other keyword, or the value may
need to come from another option.
)md"};

constexpr std::array<std::string_view, 2> kCountKeywords = {"num_microbatches", "num_micro_batches"};
constexpr std::array<std::string_view, 2> kSizeKeywords = {"microbatch_size", "micro_batch_size"};
constexpr std::array<std::string_view, 4> kSizeNames = {"mbs", "micro_batch_size", "microbatch_size", "micro_bs"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

class MicrobatchSizeAsCount final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"keyword_argument"}; }

  void Check(RuleContext& context, TSNode argument) const override {
    if (InTest(context, argument)) return;
    const std::string_view keyword = context.Text(Field(argument, "name"));
    const bool count = Contains(kCountKeywords, keyword);
    if (!count && !Contains(kSizeKeywords, keyword)) return;
    const std::string_view value_name = LastName(context, Field(argument, "value"));
    if (value_name.empty()) return;

    if (count && Contains(kSizeNames, value_name)) {
      context.Report(argument, "`" + std::string(value_name) + "` is a micro-batch size, but `" +
                                   std::string(keyword) + "` is the number of micro-batches; pass it as "
                                   "`microbatch_size` (or the callee's micro-batch size parameter)");
    } else if (!count && Contains(kCountKeywords, value_name)) {
      context.Report(argument, "`" + std::string(value_name) + "` is a number of micro-batches, but `" +
                                   std::string(keyword) + "` is the micro-batch size; pass it as "
                                   "`num_microbatches` (or the callee's micro-batch count parameter)");
    }
  }

 private:
  // True inside a function named `test*` or a class named `Test*`, because
  // tests often reuse one small number for both values on purpose.
  static bool InTest(const RuleContext& context, TSNode node) {
    const Symbols& sym = context.symbols();
    for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); parent = ts_node_parent(parent)) {
      if (Is(parent, sym.function_definition) && context.Text(Field(parent, "name")).starts_with("test")) return true;
      if (Is(parent, sym.class_definition) && context.Text(Field(parent, "name")).starts_with("Test")) return true;
    }
    return false;
  }

  // The identifier, or the last attribute of an attribute chain. Empty for
  // any other expression.
  static std::string_view LastName(const RuleContext& context, TSNode value) {
    const Symbols& sym = context.symbols();
    if (Is(value, sym.identifier)) return context.Text(value);
    if (Is(value, sym.attribute)) return context.Text(Field(value, "attribute"));
    return {};
  }
};

DISTLINT_REGISTER_RULE(MicrobatchSizeAsCount);

}  // namespace
}  // namespace distlint
