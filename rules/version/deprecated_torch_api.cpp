// VER002 deprecated-torch-api
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "rules/version/torch_api_table.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "VER002",
    "deprecated-torch-api",
    Family::kVersionCompatibility,
    FixStrategy::kVersionCompatibility,
    FixAvailability::kSometimes,
    "torch API deprecated in a torch version the project supports",
    R"md(## What it does
Finds uses of torch APIs that a torch release inside the supported range
(`--target-torch`, by default torch 1.13 and later) deprecates:
`torch.distributed._all_gather_base` and `_reduce_scatter_base`,
`torch.cuda.amp.autocast`, `GradScaler`, `custom_fwd` and `custom_bwd`, and
the others in `rules/data/torch_api.json`. APIs already removed inside the
range are reported by `removed-torch-api` instead.

## Why is this bad?
A deprecated API warns on every call, which floods the logs of every rank,
and it is removed a few releases later: the job that runs today breaks on
the next cluster image. Private names such as `_all_gather_base` can change
behaviour without notice.

## Example
```python
import torch
import torch.distributed as dist

dist._all_gather_base(output, shard)
with torch.cuda.amp.autocast(dtype=torch.bfloat16):
    loss = model(batch)
```

Use instead:
```python
import torch
import torch.distributed as dist

dist.all_gather_into_tensor(output, shard)
with torch.amp.autocast("cuda", dtype=torch.bfloat16):
    loss = model(batch)
```

## Fix safety
A rename to a replacement that exists in every supported version, with the
same arguments or with the device type added first (`torch.amp.autocast`),
is safe. When the replacement is newer than the oldest supported version
(`torch.amp.GradScaler` appeared in 2.3), the fix chooses between the new
and the old API with `hasattr` at run time, which is also safe. APIs whose
replacement takes other arguments get no automatic fix.
)md"};

class DeprecatedTorchApi final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"attribute", "identifier"}; }

  void Check(RuleContext& context, TSNode node) const override {
    const SemanticModel& semantic = context.semantic();
    const TorchApi* api = ResolveTorchApi(semantic, node);
    if (!api || !api->deprecated) return;
    const TorchVersionRange& range = context.options().target_torch;
    if (api->removed && range.ReachesVersion(*api->removed)) return;  // removed-torch-api reports it.
    if (!range.ReachesVersion(*api->deprecated)) return;
    if (IsVersionGuarded(semantic, node)) return;

    std::string message = "`" + api->name + "` is deprecated since torch " + api->deprecated->ToString();
    if (!api->replacement.empty()) message += "; use `" + api->replacement + "`";
    if (!api->prepend_args.empty()) message += " with " + api->prepend_args.front() + " first";
    if (!api->note.empty()) message += " (" + api->note + ")";
    Diagnostic& diagnostic = context.Report(node, message);
    diagnostic.fix = BuildReplacementFix(semantic, node, *api, range);
  }
};

DISTLINT_REGISTER_RULE(DeprecatedTorchApi);

}  // namespace
}  // namespace distlint
