import torch


def expert_capacity(mask, new_capacity):
    return min(new_capacity, torch.tensor(mask.size(0)))
