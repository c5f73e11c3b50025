// Runs the analyzer over many files on a thread pool, with one parser per
// thread, and returns results in a deterministic order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/project_index.h"

namespace distlint {

struct RunOptions {
  int jobs = 0;             // Worker threads; 0 means one per core.
  bool show_progress = false;  // A progress line on stderr for scans longer than two seconds.
  // The files whose function summaries the project index holds, when they
  // differ from the files analysed: `check --shard` analyses a slice but
  // indexes every discovered file, so cross-file findings match a full run.
  std::vector<std::string> index_files;
  // Source bytes of the files the project index pass parsed that it may keep
  // for the analysis pass instead of parsing them twice; 0 keeps none.
  size_t max_kept_source_bytes = kDefaultKeptSourceBytes;
};

// Number of worker threads for `requested` (0: the number of cores).
int ResolveJobs(int requested, size_t work_items);

// Runs `task(index, parser)` for every index in [0, count) on a pool of
// threads, each with its own parser. `progress(done)` is called from the
// caller's thread while the pool works, when set.
void RunParallel(size_t count, int jobs, const std::function<void(size_t, PythonParser&)>& task,
                 const std::function<void(size_t)>& progress = nullptr);

// Analyses `files` and returns one result per file, sorted by path; the
// diagnostics of each file are sorted by position.
std::vector<FileResult> AnalyzeFiles(const Analyzer& analyzer, const std::vector<std::string>& files,
                                     const RunOptions& options);
// The same with an analyzer per file: `files[i]` is analysed with
// `*analyzers[i]`, for runs whose files have different settings.
std::vector<FileResult> AnalyzeFiles(const std::vector<const Analyzer*>& analyzers,
                                     const std::vector<std::string>& files, const RunOptions& options);

}  // namespace distlint
