import argparse
import os

import deepspeed
import torch


def train(args):
    rank = args.local_rank
    torch.cuda.set_device(rank)
    deepspeed.init_distributed(dist_backend="nccl")
    return torch.zeros(args.batch_size, device=f"cuda:{rank}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    if os.environ.get("LOCAL_RANK"):
        args.local_rank = int(os.environ["LOCAL_RANK"])
    train(args)
