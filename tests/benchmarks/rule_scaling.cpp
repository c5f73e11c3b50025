// Measures how the cost of single rules grows with the size of a generated
// file. Each scenario builds a file of size n and of size 2n, analyses both
// with only its rule selected, and prints the two times and their ratio. A
// ratio near 2 means linear growth. A ratio near 4 means quadratic work, for
// example a rule that rescans the file or the function once per call.
//
// Usage: rule_scaling [--scale K] [SCENARIO...]
// --scale multiplies every base size (default 1). With no scenario names,
// every scenario runs. Output, one line per scenario:
//   <scenario> <rule> n=<n> <seconds> 2n=<2n> <seconds> ratio=<ratio>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"

namespace {

using distlint::Analyzer;
using distlint::AnalysisOptions;
using distlint::FileResult;
using distlint::PythonParser;
using distlint::RuleSelection;

struct Scenario {
  const char* name;
  const char* rule;  // A code, or "default" for the default rule set.
  int base_size;
  std::function<std::string(int)> generate;
};

const char* const kHeader = "import os\nimport torch\nimport torch.distributed as dist\nimport deepspeed.comm as dscomm\n\n";

std::string Repeat(int n, const std::function<std::string(int)>& piece) {
  std::string text;
  for (int i = 0; i < n; ++i) text += piece(i);
  return text;
}

// A function that mixes the patterns of many rules, so the default scenario
// exercises the default rule set on a realistic shape.
std::string MixedFunction(int i) {
  const std::string index = std::to_string(i);
  return "\n\ndef step_" + index +
         "(tensor, group=None, async_op=False):\n"
         "    rank = int(os.environ.get(\"RANK\", 0))\n"
         "    if not dist.is_initialized():\n"
         "        dist.init_process_group(\"nccl\")\n"
         "    buffer = torch.zeros(4, device=\"cuda\")\n"
         "    if rank == 0:\n"
         "        print(buffer.sum())\n"
         "    dist.all_reduce(tensor, group=group)\n"
         "    for name in sorted({\"a\", \"b\"}):\n"
         "        dist.broadcast(tensor, src=dist.get_global_rank(group, 0), group=group)\n"
         "    state = torch.load(\"ckpt_" +
         index +
         ".pt\", map_location=\"cpu\")\n"
         "    return tensor + state[\"bias\"]\n";
}

std::vector<Scenario> Scenarios() {
  return {
      {"builtin-calls", "PAR003", 10000,
       [](int n) {
         return std::string(kHeader) + "def helper(x, group=None):\n    return x\n\n" +
                Repeat(n, [](int i) { return "r" + std::to_string(i) + " = os.environ.get('RANK', '0')\n"; }) +
                Repeat(n, [](int i) { return "print(r" + std::to_string(i) + ")\n"; });
       }},
      {"module-function-calls", "PAR003", 3000,
       [](int n) {
         return std::string(kHeader) +
                Repeat(n, [](int i) { return "def f" + std::to_string(i) + "(x, group=None):\n    return x\n"; }) +
                Repeat(n, [](int i) { return "f" + std::to_string(i) + "(1, grp=None)\n"; });
       }},
      {"subclasses", "PAR007", 1500,
       [](int n) {
         return std::string(kHeader) + Repeat(n, [](int i) {
                  const std::string index = std::to_string(i);
                  return "class Base" + index + ":\n    def step(self, x, group=None):\n        return x\n\n" +
                         "class Child" + index + "(Base" + index + "):\n    def step(self, x):\n        return x\n\n";
                });
       }},
      {"long-function-collectives", "PAR004", 2000,
       [](int n) {
         return std::string(kHeader) + "def step(tensor, group=None, async_op=False):\n" +
                Repeat(n, [](int) { return "    dist.all_reduce(tensor)\n    tensor = tensor * 2\n"; });
       }},
      {"current-device-uses", "ALC008", 3000,
       [](int n) {
         return std::string(kHeader) + "device = torch.device(f\"cuda:{os.environ['LOCAL_RANK']}\")\n" +
                Repeat(n, [](int i) {
                  return "\n\ndef load" + std::to_string(i) + "(batch):\n    return torch.zeros(4).cuda() + batch\n";
                });
       }},
      {"send-recv-pairs", "COM012", 1000,
       [](int n) {
         return std::string(kHeader) + "def exchange(t):\n" +
                Repeat(n, [](int) { return "    dist.send(t, dst=1)\n    dist.recv(t, src=1)\n"; });
       }},
      {"init-then-deepspeed-comm", "PRE006", 1000,
       [](int n) {
         return std::string(kHeader) + Repeat(n, [](int i) {
                  return "def f" + std::to_string(i) +
                         "(t):\n    dist.init_process_group('nccl')\n    dscomm.all_reduce(t)\n";
                });
       }},
      {"guarded-init-functions", "PRE002", 500,
       [](int n) {
         return std::string(kHeader) + Repeat(n, [](int i) {
                  return "def f" + std::to_string(i) +
                         "(t):\n    if not dist.is_initialized():\n        dist.init_process_group('nccl')\n"
                         "    dist.all_reduce(t)\n";
                });
       }},
      {"mixed-functions", "default", 1000, [](int n) { return std::string(kHeader) + Repeat(n, MixedFunction); }},
  };
}

double SecondsToAnalyze(const char* rule, const std::string& text) {
  RuleSelection selection;
  if (std::string(rule) != "default") selection.select = {rule};
  Analyzer analyzer(AnalysisOptions{}, selection);
  PythonParser parser;
  const auto start = std::chrono::steady_clock::now();
  const FileResult result = analyzer.AnalyzeBuffer("scaling.py", text, parser);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.error) {
    std::fprintf(stderr, "rule_scaling: analysis of the generated file failed: %s\n", result.error->c_str());
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--scale") {
      if (i + 1 >= argc || (scale = std::atof(argv[++i])) <= 0) {
        std::fprintf(stderr, "rule_scaling: --scale needs a positive number\n");
        return 2;
      }
    } else {
      names.push_back(argument);
    }
  }
  for (const Scenario& scenario : Scenarios()) {
    bool selected = names.empty();
    for (const std::string& name : names) selected = selected || name == scenario.name;
    if (!selected) continue;
    const int n = static_cast<int>(scenario.base_size * scale);
    const double small = SecondsToAnalyze(scenario.rule, scenario.generate(n));
    const double large = SecondsToAnalyze(scenario.rule, scenario.generate(2 * n));
    std::printf("%-26s %-6s n=%-6d %7.3f s  2n=%-6d %7.3f s  ratio=%.2f\n", scenario.name, scenario.rule, n, small,
                2 * n, large, small > 0 ? large / small : 0.0);
    std::fflush(stdout);
  }
  return 0;
}
