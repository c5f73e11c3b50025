// Inputs whose syntax trees are very deep must neither overflow the stack
// nor take time that grows with the cube of the depth.
#include <gtest/gtest.h>

#include <string>

#include "analyzer/analyzer.h"

namespace distlint {
namespace {

FileResult AnalyzeText(const std::string& text) {
  Analyzer analyzer(AnalysisOptions{}, RuleSelection{});
  PythonParser parser;
  return analyzer.AnalyzeBuffer("deep.py", text, parser);
}

TEST(DeepInput, LongAttributeChain) {
  std::string text = "import torch\nx = torch";
  for (int i = 0; i < 100000; ++i) text += ".b";
  text += "\n";
  const FileResult result = AnalyzeText(text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_TRUE(result.diagnostics.empty());
}

TEST(DeepInput, LongCallChainKeepsFindings) {
  std::string text = "import torch\nimport torch.distributed as dist\nx = torch.load(p)";
  for (int i = 0; i < 6000; ++i) text += ".f()";
  text += "\n";
  const FileResult result = AnalyzeText(text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "ALC001");
}

}  // namespace
}  // namespace distlint
