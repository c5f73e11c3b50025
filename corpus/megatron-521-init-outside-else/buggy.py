from datetime import timedelta

import torch


def initialize_distributed(args):
    device_count = torch.cuda.device_count()
    if torch.distributed.is_initialized():
        print("torch distributed is already initialized, skipping initialization ...")
        args.rank = torch.distributed.get_rank()
        args.world_size = torch.distributed.get_world_size()
    else:
        print("> initializing torch distributed ...")
        if device_count > 0:
            torch.cuda.set_device(args.rank % device_count)
    torch.distributed.init_process_group(
        backend=args.distributed_backend,
        world_size=args.world_size,
        rank=args.rank,
        timeout=timedelta(minutes=args.distributed_timeout_minutes),
    )
