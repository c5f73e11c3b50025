#include "analyzer/fix_engine.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace distlint {
namespace {

bool Overlaps(const Edit& a, const Edit& b) {
  // Two insertions at the same point conflict too: their order is undefined.
  if (a.start == a.end && b.start == b.end) return a.start == b.start;
  return (a.start < b.end && b.start < a.end) ||
         (a.start == a.end && a.start > b.start && a.start < b.end) ||
         (b.start == b.end && b.start > a.start && b.start < a.end);
}

bool FixOverlaps(const Fix& fix, const std::vector<Edit>& chosen) {
  for (const Edit& edit : fix.edits) {
    for (const Edit& other : chosen) {
      if (Overlaps(edit, other)) return true;
    }
  }
  return false;
}

bool Parses(PythonParser& parser, const std::string& text) {
  SyntaxTree tree = parser.Parse(text);
  return tree.valid() && !FindSyntaxError(tree.root(), text);
}

}  // namespace

bool FixAllowed(const Fix& fix, bool unsafe_fixes) {
  if (fix.applicability == Applicability::kSafe) return true;
  return unsafe_fixes && fix.applicability == Applicability::kUnsafe;
}

std::string ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  std::string result;
  result.reserve(text.size() + 64);
  uint32_t cursor = 0;
  for (const Edit& edit : edits) {
    if (edit.start < cursor || edit.end > text.size()) continue;  // Callers pass non-overlapping edits.
    result.append(text.substr(cursor, edit.start - cursor));
    result.append(edit.replacement);
    cursor = edit.end;
  }
  result.append(text.substr(cursor));
  return result;
}

FixOutcome FixSource(const Analyzer& analyzer, const SourceFile& original, PythonParser& parser, bool unsafe_fixes,
                     int max_passes) {
  FixOutcome outcome;
  outcome.text = original.text();
  std::string error;
  // Fixes dropped once are not retried: they would fail the same way. The
  // keys hold offsets, which are shifted as later passes edit the text.
  struct RejectedFix {
    std::string code;
    std::string replacement;
    uint32_t start;
    bool operator==(const RejectedFix&) const = default;
  };
  std::vector<RejectedFix> rejected;

  for (int pass = 0;; ++pass) {
    auto file = SourceFile::FromBytes(original.path(), outcome.text, &error);
    if (!file) break;
    SourceAnalysis analysis = analyzer.AnalyzeSource(*file, parser);
    outcome.remaining = analysis.diagnostics;
    if (analysis.syntax_error) break;

    // Choose the fixes of this pass: allowed, not rejected before, and not
    // overlapping a fix chosen earlier in the pass.
    std::vector<const Diagnostic*> chosen;
    std::vector<Edit> chosen_edits;
    for (const Diagnostic& diagnostic : analysis.diagnostics) {
      if (!diagnostic.fix || !FixAllowed(*diagnostic.fix, unsafe_fixes) || diagnostic.fix->edits.empty()) continue;
      const RejectedFix key{diagnostic.code, diagnostic.fix->edits.front().replacement, diagnostic.start};
      if (std::find(rejected.begin(), rejected.end(), key) != rejected.end()) continue;
      if (FixOverlaps(*diagnostic.fix, chosen_edits)) continue;
      chosen.push_back(&diagnostic);
      for (Edit edit : diagnostic.fix->edits) {
        edit.replacement = AdaptLineEndings(edit.replacement, file->line_ending());
        chosen_edits.push_back(std::move(edit));
      }
    }
    if (chosen.empty()) break;
    // Only fixes still waiting after the last pass mean the limit was hit.
    if (pass == max_passes) {
      outcome.hit_pass_limit = true;
      break;
    }

    std::string candidate = ApplyEdits(file->text(), chosen_edits);
    if (!Parses(parser, candidate)) {
      // Find the culprits one by one and keep the rest.
      std::vector<Edit> good_edits;
      std::vector<const Diagnostic*> good;
      for (const Diagnostic* diagnostic : chosen) {
        std::vector<Edit> edits = diagnostic->fix->edits;
        for (Edit& edit : edits) edit.replacement = AdaptLineEndings(edit.replacement, file->line_ending());
        std::vector<Edit> trial = good_edits;
        trial.insert(trial.end(), edits.begin(), edits.end());
        if (Parses(parser, ApplyEdits(file->text(), trial))) {
          good_edits = std::move(trial);
          good.push_back(diagnostic);
        } else {
          outcome.dropped.push_back(DroppedFix{diagnostic->code, diagnostic->fix->title, diagnostic->start_position,
                                               "the fixed text would not parse"});
          rejected.push_back(RejectedFix{diagnostic->code, diagnostic->fix->edits.front().replacement,
                                         diagnostic->start});
        }
      }
      if (good.empty()) continue;  // Re-analyse; the rejected fixes are skipped.
      chosen = std::move(good);
      candidate = ApplyEdits(file->text(), good_edits);
      chosen_edits = std::move(good_edits);
    }

    // Move the rejected fixes' offsets past the edits of this pass.
    for (RejectedFix& fix : rejected) {
      int64_t shift = 0;
      for (const Edit& edit : chosen_edits) {
        if (edit.end <= fix.start) shift += static_cast<int64_t>(edit.replacement.size()) - (edit.end - edit.start);
      }
      fix.start = static_cast<uint32_t>(fix.start + shift);
    }

    for (const Diagnostic* diagnostic : chosen) outcome.applied_codes.push_back(diagnostic->code);
    outcome.applied += static_cast<int>(chosen.size());
    outcome.text = std::move(candidate);
  }
  outcome.changed = outcome.text != original.text();
  return outcome;
}

bool WriteFileAtomically(const std::string& requested_path, const std::string& bytes, std::string* error) {
  // Write through a symbolic link to its target instead of replacing the link.
  std::string path = requested_path;
  if (char* resolved = ::realpath(requested_path.c_str(), nullptr)) {
    path = resolved;
    std::free(resolved);
  }
  struct stat original {};
  const bool exists = ::stat(path.c_str(), &original) == 0;
  // Renaming over the file would bypass its permissions, so honour them here.
  if (exists && ::access(path.c_str(), W_OK) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno) + "; the file was left unchanged";
    return false;
  }

  const size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temporary = folder + "/." + base + ".distlint-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    *error = "cannot create a temporary file next to " + path + ": " + std::strerror(errno);
    return false;
  }

  auto fail = [&](const std::string& what) {
    *error = what + " " + temporary + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(temporary.c_str());
    return false;
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    written += static_cast<size_t>(n);
  }
  if (exists && ::fchmod(fd, original.st_mode & 07777) != 0) return fail("cannot set the mode of");
  if (exists && ::fchown(fd, original.st_uid, original.st_gid) != 0 && errno != EPERM) {
    return fail("cannot set the owner of");
  }
  if (::fsync(fd) != 0) return fail("cannot flush");
  if (::close(fd) != 0) {
    *error = "cannot close " + temporary + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot replace " + path + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace distlint
