import torch
import torch.distributed as dist


def _is_sequence_finished(unfinished):
    if dist.is_initialized() and dist.get_world_size() > 1:
        unfinished = unfinished.clone()
        dist.all_reduce(unfinished)
    return unfinished.max() == 0


def sample(model, input_ids, max_length, eos_token_id, early_stopping=True):
    unfinished = input_ids.new_ones(input_ids.shape[0])
    for _ in range(input_ids.size(1), max_length):
        logits = model(input_ids)[:, -1, :]
        next_tokens = torch.argmax(logits, dim=-1)
        input_ids = torch.cat([input_ids, next_tokens[:, None]], dim=-1)
        unfinished = unfinished.mul((next_tokens != eos_token_id).long())
        if early_stopping and _is_sequence_finished(unfinished):
            break
    return input_ids
