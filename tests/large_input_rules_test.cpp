// Findings of single rules on large generated files: tens of thousands of
// calls and top-level statements, thousands of functions, classes and
// send/recv pairs. The tests check the findings only. How the rules' cost
// grows with the input is measured by tests/benchmarks/rule_scaling.
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
  return analyzer.AnalyzeBuffer("large.py", text, parser);
}

// 20000 module-level calls of a builtin in a file of 40000 top-level
// statements.
TEST(LargeInput, ManyTopLevelCallsOfBuiltins) {
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
TEST(LargeInput, ManyCallsOfModuleFunctions) {
  std::string text = "import torch.distributed as dist\n\n";
  for (int i = 0; i < 6000; ++i) text += "def f" + std::to_string(i) + "(x, group=None):\n    return x\n";
  for (int i = 0; i < 6000; ++i) text += "f" + std::to_string(i) + "(1, grp=None)\n";

  const FileResult result = AnalyzeWithRule("PAR003", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 6000u);
}

// 3000 classes, each deriving from a class defined just before it.
TEST(LargeInput, ManySubclassesOfModuleClasses) {
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
TEST(LargeInput, LongFunctionWithManyCollectives) {
  std::string text = "import torch.distributed as dist\n\n\ndef step(tensor, group=None, async_op=False):\n";
  for (int i = 0; i < 4000; ++i) text += "    dist.all_reduce(tensor)\n    tensor = tensor * 2\n";

  const FileResult result = AnalyzeWithRule("PAR004", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 8000u);
}

// One function with 4000 send/recv pairs: each send is followed by a recv.
TEST(LargeInput, ManySendRecvPairsInOneFunction) {
  std::string text = "import torch.distributed as dist\n\n\ndef exchange(t):\n";
  for (int i = 0; i < 4000; ++i) text += "    dist.send(t, dst=1)\n    dist.recv(t, src=1)\n";

  const FileResult result = AnalyzeWithRule("COM012", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 4000u);
  EXPECT_EQ(result.diagnostics[0].code, "COM012");
}

// 4000 functions, each initialising the process group and then calling deepspeed.comm.
TEST(LargeInput, ManyInitCallsWithDeepSpeedComm) {
  std::string text = "import torch.distributed as dist\nimport deepspeed.comm as dscomm\n\n";
  for (int i = 0; i < 4000; ++i) {
    text += "def f" + std::to_string(i) + "(t):\n    dist.init_process_group('nccl')\n    dscomm.all_reduce(t)\n";
  }

  const FileResult result = AnalyzeWithRule("PRE006", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 4000u);
  EXPECT_EQ(result.diagnostics[0].code, "PRE006");
}

// 3000 functions that call builtins before initialising the process group, and one class whose
// constructor reads the rank, built before the initialisation in the last function.
TEST(LargeInput, ManyFunctionsCallingBuiltinsBeforeInit) {
  std::string text = "import os\nimport torch.distributed as dist\n\n";
  text += "class Config:\n    def __init__(self):\n        self.rank = dist.get_rank()\n\n";
  for (int i = 0; i < 3000; ++i) {
    text += "def f" + std::to_string(i) +
            "(t):\n    rank = int(os.environ.get('RANK', '0'))\n    print(rank)\n"
            "    if not dist.is_initialized():\n        dist.init_process_group('nccl')\n    dist.all_reduce(t)\n";
  }
  text += "def last(t):\n    config = Config()\n    dist.init_process_group('nccl')\n    return config\n";

  const FileResult result = AnalyzeWithRule("PRE002", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "PRE002");
}

// 6000 functions that each move a tensor to the current device, in a file
// that builds the local rank's device and never selects it.
TEST(LargeInput, ManyCurrentDeviceUses) {
  std::string text =
      "import os\nimport torch\nimport torch.distributed as dist\n\n"
      "device = torch.device(f\"cuda:{os.environ['LOCAL_RANK']}\")\n";
  for (int i = 0; i < 6000; ++i) {
    text += "\n\ndef load" + std::to_string(i) + "(batch):\n    return torch.zeros(4).cuda() + batch\n";
  }

  const FileResult result = AnalyzeWithRule("ALC008", text);

  EXPECT_FALSE(result.error.has_value()) << *result.error;
  EXPECT_EQ(result.diagnostics.size(), 6000u);
}

}  // namespace
}  // namespace distlint
