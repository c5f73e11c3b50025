import sys

import torch
from packaging import version


def get_launch_command(script, nproc_per_node):
    torch_version = version.parse(torch.__version__)
    if torch_version.minor < 9:
        return [sys.executable, "-m", "torch.distributed.launch", f"--nproc_per_node={nproc_per_node}", script]
    return ["torchrun", f"--nproc_per_node={nproc_per_node}", script]
