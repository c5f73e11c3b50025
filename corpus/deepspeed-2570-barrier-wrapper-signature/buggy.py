import torch.distributed as dist


def barrier(group=None, log_name="barrier"):
    return dist.barrier(group=group)


def synchronize_local_devices(local_rank):
    barrier(device_ids=[local_rank])
