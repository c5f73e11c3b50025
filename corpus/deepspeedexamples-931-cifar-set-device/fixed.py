import os

import deepspeed
import torch


def main(args, model, parameters, trainset):
    deepspeed.init_distributed()
    local_rank = int(os.environ.get("LOCAL_RANK"))
    torch.cuda.set_device(local_rank)
    engine, optimizer, loader, _ = deepspeed.initialize(
        args=args, model=model, model_parameters=parameters, training_data=trainset)
    return engine, loader
