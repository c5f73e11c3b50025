import torch
import torch.distributed as dist


class TensorSlicer:
    def __init__(self, mp_group=None):
        self.gpu_index = dist.get_rank(group=mp_group)
        self.mp_size = dist.get_world_size(group=mp_group)

    def copy_qkv(self, dst, src, num_splits=3):
        qkv_split = torch.split(src, src.shape[-1] // num_splits, dim=-1)
        shards = [torch.split(part, part.shape[-1] // self.mp_size, dim=-1) for part in qkv_split]
        weight_split = [torch.cat([shard[i] for shard in shards], dim=-1) for i in range(self.mp_size)]
        dst.data.copy(weight_split[self.gpu_index].to(torch.cuda.current_device()).contiguous())
        return dst
