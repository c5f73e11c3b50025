import torch


class ZeroOptimizer:
    def __init__(self, optim, module):
        self.optim = optim
        self.module = module
        self.param_to_fake = {}

    def register_fake_params(self):
        for group in self.optim.param_groups:
            fake_params = []
            for param in group["params"]:
                grad_device = self.module.grads_device[param]
                fake_param = torch.nn.Parameter(torch.empty([0], device=grad_device))
                self.param_to_fake[param] = fake_param
                fake_params.append(fake_param)
            group["params"] = fake_params

    def attach_grad(self, param, grad_chunk):
        fake_param = self.param_to_fake[param]
        fake_param.data = grad_chunk
        fake_param.grad = grad_chunk
