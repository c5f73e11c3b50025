import os

import torch
from deepspeed.accelerator import get_accelerator


def run_pipeline(pipeline_cls, model, prompt):
    dev = get_accelerator().device_name()
    generator = torch.Generator(device=dev)
    generator.manual_seed(0xABEDABE7)
    local_rank = int(os.getenv("LOCAL_RANK", "0"))
    device = torch.device(f"{dev}:{local_rank}")
    pipe = pipeline_cls.from_pretrained(model, torch_dtype=torch.half).to(device)
    return pipe(prompt, guidance_scale=7.5, generator=generator).images[0]
