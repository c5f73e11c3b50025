import argparse

import torch

parser = argparse.ArgumentParser(description="ImageNet training")
parser.add_argument("--local_rank", default=0, type=int)
parser.add_argument("--batch-size", default=128, type=int)


def setup_device(args):
    args.distributed = torch.cuda.device_count() > 1
    args.device = "cuda:0"
    if args.distributed:
        args.device = "cuda:%d" % args.local_rank
        torch.cuda.set_device(args.local_rank)
        torch.distributed.init_process_group(backend="nccl", init_method="env://")
    return torch.device(args.device)


def main():
    args = parser.parse_args()
    setup_device(args)


if __name__ == "__main__":
    main()
