import torch
import torch.distributed as dist


def broadcast_batch(batch, global_batch_size, src, group):
    indices = torch.tensor(batch, dtype=torch.long, device="cuda")
    dist.broadcast(indices, src, group=group)
    return indices.tolist()
