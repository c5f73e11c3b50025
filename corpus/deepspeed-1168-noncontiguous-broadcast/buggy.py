import torch.distributed as dist


def broadcast_inputs(inputs, src, group):
    for tensor in inputs:
        dist.broadcast(tensor, src, group=group)
    return inputs
