import torch.distributed as dist


class ShardedDataParallel:
    def __init__(self, module, process_group=None):
        self.module = module
        self.process_group = process_group if process_group is not None else dist.group.WORLD
        self.backend = dist.get_backend(self.process_group)
        self.reference_global_rank = 0

    def sync_buffers(self, blocking=False):
        work_handles = []
        for buffer in self.module.buffers(recurse=True):
            work_handles.append(
                dist.broadcast(buffer.data, self.reference_global_rank, self.process_group, async_op=True)
            )
        if blocking and work_handles:
            if self.backend != dist.Backend.NCCL:
                # gloo gives no ordering guarantee: wait for every broadcast.
                for handle in work_handles:
                    handle.wait()
            else:
                work_handles[-1].wait()
