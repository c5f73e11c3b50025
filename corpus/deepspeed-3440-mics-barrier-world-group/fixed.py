import torch.distributed as dist


def save_partitioned_checkpoint(engine, save_one):
    dp_group = engine.optimizer.dp_process_group
    for rank in range(dist.get_world_size(dp_group)):
        if rank == engine.global_rank:
            save_one(engine)
        dist.barrier(group=dp_group)
