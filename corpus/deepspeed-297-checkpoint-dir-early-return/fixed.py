import logging
import os

import torch.distributed as dist

logger = logging.getLogger(__name__)


class CheckpointEngine:
    def __init__(self, world_size):
        self.world_size = world_size
        self.global_rank = dist.get_rank()

    def _create_shard_dir(self, save_dir, tag):
        try:
            os.makedirs(os.path.join(save_dir, tag, f"shard_{self.global_rank}"), exist_ok=True)
        except OSError as error:
            logger.error("Failed to create the checkpoint directory in %s: %s", save_dir, error)
            return False
        return True

    def create_shard_dirs(self, save_dir, tag):
        # One rank at a time creates its directory on the shared file system.
        success = True
        for rank in range(self.world_size):
            if rank == self.global_rank:
                success = self._create_shard_dir(save_dir, tag)
            dist.barrier()
        return success
