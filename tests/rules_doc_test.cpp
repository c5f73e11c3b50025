// Checks that docs/rules.md matches `distlint rules --markdown`, so the rule
// reference never drifts from the rules' own documentation.
#include <gtest/gtest.h>

#include <string>

#include "tests/test_support.h"

namespace distlint {
namespace {

TEST(RulesDoc, MatchesGeneratedMarkdown) {
  // The built executable, not RulesMarkdown() in this process: the test
  // binary registers extra rules of its own.
  const testing::CommandResult generated = testing::RunDistlint({"rules", "--markdown"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  ASSERT_FALSE(generated.out.empty());

  const std::filesystem::path doc = std::filesystem::path(DISTLINT_SOURCE_DIR) / "docs" / "rules.md";
  ASSERT_TRUE(std::filesystem::exists(doc))
      << doc << " is missing; generate it with `./build/distlint rules --markdown > docs/rules.md`";
  const std::string committed = testing::ReadFile(doc);

  EXPECT_TRUE(committed == generated.out)
      << "docs/rules.md is out of date with the rules' documentation; regenerate it with "
         "`./build/distlint rules --markdown > docs/rules.md` and commit the result";
}

TEST(RulesDoc, MarkdownHasEveryRuleSection) {
  const testing::CommandResult generated = testing::RunDistlint({"rules", "--markdown"});
  const testing::CommandResult listed = testing::RunDistlint({"rules"});

  std::istringstream lines(listed.out);
  std::string line;
  int rules = 0;
  while (std::getline(lines, line)) {
    const std::string code = line.substr(0, line.find('\t'));
    ++rules;
    EXPECT_NE(generated.out.find("<a id=\"" + code + "\"></a>\n\n# " + code + " "), std::string::npos) << code;
    EXPECT_NE(generated.out.find("| [" + code + "](#" + code + ") |"), std::string::npos) << code;
  }
  EXPECT_GT(rules, 0);
  // Rule doc sections ("## What it does") sit one level below the rule heading.
  EXPECT_EQ(generated.out.find("\n## "), std::string::npos);
}

}  // namespace
}  // namespace distlint
