import os

import torch


def load_cached_datasets(output_path, cache_key):
    train_file = os.path.join(output_path, f"traindata_{cache_key}.pt")
    eval_file = os.path.join(output_path, f"evaldata_{cache_key}.pt")
    return torch.load(train_file), torch.load(eval_file)
