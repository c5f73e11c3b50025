import torch
import torch.distributed as dist
from deepspeed.accelerator import get_accelerator

if get_accelerator().device_name == "cuda":
    from apex.multi_tensor_apply import multi_tensor_applier
    import amp_C


def calc_params_l2_norm(params, model_parallel_group):
    dummy_overflow_buf = get_accelerator().IntTensor([0])
    if get_accelerator().device_name == "cuda":
        norm, _ = multi_tensor_applier(amp_C.multi_tensor_l2norm, dummy_overflow_buf, [params], False)
    else:
        norm = torch.norm(torch.stack([torch.norm(p, 2.0) for p in params]), 2.0)
    norm_2 = norm * norm
    dist.all_reduce(norm_2, op=dist.ReduceOp.SUM, group=model_parallel_group)
    return norm_2.item() ** 0.5
