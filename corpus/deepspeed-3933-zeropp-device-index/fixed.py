import torch
import torch.distributed as dist
from deepspeed.accelerator import get_accelerator


def all_gather_secondary(params, buffer, group):
    flat = torch.cat([p.secondary_tensor.to(get_accelerator().current_device_name()) for p in params])
    return dist.all_gather_into_tensor(buffer, flat, group=group, async_op=True)
