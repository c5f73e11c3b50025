import torch
from deepspeed.accelerator import get_accelerator


class Timers:
    def __init__(self):
        self._timers = {}

    def _get_elapsed_time_all_ranks(self, names, reset, barrier):
        if barrier:
            torch.distributed.barrier()
        world_size = torch.distributed.get_world_size()
        rank = torch.distributed.get_rank()
        rank_name_to_time = torch.zeros((world_size, len(names)), dtype=torch.float,
                                        device=get_accelerator().current_device_name())
        for i, name in enumerate(names):
            if name in self._timers:
                rank_name_to_time[rank, i] = self._timers[name].elapsed(reset=reset)
        torch.distributed.all_gather_into_tensor(rank_name_to_time.view(-1), rank_name_to_time[rank, :].view(-1))
        return rank_name_to_time
