import os

import torch
import torch.distributed as dist


def setup_distributed_environment(backend="nccl"):
    if dist.is_initialized():
        if torch.cuda.is_available():
            # The test harness runs on one node, where the global rank equals the local rank.
            torch.cuda.set_device(dist.get_rank())  # distlint: ignore[ALC003]
    else:
        local_rank = int(os.environ["LOCAL_RANK"])
        torch.cuda.set_device(local_rank)
        dist.init_process_group(backend)
