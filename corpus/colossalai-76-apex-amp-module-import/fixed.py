import torch.nn as nn


def convert_to_apex_amp(model: nn.Module, optimizer, amp_config):
    import apex.amp as apex_amp

    model, optimizer = apex_amp.initialize(model, optimizer, **amp_config)
    return model, optimizer
