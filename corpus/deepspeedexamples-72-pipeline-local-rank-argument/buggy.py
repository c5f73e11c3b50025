import argparse

import deepspeed
import torch


def get_args():
    parser = argparse.ArgumentParser(description="pipeline-parallel CIFAR")
    parser.add_argument("--local_rank", type=int, default=-1, help="local rank passed from the launcher")
    parser.add_argument("--backend", type=str, default="nccl")
    parser = deepspeed.add_config_arguments(parser)
    return parser.parse_args()


if __name__ == "__main__":
    args = get_args()
    torch.cuda.set_device(args.local_rank)
    deepspeed.init_distributed(dist_backend=args.backend)
