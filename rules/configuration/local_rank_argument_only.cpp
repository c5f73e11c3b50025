// CFG004 local-rank-argument-only
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

constexpr RuleInfo kInfo{
    "CFG004",
    "local-rank-argument-only",
    Family::kConfiguration,
    FixStrategy::kConditionalLogic,
    FixAvailability::kNone,
    "Device chosen from the --local_rank option in a file that never reads LOCAL_RANK",
    R"md(## What it does
Finds `X.local_rank` passed to `torch.cuda.set_device`, `torch.device` or a
`device=` keyword argument, directly or through a variable of the same
function assigned from it (`rank = args.local_rank`), in a file that declares a `--local_rank` (or
`--local-rank`) command-line option and never mentions the `LOCAL_RANK`
environment variable (or a launcher's local-rank variable such as
`OMPI_COMM_WORLD_LOCAL_RANK`).

## Why is this bad?
Only the DeepSpeed launcher and the deprecated `torch.distributed.launch`
pass the local rank as a command-line option. `torchrun`, `mpirun`, `srun`
and most cluster schedulers set environment variables instead, so the
option keeps its default (usually -1 or 0). With -1, `set_device` raises;
with 0, every process on a node selects GPU 0, runs out of memory or
serialises on one device, and NCCL may hang.

## Example
```python
parser.add_argument("--local_rank", type=int, default=-1)
args = parser.parse_args()
torch.cuda.set_device(args.local_rank)
```

Use instead:
```python
parser.add_argument("--local_rank", type=int, default=-1)
args = parser.parse_args()
args.local_rank = int(os.environ.get("LOCAL_RANK", args.local_rank))
torch.cuda.set_device(args.local_rank)
```

## Fix safety
No automatic fix: which variable holds the local rank depends on the
launchers the script supports.
)md"};

bool IsLocalRankVariableName(std::string_view value) {
  return value == "LOCAL_RANK" || value == "OMPI_COMM_WORLD_LOCAL_RANK" || value == "MV2_COMM_WORLD_LOCAL_RANK" ||
         value == "SLURM_LOCALID" || value == "MPI_LOCALRANKID" || value == "PMI_LOCAL_RANK";
}

bool IsLocalRankOption(std::string_view value) { return value == "--local_rank" || value == "--local-rank"; }

// The local-rank strings a file contains, computed once per file text and
// thread. Rules are shared between worker threads, so the cache is
// thread-local, and a hash of the text keys it because the next file may
// reuse the addresses.
struct FileStrings {
  bool declares_option = false;
  bool reads_environment = false;
};

FileStrings ScanStrings(const RuleContext& context, TSNode node) {
  thread_local size_t cached_hash = 0;
  thread_local size_t cached_size = 0;
  thread_local FileStrings cached;
  const size_t hash = std::hash<std::string_view>{}(context.text());
  if (hash == cached_hash && context.text().size() == cached_size) return cached;

  TSNode root = node;
  while (!ts_node_is_null(ts_node_parent(root))) root = ts_node_parent(root);
  FileStrings strings;
  const Symbols& sym = context.symbols();
  Walk(root, [&](TSNode child) {
    if (!Is(child, sym.string)) return true;
    auto value = StringLiteralValue(child, context.text());
    if (value && IsLocalRankOption(*value)) strings.declares_option = true;
    if (value && IsLocalRankVariableName(*value)) strings.reads_environment = true;
    return false;
  });
  cached = strings;
  cached_hash = hash;
  cached_size = context.text().size();
  return cached;
}

// True for `args.local_rank`: the attribute `local_rank` of a plain name.
// `self.local_rank` may hold a value computed anywhere, so it does not count.
bool IsOptionRead(const RuleContext& context, TSNode node) {
  const Symbols& sym = context.symbols();
  return Is(node, sym.attribute) && context.Text(Field(node, "attribute")) == "local_rank" &&
         Is(Field(node, "object"), sym.identifier);
}

// The `args.local_rank` read that `device` is, or that a local variable
// `device` was assigned from in the same function (`rank = args.local_rank`),
// or a null node.
TSNode LocalRankOption(const RuleContext& context, TSNode device) {
  const Symbols& sym = context.symbols();
  if (IsOptionRead(context, device)) return device;
  if (!Is(device, sym.identifier)) return TSNode{};
  TSNode scope = context.semantic().EnclosingScope(device);
  TSNode found{};
  Walk(scope, [&](TSNode node) {
    if (!ts_node_is_null(found)) return false;
    if (!ts_node_eq(node, scope) && (Is(node, sym.function_definition) || Is(node, sym.class_definition))) {
      return false;
    }
    if (Is(node, sym.assignment) && context.Text(Field(node, "left")) == context.Text(device) &&
        IsOptionRead(context, Field(node, "right"))) {
      found = Field(node, "right");
    }
    return ts_node_is_null(found);
  });
  return found;
}

class LocalRankArgumentOnly final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> NodeKinds() const override { return {"call"}; }

  void Check(RuleContext& context, TSNode call) const override {
    const std::string callee = context.semantic().CalleeName(call);
    TSNode device{};
    if (callee == "torch.cuda.set_device" || callee == "torch.device") {
      device = fixers::PositionalArgument(call, 0);
    } else {
      TSNode keyword = fixers::KeywordArgument(call, "device", context.text());
      if (!ts_node_is_null(keyword)) device = Field(keyword, "value");
    }
    TSNode option = LocalRankOption(context, device);
    if (ts_node_is_null(option)) return;

    const FileStrings strings = ScanStrings(context, call);
    if (!strings.declares_option || strings.reads_environment) return;

    context.Report(device, "`" + std::string(context.Text(option)) +
                               "` comes only from the `--local_rank` option, which torchrun and mpirun do not pass, "
                               "so every process keeps the default; read the `LOCAL_RANK` environment variable");
  }
};

DISTLINT_REGISTER_RULE(LocalRankArgumentOnly);

}  // namespace
}  // namespace distlint
