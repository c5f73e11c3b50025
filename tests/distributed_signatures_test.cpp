#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/parameter/signatures.h"

namespace distlint {
namespace {

TEST(DistributedSignatures, BarrierTakesNoTimeout) {
  const Signature* barrier = TorchDistributedSignature("torch.distributed.barrier");
  ASSERT_NE(barrier, nullptr);
  EXPECT_EQ(barrier->params, (std::vector<std::string>{"group", "async_op", "device_ids"}));
  EXPECT_EQ(barrier->max_positional, 3u);
  EXPECT_TRUE(barrier->Accepts("device_ids"));
  EXPECT_FALSE(barrier->Accepts("timeout"));
}

TEST(DistributedSignatures, LaterParametersAccepted) {
  const Signature* init = TorchDistributedSignature("torch.distributed.init_process_group");
  ASSERT_NE(init, nullptr);
  EXPECT_TRUE(init->Accepts("device_id"));
  EXPECT_EQ(init->later_params.at("device_id"), "2.3");
  EXPECT_EQ(init->max_positional, init->params.size());
}

TEST(DistributedSignatures, UnknownNameIsNull) {
  EXPECT_EQ(TorchDistributedSignature("torch.distributed.no_such_function"), nullptr);
  EXPECT_EQ(TorchDistributedSignature("deepspeed.comm.barrier"), nullptr);
}

TEST(DistributedSignatures, CollectivesHaveParameters) {
  for (const char* name : {"torch.distributed.all_reduce", "torch.distributed.reduce_scatter",
                           "torch.distributed.new_group", "torch.distributed.monitored_barrier"}) {
    const Signature* signature = TorchDistributedSignature(name);
    ASSERT_NE(signature, nullptr) << name;
    EXPECT_FALSE(signature->params.empty()) << name;
    EXPECT_FALSE(signature->has_varkw) << name;
  }
}

}  // namespace
}  // namespace distlint
