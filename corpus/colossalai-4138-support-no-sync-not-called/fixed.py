from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Optional

import torch.distributed as dist
import torch.nn as nn


class Plugin(ABC):
    @abstractmethod
    def support_no_sync(self) -> bool:
        pass

    @abstractmethod
    def no_sync(self, model: nn.Module, optimizer=None):
        pass


class Booster:
    def __init__(self, plugin: Optional[Plugin] = None) -> None:
        self.plugin = plugin
        self.world_size = dist.get_world_size()

    def no_sync(self, model: nn.Module = None, optimizer=None) -> contextmanager:
        assert self.plugin is not None, "no_sync needs a plugin"
        assert self.plugin.support_no_sync(), f"{self.plugin.__class__.__name__} does not support no_sync"
        return self.plugin.no_sync(model, optimizer)
