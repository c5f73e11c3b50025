from concurrent.futures import ThreadPoolExecutor

import torch


class AsyncMemoryMonitor:
    def __init__(self, interval=0.01):
        self.interval = interval
        self.executor = ThreadPoolExecutor(max_workers=1)
        self.samples = []

    def _sample(self):
        torch.cuda.synchronize()
        self.samples.append(torch.cuda.max_memory_allocated())

    def start(self):
        return self.executor.submit(self._sample)
