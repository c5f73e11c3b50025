import torch
import torch.distributed as dist


class GradReducePipeline:
    def __init__(self, param_to_bucket, group):
        self.param_to_bucket = param_to_bucket
        self.group = group

    def reduce_gradients(self, params):
        params = sorted(params, key=lambda p: self.param_to_bucket[p])
        for param in params:
            shard = torch.empty_like(param.grad.chunk(dist.get_world_size(self.group))[0])
            dist.reduce_scatter_tensor(shard, param.grad, group=self.group)
            param.grad_shard = shard


class FullyShardedModule:
    def __init__(self, module, pipeline):
        self.module = module
        self.pipeline = pipeline
        self._params_require_handle_grad = set(module.parameters())

    def root_post_backward(self):
        self.pipeline.reduce_gradients(list(self._params_require_handle_grad))
