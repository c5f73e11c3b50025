import torch


def _reduce(input_, group):
    if group.size() == 1:
        return input_
    torch.distributed.all_reduce(input_.contiguous(), group=group)
    return input_
