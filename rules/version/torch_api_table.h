// The table of torch API lifetimes (rules/data/torch_api.json) and the
// shared matching that the version-compatibility rules use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "analyzer/torch_version.h"

namespace distlint {

struct TorchApi {
  enum class FixKind { kRename, kCall, kManual };

  std::string name;  // Qualified name, e.g. "torch.distributed._all_gather_base".
  bool is_module = false;
  std::optional<TorchVersion> added;  // First release that has the API; unset when older than any supported range.
  std::optional<TorchVersion> deprecated;
  std::optional<TorchVersion> removed;
  std::string replacement;  // Qualified name, or a builtin such as "str"; empty if none.
  std::optional<TorchVersion> replacement_since;
  std::vector<std::string> prepend_args;
  FixKind fix = FixKind::kManual;
  std::string note;
};

class TorchApiTable {
 public:
  // The embedded table, parsed and validated once. Throws std::runtime_error
  // naming the entry when the table is malformed.
  static const TorchApiTable& Get();
  // Parses a table from JSON text; used by Get() and by tests.
  static TorchApiTable Parse(std::string_view json_text);

  const TorchApi* Find(std::string_view qualified_name) const;
  const std::vector<TorchApi>& apis() const { return apis_; }

 private:
  std::vector<TorchApi> apis_;
};

// A use of a table entry found in a file: the node naming it (an attribute
// chain or identifier), or the import statement that imports it.
struct TorchApiUse {
  TSNode node;
  const TorchApi* api;
};

// Returns the table entry that `node` (an identifier or attribute) refers
// to, when `node` is the whole reference (not the object of a longer chain)
// and the file binds it through an import.
const TorchApi* ResolveTorchApi(const SemanticModel& semantic, TSNode node);

// True when `node` sits where the code already checks that the API exists
// or which version runs: under `if hasattr(...)`, a `try` that catches
// ImportError or AttributeError, or a condition reading torch.__version__.
bool IsVersionGuarded(const SemanticModel& semantic, TSNode node);

// Table entries named by an `import a.b [as c]` statement, each with the
// node of its name, unless the statement sits under a version guard.
std::vector<TorchApiUse> ImportedTorchApis(const SemanticModel& semantic, TSNode import_statement);

// Builds the automatic fix for a use of `api` at `node`, or nullopt when the
// replacement is not available across `range` or needs a manual rewrite.
std::optional<Fix> BuildReplacementFix(const SemanticModel& semantic, TSNode node, const TorchApi& api,
                                       const TorchVersionRange& range);

}  // namespace distlint
