import torch
import torch.distributed as dist


def gather_payload(tensor, payload_numel, rank, world_size, group):
    device = torch.cuda.current_device()
    buffers = []
    for i in range(world_size):
        if i == rank:
            buffers.append(tensor.cuda(device))
        else:
            buffers.append(torch.zeros(payload_numel, dtype=tensor.dtype, device=device))
    dist.all_gather(buffers, buffers[rank], group=group)
    return torch.cat(buffers)
