import os
import warnings

import torch


def safe_get_rank() -> int:
    if torch.distributed.is_initialized():
        return torch.distributed.get_rank()
    if "RANK" in os.environ:
        return int(os.environ["RANK"])
    warnings.warn("Could not determine rank from torch.distributed or RANK. Defaulting to rank 0.")
    return 0
