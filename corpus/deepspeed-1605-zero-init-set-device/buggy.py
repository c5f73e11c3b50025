import os

import torch
import torch.distributed as dist


class PartitionedInit:
    def __init__(self, process_group=None):
        self.process_group = process_group
        self.rank = dist.get_rank(group=process_group)
        self.local_device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}")

    def gather_buffer(self, numel):
        return torch.empty(numel, device=torch.cuda.current_device())
