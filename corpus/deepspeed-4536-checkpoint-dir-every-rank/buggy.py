import os

import torch.distributed as dist


def save_checkpoint(save_dir, tag, state, save_fn):
    rank = dist.get_rank()
    os.makedirs(save_dir, exist_ok=True)
    dist.barrier()
    save_fn(state, os.path.join(save_dir, tag, f"rank_{rank}.pt"))
