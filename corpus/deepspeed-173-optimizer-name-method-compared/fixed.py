import logging

import torch.distributed as dist
from torch.nn import Module

ADAM_OPTIMIZER = "adam"


class DeepSpeedLight(Module):
    def __init__(self, model, config):
        super().__init__()
        self.module = model
        self._config = config
        self.dp_world_size = dist.get_world_size()

    def optimizer_name(self):
        return self._config.optimizer_name

    def zero_optimization(self):
        return self._config.zero_enabled

    def zero_allow_untested_optimizer(self):
        return self._config.zero_allow_untested_optimizer

    def _configure_zero_optimizer(self, optimizer):
        if self.zero_optimization():
            if self.optimizer_name() != ADAM_OPTIMIZER:
                assert self.zero_allow_untested_optimizer(), "ZeRO is untested with this optimizer"
                logging.warning("ZeRO with an untested optimizer, proceed with caution")
        return optimizer
