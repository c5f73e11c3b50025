// Facts about the functions of a whole scanned project, gathered in a first
// pass over all files before rules run: which functions issue a collective
// (directly or through other project functions) and which return a value
// that depends on the rank. Rules read them through SemanticModel, so a
// `save_checkpoint()` that hides a barrier counts as a collective at its
// call sites in other files.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/source_file.h"
#include "analyzer/syntax.h"

namespace distlint {

class SemanticModel;

// The facts of one function definition, as seen in its own file.
struct FunctionFacts {
  std::string name;  // Qualified: "pkg.module.function" or "pkg.module.Class.method".
  // Short name of the first collective the body calls directly, or empty.
  std::string collective;
  // Qualified names of the project functions the body calls (see
  // SemanticModel::ProjectCalleeName); constructors appear as "X.__init__".
  std::vector<std::string> callees;
  bool returns_rank = false;
  // Project functions whose result a return statement returns.
  std::vector<std::string> returned_callees;
};

// The result of propagating facts over the call graph.
struct FunctionSummary {
  std::string collective;  // Short name of a collective it issues, or empty.
  std::string via;         // The callee through which it issues it; empty when direct.
  bool returns_rank = false;
};

// A file that the index pass read and parsed, kept for the analysis pass so
// that the file is parsed once per scan. Empty (no source) when not kept.
struct ParsedFile {
  ParsedFile();
  ParsedFile(ParsedFile&&) noexcept;
  ParsedFile& operator=(ParsedFile&&) noexcept;
  ~ParsedFile();

  std::unique_ptr<SourceFile> source;  // On the heap: `semantic` refers to it.
  SyntaxTree tree;
  // The model the index pass built, without the project index; call
  // SemanticModel::set_project_index before using it.
  std::unique_ptr<SemanticModel> semantic;
};

// The destination of the files that the index pass parses, and the maximum
// source bytes it keeps in all. A syntax tree takes many times the memory of
// its source (see kDefaultKeptSourceBytes), so the budget bounds peak memory.
struct ParsedFileStore {
  std::vector<ParsedFile>* files = nullptr;  // Resized to one slot per path.
  size_t max_source_bytes = 0;
};

// The default budget of ParsedFileStore::max_source_bytes.
// NOTE: measured on Megatron-LM, the trees take about 23 bytes of memory per
// source byte, so this budget bounds the kept trees to about 550 MiB.
inline constexpr size_t kDefaultKeptSourceBytes = size_t{24} << 20;

class ProjectIndex {
 public:
  // Parses and indexes `paths` on `jobs` threads (0: one per core). Files
  // that cannot be read or parsed are skipped: the analysis pass reports them.
  // With `store`, the parsed files are kept in `store.files` (same order as
  // `paths`) until their source bytes reach the budget; the rest are dropped.
  static ProjectIndex Build(const std::vector<std::string>& paths, int jobs, ParsedFileStore store = {});

  // The facts of the functions defined in one parsed file.
  static std::vector<FunctionFacts> ExtractFacts(const SemanticModel& semantic, TSNode root);

  // Adds a file's facts; call Finalize after the last one.
  void Add(std::vector<FunctionFacts>&& facts);
  void Add(const std::vector<FunctionFacts>& facts);
  // Propagates collectives and rank-returning results through calls.
  void Finalize();

  // The summary of a project function or method by qualified name, or
  // nullptr. A class name finds its `__init__`.
  const FunctionSummary* Find(std::string_view qualified_name) const;
  size_t size() const { return summaries_.size(); }

 private:
  std::vector<FunctionFacts> facts_;
  std::unordered_map<std::string, FunctionSummary> summaries_;
};

// The dotted module name of a Python file: its stem, prefixed by the names
// of the folders above it that contain an `__init__.py`.
std::string ModuleNameForPath(const std::string& path);

}  // namespace distlint
