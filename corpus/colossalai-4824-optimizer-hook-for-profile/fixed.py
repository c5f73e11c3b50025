import torch
from packaging.version import Version


def sharded_optimizer_loading_epilogue(optimizer: torch.optim.Optimizer):
    if Version(torch.__version__) >= Version("2.0.0"):
        optimizer._patch_step_function()
    else:
        optimizer._hook_for_profile()
    optimizer.defaults.setdefault("differentiable", False)
