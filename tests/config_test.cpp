// Tests of configuration files: discovery (nearest wins, distlint.toml over
// pyproject.toml, extend and its cycles), every key, error messages,
// per-file-ignores and exclude globs, target-torch from dependency pins,
// and command-line overrides. Most tests run the built executable in a
// temporary project.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzer/config.h"
#include "analyzer/path_glob.h"
#include "analyzer/settings.h"
#include "analyzer/torch_pins.h"
#include "tests/test_support.h"

namespace distlint {
namespace {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunDistlint;
using testing::TempDir;
using testing::WriteFile;

// ALC001 on line 4 (an unsafe fix) and VER003 on line 5 (a safe fix).
constexpr const char* kTwoFindings =
    "import torch\n"
    "import torch.distributed as dist\n"
    "\n"
    "state = torch.load(\"x.pt\")\n"
    "if torch.__version__[:3] >= \"1.9\":\n"
    "    pass\n";

// VER002 when the supported range reaches torch 2.4, where
// torch.cuda.amp.autocast is deprecated; nothing below 2.4.
constexpr const char* kDeprecatedIn24 =
    "import torch\n"
    "\n"
    "with torch.cuda.amp.autocast():\n"
    "    pass\n";

bool Contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// Runs `distlint check --format json` with `arguments` in `folder` and
// returns the codes reported per path, as "path:CODE" strings in order.
std::vector<std::string> CheckCodes(const std::vector<std::string>& arguments, const std::string& folder,
                                    int* exit_code = nullptr, std::string* err = nullptr) {
  std::vector<std::string> full = {"check", "--format", "json"};
  full.insert(full.end(), arguments.begin(), arguments.end());
  const CommandResult result = RunDistlint(full, folder);
  if (exit_code) *exit_code = result.exit_code;
  if (err) *err = result.err;
  std::vector<std::string> codes;
  if (result.out.empty()) return codes;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  for (const auto& finding : document["findings"]) {
    codes.push_back(finding["path"].get<std::string>() + ":" + finding["code"].get<std::string>());
  }
  return codes;
}

using Codes = std::vector<std::string>;

// --- Discovery ---------------------------------------------------------------

TEST(ConfigDiscovery, NearestConfigWins) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml", "[tool.distlint]\nselect = [\"ALC\"]\n");
  WriteFile(dir / "sub/pyproject.toml", "[tool.distlint]\nselect = [\"VER\"]\n");
  WriteFile(dir / "top.py", kTwoFindings);
  WriteFile(dir / "sub/inner.py", kTwoFindings);

  const Codes codes = CheckCodes({"."}, dir.path().string());

  EXPECT_EQ(codes, (Codes{"sub/inner.py:VER003", "top.py:ALC001"}));
}

TEST(ConfigDiscovery, DistlintTomlBeatsPyprojectInSameFolder) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml", "[tool.distlint]\nselect = [\"ALC\"]\n");
  WriteFile(dir / "distlint.toml", "select = [\"VER\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"a.py"}, dir.path().string()), (Codes{"a.py:VER003"}));
}

TEST(ConfigDiscovery, PyprojectWithoutTableIsSkipped) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = [\"VER\"]\n");
  WriteFile(dir / "sub/pyproject.toml", "[project]\nname = \"x\"\n");
  WriteFile(dir / "sub/a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"sub/a.py"}, dir.path().string()), (Codes{"sub/a.py:VER003"}));
}

TEST(ConfigDiscovery, ExtendInheritsAndOverrides) {
  TempDir dir;
  WriteFile(dir / "shared/base.toml", "select = [\"VER\"]\nignore = [\"VER001\"]\n");
  WriteFile(dir / "project/distlint.toml", "extend = \"../shared/base.toml\"\nextend-select = [\"ALC001\"]\n");
  WriteFile(dir / "project/a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"project/a.py"}, dir.path().string()), (Codes{"project/a.py:ALC001", "project/a.py:VER003"}));

  WriteFile(dir / "project/distlint.toml", "extend = \"../shared/base.toml\"\nselect = [\"ALC\"]\n");
  EXPECT_EQ(CheckCodes({"project/a.py"}, dir.path().string()), (Codes{"project/a.py:ALC001"}));
}

TEST(ConfigDiscovery, ExtendCycleIsError) {
  TempDir dir;
  WriteFile(dir / "a.toml", "extend = \"b.toml\"\n");
  WriteFile(dir / "b.toml", "extend = \"a.toml\"\n");
  WriteFile(dir / "distlint.toml", "extend = \"a.toml\"\n");
  WriteFile(dir / "x.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "x.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "'extend' forms a cycle")) << result.err;
  EXPECT_TRUE(Contains(result.err, "a.toml -> " + (dir / "b.toml") + " -> " + (dir / "a.toml"))) << result.err;
}

TEST(ConfigDiscovery, ExtendOfMissingFileIsError) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "extend = \"missing.toml\"\n");
  WriteFile(dir / "x.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "x.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "'extend' names " + (dir / "missing.toml"))) << result.err;
}

TEST(ConfigDiscovery, ConfigFlagUsesExactlyThatFile) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = [\"VER\"]\n");
  WriteFile(dir / "other/alc.toml", "select = [\"ALC\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"--config", "other/alc.toml", "a.py"}, dir.path().string()), (Codes{"a.py:ALC001"}));
}

TEST(ConfigDiscovery, ConfigFlagWithMissingFileIsError) {
  TempDir dir;
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--config", "nope.toml", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "nope.toml: configuration file not found")) << result.err;
}

TEST(ConfigDiscovery, IsolatedIgnoresConfigFiles) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = [\"VER\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"--isolated", "a.py"}, dir.path().string()), (Codes{"a.py:ALC001", "a.py:VER003"}));
}

TEST(ConfigDiscovery, IsolatedIgnoresInvalidConfig) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = 1\n");
  WriteFile(dir / "a.py", kTwoFindings);

  int exit_code = -1;
  CheckCodes({"--isolated", "a.py"}, dir.path().string(), &exit_code);

  EXPECT_EQ(exit_code, 1);
}

// --- Keys ----------------------------------------------------------------------

TEST(ConfigKeys, IgnoreSkipsRules) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "ignore = [\"VER003\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"a.py"}, dir.path().string()), (Codes{"a.py:ALC001"}));
}

TEST(ConfigKeys, ExtendSelectWithoutSelectKeepsAllRules) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "extend-select = [\"ALC001\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"a.py"}, dir.path().string()), (Codes{"a.py:ALC001", "a.py:VER003"}));
}

TEST(ConfigKeys, PerFileIgnoresGlobsRelativeToConfig) {
  TempDir dir;
  WriteFile(dir / "project/distlint.toml",
            "[per-file-ignores]\n"
            "\"tests/**\" = [\"ALC001\"]\n"
            "\"legacy_*.py\" = [\"VER\"]\n");
  WriteFile(dir / "project/tests/unit/a.py", kTwoFindings);
  WriteFile(dir / "project/src/legacy_b.py", kTwoFindings);
  WriteFile(dir / "project/src/c.py", kTwoFindings);

  const Codes codes = CheckCodes({"project"}, dir.path().string());

  EXPECT_EQ(codes, (Codes{"project/src/c.py:ALC001", "project/src/c.py:VER003", "project/src/legacy_b.py:ALC001",
                          "project/tests/unit/a.py:VER003"}));
}

TEST(ConfigKeys, ExcludeSkipsFoldersInDiscovery) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "exclude = [\"legacy/\", \"generated_*.py\"]\nextend-exclude = [\"vendor\"]\n");
  WriteFile(dir / "legacy/a.py", kTwoFindings);
  WriteFile(dir / "src/generated_b.py", kTwoFindings);
  WriteFile(dir / "src/vendor/c.py", kTwoFindings);
  WriteFile(dir / "src/d.py", "import torch\nx = torch.load('a')\nimport torch.distributed\n");

  EXPECT_EQ(CheckCodes({"."}, dir.path().string()), (Codes{"src/d.py:ALC001"}));
}

TEST(ConfigKeys, ExcludedFileNamedExplicitlyIsChecked) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "exclude = [\"legacy\"]\n");
  WriteFile(dir / "legacy/a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"legacy/a.py"}, dir.path().string()).size(), 2u);
  EXPECT_TRUE(CheckCodes({"--force-exclude", "legacy/a.py"}, dir.path().string()).empty());
  EXPECT_TRUE(CheckCodes({"--force-exclude", "legacy"}, dir.path().string()).empty());
}

TEST(ConfigKeys, UnsafeFixesAppliesUnsafeFixes) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "unsafe-fixes = true\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"fix", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(ReadFile(dir / "a.py"), "map_location=\"cpu\"")) << ReadFile(dir / "a.py");
}

TEST(ConfigKeys, NoUnsafeFixesFlagOverridesFile) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "unsafe-fixes = true\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"fix", "--no-unsafe-fixes", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_FALSE(Contains(ReadFile(dir / "a.py"), "map_location")) << ReadFile(dir / "a.py");
}

TEST(ConfigKeys, UnfixableKeepsFindingWithoutFix) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "unfixable = [\"VER\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"fix", "--unsafe-fixes", "a.py"}, dir.path().string());

  const std::string fixed = ReadFile(dir / "a.py");
  EXPECT_TRUE(Contains(fixed, "map_location")) << fixed;
  EXPECT_TRUE(Contains(fixed, "torch.__version__[:3]")) << fixed;
  EXPECT_TRUE(Contains(result.out, "VER003")) << result.out;
}

TEST(ConfigKeys, FixableLimitsFixesToListedRules) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "fixable = [\"VER003\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  RunDistlint({"fix", "--unsafe-fixes", "a.py"}, dir.path().string());

  const std::string fixed = ReadFile(dir / "a.py");
  EXPECT_FALSE(Contains(fixed, "map_location")) << fixed;
  EXPECT_FALSE(Contains(fixed, "torch.__version__[:3]")) << fixed;
}

TEST(ConfigKeys, TargetTorchReachesVersionRules) {
  TempDir dir;
  WriteFile(dir / "old/distlint.toml", "target-torch = \">=1.13,<2.4\"\n");
  WriteFile(dir / "new/distlint.toml", "target-torch = \">=2.1\"\n");
  WriteFile(dir / "old/a.py", kDeprecatedIn24);
  WriteFile(dir / "new/a.py", kDeprecatedIn24);

  EXPECT_EQ(CheckCodes({"."}, dir.path().string()), (Codes{"new/a.py:VER002"}));
}

// --- Errors --------------------------------------------------------------------

struct ConfigErrorCase {
  const char* name;
  const char* file_name;
  const char* content;
  std::vector<std::string> expected;  // Fragments the error message must contain.
};

class ConfigErrorMessage : public ::testing::TestWithParam<ConfigErrorCase> {};

TEST_P(ConfigErrorMessage, NamesFileKeyAndFix) {
  const ConfigErrorCase& error_case = GetParam();
  TempDir dir;
  WriteFile(dir / error_case.file_name, error_case.content);
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_TRUE(Contains(result.err, "distlint: error: " + (dir / error_case.file_name))) << result.err;
  for (const std::string& fragment : error_case.expected) {
    EXPECT_TRUE(Contains(result.err, fragment)) << "missing '" << fragment << "' in: " << result.err;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigErrorMessage,
    ::testing::Values(
        ConfigErrorCase{"UnknownKeySuggestion", "pyproject.toml", "[tool.distlint]\nselct = [\"ALC\"]\n",
                        {":2:1: unknown key 'selct' in [tool.distlint]", "did you mean 'select'?",
                         "Accepted keys: exclude, extend,"}},
        ConfigErrorCase{"UnknownKeyWithUnderscores", "distlint.toml", "per_file_ignores = {}\n",
                        {":1:1: unknown key 'per_file_ignores';", "did you mean 'per-file-ignores'?"}},
        ConfigErrorCase{"UnknownKeyFarFromAll", "distlint.toml", "colour = true\n",
                        {"unknown key 'colour'. Accepted keys:"}},
        ConfigErrorCase{"SelectNotArray", "distlint.toml", "select = \"ALC\"\n",
                        {":1:10: invalid 'select': expected an array of strings", "got a string"}},
        ConfigErrorCase{"SelectItemNotString", "distlint.toml", "select = [\"ALC\", 3]\n",
                        {":1:18: invalid 'select'", "but item 2 is an integer"}},
        ConfigErrorCase{"UnknownCodeSuggestion", "distlint.toml", "ignore = [\"ALC01\"]\n",
                        {":1:11: invalid 'ignore': 'ALC01' matches no rule code, prefix or name",
                         "did you mean 'ALC001'?"}},
        ConfigErrorCase{"UnsafeFixesNotBool", "distlint.toml", "unsafe-fixes = \"yes\"\n",
                        {"invalid 'unsafe-fixes': expected true or false, got a string"}},
        ConfigErrorCase{"TargetTorchInvalid", "distlint.toml", "target-torch = \">=two\"\n",
                        {"invalid 'target-torch': invalid torch version 'two'"}},
        ConfigErrorCase{"TargetTorchNotString", "distlint.toml", "target-torch = 2.1\n",
                        {"invalid 'target-torch': expected a string such as \">=1.13,<2.5\", got a float"}},
        ConfigErrorCase{"PerFileIgnoresNotTable", "distlint.toml", "per-file-ignores = [\"x\"]\n",
                        {"invalid 'per-file-ignores': expected a table of globs to codes", "got an array"}},
        ConfigErrorCase{"PerFileIgnoresBadCode", "distlint.toml", "[per-file-ignores]\n\"tests/*\" = [\"NOPE\"]\n",
                        {"invalid 'per-file-ignores.tests/*': 'NOPE' matches no rule code"}},
        ConfigErrorCase{"ExcludeNotArray", "distlint.toml", "exclude = \"legacy\"\n",
                        {"invalid 'exclude': expected an array of strings"}},
        ConfigErrorCase{"ToolDistlintNotTable", "pyproject.toml", "[tool]\ndistlint = 3\n",
                        {"[tool.distlint] must be a table, got an integer"}},
        ConfigErrorCase{"InvalidToml", "distlint.toml", "select = [\"ALC\"\nignore = []\n",
                        {":2:1: invalid TOML:"}}),
    [](const ::testing::TestParamInfo<ConfigErrorCase>& info) { return std::string(info.param.name); });

TEST(ConfigErrors, ExtendedFileErrorNamesThatFile) {
  TempDir dir;
  WriteFile(dir / "base.toml", "selct = []\n");
  WriteFile(dir / "distlint.toml", "extend = \"base.toml\"\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, (dir / "base.toml") + ":1:1: unknown key 'selct'")) << result.err;
}

TEST(ConfigErrors, ExtendedPyprojectWithoutTable) {
  TempDir dir;
  WriteFile(dir / "base/pyproject.toml", "[project]\nname = \"x\"\n");
  WriteFile(dir / "distlint.toml", "extend = \"base/pyproject.toml\"\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "has no [tool.distlint] table to extend")) << result.err;
}

TEST(ConfigErrors, ConfigWithoutToolTable) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml", "[project]\nname = \"x\"\n");
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--config", "pyproject.toml", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "no [tool.distlint] table in this file")) << result.err;
}

TEST(ConfigErrors, ClosestMatchNeedsNearMiss) {
  EXPECT_EQ(ClosestMatch("selct", ConfigKeys()), "select");
  EXPECT_EQ(ClosestMatch("target_torch", ConfigKeys()), "target-torch");
  EXPECT_EQ(ClosestMatch("fix", ConfigKeys()), "");
  EXPECT_EQ(ClosestMatch("colour", ConfigKeys()), "");
}

// --- target-torch from dependency pins -----------------------------------------------

TEST(TorchPins, RequirementForms) {
  struct Case {
    const char* requirement;
    const char* range;  // Empty when no range is expected.
  };
  const Case cases[] = {
      {"torch>=2.1,<2.5", ">=2.1,<2.5"},
      {"torch >= 2.1", ">=2.1"},
      {"Torch==2.1.0", ">=2.1,<2.2"},
      {"torch[opt-einsum]>=2.0 ; python_version >= '3.9'", ">=2.0"},
      {"torch (>=1.13, <2.3)", ">=1.13,<2.3"},
      {"torch~=2.1.0", ">=2.1,<2.2"},
      {"torch~=2.1", ">=2.1,<3.0"},
      {"torch>=2.0,!=2.0.1", ">=2.0"},
      {"torch==2.1.0+cu121", ">=2.1,<2.2"},
      {"torch", ""},
      {"torchvision>=0.16", ""},
      {"torch @ https://example.org/torch.whl", ""},
      {"-r base.txt", ""},
  };
  for (const Case& pin : cases) {
    const auto range = TorchRangeFromRequirement(pin.requirement);
    if (std::string(pin.range).empty()) {
      EXPECT_FALSE(range.has_value()) << pin.requirement << " gave " << range->ToString();
    } else {
      ASSERT_TRUE(range.has_value()) << pin.requirement;
      EXPECT_EQ(range->ToString(), pin.range) << pin.requirement;
    }
  }
}

TEST(TorchPins, PyprojectDependencies) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml", "[project]\ndependencies = [\"numpy\", \"torch>=2.1,<2.5\"]\n");
  WriteFile(dir / "requirements.txt", "torch>=1.0\n");

  const auto pin = FindTorchPin(dir.path());

  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(pin->range.ToString(), ">=2.1,<2.5");
  EXPECT_TRUE(Contains(pin->source, "[project].dependencies")) << pin->source;
}

TEST(TorchPins, RequirementsTxtThenFolder) {
  TempDir dir;
  WriteFile(dir / "requirements/base.txt", "# pinned for the cluster image\nnumpy\ntorch==2.2.1  # CUDA 12\n");

  auto pin = FindTorchPin(dir.path());
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(pin->range.ToString(), ">=2.2.1,<2.3");

  WriteFile(dir / "requirements.txt", "-r requirements/base.txt\ntorch>=2.0,<2.1\n");
  pin = FindTorchPin(dir.path());
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(pin->range.ToString(), ">=2.0,<2.1");
}

TEST(TorchPins, SetupPyInstallRequires) {
  TempDir dir;
  WriteFile(dir / "setup.py",
            "from setuptools import setup\n"
            "setup(name='x', install_requires=['numpy', 'torch>=1.13,<2.1'])\n");

  const auto pin = FindTorchPin(dir.path());

  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(pin->range.ToString(), ">=1.13,<2.1");
}

TEST(TorchPins, NoPinGivesNothing) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml", "[project]\ndependencies = [\"numpy\"]\n");

  EXPECT_FALSE(FindTorchPin(dir.path()).has_value());
}

TEST(TorchPins, PinReachesVersionRules) {
  TempDir dir;
  WriteFile(dir / "pinned/pyproject.toml",
            "[project]\ndependencies = [\"torch>=1.13,<2.4\"]\n\n[tool.distlint]\nselect = [\"VER\"]\n");
  WriteFile(dir / "pinned/a.py", kDeprecatedIn24);
  WriteFile(dir / "unpinned/requirements.txt", "numpy\n");
  WriteFile(dir / "unpinned/a.py", kDeprecatedIn24);

  EXPECT_EQ(CheckCodes({"."}, dir.path().string()), (Codes{"unpinned/a.py:VER002"}));
}

TEST(TorchPins, PinWithoutConfigFile) {
  TempDir dir;
  WriteFile(dir / "requirements.txt", "torch<2.4\n");
  WriteFile(dir / "pkg/a.py", kDeprecatedIn24);

  EXPECT_TRUE(CheckCodes({"pkg/a.py"}, dir.path().string()).empty());
}

TEST(TorchPins, ConfigTargetTorchBeatsPin) {
  TempDir dir;
  WriteFile(dir / "pyproject.toml",
            "[project]\ndependencies = [\"torch>=1.13,<2.4\"]\n\n[tool.distlint]\ntarget-torch = \">=2.4\"\n");
  WriteFile(dir / "a.py", kDeprecatedIn24);

  EXPECT_EQ(CheckCodes({"a.py"}, dir.path().string()), (Codes{"a.py:VER002"}));
}

// --- Command-line overrides ----------------------------------------------------------

TEST(ConfigOverrides, SelectFlagReplacesFileSelection) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = [\"ALC\"]\nextend-select = [\"ALC001\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"--select", "VER", "a.py"}, dir.path().string()), (Codes{"a.py:VER003"}));
}

TEST(ConfigOverrides, ExtendSelectFlagAdds) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "select = [\"ALC\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_EQ(CheckCodes({"--extend-select", "VER003", "a.py"}, dir.path().string()),
            (Codes{"a.py:ALC001", "a.py:VER003"}));
}

TEST(ConfigOverrides, IgnoreFlagAddsToFile) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "ignore = [\"ALC\"]\n");
  WriteFile(dir / "a.py", kTwoFindings);

  EXPECT_TRUE(CheckCodes({"--ignore", "VER", "a.py"}, dir.path().string()).empty());
}

TEST(ConfigOverrides, TargetTorchFlagBeatsFile) {
  TempDir dir;
  WriteFile(dir / "distlint.toml", "target-torch = \">=2.4\"\n");
  WriteFile(dir / "a.py", kDeprecatedIn24);

  EXPECT_TRUE(CheckCodes({"--target-torch", ">=1.13,<2.4", "a.py"}, dir.path().string()).empty());
}

TEST(ConfigOverrides, UnsafeFixesFlagWithoutFile) {
  TempDir dir;
  WriteFile(dir / "a.py", kTwoFindings);

  RunDistlint({"fix", "--isolated", "--unsafe-fixes", "a.py"}, dir.path().string());

  EXPECT_TRUE(Contains(ReadFile(dir / "a.py"), "map_location")) << ReadFile(dir / "a.py");
}

TEST(ConfigOverrides, ConfigAndIsolatedRejected) {
  TempDir dir;
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--isolated", "--config", "x.toml", "a.py"},
                                           dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "--config and --isolated")) << result.err;
}

TEST(ConfigOverrides, UnknownExtendSelectCodeRejected) {
  TempDir dir;
  WriteFile(dir / "a.py", kTwoFindings);

  const CommandResult result = RunDistlint({"check", "--extend-select", "NOPE1", "a.py"}, dir.path().string());

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "'NOPE1' in --extend-select")) << result.err;
}

// --- Library -----------------------------------------------------------------------

TEST(ConfigGlob, GitignoreStyleMatching) {
  const std::filesystem::path base = "/repo";
  EXPECT_TRUE(ConfigGlobMatches("legacy", base, "/repo/src/legacy/a.py"));
  EXPECT_TRUE(ConfigGlobMatches("legacy/", base, "/repo/legacy/a.py"));
  EXPECT_FALSE(ConfigGlobMatches("legacy/", base, "/repo/src/legacy"));
  EXPECT_TRUE(ConfigGlobMatches("legacy/", base, "/repo/src/legacy", true));
  EXPECT_TRUE(ConfigGlobMatches("__init__.py", base, "/repo/pkg/__init__.py"));
  EXPECT_TRUE(ConfigGlobMatches("tests/**/*.py", base, "/repo/tests/a/b/c.py"));
  EXPECT_FALSE(ConfigGlobMatches("tests/*.py", base, "/repo/tests/a/c.py"));
  EXPECT_TRUE(ConfigGlobMatches("/setup.py", base, "/repo/setup.py"));
  EXPECT_FALSE(ConfigGlobMatches("/setup.py", base, "/repo/pkg/setup.py"));
  EXPECT_TRUE(ConfigGlobMatches("./scripts/*", base, "/repo/scripts/run.py"));
  EXPECT_FALSE(ConfigGlobMatches("*.py", base, "/elsewhere/a.py"));
}

TEST(SettingsResolver, OneAnalyzerPerDistinctConfig) {
  TempDir dir;
  WriteFile(dir / "a/distlint.toml", "select = [\"ALC\"]\n");
  WriteFile(dir / "b/distlint.toml", "select = [\"VER\"]\n");
  WriteFile(dir / "a/one.py", "");
  WriteFile(dir / "a/deep/two.py", "");
  WriteFile(dir / "b/three.py", "");

  SettingsResolver resolver({});
  const Analyzer* one = &resolver.AnalyzerFor(dir / "a/one.py");
  const Analyzer* two = &resolver.AnalyzerFor(dir / "a/deep/two.py");
  const Analyzer* three = &resolver.AnalyzerFor(dir / "b/three.py");

  EXPECT_EQ(one, two);
  EXPECT_NE(one, three);
  EXPECT_EQ(resolver.ForFile(dir / "a/deep/two.py")->config_file, std::filesystem::path(dir / "a/distlint.toml"));
}

TEST(SettingsResolver, TargetTorchSourceNamesPinFile) {
  TempDir dir;
  WriteFile(dir / "requirements.txt", "torch>=2.0\n");
  WriteFile(dir / "a.py", "");

  SettingsResolver resolver({});
  const auto settings = resolver.ForFile(dir / "a.py");

  EXPECT_EQ(settings->analysis.target_torch.ToString(), ">=2.0");
  EXPECT_EQ(settings->target_torch_source, dir / "requirements.txt");
}

}  // namespace
}  // namespace distlint
