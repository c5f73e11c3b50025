import torch

try:
    from torch.compiler import is_compiling
except ImportError:
    try:
        from torch._dynamo.external_utils import is_compiling
    except ImportError:

        def is_compiling():
            return False


def log_once(logger, message):
    if is_compiling():
        return
    logger.warning(message)
