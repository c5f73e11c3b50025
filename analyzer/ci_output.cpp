#include "analyzer/ci_output.h"

#include <algorithm>

#include "analyzer/output.h"
#include "analyzer/source_file.h"

namespace distlint {
namespace {

constexpr const char* kReplacementCharacter = "\xEF\xBF\xBD";

std::string Location(const std::string& path, const Position& position) {
  return path + ":" + std::to_string(position.line) + ":" + std::to_string(position.column);
}

// The finding's message, then one line per related location.
std::string FullMessage(const std::string& path, const Diagnostic& diagnostic) {
  std::string message = diagnostic.message;
  for (const RelatedLocation& related : diagnostic.related) {
    message += "\nnote: " + Location(path, related.start_position) + ": " + related.message;
  }
  return message;
}

}  // namespace

std::string EscapeWorkflowData(std::string_view text) {
  std::string escaped;
  for (const char character : text) {
    switch (character) {
      case '%': escaped += "%25"; break;
      case '\r': escaped += "%0D"; break;
      case '\n': escaped += "%0A"; break;
      default: escaped.push_back(character);
    }
  }
  return escaped;
}

std::string EscapeWorkflowProperty(std::string_view text) {
  std::string escaped;
  for (const char character : EscapeWorkflowData(text)) {
    switch (character) {
      case ':': escaped += "%3A"; break;
      case ',': escaped += "%2C"; break;
      default: escaped.push_back(character);
    }
  }
  return escaped;
}

void WriteGithubAnnotations(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths) {
  for (const FileResult& result : results) {
    const std::string path = paths.Relative(result.path);
    if (result.error) {
      out << "::error file=" << EscapeWorkflowProperty(path) << ",title=distlint::"
          << EscapeWorkflowData(*result.error + "; file skipped") << '\n';
    }
    for (const Diagnostic& diagnostic : result.diagnostics) {
      out << "::error file=" << EscapeWorkflowProperty(path) << ",line=" << diagnostic.start_position.line
          << ",col=" << diagnostic.start_position.column << ",endLine=" << diagnostic.end_position.line
          << ",endColumn=" << diagnostic.end_position.column << ",title=" << EscapeWorkflowProperty(diagnostic.code)
          << "::" << EscapeWorkflowData(FullMessage(path, diagnostic)) << '\n';
    }
  }
}

std::string EscapeXml(std::string_view text) {
  std::string escaped;
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      // Copy one valid UTF-8 sequence, or replace the invalid byte.
      const std::string_view rest = text.substr(i, std::min<size_t>(4, text.size() - i));
      size_t length = (byte >= 0xF0) ? 4 : (byte >= 0xE0) ? 3 : (byte >= 0xC0) ? 2 : 0;
      if (length == 0 || length > rest.size() || FindInvalidUtf8(rest.substr(0, length))) {
        escaped += kReplacementCharacter;
        ++i;
      } else {
        escaped.append(rest.substr(0, length));
        i += length;
      }
      continue;
    }
    switch (byte) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      case '\n': escaped += "&#10;"; break;
      case '\r': escaped += "&#13;"; break;
      case '\t': escaped += "&#9;"; break;
      default:
        if (byte < 0x20 || byte == 0x7F) escaped += kReplacementCharacter;
        else escaped.push_back(static_cast<char>(byte));
    }
    ++i;
  }
  return escaped;
}

void WriteJunit(std::ostream& out, const std::vector<FileResult>& results, const PathMapper& paths) {
  size_t failures = 0;
  size_t errors = 0;
  for (const FileResult& result : results) {
    failures += result.diagnostics.size();
    errors += result.error ? 1 : 0;
  }
  const std::string counts = " tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\"";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"distlint\"" << counts << ">\n"
      << "  <testsuite name=\"distlint\"" << counts << " skipped=\"0\">\n";
  for (const FileResult& result : results) {
    const std::string path = EscapeXml(paths.Relative(result.path));
    out << "    <testcase classname=\"distlint\" name=\"" << path << "\" file=\"" << path << "\"";
    if (!result.error && result.diagnostics.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (result.error) {
      out << "      <error type=\"analysis-error\" message=\"" << EscapeXml(*result.error) << "\"/>\n";
    }
    for (const Diagnostic& diagnostic : result.diagnostics) {
      const std::string relative = paths.Relative(result.path);
      out << "      <failure type=\"" << EscapeXml(diagnostic.code) << "\" message=\""
          << EscapeXml(diagnostic.code + " " + diagnostic.message) << "\">"
          << EscapeXml(Location(relative, diagnostic.start_position) + ": " + diagnostic.code + " " +
                       FullMessage(relative, diagnostic))
          << "</failure>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace distlint
