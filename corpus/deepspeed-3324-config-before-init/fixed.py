import torch.distributed as dist


class TrainingConfig:
    def __init__(self, config_dict, mpu=None):
        if mpu is None:
            self.world_size = dist.get_world_size()
        else:
            self.world_size = mpu.get_data_parallel_world_size()
        self.micro_batch = config_dict["train_batch_size"] // self.world_size


def initialize(config_dict, model, dist_backend="nccl"):
    if not dist.is_initialized():
        dist.init_process_group(dist_backend)
    config = TrainingConfig(config_dict)
    return model, config
