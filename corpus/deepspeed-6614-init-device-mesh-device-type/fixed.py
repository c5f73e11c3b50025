import torch
import torch.distributed as dist
from packaging import version
from torch.distributed.device_mesh import init_device_mesh


def build_device_mesh(mesh_shape, mesh_dim_names):
    if version.parse(torch.__version__.split("+")[0]).release[:2] > (2, 4):
        device_name = "cuda"
    else:
        device_name = f"cuda:{torch.cuda.current_device()}"
    return init_device_mesh(device_name, mesh_shape, mesh_dim_names=mesh_dim_names)
