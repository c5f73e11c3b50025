import torch


def dequantize(tensor, scale, config, dtype, quantizer_module, fallback):
    device = tensor.device.type
    if config["group_size"] % 8 == 0 and dtype == torch.float16 and device == "cuda":
        return quantizer_module.dequantize_int8_to_half(tensor, scale, config["group_size"])
    return fallback(tensor, scale, config)
