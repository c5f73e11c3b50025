import torch
import torch.nn.functional as F
from packaging import version


def patch_functionals(wrap, flops_of_linear, flops_of_attention):
    F.linear = wrap(F.linear, flops_of_linear)
    if version.parse(torch.__version__.split("+")[0]) >= version.parse("2.0"):
        F.scaled_dot_product_attention = wrap(F.scaled_dot_product_attention, flops_of_attention)
