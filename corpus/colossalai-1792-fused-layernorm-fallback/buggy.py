import torch.nn as nn


def build_layer_norm(normalized_shape, eps, dtype):
    from apex.normalization import FusedLayerNorm

    return FusedLayerNorm(normalized_shape, eps=eps).to(dtype)
