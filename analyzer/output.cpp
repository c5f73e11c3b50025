#include "analyzer/output.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace distlint {
namespace {

const char* kBold = "\033[1m";
const char* kRed = "\033[31m";
const char* kCyan = "\033[36m";
const char* kBlue = "\033[34m";
const char* kReset = "\033[0m";

const RuleInfo* InfoFor(const std::string& code) {
  const Rule* rule = RuleRegistry::Instance().Find(code);
  return rule ? &rule->info() : nullptr;
}

uint32_t DiskOffset(const FileResult& result, uint32_t offset) {
  return offset + (result.source && result.source->has_bom() ? 3 : 0);
}

nlohmann::json PositionJson(const Position& position, uint32_t disk_offset) {
  return {{"line", position.line}, {"column", position.column}, {"offset", disk_offset}};
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size() - 1;
    lines.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return lines;
}

// Re-encodes a line of a single-byte source (a PEP 263 Latin-1 family
// declaration) as UTF-8 for display, reading each byte as the code point of
// the same value.
// NOTE: This is exact for Latin-1 (ISO-8859-1) only, because cp1252 and the
// other ISO-8859 parts name different characters for some bytes from 0x80 up.
std::string SingleByteToUtf8(std::string_view line) {
  std::string utf8;
  utf8.reserve(line.size() + 8);
  for (const char byte : line) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x80) {
      utf8.push_back(byte);
    } else {
      utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
      utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return utf8;
}

}  // namespace

const char* DistlintVersion() { return "0.1.0"; }

void WriteText(std::ostream& out, const std::vector<FileResult>& results, const TextStyle& style) {
  auto paint = [&](const char* code, const std::string& text) {
    return style.color ? std::string(code) + text + kReset : text;
  };
  size_t findings = 0;
  size_t fixable = 0;
  size_t unsafe_only = 0;
  for (const FileResult& result : results) {
    for (const Diagnostic& diagnostic : result.diagnostics) {
      ++findings;
      const bool safe_fix = diagnostic.fix && diagnostic.fix->applicability == Applicability::kSafe;
      const bool unsafe_fix = diagnostic.fix && diagnostic.fix->applicability == Applicability::kUnsafe;
      if (safe_fix || (unsafe_fix && style.unsafe_fixes)) ++fixable;
      else if (unsafe_fix) ++unsafe_only;
      const bool marked = safe_fix || (unsafe_fix && style.unsafe_fixes);

      out << paint(kBold, result.path) << ':' << diagnostic.start_position.line << ':'
          << diagnostic.start_position.column << ": " << paint(kRed, diagnostic.code) << ' '
          << (marked ? "[*] " : "") << diagnostic.message << '\n';
      if (result.source) {
        const std::string_view line = result.source->LineText(diagnostic.start_position.line);
        // Sources that are not UTF-8 (or ASCII) use one byte per character.
        const bool utf8 = result.source->encoding().rfind("utf", 0) == 0;
        out << "    " << (utf8 ? std::string(line) : SingleByteToUtf8(line)) << '\n';
        // The caret line repeats tabs so it lines up under the source line.
        std::string caret;
        for (uint32_t i = 0; i + 1 < diagnostic.start_position.byte_column && i < line.size(); ++i) {
          const auto c = static_cast<unsigned char>(line[i]);
          if (line[i] == '\t') caret.push_back('\t');
          else if (!utf8 || (c & 0xC0) != 0x80) caret.push_back(' ');
        }
        uint32_t width = 1;
        if (diagnostic.end_position.line == diagnostic.start_position.line &&
            diagnostic.end_position.column > diagnostic.start_position.column) {
          width = diagnostic.end_position.column - diagnostic.start_position.column;
        } else if (diagnostic.end_position.line != diagnostic.start_position.line) {
          const Position line_end = result.source->PositionOf(
              result.source->OffsetOf(diagnostic.start_position.line, static_cast<uint32_t>(line.size()) + 1));
          width = std::max<uint32_t>(1, line_end.column - diagnostic.start_position.column);
        }
        out << "    " << caret << paint(kRed, std::string(width, '^')) << '\n';
      }
      for (const RelatedLocation& related : diagnostic.related) {
        out << "    " << paint(kCyan, "note") << ": " << result.path << ':' << related.start_position.line << ':'
            << related.start_position.column << ": " << related.message << '\n';
      }
      if (diagnostic.fix && diagnostic.fix->applicability != Applicability::kSafe) {
        out << "    " << paint(kBlue, "help") << ": " << diagnostic.fix->title << " ("
            << ApplicabilityName(diagnostic.fix->applicability) << " fix)\n";
      }
    }
  }
  if (!style.summary) return;
  if (findings == 0) {
    out << "No findings.\n";
    return;
  }
  out << "Found " << findings << (findings == 1 ? " finding" : " findings") << '.';
  if (fixable > 0) out << ' ' << fixable << " fixable with `distlint fix" << (style.unsafe_fixes ? " --unsafe-fixes" : "") << "`.";
  if (unsafe_only > 0) out << ' ' << unsafe_only << " more with `--unsafe-fixes`.";
  out << '\n';
}

void WriteJson(std::ostream& out, const std::vector<FileResult>& results, size_t files_scanned) {
  nlohmann::json findings = nlohmann::json::array();
  nlohmann::json errors = nlohmann::json::array();
  size_t error_count = 0;
  for (const FileResult& result : results) {
    if (result.error) {
      errors.push_back({{"path", result.path}, {"message", *result.error}});
      ++error_count;
    }
    for (const Diagnostic& diagnostic : result.diagnostics) {
      const RuleInfo* info = InfoFor(diagnostic.code);
      nlohmann::json finding = {
          {"path", result.path},
          {"code", diagnostic.code},
          {"rule", diagnostic.rule_name},
          {"family", info ? FamilyName(info->family) : ""},
          {"message", diagnostic.message},
          {"start", PositionJson(diagnostic.start_position, DiskOffset(result, diagnostic.start))},
          {"end", PositionJson(diagnostic.end_position, DiskOffset(result, diagnostic.end))},
      };
      if (!diagnostic.fingerprint.empty()) finding["fingerprint"] = diagnostic.fingerprint;
      nlohmann::json related = nlohmann::json::array();
      for (const RelatedLocation& location : diagnostic.related) {
        related.push_back({{"message", location.message},
                           {"start", PositionJson(location.start_position, DiskOffset(result, location.start))},
                           {"end", PositionJson(location.end_position, DiskOffset(result, location.end))}});
      }
      finding["related"] = std::move(related);
      if (diagnostic.fix) {
        nlohmann::json edits = nlohmann::json::array();
        for (const Edit& edit : diagnostic.fix->edits) {
          const Position start = result.source ? result.source->PositionOf(edit.start) : Position{};
          const Position end = result.source ? result.source->PositionOf(edit.end) : Position{};
          edits.push_back({{"start", PositionJson(start, DiskOffset(result, edit.start))},
                           {"end", PositionJson(end, DiskOffset(result, edit.end))},
                           {"content", result.source ? AdaptLineEndings(edit.replacement, result.source->line_ending())
                                                     : edit.replacement}});
        }
        finding["fix"] = {{"title", diagnostic.fix->title},
                          {"applicability", ApplicabilityName(diagnostic.fix->applicability)},
                          {"edits", std::move(edits)}};
      } else {
        finding["fix"] = nullptr;
      }
      findings.push_back(std::move(finding));
    }
  }
  nlohmann::json document = {
      {"schema_version", 1},
      {"tool", {{"name", "distlint"}, {"version", DistlintVersion()}}},
      {"summary", {{"files_scanned", files_scanned}, {"files_with_errors", error_count}, {"findings", findings.size()}}},
      {"findings", std::move(findings)},
      {"errors", std::move(errors)},
  };
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void WriteStatistics(std::ostream& out, const std::vector<FileResult>& results, bool json) {
  std::map<std::string, std::pair<size_t, size_t>> counts;  // code -> (findings, fixable)
  for (const FileResult& result : results) {
    for (const Diagnostic& diagnostic : result.diagnostics) {
      auto& entry = counts[diagnostic.code];
      ++entry.first;
      if (diagnostic.fix && diagnostic.fix->applicability == Applicability::kSafe) ++entry.second;
    }
  }
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  if (json) {
    nlohmann::json document = nlohmann::json::array();
    for (const auto& [code, count] : rows) {
      const RuleInfo* info = InfoFor(code);
      document.push_back({{"code", code},
                          {"rule", info ? std::string(info->name) : std::string()},
                          {"count", count.first},
                          {"fixable", count.second}});
    }
    out << document.dump(2) << '\n';
    return;
  }
  for (const auto& [code, count] : rows) {
    const RuleInfo* info = InfoFor(code);
    out << count.first << '\t' << code << '\t' << (info ? info->name : "") << '\t'
        << (count.second > 0 ? "[*] " + std::to_string(count.second) + " fixable" : std::string()) << '\n';
  }
}

void WriteErrors(std::ostream& out, const std::vector<FileResult>& results, bool color) {
  for (const FileResult& result : results) {
    if (!result.error) continue;
    out << (color ? std::string(kBold) + result.path + kReset : result.path) << ": "
        << (color ? std::string(kRed) + "error" + kReset : std::string("error")) << ": " << *result.error
        << "; file skipped\n";
  }
}

std::string UnifiedDiff(const std::string& path, std::string_view before, std::string_view after) {
  const std::vector<std::string_view> a = SplitLines(before);
  const std::vector<std::string_view> b = SplitLines(after);
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());

  // Myers' O((N+M)D) shortest edit script, keeping each round's frontier.
  const int max = n + m;
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? v[k + 1 + max] : v[k - 1 + max] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + max] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  // Backtrack into a list of (kind, a_index, b_index): ' ', '-', '+'.
  struct Op {
    char kind;
    int a_index;
    int b_index;
  };
  std::vector<Op> ops;
  int x = n;
  int y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& previous = trace[d];
    const int k = x - y;
    const int previous_k =
        (k == -d || (k != d && previous[k - 1 + max] < previous[k + 1 + max])) ? k + 1 : k - 1;
    const int previous_x = previous[previous_k + max];
    const int previous_y = previous_x - previous_k;
    while (x > previous_x && y > previous_y) ops.push_back({' ', --x, --y});
    if (x == previous_x) ops.push_back({'+', x, --y});
    else ops.push_back({'-', --x, y});
  }
  while (x > 0 && y > 0) ops.push_back({' ', --x, --y});
  std::reverse(ops.begin(), ops.end());

  std::string diff;
  if (found_d <= 0) return diff;
  diff += "--- " + path + "\n+++ " + path + "\n";
  const int context = 3;
  size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i].kind == ' ') ++i;
    if (i >= ops.size()) break;
    // A hunk: from `context` lines before the change to `context` after the last change it absorbs.
    size_t start = i >= static_cast<size_t>(context) ? i - context : 0;
    size_t end = i;
    size_t last_change = i;
    while (end < ops.size()) {
      if (ops[end].kind != ' ') last_change = end;
      if (end - last_change > static_cast<size_t>(2 * context)) break;
      ++end;
    }
    end = std::min(ops.size(), last_change + context + 1);
    int a_start = -1, b_start = -1, a_count = 0, b_count = 0;
    std::string body;
    for (size_t j = start; j < end; ++j) {
      const Op& op = ops[j];
      std::string_view line = op.kind == '+' ? b[op.b_index] : a[op.a_index];
      if (op.kind != '+') {
        if (a_start < 0) a_start = op.a_index;
        ++a_count;
      }
      if (op.kind != '-') {
        if (b_start < 0) b_start = op.b_index;
        ++b_count;
      }
      body += op.kind;
      body.append(line);
      if (line.empty() || line.back() != '\n') body += "\n\\ No newline at end of file\n";
    }
    if (a_start < 0) a_start = ops[start].a_index;
    if (b_start < 0) b_start = ops[start].b_index;
    diff += "@@ -" + std::to_string(a_count ? a_start + 1 : a_start) + "," + std::to_string(a_count) + " +" +
            std::to_string(b_count ? b_start + 1 : b_start) + "," + std::to_string(b_count) + " @@\n" + body;
    i = end;
  }
  return diff;
}

}  // namespace distlint
