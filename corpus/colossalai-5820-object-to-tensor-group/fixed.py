import torch
import torch.distributed.distributed_c10d as c10d
from packaging.version import Version


def serialize_objects(object_list, device, group):
    if Version(torch.__version__) >= Version("2.3.0"):
        return zip(*[c10d._object_to_tensor(obj, device=device, group=group) for obj in object_list])
    if Version(torch.__version__) >= Version("1.13.0"):
        return zip(*[c10d._object_to_tensor(obj, device=device) for obj in object_list])
    return zip(*[c10d._object_to_tensor(obj) for obj in object_list])
