import torch
import torch.distributed as dist


def gather_optimizer_state(state, working_param, world_size, dp_group):
    gathered = {}
    for key, value in state.items():
        shards = [torch.zeros_like(value) for _ in range(world_size)]
        dist.all_gather(shards, value, group=dp_group)
        full = torch.stack(shards).view(-1)[: working_param.numel()]
        gathered[key] = full.reshape_as(working_param)
    return gathered
