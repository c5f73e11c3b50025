#include <gtest/gtest.h>

#include "analyzer/torch_version.h"

namespace distlint {
namespace {

std::string RangeText(const std::string& spec) {
  std::string error;
  auto range = TorchVersionRange::Parse(spec, &error);
  return range ? range->ToString() : "error: " + error;
}

TEST(TorchVersion, ParsesLocalSuffixes) {
  EXPECT_EQ(TorchVersion::Parse("2.1.0+cu121")->ToString(), "2.1");
  EXPECT_EQ(TorchVersion::Parse("1.13.0a0")->ToString(), "1.13");
  EXPECT_EQ(TorchVersion::Parse("2.4.1")->ToString(), "2.4.1");
  EXPECT_FALSE(TorchVersion::Parse("abc").has_value());
}

TEST(TorchVersionRange, ParsesSpecifiers) {
  EXPECT_EQ(RangeText(">=1.13"), ">=1.13");
  EXPECT_EQ(RangeText(">=2.1,<2.5"), ">=2.1,<2.5");
  EXPECT_EQ(RangeText("==2.1"), ">=2.1,<2.2");
  EXPECT_EQ(RangeText("<=2.3"), ">=0.0,<2.3.1");
  EXPECT_EQ(RangeText("~=2.1"), ">=2.1,<3.0");
  EXPECT_EQ(RangeText("~=2.1.3"), ">=2.1.3,<2.2");
}

TEST(TorchVersionRange, RejectsInvalidSpecifiers) {
  EXPECT_EQ(RangeText(">=x").rfind("error: invalid torch version 'x'", 0), 0u);
  EXPECT_EQ(RangeText(">=2.5,<2.1").rfind("error: ", 0), 0u);
  EXPECT_EQ(RangeText("").rfind("error: empty", 0), 0u);
}

TEST(TorchVersionRange, ReachesAndAllAtLeast) {
  std::string error;
  const auto range = *TorchVersionRange::Parse(">=1.13,<2.0", &error);
  EXPECT_FALSE(range.ReachesVersion(TorchVersion{2, 0, 0}));
  EXPECT_TRUE(range.ReachesVersion(TorchVersion{1, 13, 1}));
  EXPECT_TRUE(range.AllAtLeast(TorchVersion{1, 10, 0}));
  EXPECT_FALSE(range.AllAtLeast(TorchVersion{1, 14, 0}));
}

}  // namespace
}  // namespace distlint
