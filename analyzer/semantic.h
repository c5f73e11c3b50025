// The semantic model of one file: imports and aliases resolved to qualified
// names, and which expressions depend on the process rank. Rules ask it
// questions; they never match source text.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/source_file.h"
#include "analyzer/syntax.h"

namespace distlint {

class ProjectIndex;

class SemanticModel {
 public:
  // `index`, when set, contains the functions of the whole scanned project and
  // must outlive the model. Without it the model indexes this file alone.
  SemanticModel(const SourceFile& file, TSNode root, const ProjectIndex* index = nullptr);
  ~SemanticModel();

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

  // The top-level `def` that a call of the plain name `name` runs, or a null
  // node. The file must define `name` once, with an undecorated top-level
  // `def`, and bind it there in no other way (a decorated definition, a class
  // or an assignment).
  TSNode SoleModuleFunction(std::string_view name) const;
  // The top-level class definitions named `name`, decorated ones included,
  // in document order.
  const std::vector<TSNode>& ModuleClasses(std::string_view name) const;

  // The dotted module name of this file, from its path and the `__init__.py`
  // files of the folders above it ("megatron.core.utils"), or its stem.
  const std::string& module_name() const { return module_name_; }
  // The qualified name of the project function or class a call may run:
  // an imported name (absolute or relative import), a function or class of
  // this file, or `self.method` inside a class. Empty for anything else.
  std::string ProjectCalleeName(TSNode call) const;
  // The qualified name under which the project index stores `definition` (a
  // function_definition), or empty for a function nested in another.
  std::string DefinitionName(TSNode definition) const;
  // The short name of the collective that `call` issues: a collective
  // itself, or a project function or constructor that calls one, directly
  // or through other project functions. Empty when it issues none. For a
  // project function, `through` receives its qualified name.
  std::string IssuedCollective(TSNode call, std::string* through = nullptr) const;
  // True when a return value of `definition` depends on the rank through
  // something other than its parameters (`return dist.get_rank() == 0`).
  bool ReturnsRankDependent(TSNode definition) const;
  // Every call of the file that issues a collective (IssuedCollective), in
  // document order, found in one walk on first use.
  const std::vector<TSNode>& CollectiveCalls() const;
  const ProjectIndex& project_index() const;
  // Points the model at the project index once it is built, for a model
  // that the index pass created. Drops what was computed without it.
  void set_project_index(const ProjectIndex* index);

  const SourceFile& file() const { return file_; }
  std::string_view Text(TSNode node) const { return NodeText(node, file_.text()); }

 private:
  void CollectImports(TSNode root);
  // The absolute module a relative import names (`..utils` in
  // `pkg/sub/mod.py` is "pkg.utils"), or empty when it leaves the package.
  std::string ResolveRelativeImport(std::string_view relative) const;
  TSNode RankSourceIn(TSNode expression, const std::unordered_set<std::string>& tainted) const;
  void BindImport(const std::string& local_name, const std::string& qualified_name);
  void NoteImported(const std::string& qualified_name);
  const std::unordered_set<std::string>& RankTaintedNames(TSNode scope, bool seed_parameters = true) const;
  std::unordered_set<std::string> RankUniformNames(TSNode scope) const;
  bool IsRankReturningCall(TSNode call) const;
  // The class whose body directly contains `function`, or a null node.
  TSNode EnclosingClass(TSNode function) const;
  bool IsRankSourceLeaf(TSNode node, const std::unordered_set<std::string>& tainted) const;
  bool IsNoneTest(TSNode node) const;
  bool IsFieldRead(TSNode node) const;

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
  std::string module_name_;
  std::unordered_set<std::string> module_definitions_;  // Top-level function and class names.
  // Top-level name -> its undecorated `def`, or a null node when the name is
  // defined twice or also bound by a decorated definition, class or assignment.
  std::unordered_map<std::string, TSNode> sole_module_functions_;
  std::unordered_map<std::string, std::vector<TSNode>> module_classes_;
  const ProjectIndex* index_;
  mutable std::unique_ptr<ProjectIndex> local_index_;
  // Set while this model builds its own file's index facts, so rank queries
  // do not ask the index that is being built.
  mutable bool indexing_ = false;
  mutable std::vector<TSNode> collective_calls_;
  mutable bool collective_calls_ready_ = false;
  friend class ProjectIndex;
};

// Qualified names of collective operations: every rank of the process group
// must call them, in the same order.
bool IsCollective(std::string_view canonical_name);
// The short name after the last dot.
std::string_view ShortName(std::string_view qualified_name);

}  // namespace distlint
