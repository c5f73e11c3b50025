import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler


def train(model, optimizer, dataset, epochs, batch_size):
    data_sampler = DistributedSampler(dataset, num_replicas=dist.get_world_size(), rank=dist.get_rank())
    loader = DataLoader(dataset, batch_size=batch_size, sampler=data_sampler)
    for epoch in range(epochs):
        for text, images in loader:
            loss = model(text, images, return_loss=True)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
