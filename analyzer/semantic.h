// The semantic model of one file: imports and aliases resolved to qualified
// names, and which expressions depend on the process rank. Rules ask it
// questions; they never match source text.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/source_file.h"
#include "analyzer/syntax.h"

namespace distlint {

class SemanticModel {
 public:
  SemanticModel(const SourceFile& file, TSNode root);

  // The qualified name an identifier or attribute chain refers to, following
  // the file's imports: with `import torch.distributed as dist`, `dist.barrier`
  // resolves to "torch.distributed.barrier". Empty when the base of the chain
  // is not an imported name.
  std::string QualifiedName(TSNode expression) const;

  // QualifiedName mapped onto the API it mirrors: `deepspeed.comm.X` and
  // `torch.distributed.distributed_c10d.X` become `torch.distributed.X`.
  std::string CanonicalName(TSNode expression) const;
  static std::string Canonicalize(std::string qualified_name);

  // The canonical name of the function a call node calls, or empty.
  std::string CalleeName(TSNode call) const;

  // True when the file imports torch.distributed, deepspeed, megatron or
  // colossalai (directly or through a submodule or a name from them).
  bool UsesDistributed() const { return uses_distributed_; }
  // True when the file itself runs as part of a distributed job: it imports
  // torch.distributed or deepspeed.comm, calls a framework's launch or
  // parallel-state API, wraps a model in DistributedDataParallel, or reads a
  // rank environment variable. Importing DeepSpeed, Megatron-LM or
  // Colossal-AI for other reasons (a single-process kernel test) does not
  // count.
  bool RunsDistributed() const;
  // True when an import binds a name under `prefix` (e.g. "torch").
  bool ImportsUnder(std::string_view prefix) const;
  // True when `module` is bound under its own name (`import torch`).
  bool BindsModuleAsItself(const std::string& module) const {
    auto it = aliases_.find(module);
    return it != aliases_.end() && it->second == module;
  }

  // True when the value of `expression` can differ between ranks: it reads
  // the rank (get_rank(), RANK / LOCAL_RANK environment variables, a `rank`
  // or `local_rank` parameter or attribute) or a variable assigned from one.
  bool IsRankDependent(TSNode expression) const;
  // The sub-expression that makes `expression` rank-dependent, for related
  // locations; a null node when it is not rank-dependent.
  TSNode RankSource(TSNode expression) const;

  // The innermost function definition enclosing `node`, or the module.
  TSNode EnclosingScope(TSNode node) const;

  const SourceFile& file() const { return file_; }
  std::string_view Text(TSNode node) const { return NodeText(node, file_.text()); }

 private:
  void CollectImports(TSNode root);
  void BindImport(const std::string& local_name, const std::string& qualified_name);
  void NoteImported(const std::string& qualified_name);
  const std::unordered_set<std::string>& RankTaintedNames(TSNode scope) const;
  bool IsRankSourceLeaf(TSNode node, const std::unordered_set<std::string>& tainted) const;
  bool IsNoneTest(TSNode node) const;

  const SourceFile& file_;
  const Symbols& sym_;
  TSNode root_;
  // Local name -> qualified name, merged over all scopes of the file.
  // NOTE: an import inside a function is visible file-wide here, and a later
  // rebinding of an imported name (`dist = None`) is not tracked.
  std::unordered_map<std::string, std::string> aliases_;
  std::vector<std::string> imported_names_;
  bool uses_distributed_ = false;
  mutable std::unordered_map<uint32_t, std::unordered_set<std::string>> tainted_by_scope_;
  mutable int runs_distributed_ = -1;  // -1 until computed, then 0 or 1.
};

// Qualified names of collective operations: every rank of the process group
// must call them, in the same order.
bool IsCollective(std::string_view canonical_name);
// The short name after the last dot.
std::string_view ShortName(std::string_view qualified_name);

}  // namespace distlint
