// Tests of SourceFile (decoding, positions, line endings, BOM, PEP 263
// coding declarations) and of UnifiedDiff.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "analyzer/output.h"
#include "analyzer/source_file.h"

namespace distlint {
namespace {

SourceFile Decode(const std::string& bytes) {
  std::string error;
  std::optional<SourceFile> file = SourceFile::FromBytes("test.py", bytes, &error);
  if (!file) throw std::runtime_error("FromBytes rejected the bytes: " + error);
  return std::move(*file);
}

// The error FromBytes sets, or "" when it accepts the bytes.
std::string DecodeError(const std::string& bytes) {
  std::string error;
  std::optional<SourceFile> file = SourceFile::FromBytes("test.py", bytes, &error);
  return file ? std::string() : error;
}

TEST(SourcePosition, AsciiLinesAndColumns) {
  const SourceFile file = Decode("ab\ncd\n\nef");

  EXPECT_EQ(file.line_count(), 4u);
  const Position start = file.PositionOf(0);
  EXPECT_EQ(start.line, 1u);
  EXPECT_EQ(start.column, 1u);
  const Position d = file.PositionOf(4);
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 2u);
  const Position f = file.PositionOf(8);
  EXPECT_EQ(f.line, 4u);
  EXPECT_EQ(f.column, 2u);
  // An offset past the end clamps to the end.
  const Position end = file.PositionOf(1000);
  EXPECT_EQ(end.line, 4u);
  EXPECT_EQ(end.column, 3u);
}

TEST(SourcePosition, MultiByteUtf8Columns) {
  // "é" is 2 bytes, "€" 3 and "😀" 4, but each is one column.
  const std::string line = "s = \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\" + x\n";
  const SourceFile file = Decode("# first\n" + line);
  const uint32_t line_start = 8;
  const uint32_t x_offset = line_start + static_cast<uint32_t>(line.find('x'));

  const Position x = file.PositionOf(x_offset);

  EXPECT_EQ(x.line, 2u);
  EXPECT_EQ(x.byte_column, static_cast<uint32_t>(line.find('x')) + 1);
  // s, space, =, space, quote, 3 characters, quote, space, +, space: x is the 13th.
  EXPECT_EQ(x.column, 13u);
  const Position euro = file.PositionOf(line_start + 7);
  EXPECT_EQ(euro.column, 7u);
  EXPECT_EQ(euro.byte_column, 8u);
}

TEST(SourcePosition, OffsetOfRoundTrip) {
  const SourceFile file = Decode("ab\n\xC3\xA9z\n");

  EXPECT_EQ(file.OffsetOf(2, 1), 3u);
  EXPECT_EQ(file.OffsetOf(2, 3), 5u);
  EXPECT_EQ(file.PositionOf(file.OffsetOf(2, 3)).column, 2u);
  EXPECT_EQ(file.OffsetOf(99, 1), file.text().size());
  EXPECT_EQ(file.OffsetOf(1, 99), file.text().size());
}

TEST(SourceLineEnding, LfDetected) {
  const SourceFile file = Decode("a = 1\nb = 2\n");
  EXPECT_EQ(file.line_ending(), LineEnding::kLf);
}

TEST(SourceLineEnding, CrlfDetected) {
  const SourceFile file = Decode("a = 1\r\nb = 2\r\n");

  EXPECT_EQ(file.line_ending(), LineEnding::kCrLf);
  EXPECT_EQ(file.LineText(1), "a = 1");
  EXPECT_EQ(file.LineText(2), "b = 2");
  EXPECT_EQ(file.PositionOf(7).line, 2u);
  EXPECT_EQ(file.PositionOf(7).column, 1u);
}

TEST(SourceLineEnding, NoNewlineIsLf) {
  const SourceFile file = Decode("a = 1");

  EXPECT_EQ(file.line_ending(), LineEnding::kLf);
  EXPECT_EQ(file.line_count(), 1u);
  EXPECT_EQ(file.LineText(1), "a = 1");
  EXPECT_EQ(file.LineText(2), "");
}

TEST(AdaptLineEndings, ConvertsOnlyBareLf) {
  EXPECT_EQ(AdaptLineEndings("a\nb\r\nc\n", LineEnding::kCrLf), "a\r\nb\r\nc\r\n");
  EXPECT_EQ(AdaptLineEndings("\nx", LineEnding::kCrLf), "\r\nx");
  EXPECT_EQ(AdaptLineEndings("a\nb\n", LineEnding::kLf), "a\nb\n");
}

TEST(SourceBom, StrippedAndRestored) {
  const SourceFile file = Decode("\xEF\xBB\xBF" "x = 1\n");

  EXPECT_TRUE(file.has_bom());
  EXPECT_EQ(file.text(), "x = 1\n");
  EXPECT_EQ(file.PositionOf(0).column, 1u);
  EXPECT_EQ(file.ToBytes("y = 2\n"), "\xEF\xBB\xBF" "y = 2\n");
}

TEST(SourceBom, AbsentNotAdded) {
  const SourceFile file = Decode("x = 1\n");

  EXPECT_FALSE(file.has_bom());
  EXPECT_EQ(file.ToBytes("y = 2\n"), "y = 2\n");
}

TEST(SourceBom, InvalidUtf8OffsetCountsBom) {
  const std::string error = DecodeError("\xEF\xBB\xBFx = \"\xFF\"\n");
  EXPECT_NE(error.find("invalid UTF-8 at byte offset 8"), std::string::npos) << error;
}

TEST(SourceEncoding, DefaultUtf8) {
  EXPECT_EQ(Decode("x = 1\n").encoding(), "utf-8");
  EXPECT_EQ(Decode("").encoding(), "utf-8");
  EXPECT_EQ(Decode("").line_count(), 1u);
}

TEST(SourceEncoding, CodingDeclarationFirstLine) {
  EXPECT_EQ(Decode("# -*- coding: latin-1 -*-\nx = 1\n").encoding(), "latin-1");
  EXPECT_EQ(Decode("# vim: set fileencoding=ISO_8859_1 :\n").encoding(), "iso-8859-1");
  EXPECT_EQ(Decode("# coding=utf-8\n").encoding(), "utf-8");
}

TEST(SourceEncoding, CodingDeclarationSecondLine) {
  EXPECT_EQ(Decode("#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n").encoding(), "latin-1");
  EXPECT_EQ(Decode("\n# coding: latin-1\n").encoding(), "latin-1");
}

TEST(SourceEncoding, DeclarationIgnoredAfterCode) {
  EXPECT_EQ(Decode("x = 1\n# coding: latin-1\n").encoding(), "utf-8");
  EXPECT_EQ(Decode("#!/usr/bin/env python\n\n# coding: latin-1\n").encoding(), "utf-8");
  EXPECT_EQ(Decode("x = \"# coding: latin-1\"\n").encoding(), "utf-8");
}

TEST(SourceEncoding, LatinOneOneColumnPerByte) {
  // 0xE9 is "é" and 0xB0 the degree sign in Latin-1, and neither is valid UTF-8 here.
  const SourceFile file = Decode("# coding: latin-1\ns = \"\xE9\xB0\" + x\n");
  const uint32_t x_offset = static_cast<uint32_t>(file.text().find('x', 18));

  EXPECT_EQ(file.encoding(), "latin-1");
  EXPECT_EQ(file.PositionOf(x_offset).column, 12u);
  EXPECT_EQ(file.PositionOf(x_offset).byte_column, 12u);
}

TEST(SourceEncoding, AsciiDeclarationRejectsHighBytes) {
  const std::string error = DecodeError("# coding: ascii\nx = \"\xE9\"\n");
  EXPECT_NE(error.find("non-ASCII byte at offset 21"), std::string::npos) << error;
}

TEST(SourceEncoding, UnsupportedEncodingRejected) {
  const std::string error = DecodeError("# coding: shift_jis\nx = 1\n");
  EXPECT_NE(error.find("unsupported source encoding 'shift-jis'"), std::string::npos) << error;
}

TEST(SourceEncoding, Utf8DeclarationValidated) {
  const std::string error = DecodeError("# coding: utf-8\nx = \"\xE9\"\n");
  EXPECT_NE(error.find("invalid UTF-8 at byte offset 21"), std::string::npos) << error;
}

TEST(SourceEncoding, BinaryRejected) {
  const std::string error = DecodeError(std::string("x = 1\n\0", 7));
  EXPECT_NE(error.find("binary file"), std::string::npos) << error;
}

TEST(SourceEncoding, Utf16Named) {
  // "x = 1\n" in UTF-16 with a byte order mark, both byte orders. The NUL
  // bytes of UTF-16 must not hide the more useful message.
  const std::string little(std::string("\xFF\xFEx\0 \0=\0 \0" "1\0\n\0", 14));
  const std::string big(std::string("\xFE\xFF\0x\0 \0=\0 \0" "1\0\n", 14));
  EXPECT_NE(DecodeError(little).find("UTF-16"), std::string::npos) << DecodeError(little);
  EXPECT_NE(DecodeError(big).find("UTF-16"), std::string::npos) << DecodeError(big);
}

TEST(FindInvalidUtf8, Cases) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3"), std::optional<size_t>(2)) << "truncated sequence";
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), std::optional<size_t>(1)) << "overlong encoding";
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), std::optional<size_t>(0)) << "UTF-16 surrogate";
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), std::optional<size_t>(0)) << "beyond U+10FFFF";
  EXPECT_EQ(FindInvalidUtf8("x\x80"), std::optional<size_t>(1)) << "lone continuation byte";
  EXPECT_EQ(FindInvalidUtf8("\xC3\x28"), std::optional<size_t>(0)) << "missing continuation byte";
}

TEST(UnifiedDiff, IdenticalTextsGiveEmptyDiff) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb\n", "a\nb\n"), "");
  EXPECT_EQ(UnifiedDiff("f.py", "", ""), "");
}

TEST(UnifiedDiff, ChangeOnFirstLine) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -1,4 +1,4 @@\n"
            "-a\n"
            "+A\n"
            " b\n"
            " c\n"
            " d\n");
}

TEST(UnifiedDiff, ChangeOnLastLine) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -2,4 +2,4 @@\n"
            " b\n"
            " c\n"
            " d\n"
            "-e\n"
            "+E\n");
}

TEST(UnifiedDiff, NoTrailingNewline) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb", "a\nc"),
            "--- f.py\n+++ f.py\n"
            "@@ -1,2 +1,2 @@\n"
            " a\n"
            "-b\n"
            "\\ No newline at end of file\n"
            "+c\n"
            "\\ No newline at end of file\n");
}

TEST(UnifiedDiff, NewlineAddedAtEnd) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb", "a\nb\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -1,2 +1,2 @@\n"
            " a\n"
            "-b\n"
            "\\ No newline at end of file\n"
            "+b\n");
}

TEST(UnifiedDiff, SeveralHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += "line" + std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("line2\n"), 6, "LINE2\n");
  after.replace(after.find("line18\n"), 7, "LINE18\n");

  EXPECT_EQ(UnifiedDiff("f.py", before, after),
            "--- f.py\n+++ f.py\n"
            "@@ -1,5 +1,5 @@\n"
            " line1\n"
            "-line2\n"
            "+LINE2\n"
            " line3\n"
            " line4\n"
            " line5\n"
            "@@ -15,6 +15,6 @@\n"
            " line15\n"
            " line16\n"
            " line17\n"
            "-line18\n"
            "+LINE18\n"
            " line19\n"
            " line20\n");
}

TEST(UnifiedDiff, CloseChangesShareHunk) {
  std::string before;
  for (int i = 1; i <= 12; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("3\n"), 2, "three\n");
  after.replace(after.find("9\n"), 2, "nine\n");

  // Five unchanged lines between the changes fit in one hunk's context.
  EXPECT_EQ(UnifiedDiff("f.py", before, after),
            "--- f.py\n+++ f.py\n"
            "@@ -1,12 +1,12 @@\n"
            " 1\n 2\n-3\n+three\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n");
}

TEST(UnifiedDiff, PureInsertionAndDeletion) {
  EXPECT_EQ(UnifiedDiff("f.py", "", "new\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -0,0 +1,1 @@\n"
            "+new\n");
  EXPECT_EQ(UnifiedDiff("f.py", "a\nb\n", "a\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -1,2 +1,1 @@\n"
            " a\n"
            "-b\n");
  EXPECT_EQ(UnifiedDiff("f.py", "a\n", "a\nb\nc\n"),
            "--- f.py\n+++ f.py\n"
            "@@ -1,1 +1,3 @@\n"
            " a\n"
            "+b\n"
            "+c\n");
}

}  // namespace
}  // namespace distlint
