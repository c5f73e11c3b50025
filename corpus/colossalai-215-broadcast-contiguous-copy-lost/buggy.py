import torch.distributed as dist


def broadcast(tensor, src, group, async_op=False):
    """Broadcast `tensor` from the global rank `src` to the ranks of `group`."""
    if dist.get_world_size(group) == 1:
        work = None
    else:
        work = dist.broadcast(tensor.contiguous(), src=src, group=group, async_op=async_op)
    if async_op:
        return tensor, work
    return tensor
