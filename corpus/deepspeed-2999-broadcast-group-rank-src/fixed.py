import torch.distributed as dist


def broadcast_initial_parameters(params, dp_group):
    for param in params:
        if dist.group.WORLD == dp_group:
            dist.broadcast(param, 0, dp_group)
        else:
            dist.broadcast(param, dist.get_global_rank(dp_group, 0), dp_group)
