// Splits the files of one check into N deterministic shards for parallel CI
// jobs: `distlint check --shard 2/4`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/repository.h"

namespace distlint {

struct Shard {
  int index = 1;  // 1-based, as in `--shard 1/4`.
  int count = 1;
};

// Parses "I/N" with 1 <= I <= N <= 10000. Returns nullopt and sets `error`
// when the text is not of that form.
std::optional<Shard> ParseShard(const std::string& text, std::string* error);

// True when the file belongs to the shard: the stable hash of its
// repository-relative path, modulo the shard count, picks the shard. The
// choice depends on that path alone, so adding or removing other files
// never moves a file to another shard.
bool InShard(const std::string& relative_path, const Shard& shard);

// The files of `files` that belong to `shard`, in their original order.
std::vector<std::string> SelectShard(const std::vector<std::string>& files, const Shard& shard,
                                     const PathMapper& paths);

}  // namespace distlint
