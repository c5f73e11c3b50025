// Findings of COM012, PRE002 and PRE006 on large generated files: thousands
// of send/recv pairs in one function, and thousands of functions. These
// tests check the findings only, not the time the rules take.
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

// One function with 4000 send/recv pairs: each send is followed by a recv.
TEST(OrderingRulesScale, ManySendRecvPairsInOneFunction) {
  std::string text = "import torch.distributed as dist\n\n\ndef exchange(t):\n";
  for (int i = 0; i < 4000; ++i) text += "    dist.send(t, dst=1)\n    dist.recv(t, src=1)\n";

  const FileResult result = AnalyzeWithRule("COM012", text);
  EXPECT_FALSE(result.error.has_value()) << *result.error;
  ASSERT_EQ(result.diagnostics.size(), 4000u);
  EXPECT_EQ(result.diagnostics[0].code, "COM012");
}

// 4000 functions, each initialising the process group and then calling deepspeed.comm.
TEST(OrderingRulesScale, ManyInitCallsWithDeepSpeedComm) {
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
TEST(OrderingRulesScale, ManyFunctionsCallingBuiltinsBeforeInit) {
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

}  // namespace
}  // namespace distlint
