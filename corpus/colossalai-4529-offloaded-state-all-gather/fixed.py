import torch
import torch.distributed as dist


def gather_optimizer_state(state, working_param, world_size, dp_group):
    gathered = {}
    for key, value in state.items():
        shards = [torch.zeros(value.shape, device="cuda", dtype=value.dtype) for _ in range(world_size)]
        dist.all_gather(shards, value.cuda(), group=dp_group)
        full = torch.stack(shards).view(-1)[: working_param.numel()]
        gathered[key] = full.reshape_as(working_param).cpu()
    return gathered
