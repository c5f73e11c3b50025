import torch
import torch.distributed as dist


class Stage3Optimizer:
    def __init__(self, dp_process_group, model_parallel_group=None):
        self.dp_process_group = dp_process_group
        self.model_parallel_group = model_parallel_group

    def _model_parallel_all_reduce(self, tensor, op):
        if self.model_parallel_group is None:
            # Without model parallelism the data-parallel reduction is complete.
            return
        dist.all_reduce(tensor=tensor, op=op, group=self.model_parallel_group)

    def compute_grad_norm(self, gradients):
        local_square_sum = sum(float(g.double().norm(2)) ** 2 for g in gradients)
        total = torch.tensor([local_square_sum], device="cuda")
        # Each data-parallel rank stores one partition of the gradients.
        dist.all_reduce(total, op=dist.ReduceOp.SUM, group=self.dp_process_group)
        self._model_parallel_all_reduce(total, dist.ReduceOp.SUM)
        return total.item() ** 0.5
