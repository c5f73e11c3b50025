import torch
import torch.distributed as dist

try:
    from torch._six import inf as inf
except ModuleNotFoundError:
    from torch import inf as inf


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
