import torch
from deepspeed.accelerator import get_accelerator


def group_mask(indices):
    return torch.tensor(indices, device=get_accelerator().current_device())
