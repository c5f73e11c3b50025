from datetime import timedelta

import torch


class TorchBackend:
    def __init__(self, backend, timeout=timedelta(minutes=30), init_method=None):
        self.name = "torch"
        self.init_process_group(backend, timeout, init_method)

    def init_process_group(self, backend, timeout, init_method):
        if not torch.distributed.is_initialized():
            torch.distributed.init_process_group(backend, timeout=timeout, init_method=init_method)

    def get_rank(self, group=None):
        return torch.distributed.get_rank(group=group)
