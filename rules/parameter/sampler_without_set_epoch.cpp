// PAR001 sampler-without-set-epoch
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR001",
    "sampler-without-set-epoch",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "DistributedSampler shuffles, but set_epoch is never called",
    R"md(## What it does
Finds a `DistributedSampler` that shuffles (its `shuffle` argument is not
`False`) in a file that has an epoch loop (a `for` loop whose target name
contains `epoch`) but never calls `set_epoch`.

## Why is this bad?
`DistributedSampler` seeds its shuffle with `seed + epoch`, and the epoch
only changes through `sampler.set_epoch(epoch)`. Without the call every
epoch visits the samples in the same order and each rank sees the same
shard every epoch, which silently weakens training. Nothing fails.

## Example
```python
sampler = DistributedSampler(dataset)
loader = DataLoader(dataset, sampler=sampler, batch_size=32)
for epoch in range(epochs):
    for batch in loader:
        train_step(batch)
```

Use instead:
```python
sampler = DistributedSampler(dataset)
loader = DataLoader(dataset, sampler=sampler, batch_size=32)
for epoch in range(epochs):
    sampler.set_epoch(epoch)
    for batch in loader:
        train_step(batch)
```

## Fix safety
When the sampler is assigned to a plain name and an epoch loop with a plain
loop variable follows in the same function, the fix inserts
`sampler.set_epoch(epoch)` as the first statement of that loop. The order of
the samples then changes between epochs, which changes training results, so
the fix is unsafe.
)md"};

bool IsDistributedSampler(const std::string& callee) {
  return callee == "torch.utils.data.distributed.DistributedSampler" ||
         callee == "torch.utils.data.DistributedSampler";
}

bool IsEpochLoop(const RuleContext& context, TSNode node) {
  if (!Is(node, context.symbols().for_statement)) return false;
  return context.Text(Field(node, "left")).find("epoch") != std::string_view::npos;
}

class SamplerWithoutSetEpoch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const SemanticModel& semantic = context.semantic();
    if (!IsDistributedSampler(semantic.CalleeName(call))) return;
    if (fixers::HasSplatArguments(call)) return;
    TSNode shuffle = fixers::KeywordArgument(call, "shuffle", context.text());
    if (ts_node_is_null(shuffle)) shuffle = fixers::PositionalArgument(call, 3);
    else shuffle = Field(shuffle, "value");
    if (!ts_node_is_null(shuffle) && context.Text(shuffle) == "False") return;

    const Symbols& sym = context.symbols();
    TSNode root = call;
    while (!ts_node_is_null(ts_node_parent(root))) root = ts_node_parent(root);
    bool calls_set_epoch = false;
    bool has_epoch_loop = false;
    Walk(root, [&](TSNode node) {
      if (Is(node, sym.attribute) && context.Text(Field(node, "attribute")) == "set_epoch") calls_set_epoch = true;
      if (IsEpochLoop(context, node)) has_epoch_loop = true;
      return !calls_set_epoch;
    });
    if (calls_set_epoch || !has_epoch_loop) return;

    Diagnostic& diagnostic = context.Report(
        call, "`DistributedSampler` shuffles with the same seed every epoch because `set_epoch` is never "
              "called; call `sampler.set_epoch(epoch)` at the start of each epoch");
    AttachFix(context, diagnostic, call);
  }

 private:
  // Inserts `name.set_epoch(epoch)` at the top of the first epoch loop after
  // the assignment `name = DistributedSampler(...)` in the same scope.
  static void AttachFix(RuleContext& context, Diagnostic& diagnostic, TSNode call) {
    const Symbols& sym = context.symbols();
    TSNode assignment = ts_node_parent(call);
    if (!Is(assignment, sym.assignment) || !Is(Field(assignment, "left"), sym.identifier)) return;
    const std::string sampler(context.Text(Field(assignment, "left")));
    TSNode scope = context.semantic().EnclosingScope(call);

    TSNode loop{};
    Walk(scope, [&](TSNode node) {
      if (!ts_node_is_null(loop)) return false;
      if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
        return false;
      }
      if (StartByte(node) > EndByte(assignment) && IsEpochLoop(context, node) &&
          Is(Field(node, "left"), sym.identifier)) {
        loop = node;
        return false;
      }
      return true;
    });
    if (ts_node_is_null(loop)) return;
    TSNode body = Field(loop, "body");
    if (!Is(body, sym.block) || ts_node_named_child_count(body) == 0) return;
    TSNode first = ts_node_named_child(body, 0);
    // The first statement must start its own line so its indentation can be copied.
    const Position position = context.file().PositionOf(StartByte(first));
    const std::string_view line = context.file().LineText(position.line);
    const std::string indent(line.substr(0, position.byte_column - 1));
    if (indent.find_first_not_of(" \t") != std::string::npos) return;

    Fix fix;
    fix.title = "Call `" + sampler + ".set_epoch(...)` at the start of the epoch loop";
    fix.applicability = Applicability::kUnsafe;
    const std::string newline = context.file().line_ending() == LineEnding::kCrLf ? "\r\n" : "\n";
    fix.edits.push_back(Edit{StartByte(first), StartByte(first),
                             sampler + ".set_epoch(" + std::string(context.Text(Field(loop, "left"))) + ")" +
                                 newline + indent});
    diagnostic.fix = std::move(fix);
  }
};

DISTLINT_REGISTER_RULE(SamplerWithoutSetEpoch);

}  // namespace
}  // namespace distlint
