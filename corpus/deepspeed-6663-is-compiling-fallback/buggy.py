import torch


def log_once(logger, message):
    if torch.compiler.is_compiling():
        return
    logger.warning(message)
