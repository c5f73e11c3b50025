from datetime import timedelta

import deepspeed
import torch


def initialize_distributed(args):
    if torch.distributed.is_initialized():
        args.rank = torch.distributed.get_rank()
        args.world_size = torch.distributed.get_world_size()
    elif torch.cuda.device_count() > 0:
        torch.cuda.set_device(args.rank % torch.cuda.device_count())

    if args.deepspeed:
        deepspeed.init_distributed()
    else:
        if not torch.distributed.is_initialized():
            torch.distributed.init_process_group(
                backend=args.distributed_backend,
                world_size=args.world_size,
                rank=args.rank,
                timeout=timedelta(minutes=args.distributed_timeout_minutes),
            )
