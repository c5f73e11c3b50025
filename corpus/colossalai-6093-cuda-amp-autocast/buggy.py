import torch


class CudaAccelerator:
    def autocast(self, enabled=True, dtype=torch.float16, cache_enabled=True):
        return torch.cuda.amp.autocast(enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)
