import torch
import torch.distributed as dist

ARGS_KEY = "args"


def load_model_parallel_states(checkpoint_files):
    states = torch.load(checkpoint_files[0], map_location=torch.device("cpu"))
    saved_args = states[ARGS_KEY]
    return states, saved_args
