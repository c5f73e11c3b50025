// Reusable builders of fix edits. Each returns edits over the file's text
// and never touches the file itself; the fix engine applies them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/semantic.h"
#include "analyzer/syntax.h"

namespace distlint::fixers {

// Replaces the bytes of `node` with `replacement`.
Edit ReplaceNode(TSNode node, std::string replacement);

// Appends `name=value` to the arguments of `call`, after the last argument
// and before a trailing comma if there is one. Returns nullopt when the call
// passes *args or **kwargs, because the keyword may then arrive twice.
std::optional<Edit> AddKeywordArgument(TSNode call, std::string_view name, std::string_view value,
                                       std::string_view text);

// Inserts `arguments` (already joined, e.g. "\"cuda\"") as the first
// positional arguments of `call`.
Edit PrependArguments(TSNode call, std::string_view arguments);

// Removes the single argument `argument` of `call`, with its separator.
Edit RemoveArgument(TSNode call, TSNode argument, std::string_view text);

// Text that names `new_name` from the place of `reference` (an identifier
// or attribute chain that resolves to some other qualified name), keeping
// the alias the file uses for the longest shared module prefix:
// with `import torch.distributed as dist`, `dist._all_gather_base` becomes
// `dist.all_gather_into_tensor`. Falls back to the full name when the file
// binds its top-level package under its own name (`import torch`). Returns
// nullopt when neither is possible.
std::optional<std::string> SpellQualifiedName(const SemanticModel& semantic, TSNode reference,
                                              std::string_view new_name);

// The argument nodes of a call: positional, keyword, splat and comment
// nodes, in order. Backslash line continuations are left out.
std::vector<TSNode> Arguments(TSNode call);
// The keyword argument `name=` of a call, or a null node.
TSNode KeywordArgument(TSNode call, std::string_view name, std::string_view text);
// The index-th positional argument (before any keyword or splat), or a null node.
TSNode PositionalArgument(TSNode call, size_t index);
bool HasSplatArguments(TSNode call);

}  // namespace distlint::fixers
