import torch
import torch.distributed as dist
from torch._six import inf


def clip_grad_norm(parameters, max_norm, norm_type=2.0):
    grads = [p.grad for p in parameters if p.grad is not None]
    if norm_type == inf:
        norm = torch.tensor([max(float(g.abs().max()) for g in grads)])
        dist.all_reduce(norm, op=dist.ReduceOp.MAX)
    else:
        norm = torch.tensor([sum(float(g.norm(norm_type)) ** norm_type for g in grads)])
        dist.all_reduce(norm)
        norm = norm ** (1.0 / norm_type)
    scale = max_norm / (norm.item() + 1e-6)
    if scale < 1.0:
        for g in grads:
            g.mul_(scale)
    return norm.item()
