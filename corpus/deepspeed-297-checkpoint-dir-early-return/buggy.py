import logging
import os

import torch.distributed as dist

logger = logging.getLogger(__name__)


class CheckpointEngine:
    def __init__(self, world_size):
        self.world_size = world_size
        self.global_rank = dist.get_rank()

    def create_shard_dirs(self, save_dir, tag):
        # One rank at a time creates its directory on the shared file system.
        for rank in range(self.world_size):
            if rank == self.global_rank:
                try:
                    os.makedirs(os.path.join(save_dir, tag, f"shard_{rank}"), exist_ok=True)
                except OSError as error:
                    logger.error("Failed to create the checkpoint directory in %s: %s", save_dir, error)
                    return False
            dist.barrier()
        return True
