import torch.distributed as dist
import torch.nn as nn


class DominoLayer(nn.Module):
    def __init__(self, mpu, hidden_size):
        super().__init__()
        self.mpu = mpu
        self.tp_world_size = dist.get_world_size(group=mpu.get_tensor_model_parallel_group())
        self.hidden_size = hidden_size
