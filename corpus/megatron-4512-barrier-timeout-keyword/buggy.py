import signal
import sys
from datetime import timedelta

import torch


def _graceful_shutdown(signum, frame):
    if torch.distributed.is_initialized():
        try:
            torch.distributed.barrier(timeout=timedelta(seconds=5))
        except Exception:
            pass
    sys.exit(0)


signal.signal(signal.SIGTERM, _graceful_shutdown)
