import os

LOCAL_RANK_ERROR = "Pass --local_rank or set the LOCAL_RANK environment variable."


def check_local_rank(args):
    if hasattr(args, "local_rank"):
        assert type(args.local_rank) == int, LOCAL_RANK_ERROR
        if "LOCAL_RANK" in os.environ and args.local_rank >= 0:
            env_local_rank = int(os.environ.get("LOCAL_RANK", -1))
            assert env_local_rank == args.local_rank, \
                f"args.local_rank={args.local_rank} but LOCAL_RANK={env_local_rank}"
