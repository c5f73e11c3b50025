import numpy as np
import torch
import torch.distributed as dist


class AdaptiveScaler:
    def __init__(self, optimizer, world_size):
        self.optimizer = optimizer
        self.world_size = world_size
        self.local_grad_sqr = None

    def record_local_grads(self, params):
        self.local_grad_sqr = torch.stack([p.grad.pow(2).sum() for p in params]).float()

    def final_callback(self):
        # Every replica must see the mean of the local squared gradient norms.
        dist.all_reduce(self.local_grad_sqr)
        self.local_grad_sqr.div_(self.world_size)
        return np.asarray(self.local_grad_sqr.cpu())
