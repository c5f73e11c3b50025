// Findings of ALC008 on a large generated file. Its cost as the input grows
// is measured by the rule_scaling benchmark, not here.
#include <gtest/gtest.h>

#include <string>

#include "analyzer/analyzer.h"

namespace distlint {
namespace {

// 6000 functions that each move a tensor to the current device, in a file
// that builds the local rank's device and never selects it.
TEST(AllocationRulesScale, ManyCurrentDeviceUses) {
  std::string text =
      "import os\nimport torch\nimport torch.distributed as dist\n\n"
      "device = torch.device(f\"cuda:{os.environ['LOCAL_RANK']}\")\n";
  for (int i = 0; i < 6000; ++i) {
    text += "\n\ndef load" + std::to_string(i) + "(batch):\n    return torch.zeros(4).cuda() + batch\n";
  }

  RuleSelection selection;
  selection.select = {"ALC008"};
  Analyzer analyzer(AnalysisOptions{}, selection);
  PythonParser parser;
  const FileResult result = analyzer.AnalyzeBuffer("scale.py", text, parser);

  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 6000u);
}

}  // namespace
}  // namespace distlint
