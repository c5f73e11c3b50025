import torch
import torch.multiprocessing as mp


def _checkpoint_worker(queue, rank):
    torch.cuda.set_device(rank % torch.cuda.device_count())
    while True:
        item = queue.get()
        if item is None:
            break
        state, path = item
        torch.save({k: v.cpu() for k, v in state.items()}, path)


def start_persistent_worker(rank):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    worker = ctx.Process(target=_checkpoint_worker, args=(queue, rank), daemon=True)
    worker.start()
    return worker, queue
