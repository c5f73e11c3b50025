import deepspeed
import torch


def main(args, model, parameters, trainset):
    deepspeed.init_distributed()
    engine, optimizer, loader, _ = deepspeed.initialize(
        args=args, model=model, model_parameters=parameters, training_data=trainset)
    return engine, loader
