// A Python source file held in memory: its bytes, how they were encoded on
// disk, and a line index. Every range elsewhere in distlint is a byte range
// into `text`, which never contains the byte order mark.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distlint {

enum class LineEnding { kLf, kCrLf };

// A 1-based line and column. `column` counts Unicode code points, which is
// what editors and compilers show; `byte_column` counts bytes.
struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t byte_column = 1;
};

class SourceFile {
 public:
  // Builds a source file from the bytes read from disk (or an editor
  // buffer). Returns nullopt and sets `error` when the bytes are binary or not
  // valid in the encoding the file declares.
  static std::optional<SourceFile> FromBytes(std::string path, std::string bytes, std::string* error);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  bool has_bom() const { return has_bom_; }
  LineEnding line_ending() const { return line_ending_; }
  // The encoding named by a PEP 263 coding declaration, lower-cased, or "utf-8".
  const std::string& encoding() const { return encoding_; }

  Position PositionOf(uint32_t offset) const;
  // Byte offset of a 1-based line and byte column; clamps to the text.
  uint32_t OffsetOf(uint32_t line, uint32_t byte_column) const;
  size_t line_count() const { return line_starts_.size(); }
  // The text of a 1-based line without its line terminator.
  std::string_view LineText(uint32_t line) const;

  // Rebuilds the bytes to write back: the BOM is restored, and the text is
  // otherwise written as it is (edits already use the file's line ending).
  std::string ToBytes(std::string_view new_text) const;

 private:
  SourceFile() = default;
  void IndexLines();

  std::string path_;
  std::string text_;
  bool has_bom_ = false;
  LineEnding line_ending_ = LineEnding::kLf;
  std::string encoding_ = "utf-8";
  std::vector<uint32_t> line_starts_;
};

// Returns the offset of the first byte that is not valid UTF-8, or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view bytes);

// Converts "\n" in `replacement` to "\r\n" when the file uses CRLF.
std::string AdaptLineEndings(std::string_view replacement, LineEnding ending);

}  // namespace distlint
