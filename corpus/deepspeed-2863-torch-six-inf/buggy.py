import torch
from torch._six import inf
import torch.distributed as dist


def global_grad_norm(parameters, norm_type=2.0):
    grads = [p.grad for p in parameters if p.grad is not None]
    if norm_type == inf:
        local = max(g.abs().max() for g in grads)
        total = torch.tensor([float(local)])
        dist.all_reduce(total, op=dist.ReduceOp.MAX)
        return total.item()
    local = sum(g.norm(norm_type) ** norm_type for g in grads)
    total = torch.tensor([float(local)])
    dist.all_reduce(total)
    return total.item() ** (1.0 / norm_type)
