import time

import torch
from transformers import AutoModel


def create_critic_model(model_name_or_path, checkpoint_path=None):
    start = time.time()
    critic = AutoModel.from_pretrained(model_name_or_path)
    if torch.distributed.get_rank() == 0:
        print(f"> creating the critic took {time.time() - start:.1f} seconds")

    if checkpoint_path is not None:
        start = time.time()
        state = torch.load(checkpoint_path, map_location="cpu")
        critic.load_state_dict(state)
        if torch.distributed.get_rank() == 0:
            print(f"> loading the critic took {time.time() - start:.1f} seconds")
    return critic
