import glob
import json
import os

import torch.distributed as dist
from huggingface_hub import snapshot_download


def get_repo_root(model_name, rank):
    # Rank 0 downloads while the others wait, then every rank reads the cache.
    if rank == 0:
        snapshot_download(model_name)
    dist.barrier()
    return snapshot_download(model_name, local_files_only=True)


def get_checkpoint_files(model_name, rank):
    root = get_repo_root(model_name, rank)
    return sorted(glob.glob(os.path.join(root, "*.bin")))


def write_checkpoints_json(path, model_name, rank):
    with open(path, "w") as handle:
        files = get_checkpoint_files(model_name, rank)
        json.dump({"type": "BLOOM", "checkpoints": files, "version": 1.0}, handle)


def prepare_checkpoints(path, model_name, rank):
    if rank == 0:
        write_checkpoints_json(path, model_name, rank)
    dist.barrier()
    return path
