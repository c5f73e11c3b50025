import torch
import torch.distributed as dist


def reduce_scatter_fn(output_tensor, tensor, op=dist.ReduceOp.SUM, group=None, async_op=False):
    chunks = list(torch.chunk(tensor, dist.get_world_size(group)))
    return dist.reduce_scatter(output_tensor, chunks, op=op, group=group, async_op=async_op)


def average_gradients(output, flat_grads, group):
    return reduce_scatter_fn(output, flat_grads, op=dist.ReduceOp.AVG, group=group)
