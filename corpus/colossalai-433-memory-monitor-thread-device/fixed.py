from concurrent.futures import ThreadPoolExecutor

import torch


class AsyncMemoryMonitor:
    def __init__(self, interval=0.01):
        self.interval = interval
        current_device = torch.cuda.current_device()

        def _set_cuda_device():
            torch.cuda.set_device(current_device)

        self.executor = ThreadPoolExecutor(max_workers=1, initializer=_set_cuda_device)
        self.samples = []

    def _sample(self):
        torch.cuda.synchronize()
        self.samples.append(torch.cuda.max_memory_allocated())

    def start(self):
        return self.executor.submit(self._sample)
