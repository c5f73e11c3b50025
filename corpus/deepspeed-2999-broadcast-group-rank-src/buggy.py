import torch.distributed as dist


def broadcast_initial_parameters(params, dp_group):
    for param in params:
        dist.broadcast(param, 0, dp_group)
