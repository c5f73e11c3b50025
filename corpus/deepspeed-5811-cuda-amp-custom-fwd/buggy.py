import torch


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
