import torch


def combine(input_files, module_prefixes, output_file):
    combined = {}
    for input_file, prefix in zip(input_files, module_prefixes):
        state_dict = torch.load(input_file, weights_only=True)
        for key, value in state_dict["model"].items():
            combined[f"{prefix}.{key}"] = value
    torch.save({"model": combined}, output_file)
