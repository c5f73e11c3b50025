import torch.nn as nn


class Engine(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def module_state_dict(self, destination=None, prefix="", keep_vars=False):
        return self.module.state_dict(destination, prefix, keep_vars)
