#include "analyzer/semantic.h"

#include <array>
#include <cstdint>
#include <filesystem>

#include "analyzer/project_index.h"

namespace distlint {
namespace {

constexpr std::string_view kDistributed = "torch.distributed";

struct PrefixRewrite {
  std::string_view from;
  std::string_view to;
};

// Modules whose API mirrors torch.distributed, longest prefix first.
constexpr std::array<PrefixRewrite, 4> kRewrites = {{
    {"torch.distributed.distributed_c10d", "torch.distributed"},
    {"deepspeed.comm.comm", "torch.distributed"},
    {"deepspeed.comm.torch", "torch.distributed"},
    {"deepspeed.comm", "torch.distributed"},
}};

constexpr std::array<std::string_view, 22> kCollectives = {
    "all_reduce",          "all_gather",          "all_gather_into_tensor", "all_gather_object",
    "reduce_scatter",      "reduce_scatter_tensor", "broadcast",            "broadcast_object_list",
    "reduce",              "gather",              "gather_object",          "scatter",
    "scatter_object_list", "all_to_all",          "all_to_all_single",      "barrier",
    "monitored_barrier",   "_all_gather_base",    "_reduce_scatter_base",   "all_reduce_coalesced",
    "all_gather_coalesced", "new_group",
};

// Functions of torch.distributed (canonical) that return the calling rank.
constexpr std::array<std::string_view, 4> kRankGetters = {
    "torch.distributed.get_rank", "torch.distributed.get_local_rank", "torch.distributed.get_global_rank",
    "torch.distributed.get_node_local_rank"};

constexpr std::array<std::string_view, 6> kRankEnvironmentVariables = {
    "RANK", "LOCAL_RANK", "SLURM_PROCID", "SLURM_LOCALID", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_LOCAL_RANK"};

// Parameter and attribute names that hold the rank by convention.
constexpr std::array<std::string_view, 4> kRankNames = {"rank", "local_rank", "global_rank", "node_rank"};

// Method names that return the calling rank, or whether it is a particular
// rank or pipeline stage, on objects the model cannot resolve
// (`self.stage_manager.is_first_stage()`, `group.rank()`, `accelerator.is_main_process`).
constexpr std::array<std::string_view, 11> kRankMethodNames = {
    "get_rank",       "get_local_rank",          "get_global_rank",         "is_first_stage",
    "is_last_stage",  "is_pipeline_first_stage", "is_pipeline_last_stage",  "is_main_process",
    "is_rank_0",      "is_local_main_process",   "rank"};

// Framework modules whose `get_*_rank()` functions return the calling
// rank within some parallel group (Megatron-LM's parallel_state and mpu,
// Colossal-AI's global context, DeepSpeed's groups).
constexpr std::array<std::string_view, 3> kFrameworkModules = {"megatron", "colossalai", "deepspeed"};

// Collectives whose buffers hold the same value on every rank afterwards,
// so a variable passed to them is no longer rank-dependent.
constexpr std::array<std::string_view, 8> kUniformingCollectives = {
    "all_reduce", "broadcast", "all_gather", "all_gather_into_tensor", "broadcast_object_list",
    "all_gather_object", "_all_gather_base", "all_reduce_coalesced"};

bool StartsWithModule(std::string_view name, std::string_view prefix) {
  return name.size() >= prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
         (name.size() == prefix.size() || name[prefix.size()] == '.');
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& values, std::string_view value) {
  for (std::string_view candidate : values) {
    if (candidate == value) return true;
  }
  return false;
}

// Appends (targets, value) pairs for an assignment. `rank, world_size =
// get_rank(), get_world_size()` pairs each target with its own value, so
// `world_size` is not tainted by the rank next to it. Other shapes, and
// unpacking with a starred target, stay one pair.
void AddAssignmentPairs(TSNode left, TSNode right, std::vector<std::pair<TSNode, TSNode>>& pairs) {
  const Symbols& sym = Symbols::Get();
  const bool target_list = Is(left, sym.pattern_list) || Is(left, sym.tuple_pattern);
  const bool value_list = Is(right, sym.tuple) || std::string_view(ts_node_type(right)) == "expression_list";
  const std::vector<TSNode> targets = NamedChildren(left);
  const std::vector<TSNode> values = NamedChildren(right);
  bool elementwise = target_list && value_list && targets.size() == values.size();
  for (size_t i = 0; elementwise && i < targets.size(); ++i) {
    const std::string_view target_kind = ts_node_type(targets[i]);
    const std::string_view value_kind = ts_node_type(values[i]);
    if (target_kind.find("splat") != std::string_view::npos || value_kind.find("splat") != std::string_view::npos ||
        Is(targets[i], sym.comment) || Is(values[i], sym.comment)) {
      elementwise = false;
    }
  }
  if (!elementwise) {
    pairs.emplace_back(left, right);
    return;
  }
  for (size_t i = 0; i < targets.size(); ++i) pairs.emplace_back(targets[i], values[i]);
}

// True for a comparison that checks whether a rank is set, not which one:
// `rank >= 0`, `rank < 0`, `rank == -1`, `rank != -1`, `rank > -1` and
// `rank <= -1`. Launchers and argument parsers use -1 for "not distributed",
// so every rank of a job takes the same side.
bool IsRankSentinelTest(TSNode node, std::string_view text) {
  if (!Is(node, Symbols::Get().comparison_operator) || ts_node_named_child_count(node) != 2) return false;
  std::string op;
  for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
    TSNode child = ts_node_child(node, i);
    if (!ts_node_is_named(child)) op.append(NodeText(child, text));
  }
  const std::string_view right = NodeText(ts_node_named_child(node, 1), text);
  if (right == "0") return op == ">=" || op == "<";
  if (right == "-1") return op == "==" || op == "!=" || op == ">" || op == "<=";
  return false;
}

// Keyword arguments that only control how a call displays or logs its work,
// such as tqdm's `disable`, `desc`, `position` and `leave`, print's `file`
// or a `verbose` flag. The list also has those that only choose the device
// of the result. Neither kind changes what the result contains:
// `tqdm(loader, disable=not is_rank_0())` yields the same batches on every
// rank, and `Model(device=local_rank)` has the same parameters on every rank.
constexpr std::array<std::string_view, 22> kRankNeutralKeywords = {
    "disable",       "desc",        "position", "leave",      "verbose", "file",          "ncols",
    "dynamic_ncols", "mininterval", "unit",     "colour",     "postfix", "flush",         "end",
    "bar_format",    "logger",      "log_level", "show_progress", "device", "device_ids", "output_device",
    "map_location"};

// Methods whose arguments only choose a device or dtype: `x.to(rank)` and
// `x.cuda(local_rank)` are rank-dependent only when `x` is.
constexpr std::array<std::string_view, 2> kPlacementMethods = {"to", "cuda"};

// True for an argument that does not carry the rank into its call's result:
// a keyword of kRankNeutralKeywords, or the argument list of a
// kPlacementMethods call.
bool IsRankNeutralArgument(TSNode node, std::string_view text) {
  const Symbols& sym = Symbols::Get();
  if (Is(node, sym.keyword_argument)) return Contains(kRankNeutralKeywords, NodeText(Field(node, "name"), text));
  if (!Is(node, sym.argument_list)) return false;
  TSNode function = Field(ts_node_parent(node), "function");
  return Is(function, sym.attribute) && Contains(kPlacementMethods, NodeText(Field(function, "attribute"), text));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// True for a canonical callee name that returns the calling rank or tests
// which rank or pipeline stage this is.
bool IsRankGetterName(std::string_view callee) {
  if (Contains(kRankGetters, callee) || callee == "torch.cuda.current_device") return true;
  bool framework = false;
  for (std::string_view module : kFrameworkModules) framework = framework || StartsWithModule(callee, module);
  if (!framework) return false;
  const std::string_view name = ShortName(callee);
  if (name.starts_with("is_pipeline_") && EndsWith(name, "_stage")) return true;
  if (name == "is_rank_0" || name == "is_main_process" || name == "is_local_main_process") return true;
  const bool getter = (name.starts_with("get_") || name.starts_with("_get_")) && EndsWith(name, "_rank");
  // The source, first and last ranks of a group are the same on all its
  // members, and neighbours are arguments, not branch conditions.
  for (std::string_view uniform : {"src", "first", "last", "next", "prev", "world"}) {
    if (name.find(uniform) != std::string_view::npos) return false;
  }
  return getter;
}

}  // namespace

std::string_view ShortName(std::string_view qualified_name) {
  const size_t dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? qualified_name : qualified_name.substr(dot + 1);
}

bool IsCollective(std::string_view canonical_name) {
  if (!StartsWithModule(canonical_name, kDistributed)) return false;
  const std::string_view rest = canonical_name.substr(kDistributed.size());
  if (rest.size() < 2 || rest.find('.', 1) != std::string_view::npos) return false;
  return Contains(kCollectives, rest.substr(1));
}

SemanticModel::SemanticModel(const SourceFile& file, TSNode root, const ProjectIndex* index)
    : file_(file), sym_(Symbols::Get()), root_(root), module_name_(ModuleNameForPath(file.path())), index_(index) {
  CollectImports(root);
  for (TSNode child : NamedChildren(root)) {
    const bool decorated = Is(child, sym_.decorated_definition);
    if (decorated) child = Field(child, "definition");
    if (Is(child, sym_.function_definition) || Is(child, sym_.class_definition)) {
      std::string name(Text(Field(child, "name")));
      module_definitions_.insert(name);
      if (Is(child, sym_.class_definition)) module_classes_[name].push_back(child);
      // A second definition, a decorator or a class leaves no sole `def`.
      const bool sole = !decorated && Is(child, sym_.function_definition);
      auto [it, inserted] = sole_module_functions_.emplace(std::move(name), sole ? child : TSNode{});
      if (!inserted) it->second = TSNode{};
    } else if (Is(child, sym_.expression_statement)) {
      // Ex) helper = functools.partial(helper, group=None) rebinds `helper`.
      TSNode inner = ts_node_named_child(child, 0);
      if (Is(inner, sym_.assignment)) sole_module_functions_[std::string(Text(Field(inner, "left")))] = TSNode{};
    }
  }
}

const std::vector<TSNode>& SemanticModel::ModuleClasses(std::string_view name) const {
  static const std::vector<TSNode> kNone;
  auto it = module_classes_.find(std::string(name));
  return it == module_classes_.end() ? kNone : it->second;
}

TSNode SemanticModel::SoleModuleFunction(std::string_view name) const {
  auto it = sole_module_functions_.find(std::string(name));
  return it == sole_module_functions_.end() ? TSNode{} : it->second;
}

SemanticModel::~SemanticModel() = default;

void SemanticModel::set_project_index(const ProjectIndex* index) {
  index_ = index;
  local_index_.reset();
  tainted_by_scope_.clear();
  collective_calls_.clear();
  collective_calls_ready_ = false;
}

void SemanticModel::BindImport(const std::string& local_name, const std::string& qualified_name) {
  aliases_[local_name] = qualified_name;
  NoteImported(qualified_name);
}

void SemanticModel::NoteImported(const std::string& qualified_name) {
  imported_names_.push_back(qualified_name);
  static constexpr std::array<std::string_view, 5> kDistributedModules = {
      "torch.distributed", "deepspeed", "megatron", "colossalai", "torch.nn.parallel"};
  for (std::string_view module : kDistributedModules) {
    if (StartsWithModule(qualified_name, module)) uses_distributed_ = true;
  }
}

void SemanticModel::CollectImports(TSNode root) {
  const std::string_view text = file_.text();
  Walk(root, [&](TSNode node) {
    const TSSymbol symbol = ts_node_symbol(node);
    if (symbol == sym_.import_statement) {
      // import a.b.c        -> binds a (to "a"); the chain a.b.c resolves through it
      // import a.b.c as x   -> binds x to "a.b.c"
      for (TSNode child : NamedChildren(node)) {
        if (Is(child, sym_.dotted_name)) {
          const std::string full(NodeText(child, text));
          const std::string first = full.substr(0, full.find('.'));
          aliases_[first] = first;
          NoteImported(full);
        } else if (Is(child, sym_.aliased_import)) {
          const std::string full(NodeText(Field(child, "name"), text));
          aliases_[std::string(NodeText(Field(child, "alias"), text))] = full;
          NoteImported(full);
        }
      }
      return false;
    }
    if (symbol == sym_.import_from_statement) {
      TSNode module = Field(node, "module_name");
      const std::string module_name =
          Is(module, sym_.relative_import) ? ResolveRelativeImport(NodeText(module, text)) : std::string(NodeText(module, text));
      if (module_name.empty()) return false;
      const uint32_t count = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (ts_node_eq(child, module)) continue;
        if (Is(child, sym_.dotted_name)) {
          const std::string name(NodeText(child, text));
          BindImport(name, module_name + "." + name);
        } else if (Is(child, sym_.aliased_import)) {
          const std::string name(NodeText(Field(child, "name"), text));
          BindImport(std::string(NodeText(Field(child, "alias"), text)), module_name + "." + name);
        } else if (Is(child, sym_.wildcard_import)) {
          NoteImported(module_name + ".*");
        }
      }
      return false;
    }
    return true;
  });
}

bool SemanticModel::RunsDistributed() const {
  if (runs_distributed_ >= 0) return runs_distributed_ == 1;
  static constexpr std::array<std::string_view, 6> kDistributedEntryPoints = {
      "torch.distributed",  "deepspeed.init_distributed", "deepspeed.initialize",
      "colossalai.launch",  "megatron.core.parallel_state", "torch.nn.parallel.DistributedDataParallel"};
  // Importing the communication API itself is taken as intent to use it.
  bool found = ImportsUnder("torch.distributed") || ImportsUnder("deepspeed.comm");
  if (!found && uses_distributed_) {
    Walk(root_, [&](TSNode node) {
      if (found) return false;
      if (Is(node, sym_.call)) {
        const std::string callee = CalleeName(node);
        for (std::string_view entry : kDistributedEntryPoints) {
          if (StartsWithModule(callee, entry) || callee.rfind(std::string(entry) + "_", 0) == 0) found = true;
        }
        if (!found && IsRankSourceLeaf(node, {})) found = true;
      } else if (Is(node, sym_.subscript) && IsRankSourceLeaf(node, {})) {
        found = true;
      }
      return !found;
    });
  }
  runs_distributed_ = found ? 1 : 0;
  return found;
}

bool SemanticModel::ImportsUnder(std::string_view prefix) const {
  for (const std::string& name : imported_names_) {
    if (StartsWithModule(name, prefix)) return true;
  }
  return false;
}

std::string SemanticModel::QualifiedName(TSNode expression) const {
  if (Is(expression, sym_.identifier)) {
    auto it = aliases_.find(std::string(Text(expression)));
    return it == aliases_.end() ? std::string() : it->second;
  }
  // Walk down the chain iteratively: `a.b.b...` may be nested thousands deep.
  // No known module path is longer than kMaxDepth names, so deeper chains
  // resolve to nothing, which also keeps rules that call this on every
  // attribute of a long chain from going quadratic.
  constexpr int kMaxDepth = 64;
  std::vector<TSNode> attributes;
  TSNode base = expression;
  while (Is(base, sym_.attribute)) {
    if (attributes.size() == kMaxDepth) return {};
    attributes.push_back(base);
    base = Field(base, "object");
  }
  if (attributes.empty() || !Is(base, sym_.identifier)) return {};
  std::string name = QualifiedName(base);
  if (name.empty()) return name;
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    name.push_back('.');
    name.append(Text(Field(*it, "attribute")));
  }
  return name;
}

std::string SemanticModel::Canonicalize(std::string name) {
  for (const PrefixRewrite& rewrite : kRewrites) {
    if (StartsWithModule(name, rewrite.from)) {
      return std::string(rewrite.to) + name.substr(rewrite.from.size());
    }
  }
  return name;
}

std::string SemanticModel::CanonicalName(TSNode expression) const { return Canonicalize(QualifiedName(expression)); }

std::string SemanticModel::CalleeName(TSNode call) const {
  if (!Is(call, sym_.call)) return {};
  return CanonicalName(Field(call, "function"));
}

TSNode SemanticModel::EnclosingScope(TSNode node) const {
  for (TSNode current = ts_node_parent(node); !ts_node_is_null(current); current = ts_node_parent(current)) {
    if (Is(current, sym_.function_definition)) return current;
  }
  return root_;
}

bool SemanticModel::IsRankSourceLeaf(TSNode node, const std::unordered_set<std::string>& tainted) const {
  const TSSymbol symbol = ts_node_symbol(node);
  if (symbol == sym_.call) {
    const std::string callee = CalleeName(node);
    if (IsRankGetterName(callee)) return true;
    if (!StartsWithModule(callee, "torch") && IsRankReturningCall(node)) return true;
    // os.environ.get("RANK"), os.getenv("LOCAL_RANK")
    if (callee == "os.environ.get" || callee == "os.getenv" || callee == "os.environ.__getitem__") {
      TSNode arguments = Field(node, "arguments");
      if (ts_node_named_child_count(arguments) > 0) {
        auto key = StringLiteralValue(ts_node_named_child(arguments, 0), file_.text());
        if (key && Contains(kRankEnvironmentVariables, *key)) return true;
      }
    }
    return false;
  }
  if (symbol == sym_.subscript) {
    // os.environ["LOCAL_RANK"]
    if (QualifiedName(Field(node, "value")) == "os.environ") {
      auto key = StringLiteralValue(Field(node, "subscript"), file_.text());
      return key && Contains(kRankEnvironmentVariables, *key);
    }
    return false;
  }
  if (symbol == sym_.attribute) {
    // args.local_rank, self.rank, accelerator.is_main_process
    const std::string_view attribute = Text(Field(node, "attribute"));
    const bool rank_name = Contains(kRankNames, attribute) || attribute == "is_main_process" ||
                           attribute == "is_local_main_process";
    return rank_name && QualifiedName(node).empty() && !Is(ts_node_parent(node), sym_.call);
  }
  if (symbol == sym_.identifier) {
    return tainted.count(std::string(Text(node))) > 0;
  }
  return false;
}

bool SemanticModel::IsFieldRead(TSNode node) const {
  // `dispatcher.ep_size` of a rank-dependent `dispatcher` is a field that
  // may be the same on every rank, so the taint does not pass through it.
  // A method call on the object (`rank_tensor.item()`) keeps the taint.
  if (!Is(node, sym_.attribute)) return false;
  TSNode parent = ts_node_parent(node);
  return !(Is(parent, sym_.call) && ts_node_eq(Field(parent, "function"), node));
}

bool SemanticModel::IsNoneTest(TSNode node) const {
  // `rank is None` tests whether a rank was passed, which is the same on
  // every rank, and does not compare the rank's value.
  if (!Is(node, sym_.comparison_operator) || ts_node_named_child_count(node) != 2) return false;
  for (TSNode operand : NamedChildren(node)) {
    if (std::string_view(ts_node_type(operand)) == "none") return true;
  }
  return false;
}

TSNode SemanticModel::RankSource(TSNode expression) const {
  if (ts_node_is_null(expression)) return expression;
  return RankSourceIn(expression, RankTaintedNames(EnclosingScope(expression)));
}

TSNode SemanticModel::RankSourceIn(TSNode expression, const std::unordered_set<std::string>& tainted) const {
  TSNode found{};
  Walk(expression, [&](TSNode node) {
    if (!ts_node_is_null(found)) return false;
    if (Is(node, sym_.lambda) || Is(node, sym_.function_definition)) return false;
    if (IsNoneTest(node)) return false;
    if (IsRankSentinelTest(node, file_.text())) return false;
    if (IsRankNeutralArgument(node, file_.text())) return false;
    if (IsRankSourceLeaf(node, tainted)) {
      found = node;
      return false;
    }
    if (IsFieldRead(node)) return false;
    // The callee of a call is not itself a value: dist.get_rank is checked as a call.
    return true;
  });
  return found;
}

bool SemanticModel::IsRankDependent(TSNode expression) const { return !ts_node_is_null(RankSource(expression)); }

const std::unordered_set<std::string>& SemanticModel::RankTaintedNames(TSNode scope, bool seed_parameters) const {
  // A function that starts at byte 0 shares its start with the module, so
  // the module gets a key that no function can have. Sets without the
  // parameters are kept under the key with the top bit set.
  uint32_t key = ts_node_eq(scope, root_) ? UINT32_MAX : StartByte(scope);
  if (!seed_parameters) key = key == UINT32_MAX ? UINT32_MAX - 1 : key | 0x80000000u;
  auto [it, inserted] = tainted_by_scope_.try_emplace(key);
  std::unordered_set<std::string>& tainted = it->second;
  if (!inserted) return tainted;

  // Module-level names assigned from the rank are visible in every function.
  // NOTE: a local rebinding of such a name inside the function is not seen.
  if (!ts_node_eq(scope, root_)) tainted = RankTaintedNames(root_);

  // Parameters named like the rank are rank-dependent.
  if (seed_parameters && Is(scope, sym_.function_definition)) {
    for (TSNode parameter : NamedChildren(Field(scope, "parameters"))) {
      TSNode name = parameter;
      if (!Is(name, sym_.identifier)) name = Field(parameter, "name");
      if (!Is(name, sym_.identifier) && ts_node_named_child_count(parameter) > 0) {
        name = ts_node_named_child(parameter, 0);
      }
      if (Is(name, sym_.identifier) && Contains(kRankNames, Text(name))) tainted.insert(std::string(Text(name)));
    }
  }

  // Assignments from rank-dependent values, to a fixed point (bounded) so an
  // assignment that reads a name tainted further down is caught too.
  struct Binding {
    TSNode targets;
    TSNode value;
    bool augmented;
  };
  std::vector<Binding> bindings;
  Walk(scope, [&](TSNode node) {
    if (!ts_node_eq(node, scope) && (Is(node, sym_.function_definition) || Is(node, sym_.class_definition) ||
                                     Is(node, sym_.lambda))) {
      return false;
    }
    if (Is(node, sym_.assignment) || Is(node, sym_.augmented_assignment)) {
      TSNode right = Field(node, "right");
      if (ts_node_is_null(right)) return true;
      std::vector<std::pair<TSNode, TSNode>> pairs;
      AddAssignmentPairs(Field(node, "left"), right, pairs);
      for (const auto& [targets, value] : pairs) {
        bindings.push_back(Binding{targets, value, Is(node, sym_.augmented_assignment)});
      }
    }
    return true;
  });
  const std::unordered_set<std::string> uniform = RankUniformNames(scope);
  for (const std::string& name : uniform) tainted.erase(name);

  // A name assigned several times is rank-dependent only when every plain
  // assignment is: `state = load(...)` in one branch and `state = {}` in
  // another would otherwise taint every later read of `state`, because the
  // analysis does not follow the order of statements. An augmented
  // assignment (`count += rank`) taints on its own.
  // NOTE: a name that is rank-dependent on only some paths is missed.
  for (int round = 0; round < 4; ++round) {
    std::unordered_map<std::string, std::pair<int, int>> plain;  // name -> (assignments, tainted ones)
    std::unordered_set<std::string> from_augmented;
    for (const Binding& binding : bindings) {
      bool value_tainted = false;
      Walk(binding.value, [&](TSNode node) {
        if (value_tainted || Is(node, sym_.lambda) || IsRankNeutralArgument(node, file_.text())) return false;
        if (IsRankSourceLeaf(node, tainted)) value_tainted = true;
        return !value_tainted && !IsFieldRead(node);
      });
      Walk(binding.targets, [&](TSNode node) {
        if (Is(node, sym_.identifier)) {
          const std::string name(Text(node));
          if (binding.augmented) {
            if (value_tainted) from_augmented.insert(name);
          } else {
            auto& counts = plain[name];
            ++counts.first;
            counts.second += value_tainted ? 1 : 0;
          }
        }
        return !Is(node, sym_.attribute) && !Is(node, sym_.subscript);
      });
    }
    bool changed = false;
    auto taint = [&](const std::string& name) {
      if (!uniform.count(name) && tainted.insert(name).second) changed = true;
    };
    for (const auto& [name, counts] : plain) {
      if (counts.second > 0 && counts.second == counts.first) taint(name);
    }
    for (const std::string& name : from_augmented) taint(name);
    if (!changed) break;
  }
  return tainted;
}

std::unordered_set<std::string> SemanticModel::RankUniformNames(TSNode scope) const {
  // NOTE: flow-insensitive: a variable passed to a broadcast anywhere in the
  // scope counts as uniform everywhere in it, also before the broadcast.
  std::unordered_set<std::string> uniform;
  Walk(scope, [&](TSNode node) {
    if (!ts_node_eq(node, scope) && (Is(node, sym_.function_definition) || Is(node, sym_.class_definition) ||
                                     Is(node, sym_.lambda))) {
      return false;
    }
    if (!Is(node, sym_.call)) return true;
    const std::string callee = CalleeName(node);
    if (!IsCollective(callee) || !Contains(kUniformingCollectives, ShortName(callee))) return true;
    TSNode arguments = Field(node, "arguments");
    for (TSNode argument : NamedChildren(arguments)) {
      TSNode value = argument;
      if (Is(argument, sym_.keyword_argument)) {
        const std::string_view name = Text(Field(argument, "name"));
        if (name != "tensor" && name != "object_list" && name != "tensor_list" && name != "output_tensor") continue;
        value = Field(argument, "value");
      }
      if (Is(value, sym_.identifier)) uniform.insert(std::string(Text(value)));
      if (!Is(argument, sym_.keyword_argument)) break;  // Only the first positional argument is a buffer.
    }
    return true;
  });
  return uniform;
}

std::string SemanticModel::ResolveRelativeImport(std::string_view relative) const {
  size_t dots = 0;
  while (dots < relative.size() && relative[dots] == '.') ++dots;
  std::vector<std::string> package;
  size_t start = 0;
  for (size_t dot; (dot = module_name_.find('.', start)) != std::string::npos; start = dot + 1) {
    package.push_back(module_name_.substr(start, dot - start));
  }
  package.push_back(module_name_.substr(start));
  // A module's package is its name without the last part; an `__init__.py`
  // is its package.
  const std::string stem = std::filesystem::path(file_.path()).stem().string();
  if (stem != "__init__") package.pop_back();
  for (size_t level = 1; level < dots; ++level) {
    if (package.empty()) return {};
    package.pop_back();
  }
  if (package.empty()) return {};
  std::string name;
  for (const std::string& part : package) name += (name.empty() ? "" : ".") + part;
  if (dots < relative.size()) name += "." + std::string(relative.substr(dots));
  return name;
}

TSNode SemanticModel::EnclosingClass(TSNode function) const {
  TSNode parent = ts_node_parent(function);
  if (Is(parent, sym_.decorated_definition)) parent = ts_node_parent(parent);
  if (!Is(parent, sym_.block)) return TSNode{};
  parent = ts_node_parent(parent);
  return Is(parent, sym_.class_definition) ? parent : TSNode{};
}

std::string SemanticModel::DefinitionName(TSNode definition) const {
  std::vector<std::string_view> parts = {Text(Field(definition, "name"))};
  TSNode current = definition;
  for (;;) {
    TSNode owner = ts_node_parent(current);
    if (Is(owner, sym_.decorated_definition)) owner = ts_node_parent(owner);
    if (Is(owner, sym_.module)) break;
    if (!Is(owner, sym_.block)) return {};
    owner = ts_node_parent(owner);
    if (!Is(owner, sym_.class_definition)) return {};  // Nested in a function, if or loop.
    parts.push_back(Text(Field(owner, "name")));
    current = owner;
  }
  std::string name = module_name_;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) name += "." + std::string(*it);
  return name;
}

std::string SemanticModel::ProjectCalleeName(TSNode call) const {
  TSNode function = Field(call, "function");
  if (Is(function, sym_.identifier)) {
    const std::string name(Text(function));
    auto alias = aliases_.find(name);
    if (alias != aliases_.end()) return alias->second;
    if (module_definitions_.count(name)) return module_name_ + "." + name;
    return {};
  }
  if (!Is(function, sym_.attribute)) return {};
  TSNode object = Field(function, "object");
  if (Is(object, sym_.identifier) && (Text(object) == "self" || Text(object) == "cls")) {
    // self.method() inside a method of class C: "module.C.method".
    TSNode scope = EnclosingScope(call);
    if (!Is(scope, sym_.function_definition)) return {};
    TSNode owner = EnclosingClass(scope);
    if (ts_node_is_null(owner)) return {};
    const std::string class_name = DefinitionName(scope);
    const size_t dot = class_name.rfind('.');
    if (dot == std::string::npos) return {};
    return class_name.substr(0, dot) + "." + std::string(Text(Field(function, "attribute")));
  }
  return QualifiedName(function);
}

const ProjectIndex& SemanticModel::project_index() const {
  if (index_ != nullptr) return *index_;
  if (!local_index_) {
    auto local = std::make_unique<ProjectIndex>();
    local->Add(ProjectIndex::ExtractFacts(*this, root_));
    local->Finalize();
    local_index_ = std::move(local);
  }
  return *local_index_;
}

std::string SemanticModel::IssuedCollective(TSNode call, std::string* through) const {
  const std::string callee = CalleeName(call);
  if (IsCollective(callee)) return std::string(ShortName(callee));
  if (!callee.empty() && (StartsWithModule(callee, "torch") || StartsWithModule(callee, "deepspeed.comm"))) return {};
  const std::string project_name = ProjectCalleeName(call);
  if (project_name.empty()) return {};
  const FunctionSummary* summary = project_index().Find(project_name);
  if (summary == nullptr || summary->collective.empty()) return {};
  if (through != nullptr) *through = project_name;
  return summary->collective;
}

const std::vector<TSNode>& SemanticModel::CollectiveCalls() const {
  if (collective_calls_ready_) return collective_calls_;
  collective_calls_ready_ = true;
  Walk(root_, [&](TSNode node) {
    if (Is(node, sym_.call) && !IssuedCollective(node).empty()) collective_calls_.push_back(node);
    return true;
  });
  return collective_calls_;
}

bool SemanticModel::ReturnsRankDependent(TSNode definition) const {
  // Most functions never mention the rank: skip them without a taint pass.
  const std::string_view body = Text(definition);
  bool mentions_rank = false;
  for (std::string_view word : {"rank", "RANK", "stage", "main_process", "current_device"}) {
    mentions_rank = mentions_rank || body.find(word) != std::string_view::npos;
  }
  if (!mentions_rank) return false;
  const auto& tainted = RankTaintedNames(definition, false);
  bool found = false;
  Walk(Field(definition, "body"), [&](TSNode node) {
    if (found || Is(node, sym_.function_definition) || Is(node, sym_.class_definition) || Is(node, sym_.lambda)) {
      return false;
    }
    if (Is(node, sym_.return_statement)) {
      for (TSNode value : NamedChildren(node)) {
        if (!ts_node_is_null(RankSourceIn(value, tainted))) found = true;
      }
      return false;
    }
    return true;
  });
  return found;
}

bool SemanticModel::IsRankReturningCall(TSNode call) const {
  TSNode function = Field(call, "function");
  const std::string qualified = QualifiedName(function);
  if (qualified.empty()) {
    // Unresolved rank getters: `self.stage_manager.is_first_stage()`,
    // `pg.rank()`, a bare `is_main_process()` defined nowhere in the file.
    // `self.rank()` and other methods of the class are looked up below.
    std::string_view name;
    if (Is(function, sym_.attribute)) {
      TSNode object = Field(function, "object");
      if (!(Is(object, sym_.identifier) && Text(object) == "self")) name = Text(Field(function, "attribute"));
    } else if (Is(function, sym_.identifier) && !module_definitions_.count(std::string(Text(function)))) {
      name = Text(function);
      if (name == "rank") name = {};
    }
    if (!name.empty() && Contains(kRankMethodNames, name)) return true;
  }
  if (indexing_) return false;
  const std::string project_name = ProjectCalleeName(call);
  if (project_name.empty()) return false;
  const FunctionSummary* summary = project_index().Find(project_name);
  if (summary == nullptr || !summary->returns_rank) return false;
  // A function that returns a rank-dependent value among other data (a
  // loaded checkpoint, a config object) would taint everything read from
  // its result, so only helpers named for a rank or a role count.
  // NOTE: a rank helper with an unrelated name is missed.
  const std::string_view name = ShortName(project_name);
  for (std::string_view hint : {"rank", "main", "master", "leader", "first", "last", "is_", "should_"}) {
    if (name.find(hint) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace distlint
