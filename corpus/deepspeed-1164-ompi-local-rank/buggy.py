import os


def resolve_local_rank():
    assert "LOCAL_RANK" in os.environ, "LOCAL_RANK is not set; launch with the deepspeed or torch launcher"
    return int(os.environ["LOCAL_RANK"])
