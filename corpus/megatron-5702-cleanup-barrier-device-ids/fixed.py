import torch


def pytest_sessionfinish(session, exitstatus):
    if torch.distributed.is_initialized():
        if torch.cuda.is_available():
            torch.distributed.barrier(device_ids=[torch.cuda.current_device()])
        else:
            torch.distributed.barrier()
        torch.distributed.destroy_process_group()
