import torch
from deepspeed.accelerator import get_accelerator

device = get_accelerator().device_name() if get_accelerator().is_available() else "cpu"


def dequantize(tensor, scale, config, dtype, quantizer_module, fallback):
    if config["group_size"] % 8 == 0 and dtype == torch.float16 and device == get_accelerator().device_name():
        return quantizer_module.dequantize_int8_to_half(tensor, scale, config["group_size"])
    return fallback(tensor, scale, config)
