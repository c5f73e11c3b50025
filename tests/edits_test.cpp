// Tests of the argument helpers in fixers/edits.h (Arguments,
// PositionalArgument, KeywordArgument) on parsed Python calls.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "analyzer/syntax.h"
#include "fixers/edits.h"

namespace distlint {
namespace {

// A parsed one-call module: the tree, its text and the call node.
struct ParsedCall {
  std::string text;
  SyntaxTree tree;
  TSNode call{};
};

ParsedCall ParseCall(std::string text) {
  ParsedCall parsed{std::move(text), SyntaxTree(), TSNode{}};
  PythonParser parser;
  parsed.tree = parser.Parse(parsed.text);
  TSNode statement = ts_node_named_child(parsed.tree.root(), 0);
  parsed.call = ts_node_named_child(statement, 0);
  return parsed;
}

std::string ArgumentText(const ParsedCall& parsed, TSNode argument) {
  if (ts_node_is_null(argument)) return "<null>";
  return std::string(NodeText(argument, parsed.text));
}

TEST(PositionalArgument, PlainCall) {
  const ParsedCall parsed = ParseCall("f(a, b, key=c)\n");

  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 0)), "a");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 1)), "b");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 2)), "<null>");
}

TEST(PositionalArgument, SkipsLineContinuation) {
  const ParsedCall parsed = ParseCall("f(a, \\\n  b, \\\n  c)\n");

  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 0)), "a");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 1)), "b");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 2)), "c");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 3)), "<null>");
}

TEST(PositionalArgument, ContinuationBeforeFirstArgument) {
  const ParsedCall parsed = ParseCall("f( \\\n  a, key=b)\n");

  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 0)), "a");
  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 1)), "<null>");
}

TEST(PositionalArgument, SkipsComment) {
  const ParsedCall parsed = ParseCall("f(\n  a,  # first\n  b,\n)\n");

  EXPECT_EQ(ArgumentText(parsed, fixers::PositionalArgument(parsed.call, 1)), "b");
}

TEST(PositionalArgument, StopsAtKeywordAndSplat) {
  const ParsedCall keyword = ParseCall("f(a, key=b, c)\n");
  const ParsedCall splat = ParseCall("f(a, *rest)\n");

  EXPECT_EQ(ArgumentText(keyword, fixers::PositionalArgument(keyword.call, 1)), "<null>");
  EXPECT_EQ(ArgumentText(splat, fixers::PositionalArgument(splat.call, 1)), "<null>");
}

TEST(Arguments, LeavesOutLineContinuation) {
  const ParsedCall parsed = ParseCall("f(a, \\\n  key=b)\n");

  // The grammar puts the backslash into the argument list as a named node.
  EXPECT_EQ(NamedChildren(Field(parsed.call, "arguments")).size(), 3u);
  const std::vector<TSNode> arguments = fixers::Arguments(parsed.call);
  ASSERT_EQ(arguments.size(), 2u);
  EXPECT_EQ(ArgumentText(parsed, arguments[0]), "a");
  EXPECT_EQ(ArgumentText(parsed, arguments[1]), "key=b");
}

TEST(KeywordArgument, FoundAfterLineContinuation) {
  const ParsedCall parsed = ParseCall("f(a, \\\n  key=b)\n");

  EXPECT_EQ(ArgumentText(parsed, fixers::KeywordArgument(parsed.call, "key", parsed.text)), "key=b");
  EXPECT_EQ(ArgumentText(parsed, fixers::KeywordArgument(parsed.call, "other", parsed.text)), "<null>");
}

}  // namespace
}  // namespace distlint
