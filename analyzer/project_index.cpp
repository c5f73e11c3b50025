#include "analyzer/project_index.h"

#include <atomic>
#include <cctype>
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
// because every file of a folder needs it.
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
// Build indexes the skipped files that name a summarized function in later
// rounds.
bool MayDefineSummarizedFunction(std::string_view text) {
  static constexpr std::string_view kWords[] = {"barrier", "reduce", "broadcast", "gather", "scatter", "all_to_all",
                                                "new_group", "rank", "RANK", "main_process", "current_device",
                                                "_stage"};
  for (std::string_view word : kWords) {
    if (text.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// The name a call site uses for a qualified function name: the last
// component, or the class name for a constructor ("pkg.Saver.__init__").
std::string_view CallableShortName(std::string_view qualified_name) {
  constexpr std::string_view kConstructor = ".__init__";
  if (qualified_name.size() > kConstructor.size() &&
      qualified_name.substr(qualified_name.size() - kConstructor.size()) == kConstructor) {
    qualified_name.remove_suffix(kConstructor.size());
  }
  const size_t dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? qualified_name : qualified_name.substr(dot + 1);
}

// True when an identifier-like word of `text` is in `names`. Words inside
// strings and comments count too, which only costs an extra parse.
bool MentionsAnyIdentifier(std::string_view text, const std::unordered_set<std::string>& names) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string word;
  for (size_t i = 0; i < text.size();) {
    if (!is_word(text[i])) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && is_word(text[i])) ++i;
    word.assign(text.substr(start, i - start));
    if (names.count(word) > 0) return true;
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

ParsedFile::ParsedFile() = default;
ParsedFile::ParsedFile(ParsedFile&&) noexcept = default;
ParsedFile& ParsedFile::operator=(ParsedFile&&) noexcept = default;
ParsedFile::~ParsedFile() = default;

void ProjectIndex::Add(std::vector<FunctionFacts>&& facts) {
  for (FunctionFacts& function : facts) facts_.push_back(std::move(function));
}

void ProjectIndex::Add(const std::vector<FunctionFacts>& facts) {
  facts_.insert(facts_.end(), facts.begin(), facts.end());
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
  // Set for files whose facts are extracted, or that cannot be read or parsed.
  std::vector<char> done(paths.size(), 0);
  std::unordered_set<std::string> summarized_names;

  // Indexes the files of `candidates` that `select` accepts.
  auto index_files = [&](const std::vector<size_t>& candidates, auto&& select) {
    RunParallel(candidates.size(), jobs, [&](size_t position, PythonParser& parser) {
      const size_t index = candidates[position];
      std::string error;
      auto bytes = ReadFileBytes(paths[index], &error);
      auto file = bytes ? SourceFile::FromBytes(paths[index], std::move(*bytes), &error) : std::nullopt;
      if (!file) {
        done[index] = 1;
        return;
      }
      if (!select(file->text())) return;
      done[index] = 1;
      ParsedFile parsed;
      parsed.source = std::make_unique<SourceFile>(std::move(*file));
      parsed.tree = parser.Parse(parsed.source->text());
      if (!parsed.tree.valid()) return;
      parsed.semantic = std::make_unique<SemanticModel>(*parsed.source, parsed.tree.root(), nullptr);
      per_file[index] = ExtractFacts(*parsed.semantic, parsed.tree.root());
      if (store.files == nullptr) return;
      const size_t size = parsed.source->text().size();
      if (kept_bytes.fetch_add(size) + size > store.max_source_bytes) return;
      (*store.files)[index] = std::move(parsed);
    });
  };
  auto finalize = [&] {
    ProjectIndex index;
    for (const std::vector<FunctionFacts>& facts : per_file) index.Add(facts);
    index.Finalize();
    return index;
  };

  std::vector<size_t> candidates(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) candidates[i] = i;
  index_files(candidates, MayDefineSummarizedFunction);
  ProjectIndex index = finalize();

  // A skipped file can still call a summarized function of another file
  // (`save_checkpoint()` calling an imported `wait_for_everyone()`). Index
  // the skipped files that mention such a function's name, and repeat while
  // that adds summaries, so chains through several such files are followed.
  for (;;) {
    const size_t known = summarized_names.size();
    for (const auto& [name, summary] : index.summaries_) {
      if (summary.collective.empty() && !summary.returns_rank) continue;
      summarized_names.insert(std::string(CallableShortName(name)));
    }
    if (summarized_names.size() == known) break;
    candidates.clear();
    for (size_t i = 0; i < paths.size(); ++i) {
      if (!done[i]) candidates.push_back(i);
    }
    if (candidates.empty()) break;
    index_files(candidates, [&](std::string_view text) { return MentionsAnyIdentifier(text, summarized_names); });
    index = finalize();
  }
  return index;
}

}  // namespace distlint
