import torch.distributed as dist


def barrier(group=None, async_op=False, device_ids=None, log_name="barrier"):
    return dist.barrier(group=group, async_op=async_op, device_ids=device_ids)


def synchronize_local_devices(local_rank):
    barrier(device_ids=[local_rank])
