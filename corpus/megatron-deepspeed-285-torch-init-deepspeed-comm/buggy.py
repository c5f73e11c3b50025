from datetime import timedelta

import deepspeed
import torch
from deepspeed import comm as dist


def initialize_distributed(args):
    device_count = torch.cuda.device_count()
    if device_count > 0:
        torch.cuda.set_device(args.local_rank)

    torch.distributed.init_process_group(
        backend=args.distributed_backend,
        world_size=args.world_size,
        rank=args.rank,
        timeout=timedelta(minutes=10),
    )
    if args.deepspeed:
        deepspeed.checkpointing.configure(None, deepspeed_config=args.deepspeed_config)


def print_rank_0(message):
    if dist.get_rank() == 0:
        print(message, flush=True)
