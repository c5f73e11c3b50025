#include <gtest/gtest.h>

#include "analyzer/rule.h"

TEST(Registry, HasRules) { EXPECT_GE(distlint::RuleRegistry::Instance().rules().size(), 5u); }
