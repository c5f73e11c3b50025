import torch


def sharded_optimizer_loading_epilogue(optimizer: torch.optim.Optimizer):
    optimizer._hook_for_profile()
    optimizer.defaults.setdefault("differentiable", False)
