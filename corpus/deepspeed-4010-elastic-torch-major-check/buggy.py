import torch


def is_torch_elastic_compatible():
    torch_major = int(torch.__version__.split(".")[0])
    torch_minor = int(torch.__version__.split(".")[1])
    if torch_major == 1 and torch_minor >= 11:
        return True
    return False
