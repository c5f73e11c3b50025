import torch.distributed as dist


def save_partitioned_checkpoint(engine, save_one):
    for rank in range(engine.world_size):
        if rank == engine.global_rank:
            save_one(engine)
        dist.barrier()
