import os
from functools import wraps


def rank_zero_only(fn):
    @wraps(fn)
    def wrapped(*args, **kwargs):
        if rank_zero_only.rank == 0:
            return fn(*args, **kwargs)
        return None

    return wrapped


# The trainer overwrites this with the global rank once that is set.
rank_zero_only.rank = getattr(rank_zero_only, "rank", int(os.environ.get("LOCAL_RANK", 0)))


@rank_zero_only
def rank_zero_warn(message):
    print(message)
