import torch
import torch.distributed as dist

_TRACKER = {}


def save_to_aux_losses_tracker(name, loss, layer_number, num_layers, mtp_num_layers=None):
    total_layers = num_layers + (mtp_num_layers or 0)
    if name not in _TRACKER:
        _TRACKER[name] = torch.zeros(total_layers, device="cuda")
    _TRACKER[name][layer_number - 1] += loss.detach()


def track_moe_metrics(track_names, num_layers, pp_group, mtp_num_layers=None):
    tracker_num_layers = num_layers
    if mtp_num_layers is not None:
        tracker_num_layers += mtp_num_layers
    for name in track_names:
        if name not in _TRACKER:
            _TRACKER[name] = torch.zeros(tracker_num_layers, device="cuda")
        dist.all_reduce(_TRACKER[name], group=pp_group)
    return {name: _TRACKER[name].sum().item() for name in track_names}
