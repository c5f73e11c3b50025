import torch
from packaging import version


def is_torch_elastic_compatible():
    torch_version = version.parse(torch.__version__.split("+")[0])
    return torch_version >= version.parse("1.11")
