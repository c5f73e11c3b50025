import logging
from collections import Counter

import torch
import torch.distributed as dist

logger = logging.getLogger(__name__)


def prepare_trajectories(rollouts, pad_id, seq_length):
    trajectories = []
    env_id_counts = Counter()
    for rollout in rollouts:
        tokens = list(rollout.tokens) + [pad_id] * (seq_length - len(rollout.tokens))
        trajectories.append(tokens)
        env_id_counts[rollout.env_id] += 1

    if torch.distributed.is_initialized():
        logger.info(f"[{dist.get_rank()}] rollout counts:")
        for env_id, count in env_id_counts.items():
            logger.info(f"[{dist.get_rank()}] {env_id}: {count}")
    return torch.tensor(trajectories, device="cpu")


def data_parallel_rank():
    if torch.distributed.is_initialized():
        return torch.distributed.get_rank()
    return 0
