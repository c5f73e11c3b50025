#include "analyzer/shard.h"

#include <cstdlib>

namespace distlint {
namespace {

constexpr int kMaxShards = 10000;

std::optional<int> ParsePositive(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (const char character : text) {
    if (character < '0' || character > '9') return std::nullopt;
  }
  return std::atoi(text.c_str());
}

// MurmurHash3's 64-bit finalizer. FNV-1a's low bits depend only on the low
// bits of the input bytes, so the hash is mixed before taking it modulo a
// small shard count.
uint64_t Mix64(uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ULL;
  value ^= value >> 33;
  return value;
}

}  // namespace

std::optional<Shard> ParseShard(const std::string& text, std::string* error) {
  const size_t slash = text.find('/');
  std::optional<int> index;
  std::optional<int> count;
  if (slash != std::string::npos) {
    index = ParsePositive(text.substr(0, slash));
    count = ParsePositive(text.substr(slash + 1));
  }
  if (!index || !count || *count < 1 || *count > kMaxShards || *index < 1 || *index > *count) {
    *error = "invalid --shard '" + text + "'; expected I/N with 1 <= I <= N <= " + std::to_string(kMaxShards) +
             ", e.g. 1/4";
    return std::nullopt;
  }
  return Shard{*index, *count};
}

bool InShard(const std::string& relative_path, const Shard& shard) {
  return Mix64(StableHash64(relative_path)) % static_cast<uint64_t>(shard.count) == static_cast<uint64_t>(shard.index - 1);
}

std::vector<std::string> SelectShard(const std::vector<std::string>& files, const Shard& shard,
                                     const PathMapper& paths) {
  std::vector<std::string> selected;
  for (const std::string& file : files) {
    if (InShard(paths.Relative(file), shard)) selected.push_back(file);
  }
  return selected;
}

}  // namespace distlint
