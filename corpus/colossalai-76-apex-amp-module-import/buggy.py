import apex.amp as apex_amp
import torch.nn as nn


def convert_to_apex_amp(model: nn.Module, optimizer, amp_config):
    model, optimizer = apex_amp.initialize(model, optimizer, **amp_config)
    return model, optimizer
