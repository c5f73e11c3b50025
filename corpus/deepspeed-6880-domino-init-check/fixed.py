import torch.distributed as dist
import torch.nn as nn


class DominoLayer(nn.Module):
    def __init__(self, mpu, hidden_size):
        super().__init__()
        if not dist.is_initialized():
            dist.init_process_group()
            assert dist.is_initialized(), "torch.distributed is not initialized"
        self.mpu = mpu
        self.tp_world_size = dist.get_world_size(group=mpu.get_tensor_model_parallel_group())
        self.hidden_size = hidden_size
