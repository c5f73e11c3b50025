import os

import torch

COMMON_STATE_FNAME = "common.pt"


def load_common(checkpoint_dir):
    load_path = os.path.join(checkpoint_dir, COMMON_STATE_FNAME)
    try:
        return torch.load(load_path, map_location="cpu", weights_only=True)
    except FileNotFoundError as e:
        raise FileNotFoundError(f"Common file {load_path} does not exist") from e
