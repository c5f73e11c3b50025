import os

import torch
from deepspeed.accelerator import get_accelerator


def run_pipeline(pipeline_cls, model, prompt):
    generator = torch.Generator(device=get_accelerator().current_device())
    generator.manual_seed(0xABEDABE7)
    local_rank = int(os.getenv("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local_rank}")
    pipe = pipeline_cls.from_pretrained(model, torch_dtype=torch.half).to(device)
    return pipe(prompt, guidance_scale=7.5, generator=generator).images[0]
