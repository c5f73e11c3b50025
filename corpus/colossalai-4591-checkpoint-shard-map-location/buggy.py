from pathlib import Path

import torch
import torch.distributed as dist


def load_shard_state_dict(checkpoint_file: Path):
    return torch.load(checkpoint_file)


def load_sharded_model(model, shard_files):
    for shard_file in shard_files:
        model.load_state_dict(load_shard_state_dict(shard_file), strict=False)
    dist.barrier()
