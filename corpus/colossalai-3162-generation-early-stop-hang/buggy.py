import torch


def sample(model, input_ids, max_length, eos_token_id, early_stopping=True):
    unfinished = input_ids.new_ones(input_ids.shape[0])
    for _ in range(input_ids.size(1), max_length):
        logits = model(input_ids)[:, -1, :]
        next_tokens = torch.argmax(logits, dim=-1)
        input_ids = torch.cat([input_ids, next_tokens[:, None]], dim=-1)
        unfinished = unfinished.mul((next_tokens != eos_token_id).long())
        if early_stopping and unfinished.max() == 0:
            break
    return input_ids
