// PAR004 parameter-not-forwarded
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"
#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "PAR004",
    "parameter-not-forwarded",
    Family::kParameterHandling,
    FixStrategy::kParameterHandling,
    FixAvailability::kSometimes,
    "Function parameter never used although a torch.distributed call in it takes the same argument",
    R"md(## What it does
Finds a function parameter such as `timeout`, `group`, `backend` or
`async_op` that the function body never reads, while a `torch.distributed`
call in the body (from `rules/data/torch_distributed_signatures.json`) has a
parameter of the same name and does not receive it. Parameters named
`self`, `cls` or starting with an underscore are skipped.

## Why is this bad?
The caller's setting is silently dropped, and the call uses torch's
default instead. A process group created without the configured `timeout`
aborts after the default timeout on a slow step while every other group
waits; a collective that ignores its `group` runs on the whole world and
hangs or mixes data between groups.

## Example
```python
def initialize_expert_parallel(ranks_list, timeout=timedelta(minutes=30)):
    for ranks in ranks_list:
        group = dist.new_group(ranks)
```

Use instead:
```python
def initialize_expert_parallel(ranks_list, timeout=timedelta(minutes=30)):
    for ranks in ranks_list:
        group = dist.new_group(ranks, timeout=timeout)
```

## Fix safety
The fix adds `name=name` to the call. It changes which value the call
uses, so it is unsafe. There is no fix when the call unpacks `*args` or
`**kwargs`.
)md"};

class ParameterNotForwarded final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"function_definition"}; }

  // Reads the body once for the names it mentions and once for its
  // torch.distributed calls, so a long function costs time linear in its
  // size rather than in its size times its number of calls.
  void Check(RuleContext& context, TSNode function) const override {
    const Symbols& sym = context.symbols();
    const Signature parameters = DefinitionSignature(context, function);
    std::vector<std::string> candidates;
    for (const std::string& name : parameters.params) {
      if (name == "self" || name == "cls" || name.starts_with("_")) continue;
      candidates.push_back(name);
    }
    if (candidates.empty()) return;

    // Nested functions count as readers, because they may read a parameter
    // as a closure variable.
    const TSNode body = Field(function, "body");
    std::unordered_set<std::string_view> mentioned;
    Walk(body, [&](TSNode node) {
      if (Is(node, sym.identifier)) mentioned.insert(context.Text(node));
      return true;
    });
    std::erase_if(candidates, [&](const std::string& name) { return mentioned.contains(name); });
    if (candidates.empty()) return;

    // Only the calls of this function itself, because a nested function has its own parameters.
    Walk(body, [&](TSNode node) {
      if (Is(node, sym.function_definition)) return false;
      if (Is(node, sym.call)) CheckCall(context, function, node, candidates);
      return true;
    });
  }

 private:
  static void CheckCall(RuleContext& context, TSNode function, TSNode call, const std::vector<std::string>& unread) {
    const std::string callee = TorchDistributedCallee(context, call);
    if (callee.empty()) return;
    const Signature* signature = TorchDistributedSignature(callee);
    if (!signature) return;

    for (const std::string& name : unread) {
      if (!signature->Accepts(name)) continue;
      if (PassesParameter(context, call, *signature, name)) continue;

      Diagnostic& diagnostic =
          context.Report(call, "parameter `" + name + "` of `" + std::string(context.Text(Field(function, "name"))) +
                                   "` is never used, so `" + callee + "` runs with its default `" + name +
                                   "` instead of the caller's; pass `" + name + "=" + name + "`");
      if (auto edit = fixers::AddKeywordArgument(call, name, name, context.text())) {
        Fix fix;
        fix.title = "Pass `" + name + "=" + name + "`";
        fix.applicability = Applicability::kUnsafe;
        fix.edits.push_back(std::move(*edit));
        diagnostic.fix = std::move(fix);
      }
    }
  }

  // True when `call` passes the parameter `name`, as a keyword or by position.
  static bool PassesParameter(const RuleContext& context, TSNode call, const Signature& signature,
                              const std::string& name) {
    if (!ts_node_is_null(fixers::KeywordArgument(call, name, context.text()))) return true;
    for (size_t index = 0; index < signature.params.size(); ++index) {
      if (signature.params[index] != name) continue;
      return !ts_node_is_null(fixers::PositionalArgument(call, index));
    }
    return false;
  }
};

DISTLINT_REGISTER_RULE(ParameterNotForwarded);

}  // namespace
}  // namespace distlint
