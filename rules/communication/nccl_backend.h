// Backend detection for `init_process_group` calls, shared by the rules
// that depend on NCCL (COM008, COM009).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {

enum class InitBackend { kOther, kNccl, kChosenAtRunTime };

// True when `root` contains the string literal "nccl".
inline bool NamesNccl(const RuleContext& context, TSNode root) {
  // A literal whose value is "nccl" spells it in the source, so a file
  // without that text needs no tree walk.
  if (context.text().find("nccl") == std::string_view::npos) return false;
  bool found = false;
  Walk(root, [&](TSNode node) {
    if (found) return false;
    if (Is(node, context.symbols().string) && StringLiteralValue(node, context.text()) == "nccl") found = true;
    return !found;
  });
  return found;
}

// The backend expression of an `init_process_group` call: `backend=` or
// the first positional argument, or a null node.
inline TSNode BackendArgument(const RuleContext& context, TSNode init) {
  TSNode backend = fixers::KeywordArgument(init, "backend", context.text());
  return ts_node_is_null(backend) ? fixers::PositionalArgument(init, 0) : Field(backend, "value");
}

// The backend that `call` selects when it is `init_process_group`. The
// literal "nccl" gives kNccl. A name, an attribute or a conditional
// expression (`args.backend`, `"nccl" if cuda else "gloo"`) gives
// kChosenAtRunTime when a string literal under `root` is "nccl". Anything
// else, other calls included, gives kOther.
inline InitBackend ReadInitBackend(const RuleContext& context, TSNode call, TSNode root) {
  const Symbols& sym = context.symbols();
  if (context.semantic().CalleeName(call) != "torch.distributed.init_process_group") return InitBackend::kOther;
  TSNode backend = BackendArgument(context, call);
  if (ts_node_is_null(backend)) return InitBackend::kOther;
  const std::optional<std::string> literal = StringLiteralValue(backend, context.text());
  if (literal) return *literal == "nccl" ? InitBackend::kNccl : InitBackend::kOther;
  const bool run_time = Is(backend, sym.identifier) || Is(backend, sym.attribute) ||
                        std::string_view(ts_node_type(backend)) == "conditional_expression";
  return run_time && NamesNccl(context, root) ? InitBackend::kChosenAtRunTime : InitBackend::kOther;
}

}  // namespace distlint
