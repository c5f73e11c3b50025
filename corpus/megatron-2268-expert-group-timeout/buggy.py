from datetime import timedelta

import torch.distributed as dist

_EXPERT_MODEL_PARALLEL_GROUP = None


def initialize_expert_parallel(ep_rank_lists, timeout=timedelta(minutes=30)):
    global _EXPERT_MODEL_PARALLEL_GROUP
    for ranks in ep_rank_lists:
        group = dist.new_group(ranks)
        if dist.get_rank() in ranks:
            _EXPERT_MODEL_PARALLEL_GROUP = group
