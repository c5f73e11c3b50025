import torch.distributed as dist
from torch.distributed.distributed_c10d import _get_global_rank


def group_leader(group):
    return _get_global_rank(group, 0)
