import torch.distributed as dist


class ShardedDataParallel:
    def __init__(self, module, process_group=None):
        self.module = module
        self.process_group = process_group if process_group is not None else dist.group.WORLD
        self.reference_global_rank = 0

    def sync_buffers(self, blocking=False):
        last_work_handle = None
        for buffer in self.module.buffers(recurse=True):
            last_work_handle = dist.broadcast(
                buffer.data, self.reference_global_rank, self.process_group, async_op=True
            )
        if blocking and last_work_handle:
            # Only the last broadcast is waited: NCCL runs them in order on one stream.
            last_work_handle.wait()
