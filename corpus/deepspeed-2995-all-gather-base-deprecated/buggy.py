import torch
import torch.distributed as dist


class TorchCommBackend:
    def __init__(self):
        self.has_all_gather_base = hasattr(dist, "_all_gather_base")

    def all_gather_flat(self, output_tensor, input_tensor, group=None):
        if self.has_all_gather_base:
            return dist._all_gather_base(output_tensor, input_tensor, group=group)
        chunks = list(torch.chunk(output_tensor, dist.get_world_size(group)))
        return dist.all_gather(chunks, input_tensor, group=group)
