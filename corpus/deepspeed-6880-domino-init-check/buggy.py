import torch
import torch.nn as nn
from deepspeed import comm as dist


def initialize_distributed(args):
    torch.cuda.set_device(args.local_rank)
    torch.distributed.init_process_group(backend="nccl", world_size=args.world_size, rank=args.rank)


class DominoTransformerLayer(nn.Module):
    def __init__(self, mpu, hidden_size):
        super().__init__()
        self.mpu = mpu
        self.dense = nn.Linear(hidden_size, hidden_size)

    def forward(self, hidden_states):
        output = self.dense(hidden_states)
        handle = dist.all_reduce(output, group=self.mpu.get_tensor_model_parallel_group(), async_op=True)
        handle.wait()
        return output
