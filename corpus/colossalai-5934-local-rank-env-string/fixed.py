import os

import torch.distributed as dist


class DistCoordinator:
    def __init__(self):
        self._rank = dist.get_rank()
        self._world_size = dist.get_world_size()
        self._local_rank = int(os.environ.get("LOCAL_RANK", -1))

    @property
    def is_master_local(self):
        return self._local_rank == 0
