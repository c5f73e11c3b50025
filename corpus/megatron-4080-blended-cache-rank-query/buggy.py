import os

import numpy
import torch


class BlendedDataset(torch.utils.data.Dataset):
    def __init__(self, datasets, weights, size, path_to_cache=None):
        self.datasets = datasets
        self.weights = weights
        self.size = size
        self.path_to_cache = path_to_cache
        self.dataset_index = self._build_indices()

    def _build_indices(self):
        cache_file = os.path.join(self.path_to_cache, "index.npy") if self.path_to_cache else None
        cache_hit = cache_file is not None and os.path.isfile(cache_file)
        if not self.path_to_cache or (not cache_hit and torch.distributed.get_rank() == 0):
            index = numpy.random.choice(len(self.datasets), size=self.size, p=self.weights)
            if cache_file is not None:
                numpy.save(cache_file, index)
            return index
        return numpy.load(cache_file)

    def __len__(self):
        return self.size
