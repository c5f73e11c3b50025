import torch


class FP16Optimizer:
    def __init__(self, init_optimizer):
        if not torch.cuda.is_available():
            raise SystemError("Cannot use fp16 without CUDA.")
        self.optimizer = init_optimizer
