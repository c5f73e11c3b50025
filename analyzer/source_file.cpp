#include "analyzer/source_file.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace distlint {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Encodings whose bytes are a superset of ASCII and decode one byte per
// character, so byte offsets, tree-sitter and ASCII-only edits stay valid.
bool IsSingleByteAsciiCompatible(const std::string& encoding) {
  static const char* const kNames[] = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1",
                                       "cp1252", "windows-1252", "iso-8859-15", "iso8859-15",
                                       "cp819", "iso-latin-1"};
  for (const char* name : kNames) {
    if (encoding == name) return true;
  }
  return encoding.rfind("iso-8859-", 0) == 0;
}

// Reads a PEP 263 coding declaration from the first two lines.
std::optional<std::string> CodingDeclaration(std::string_view text) {
  static const std::regex kCoding(R"(^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+))");
  size_t start = 0;
  for (int line = 0; line < 2 && start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string current(text.substr(start, end - start));
    std::smatch match;
    if (std::regex_search(current, match, kCoding)) {
      std::string name = match[1].str();
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::replace(name.begin(), name.end(), '_', '-');
      return name;
    }
    // The declaration may only sit on line 2 when line 1 is a comment or blank.
    std::string_view trimmed = std::string_view(current);
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    if (!trimmed.empty() && trimmed.front() != '#' && trimmed != "\r") break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view bytes) {
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t min_code_point = 0;
    uint32_t code_point = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min_code_point = 0x80, code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min_code_point = 0x800, code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min_code_point = 0x10000, code_point = c & 0x07;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (size_t k = 1; k < length; ++k) {
      const auto continuation = static_cast<unsigned char>(bytes[i + k]);
      if ((continuation & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    if (code_point < min_code_point || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

std::optional<SourceFile> SourceFile::FromBytes(std::string path, std::string bytes, std::string* error) {
  SourceFile file;
  file.path_ = std::move(path);

  // UTF-16 text of ASCII characters is half NUL bytes, so its byte order
  // mark is checked before the NUL bytes that mark a binary file.
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    *error = "UTF-16 encoded file; distlint reads UTF-8 and Latin-1 sources, re-save it as UTF-8";
    return std::nullopt;
  }
  if (bytes.find('\0') != std::string::npos) {
    *error = "binary file (contains NUL bytes); not a Python source file";
    return std::nullopt;
  }
  if (bytes.compare(0, kUtf8Bom.size(), kUtf8Bom) == 0) {
    file.has_bom_ = true;
    bytes.erase(0, kUtf8Bom.size());
  }

  if (auto declared = CodingDeclaration(bytes)) file.encoding_ = *declared;
  const std::string& encoding = file.encoding_;
  if (encoding == "utf-8" || encoding == "utf8" || encoding == "utf-8-sig") {
    if (auto bad = FindInvalidUtf8(bytes)) {
      *error = "invalid UTF-8 at byte offset " + std::to_string(*bad + (file.has_bom_ ? 3 : 0)) +
               "; re-save the file as UTF-8 or add a coding declaration (PEP 263)";
      return std::nullopt;
    }
  } else if (encoding == "ascii" || encoding == "us-ascii") {
    auto bad = std::find_if(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (bad != bytes.end()) {
      *error = "non-ASCII byte at offset " + std::to_string(bad - bytes.begin()) + " in a file declared as ASCII";
      return std::nullopt;
    }
  } else if (!IsSingleByteAsciiCompatible(encoding)) {
    *error = "unsupported source encoding '" + encoding + "'; distlint reads UTF-8 and Latin-1 family sources";
    return std::nullopt;
  }

  const size_t first_newline = bytes.find('\n');
  const size_t first_return = bytes.find('\r');
  if (first_return != std::string::npos && (first_newline == std::string::npos || first_return + 1 < first_newline)) {
    // The tree-sitter grammar ends lines at "\n" only, so a file with classic
    // Mac line endings would parse as one long line.
    *error = "the file uses CR-only line endings (a lone \\r at byte offset " + std::to_string(first_return) +
             "); convert it to LF or CRLF line endings";
    return std::nullopt;
  }
  if (first_newline != std::string::npos && first_newline > 0 && bytes[first_newline - 1] == '\r') {
    file.line_ending_ = LineEnding::kCrLf;
  }
  file.text_ = std::move(bytes);
  file.IndexLines();
  return file;
}

void SourceFile::IndexLines() {
  line_starts_.clear();
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

Position SourceFile::PositionOf(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line_index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  const uint32_t line_start = line_starts_[line_index];
  Position position;
  position.line = static_cast<uint32_t>(line_index + 1);
  position.byte_column = offset - line_start + 1;
  uint32_t code_points = 0;
  const bool utf8 = encoding_.rfind("utf", 0) == 0;
  for (uint32_t i = line_start; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text_[i]);
    if (!utf8 || (c & 0xC0) != 0x80) ++code_points;
  }
  position.column = code_points + 1;
  return position;
}

uint32_t SourceFile::OffsetOf(uint32_t line, uint32_t byte_column) const {
  if (line == 0) return 0;
  if (line > line_starts_.size()) return static_cast<uint32_t>(text_.size());
  const uint32_t offset = line_starts_[line - 1] + (byte_column > 0 ? byte_column - 1 : 0);
  return std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
}

std::string_view SourceFile::LineText(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view view(text_.data() + start, end - start);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  return view;
}

std::string SourceFile::ToBytes(std::string_view new_text) const {
  std::string bytes;
  bytes.reserve(new_text.size() + 3);
  if (has_bom_) bytes.append(kUtf8Bom);
  bytes.append(new_text);
  return bytes;
}

std::string AdaptLineEndings(std::string_view replacement, LineEnding ending) {
  if (ending == LineEnding::kLf) return std::string(replacement);
  std::string adapted;
  adapted.reserve(replacement.size() + 8);
  for (size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] == '\n' && (i == 0 || replacement[i - 1] != '\r')) adapted.push_back('\r');
    adapted.push_back(replacement[i]);
  }
  return adapted;
}

}  // namespace distlint
