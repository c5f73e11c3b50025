import torch.distributed as dist
from torch.nn import Module


class TopKGate(Module):
    wall_clock_breakdown = False


class MOELayer(Module):
    wall_clock_breakdown = False


class Engine(Module):
    def __init__(self, model, config):
        super().__init__()
        self.module = model
        self._config = config
        self.global_rank = dist.get_rank()
        self.gate_modules = []
        self.moe_layers = []
        self._configure_moe()

    def wall_clock_breakdown(self):
        return self._config.wall_clock_breakdown

    def _configure_moe(self):
        for _, module in self.module.named_modules():
            if isinstance(module, TopKGate):
                self.gate_modules.append(module)
                if self.wall_clock_breakdown:
                    module.wall_clock_breakdown = True
            if isinstance(module, MOELayer):
                self.moe_layers.append(module)
                if self.wall_clock_breakdown:
                    module.wall_clock_breakdown = True
