import torch


def pytest_sessionfinish(session, exitstatus):
    if torch.distributed.is_initialized():
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
