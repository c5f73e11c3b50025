import torch.distributed as dist
from torch.nn import Module


class DeepSpeedLight(Module):
    def __init__(self, args, model, dist_init_required=True):
        super().__init__()
        self.module = model
        self.dist_backend = "nccl"
        if dist_init_required:
            dist.init_process_group(backend=self.dist_backend)
        self.world_size = dist.get_world_size()
