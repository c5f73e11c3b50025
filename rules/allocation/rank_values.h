// Detection of global-rank values (as opposed to the local rank), for rules
// about device placement.
#pragma once

#include "analyzer/rule.h"

namespace distlint {

// True when `expression` is the global rank of the process. Sources are
// `torch.distributed.get_rank()`, `os.environ["RANK"]`, `os.getenv("RANK")`
// and `os.environ.get("RANK")`, also wrapped in `int(...)`. A name assigned a
// source in the same function counts, and so does an attribute
// (`self.global_rank`) assigned one anywhere in the file.
// NOTE: a `rank` parameter is not a global rank here: under
// `torch.multiprocessing.spawn` on one node it equals the local rank.
bool IsGlobalRank(const RuleContext& context, TSNode expression);

// The node to report and rewrite for a global rank inside `expression`: the
// expression itself, or an interpolation of an f-string (`f"cuda:{rank}"`).
// A null node when there is none.
TSNode GlobalRankWithin(const RuleContext& context, TSNode expression);

}  // namespace distlint
