import deepspeed
import torch
from deepspeed import comm as dist


def initialize_distributed(args):
    device_count = torch.cuda.device_count()
    if device_count > 0:
        torch.cuda.set_device(args.local_rank)

    deepspeed.init_distributed(args.distributed_backend)
    if args.deepspeed:
        deepspeed.checkpointing.configure(None, deepspeed_config=args.deepspeed_config)


def print_rank_0(message):
    if dist.get_rank() == 0:
        print(message, flush=True)
