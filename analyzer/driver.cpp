#include "analyzer/driver.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "analyzer/project_index.h"

namespace distlint {

int ResolveJobs(int requested, size_t work_items) {
  int jobs = requested;
  if (jobs <= 0) {
    const unsigned cores = std::thread::hardware_concurrency();
    jobs = cores == 0 ? 1 : static_cast<int>(cores);
  }
  if (work_items > 0 && static_cast<size_t>(jobs) > work_items) jobs = static_cast<int>(work_items);
  return std::max(jobs, 1);
}

void RunParallel(size_t count, int jobs, const std::function<void(size_t, PythonParser&)>& task,
                 const std::function<void(size_t)>& progress) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;
  int running = ResolveJobs(jobs, count);

  auto worker = [&] {
    PythonParser parser;
    for (;;) {
      const size_t index = next.fetch_add(1);
      if (index >= count) break;
      task(index, parser);
      done.fetch_add(1);
    }
    std::lock_guard<std::mutex> lock(mutex);
    --running;
    finished.notify_all();
  };

  std::vector<std::thread> threads;
  const int thread_count = running;
  for (int i = 0; i < thread_count; ++i) threads.emplace_back(worker);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(200));
      if (progress) {
        lock.unlock();
        progress(done.load());
        lock.lock();
      }
    }
  }
  for (std::thread& thread : threads) thread.join();
}

namespace {

// Points `by_file[i]` at the kept parse of `files[i]`, where the index pass
// parsed the same path (`parsed` is in the order of `index_files`).
void MatchParsedFiles(const std::vector<std::string>& files, const std::vector<std::string>& index_files,
                      std::vector<ParsedFile>& parsed, std::vector<ParsedFile*>& by_file) {
  if (&files == &index_files || files == index_files) {
    for (size_t i = 0; i < files.size(); ++i) by_file[i] = &parsed[i];
    return;
  }
  std::unordered_map<std::string_view, size_t> position;
  for (size_t i = 0; i < index_files.size(); ++i) position.emplace(index_files[i], i);
  for (size_t i = 0; i < files.size(); ++i) {
    auto it = position.find(files[i]);
    if (it != position.end()) by_file[i] = &parsed[it->second];
  }
}

}  // namespace

std::vector<FileResult> AnalyzeFiles(const Analyzer& analyzer, const std::vector<std::string>& files,
                                     const RunOptions& options) {
  return AnalyzeFiles(std::vector<const Analyzer*>(files.size(), &analyzer), files, options);
}

std::vector<FileResult> AnalyzeFiles(const std::vector<const Analyzer*>& analyzers,
                                     const std::vector<std::string>& files, const RunOptions& options) {
  std::vector<FileResult> results(files.size());
  const auto started = std::chrono::steady_clock::now();
  bool printed_progress = false;

  auto progress = [&](size_t done) {
    if (!options.show_progress) return;
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (elapsed < std::chrono::seconds(2)) return;
    std::fprintf(stderr, "\rdistlint: checked %zu of %zu files", done, files.size());
    std::fflush(stderr);
    printed_progress = true;
  };

  // Cross-file rules need the function summaries of every file first. The
  // index pass keeps the files it parsed, within a memory budget, and the
  // analysis pass takes them over instead of parsing them again.
  std::optional<ProjectIndex> project_index;
  std::vector<ParsedFile> parsed;
  std::vector<ParsedFile*> parsed_by_file(files.size(), nullptr);
  if (std::any_of(analyzers.begin(), analyzers.end(), [](const Analyzer* a) { return a->UsesProjectIndex(); })) {
    const std::vector<std::string>& index_files = options.index_files.empty() ? files : options.index_files;
    project_index = ProjectIndex::Build(index_files, options.jobs, {&parsed, options.max_kept_source_bytes});
    MatchParsedFiles(files, index_files, parsed, parsed_by_file);
  }
  const ProjectIndex* index_pointer = project_index ? &*project_index : nullptr;

  RunParallel(
      files.size(), options.jobs,
      [&](size_t index, PythonParser& parser) {
        try {
          ParsedFile* kept = parsed_by_file[index];
          if (kept != nullptr && kept->source) {
            // Moving the parse out frees its tree as soon as the file is done.
            results[index] = analyzers[index]->AnalyzeParsed(std::move(*kept), index_pointer);
            return;
          }
          results[index] = analyzers[index]->AnalyzeFile(files[index], parser, index_pointer);
        } catch (const std::exception& error) {
          results[index].path = files[index];
          results[index].error = std::string("internal error while analysing: ") + error.what();
        }
      },
      progress);

  if (printed_progress) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  std::sort(results.begin(), results.end(),
            [](const FileResult& a, const FileResult& b) { return a.path < b.path; });
  return results;
}

}  // namespace distlint
