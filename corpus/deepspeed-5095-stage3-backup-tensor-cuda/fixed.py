import torch
from deepspeed.accelerator import get_accelerator


class Stage3Optimizer:
    def __init__(self, init_optimizer, dtype, offload_optimizer, partial_offload, fused_adam_cls):
        self.dtype = dtype
        self.optimizer = init_optimizer
        self.offload_optimizer = offload_optimizer
        self.partial_offload = partial_offload
        if not get_accelerator().is_available():
            raise RuntimeError("ZeRO-3 needs an accelerator")
        if self.offload_optimizer and self.partial_offload != 1.0:
            backup_gpu_tensor = torch.randn(1, device=get_accelerator().device_name()).to(self.dtype)
            backup_gpu_param = torch.nn.Parameter(backup_gpu_tensor)
            self.backup_optimizer = fused_adam_cls([backup_gpu_param])
