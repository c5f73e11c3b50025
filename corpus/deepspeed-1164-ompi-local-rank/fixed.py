import os


def resolve_local_rank():
    if "OMPI_COMM_WORLD_LOCAL_RANK" in os.environ:
        ompi_local_rank = os.environ["OMPI_COMM_WORLD_LOCAL_RANK"]
        local_rank = os.environ.get("LOCAL_RANK", ompi_local_rank)
        assert ompi_local_rank == local_rank, "LOCAL_RANK and OMPI_COMM_WORLD_LOCAL_RANK disagree"
        os.environ["LOCAL_RANK"] = local_rank
    assert "LOCAL_RANK" in os.environ, "LOCAL_RANK is not set; launch with the deepspeed or torch launcher"
    return int(os.environ["LOCAL_RANK"])
