import torch.distributed as dist


def live_groups(groups):
    alive = []
    for group in groups:
        try:
            dist.get_rank(group)
        except (ValueError, RuntimeError):
            continue
        alive.append(group)
    return alive
