import torch.nn as nn

try:
    import apex.amp as apex_amp
except ImportError:
    pass


class ApexAMPModel(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)


def convert_to_apex_amp(model, optimizer, config):
    model, optimizer = apex_amp.initialize(model, optimizer, **config)
    return ApexAMPModel(model), optimizer
