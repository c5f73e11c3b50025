import torch
import torch.distributed as dist
from torch.distributed.device_mesh import init_device_mesh


def build_device_mesh(mesh_shape, mesh_dim_names):
    device_name = f"cuda:{torch.cuda.current_device()}"
    return init_device_mesh(device_name, mesh_shape, mesh_dim_names=mesh_dim_names)
