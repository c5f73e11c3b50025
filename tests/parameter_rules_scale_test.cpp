// Findings of the parameter-handling rules on large generated files: tens of
// thousands of calls and top-level statements. Their cost as the input grows
// is measured by the rule_scaling benchmark, not here.
#include <gtest/gtest.h>

#include <string>

#include "analyzer/analyzer.h"

namespace distlint {
namespace {

FileResult AnalyzeWithRule(const std::string& code, const std::string& text) {
  RuleSelection selection;
  selection.select = {code};
  Analyzer analyzer(AnalysisOptions{}, selection);
  PythonParser parser;
  return analyzer.AnalyzeBuffer("scale.py", text, parser);
}

// 20000 module-level calls of a builtin in a file of 40000 top-level
// statements.
TEST(ParameterRulesScale, ManyTopLevelCallsOfBuiltins) {
  std::string text = "import os\nimport torch.distributed as dist\n\n\ndef helper(x, group=None):\n    return x\n";
  for (int i = 0; i < 20000; ++i) text += "r" + std::to_string(i) + " = os.environ.get('RANK', '0')\n";
  for (int i = 0; i < 20000; ++i) text += "print(r" + std::to_string(i) + ")\n";
  text += "helper(1, bad=2)\n";

  const FileResult result = AnalyzeWithRule("PAR003", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "PAR003");
}

// 6000 top-level functions, each called once with a keyword it lacks.
TEST(ParameterRulesScale, ManyCallsOfModuleFunctions) {
  std::string text = "import torch.distributed as dist\n\n";
  for (int i = 0; i < 6000; ++i) text += "def f" + std::to_string(i) + "(x, group=None):\n    return x\n";
  for (int i = 0; i < 6000; ++i) text += "f" + std::to_string(i) + "(1, grp=None)\n";

  const FileResult result = AnalyzeWithRule("PAR003", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 6000u);
}

// 3000 classes, each deriving from a class defined just before it.
TEST(ParameterRulesScale, ManySubclassesOfModuleClasses) {
  std::string text = "import torch\n\n";
  for (int i = 0; i < 3000; ++i) {
    const std::string index = std::to_string(i);
    text += "class Base" + index + ":\n    def step(self, x, group=None):\n        return x\n\n";
    text += "class Child" + index + "(Base" + index + "):\n    def step(self, x):\n        return x\n\n";
  }

  const FileResult result = AnalyzeWithRule("PAR007", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 3000u);
}

// One function with 4000 collectives and parameters that none of them uses.
TEST(ParameterRulesScale, LongFunctionWithManyCollectives) {
  std::string text = "import torch.distributed as dist\n\n\ndef step(tensor, group=None, async_op=False):\n";
  for (int i = 0; i < 4000; ++i) text += "    dist.all_reduce(tensor)\n    tensor = tensor * 2\n";

  const FileResult result = AnalyzeWithRule("PAR004", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 8000u);
}

}  // namespace
}  // namespace distlint
