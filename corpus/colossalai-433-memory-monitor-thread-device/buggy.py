from concurrent.futures import ThreadPoolExecutor
from time import sleep

import torch
from colossalai.utils import get_current_device


class AsyncMemoryMonitor:
    def __init__(self, interval=0.01):
        self.interval = interval
        self.keep_measuring = False
        self.executor = ThreadPoolExecutor(max_workers=1)
        self.monitor_thread = None

    def _measure_usage(self):
        max_usage = 0
        while self.keep_measuring:
            torch.cuda.synchronize(get_current_device())
            max_usage = max(max_usage, torch.cuda.max_memory_allocated(get_current_device()))
            sleep(self.interval)
        return max_usage

    def start(self):
        self.keep_measuring = True
        self.monitor_thread = self.executor.submit(self._measure_usage)

    def finish(self):
        self.keep_measuring = False
        return self.monitor_thread.result()
