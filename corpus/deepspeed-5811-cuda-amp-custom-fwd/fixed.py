import functools

import torch


if hasattr(torch, "amp") and hasattr(torch.amp, "custom_fwd") and hasattr(torch.amp, "custom_bwd"):
    autocast_custom_fwd = functools.partial(torch.amp.custom_fwd, device_type="cuda")
    autocast_custom_bwd = functools.partial(torch.amp.custom_bwd, device_type="cuda")
else:
    autocast_custom_fwd = torch.cuda.amp.custom_fwd
    autocast_custom_bwd = torch.cuda.amp.custom_bwd


class LinearFunction(torch.autograd.Function):
    @staticmethod
    @autocast_custom_fwd
    def forward(ctx, input, weight):
        ctx.save_for_backward(input, weight)
        return input.matmul(weight.t())

    @staticmethod
    @autocast_custom_bwd
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        return grad_output.matmul(weight), grad_output.t().matmul(input)
