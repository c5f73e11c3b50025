import torch.distributed as dist


def broadcast_inputs(inputs, src, group):
    contiguous_inputs = []
    for tensor in inputs:
        if not tensor.is_contiguous():
            tensor = tensor.contiguous()
        dist.broadcast(tensor, src, group=group)
        contiguous_inputs.append(tensor)
    return contiguous_inputs
