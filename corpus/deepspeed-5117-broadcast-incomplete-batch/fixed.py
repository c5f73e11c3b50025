import torch
import torch.distributed as dist


def broadcast_batch(batch, global_batch_size, src, group):
    assert len(batch) <= global_batch_size
    batch = batch + [-1] * (global_batch_size - len(batch))
    indices = torch.tensor(batch, dtype=torch.long, device="cuda")
    dist.broadcast(indices, src, group=group)
    indices = indices[indices != -1]
    return indices.tolist()
