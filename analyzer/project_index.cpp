#include "analyzer/project_index.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <unordered_set>
#include <system_error>

#include "analyzer/analyzer.h"
#include "analyzer/driver.h"
#include "analyzer/semantic.h"

namespace distlint {
namespace {

namespace fs = std::filesystem;

// The dotted package prefix of each folder ("" outside a package), cached
// because every file of a folder asks for it.
class PackagePrefixCache {
 public:
  std::string Prefix(const fs::path& folder) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = prefixes_.find(folder.string());
      if (it != prefixes_.end()) return it->second;
    }
    std::string prefix;
    std::error_code error;
    if (!folder.empty() && fs::exists(folder / "__init__.py", error)) {
      const fs::path parent = folder.parent_path();
      const std::string above = parent == folder ? std::string() : Prefix(parent);
      prefix = above + folder.filename().string() + ".";
    }
    std::lock_guard<std::mutex> lock(mutex_);
    prefixes_.emplace(folder.string(), prefix);
    return prefix;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> prefixes_;
};

// True when `text` mentions a collective or the rank at all. Other files
// cannot define a function that issues a collective directly or returns the
// rank, so the index skips parsing them.
// NOTE: a function in a skipped file that only calls a collective-issuing
// function of another file is missed, so a chain of calls that passes
// through such a file loses its summary.
bool MayDefineSummarizedFunction(std::string_view text) {
  static constexpr std::string_view kWords[] = {"barrier", "reduce", "broadcast", "gather", "scatter", "all_to_all",
                                                "new_group", "rank", "RANK", "main_process", "current_device",
                                                "_stage"};
  for (std::string_view word : kWords) {
    if (text.find(word) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::string ModuleNameForPath(const std::string& path) {
  static PackagePrefixCache cache;
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (error) absolute = path;
  absolute = absolute.lexically_normal();
  const std::string prefix = cache.Prefix(absolute.parent_path());
  const std::string stem = absolute.stem().string();
  if (stem == "__init__") return prefix.empty() ? stem : prefix.substr(0, prefix.size() - 1);
  return prefix + stem;
}

std::vector<FunctionFacts> ProjectIndex::ExtractFacts(const SemanticModel& semantic, TSNode root) {
  const Symbols& sym = Symbols::Get();
  std::vector<FunctionFacts> result;
  // Taint sets computed while indexing do not see other functions'
  // summaries, so they go to a separate cache that is dropped afterwards.
  // swap keeps references into the saved cache valid.
  std::unordered_map<uint32_t, std::unordered_set<std::string>> saved;
  saved.swap(semantic.tainted_by_scope_);
  semantic.indexing_ = true;
  Walk(root, [&](TSNode node) {
    if (!Is(node, sym.function_definition)) return true;
    FunctionFacts facts;
    facts.name = semantic.DefinitionName(node);
    if (facts.name.empty()) return false;

    // Calls in the body, not in nested definitions (they run later, if at all).
    Walk(Field(node, "body"), [&](TSNode inner) {
      if (Is(inner, sym.function_definition) || Is(inner, sym.class_definition) || Is(inner, sym.lambda)) {
        return false;
      }
      if (Is(inner, sym.return_statement)) {
        Walk(inner, [&](TSNode returned) {
          if (Is(returned, sym.lambda)) return false;
          if (Is(returned, sym.call)) {
            std::string callee = semantic.ProjectCalleeName(returned);
            if (!callee.empty()) facts.returned_callees.push_back(std::move(callee));
          }
          return true;
        });
      }
      if (!Is(inner, sym.call)) return true;
      const std::string canonical = semantic.CalleeName(inner);
      if (IsCollective(canonical)) {
        if (facts.collective.empty()) facts.collective = std::string(ShortName(canonical));
        return true;
      }
      std::string callee = semantic.ProjectCalleeName(inner);
      if (!callee.empty() && callee != facts.name) facts.callees.push_back(std::move(callee));
      return true;
    });
    facts.returns_rank = semantic.ReturnsRankDependent(node);
    result.push_back(std::move(facts));
    return true;  // Methods and nested functions are indexed too.
  });
  semantic.indexing_ = false;
  semantic.tainted_by_scope_.swap(saved);
  return result;
}

void ProjectIndex::Add(std::vector<FunctionFacts> facts) {
  for (FunctionFacts& function : facts) facts_.push_back(std::move(function));
}

void ProjectIndex::Finalize() {
  summaries_.clear();
  for (const FunctionFacts& function : facts_) {
    FunctionSummary& summary = summaries_[function.name];
    // A name defined twice (under `if` or redefined) keeps the facts of any
    // definition that issues a collective.
    if (summary.collective.empty()) summary.collective = function.collective;
    summary.returns_rank = summary.returns_rank || function.returns_rank;
  }
  auto lookup = [&](const std::string& name) -> const FunctionSummary* {
    auto it = summaries_.find(name);
    if (it == summaries_.end()) it = summaries_.find(name + ".__init__");
    return it == summaries_.end() ? nullptr : &it->second;
  };
  // Iterate to a fixed point; each round extends every chain by one call.
  for (bool changed = true; changed;) {
    changed = false;
    for (const FunctionFacts& function : facts_) {
      FunctionSummary& summary = summaries_[function.name];
      if (summary.collective.empty()) {
        for (const std::string& callee : function.callees) {
          const FunctionSummary* called = lookup(callee);
          if (called == nullptr || called->collective.empty()) continue;
          summary.collective = called->collective;
          summary.via = callee;
          changed = true;
          break;
        }
      }
      if (!summary.returns_rank) {
        for (const std::string& callee : function.returned_callees) {
          const FunctionSummary* called = lookup(callee);
          if (called == nullptr || !called->returns_rank) continue;
          summary.returns_rank = true;
          changed = true;
          break;
        }
      }
    }
  }
  facts_.clear();
  facts_.shrink_to_fit();
}

const FunctionSummary* ProjectIndex::Find(std::string_view qualified_name) const {
  std::string key(qualified_name);
  auto it = summaries_.find(key);
  if (it == summaries_.end()) it = summaries_.find(key + ".__init__");
  return it == summaries_.end() ? nullptr : &it->second;
}

ProjectIndex ProjectIndex::Build(const std::vector<std::string>& paths, int jobs, ParsedFileStore store) {
  std::vector<std::vector<FunctionFacts>> per_file(paths.size());
  if (store.files != nullptr) {
    store.files->clear();
    store.files->resize(paths.size());
  }
  std::atomic<size_t> kept_bytes{0};
  RunParallel(paths.size(), jobs, [&](size_t index, PythonParser& parser) {
    std::string error;
    auto bytes = ReadFileBytes(paths[index], &error);
    if (!bytes) return;
    auto file = SourceFile::FromBytes(paths[index], std::move(*bytes), &error);
    if (!file || !MayDefineSummarizedFunction(file->text())) return;
    SyntaxTree tree = parser.Parse(file->text());
    if (!tree.valid()) return;
    {
      const SemanticModel semantic(*file, tree.root(), nullptr);
      per_file[index] = ExtractFacts(semantic, tree.root());
    }
    if (store.files == nullptr) return;
    const size_t size = file->text().size();
    if (kept_bytes.fetch_add(size) + size > store.max_source_bytes) return;
    (*store.files)[index] = ParsedFile{std::move(*file), std::move(tree)};
  });
  ProjectIndex index;
  for (std::vector<FunctionFacts>& facts : per_file) index.Add(std::move(facts));
  index.Finalize();
  return index;
}

}  // namespace distlint
