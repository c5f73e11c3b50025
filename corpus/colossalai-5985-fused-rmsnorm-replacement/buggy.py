import warnings

import torch.nn as nn

try:
    from apex.normalization import FusedRMSNorm as ApexFusedRMSNorm
except ImportError:
    warnings.warn("Please install apex from source (https://github.com/NVIDIA/apex) to use the fused RMSNorm kernel")


def replace_rmsnorm(module: nn.Module) -> nn.Module:
    eps = getattr(module, "variance_epsilon", getattr(module, "eps", 1e-6))
    rmsnorm = ApexFusedRMSNorm(normalized_shape=module.weight.shape[0], eps=eps)
    rmsnorm.weight = module.weight
    return rmsnorm
