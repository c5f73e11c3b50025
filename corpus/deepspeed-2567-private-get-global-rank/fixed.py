import torch.distributed as dist

if hasattr(dist.distributed_c10d, "get_global_rank"):
    from torch.distributed.distributed_c10d import get_global_rank as _get_global_rank
else:
    from torch.distributed.distributed_c10d import _get_global_rank


def group_leader(group):
    return _get_global_rank(group, 0)
