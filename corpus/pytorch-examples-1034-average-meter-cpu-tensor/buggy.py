import argparse

import torch
import torch.distributed as dist


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist-backend", default="nccl", type=str)
    parser.add_argument("--dist-url", default="env://", type=str)
    return parser.parse_args()


class AverageMeter:
    def __init__(self):
        self.sum = 0.0
        self.count = 0

    def update(self, value, n=1):
        self.sum += value * n
        self.count += n

    def all_reduce(self):
        total = torch.FloatTensor([self.sum, self.count])
        dist.all_reduce(total, dist.ReduceOp.SUM, async_op=False)
        self.sum, self.count = total.tolist()


def main_worker(args):
    dist.init_process_group(backend=args.dist_backend, init_method=args.dist_url)
    return AverageMeter()
