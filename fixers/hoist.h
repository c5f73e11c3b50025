// Fix template of the conditional-logic strategy: move a statement out of
// the branch it ends, so that every path runs it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/syntax.h"

namespace distlint::fixers {

// Moves `statement`, the last statement of `arm` (the block of one branch of
// `if_statement`), to a line of its own right after the whole if statement,
// at the if statement's indentation. A trailing comment moves with it, and
// an arm left empty gets `pass`. Returns nullopt unless the statement fills
// one line of its own and the if statement starts its line.
std::optional<std::vector<Edit>> HoistAfterIf(TSNode statement, TSNode arm, TSNode if_statement,
                                              std::string_view text);

}  // namespace distlint::fixers
