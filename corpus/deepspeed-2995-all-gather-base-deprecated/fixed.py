import torch
import torch.distributed as dist


class TorchCommBackend:
    def __init__(self):
        if hasattr(dist, "all_gather_into_tensor"):
            self.all_gather_function = dist.all_gather_into_tensor
        elif hasattr(dist, "_all_gather_base"):
            self.all_gather_function = dist._all_gather_base
        else:
            self.all_gather_function = None

    def all_gather_flat(self, output_tensor, input_tensor, group=None):
        if self.all_gather_function is not None:
            return self.all_gather_function(output_tensor, input_tensor, group=group)
        chunks = list(torch.chunk(output_tensor, dist.get_world_size(group)))
        return dist.all_gather(chunks, input_tensor, group=group)
