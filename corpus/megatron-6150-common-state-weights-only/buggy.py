import io

import torch


def load_common_state_dict(checkpoint_file):
    with open(checkpoint_file, "rb") as f:
        buffer = io.BytesIO(f.read())
    return torch.load(buffer, weights_only=False)
