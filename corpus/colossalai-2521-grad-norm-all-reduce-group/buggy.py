import torch
import torch.distributed as dist


def compute_norm(gradients, params, dp_group, mp_group, mp_rank, norm_type=2.0):
    total_norm = 0.0
    for grad, param in zip(gradients, params):
        if getattr(param, "is_model_parallel", False) or mp_rank == 0:
            total_norm += grad.data.double().norm(norm_type).item() ** norm_type
    total_norm_cuda = torch.tensor([total_norm], dtype=torch.float, device="cuda")
    dist.all_reduce(total_norm_cuda, op=dist.ReduceOp.SUM, group=dp_group)
    if mp_group is not None:
        dist.all_reduce(tensor=total_norm_cuda, op=dist.ReduceOp.SUM)
    return total_norm_cuda.item() ** (1.0 / norm_type)
