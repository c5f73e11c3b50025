import torch.distributed as dist


class ZeroOptimizer:
    def __init__(self, model_parallel_group=None):
        self.model_parallel_group = model_parallel_group

    def model_parallel_all_reduce(self, tensor, op):
        if self.model_parallel_group is None:
            pass
        else:
            dist.all_reduce(tensor=tensor, op=op, group=self.model_parallel_group)
