import torch.distributed as dist


def get_all_ranks_from_group(group=None):
    ranks = []
    group_rank = 0
    try:
        while True:
            ranks.append(dist.get_global_rank(group, group_rank))
            group_rank += 1
    except RuntimeError:
        pass
    return ranks
