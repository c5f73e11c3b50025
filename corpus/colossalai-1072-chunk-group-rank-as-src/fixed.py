import torch.distributed as dist


class Chunk:
    def __init__(self, data, src_rank, dp_group):
        self.data = data
        self.dp_group = dp_group
        self.src_rank = src_rank
        self.is_src_rank = dist.get_rank(group=dp_group) == src_rank
        self.global_src_rank = dist.get_process_group_ranks(dp_group)[src_rank]

    def broadcast(self):
        dist.broadcast(self.data, self.global_src_rank, group=self.dp_group)

    def reduce(self):
        dist.reduce(self.data, self.global_src_rank, group=self.dp_group)
        if not self.is_src_rank:
            self.data.zero_()
