#include <gtest/gtest.h>

#include "analyzer/analyzer.h"

namespace distlint {
namespace {

RuleInfo MakeInfo(std::string_view code, bool enabled_by_default) {
  RuleInfo info{code, "some-rule", Family::kCommunication, FixStrategy::kOther, FixAvailability::kNone, "", ""};
  info.enabled_by_default = enabled_by_default;
  return info;
}

TEST(RuleSelection, OptInRuleOffByDefault) {
  const RuleInfo info = MakeInfo("PRE001", false);
  EXPECT_FALSE((RuleSelection{{}, {}}.Enabled(info)));
  EXPECT_FALSE((RuleSelection{{"ALL"}, {}}.Enabled(info)));
}

TEST(RuleSelection, OptInRuleSelectedExplicitly) {
  const RuleInfo info = MakeInfo("PRE001", false);
  EXPECT_TRUE((RuleSelection{{"PRE001"}, {}}.Enabled(info)));
  EXPECT_TRUE((RuleSelection{{"PRE"}, {}}.Enabled(info)));
  EXPECT_TRUE((RuleSelection{{"some-rule"}, {}}.Enabled(info)));
  EXPECT_TRUE((RuleSelection{{"ALL", "PRE001"}, {}}.Enabled(info)));
  EXPECT_FALSE((RuleSelection{{"PRE001"}, {"PRE001"}}.Enabled(info)));
}

TEST(RuleSelection, DefaultRuleFollowsSelectAndIgnore) {
  const RuleInfo info = MakeInfo("COM001", true);
  EXPECT_TRUE((RuleSelection{{}, {}}.Enabled(info)));
  EXPECT_TRUE((RuleSelection{{"ALL"}, {}}.Enabled(info)));
  EXPECT_FALSE((RuleSelection{{"ALC"}, {}}.Enabled(info)));
  EXPECT_FALSE((RuleSelection{{}, {"COM"}}.Enabled(info)));
  EXPECT_TRUE((RuleSelection{{"COM001"}, {"COM"}}.Enabled(info)));
}

TEST(RuleSelection, RegisteredOptInRulesStayOffByDefault) {
  Analyzer analyzer(AnalysisOptions{}, RuleSelection{});
  for (const Rule* rule : analyzer.enabled_rules()) {
    EXPECT_TRUE(rule->info().enabled_by_default) << rule->info().code << " is opt-in but ran by default";
  }
  size_t opt_in = 0;
  for (const Rule* rule : RuleRegistry::Instance().rules()) opt_in += rule->info().enabled_by_default ? 0 : 1;
  EXPECT_GE(opt_in, 1u);
}

}  // namespace
}  // namespace distlint
