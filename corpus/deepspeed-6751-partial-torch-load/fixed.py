import json
import os
from functools import partial

import torch


class HuggingFaceCheckpointEngine:
    def __init__(self, checkpoint_dir):
        self.checkpoint_dir = checkpoint_dir
        self.load_fn = partial(torch.load, map_location="cpu", weights_only=False)

    def parameters(self):
        with open(os.path.join(self.checkpoint_dir, "pytorch_model.bin.index.json")) as handle:
            shard_names = sorted(set(json.load(handle)["weight_map"].values()))
        for shard_name in shard_names:
            yield from self.load_fn(os.path.join(self.checkpoint_dir, shard_name)).items()
