import torch.distributed as dist


class TorchBackend:
    def barrier(self, group=None, async_op=False, device_ids=None):
        return dist.barrier(group=group, async_op=async_op, device_ids=device_ids)

    def monitored_barrier(self, group=None, timeout=None, wait_all_ranks=False):
        return dist.monitored_barrier(group=group, timeout=timeout, wait_all_ranks=wait_all_ranks)


backend = TorchBackend()


def monitored_barrier(group=None, timeout=None, wait_all_ranks=False):
    return backend.barrier(group=group, timeout=timeout, wait_all_ranks=wait_all_ranks)
