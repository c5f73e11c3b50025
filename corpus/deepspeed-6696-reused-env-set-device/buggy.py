import os

import torch
import torch.distributed as dist


def setup_distributed_environment(backend="nccl"):
    if not dist.is_initialized():
        local_rank = int(os.environ["LOCAL_RANK"])
        torch.cuda.set_device(local_rank)
        dist.init_process_group(backend)
