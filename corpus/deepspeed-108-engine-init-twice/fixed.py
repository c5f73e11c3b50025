import logging

import torch.distributed as dist
from torch.nn import Module


class DeepSpeedLight(Module):
    def __init__(self, args, model, dist_init_required=None):
        super().__init__()
        self.module = model
        if dist_init_required is None:
            dist_init_required = not dist.is_initialized()
        self.dist_backend = "nccl"
        if dist_init_required:
            if not dist.is_initialized():
                dist.init_process_group(backend=self.dist_backend)
            else:
                logging.warning("dist_init_required=True but the process group exists; not initialising it twice")
        self.world_size = dist.get_world_size()
