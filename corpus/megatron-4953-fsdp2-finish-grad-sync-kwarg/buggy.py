class DataParallelBase:
    def __init__(self, module):
        self.module = module

    def finish_grad_sync(self, force_all_reduce=False):
        raise NotImplementedError


class TorchFullyShardedDataParallel(DataParallelBase):
    def finish_grad_sync(self):
        self.module.reshard()


def finalize_model_grads(model_chunks, force_all_reduce=False):
    for model_chunk in model_chunks:
        model_chunk.finish_grad_sync(force_all_reduce=force_all_reduce)
