"""Distributed plumbing shared by every sampler.

The samplers never call ``torch.distributed`` directly. They receive a
:class:`Context`, which owns the process group, the device bound to this rank,
the particle sharding, the random streams and the collectives built on them
(global logsumexp, effective sample size, systematic resampling).

Every collective here is issued unconditionally by every rank, in the same
order, so callers stay correct as long as they call these methods from code
that all ranks execute.
"""

import hashlib
import math
import os
import socket
import tempfile
import json
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


DTYPE = torch.float64


def derive_seed(seed: int, *keys) -> int:
    """Return a 63-bit seed derived from ``seed`` and the stream keys.

    The derivation uses BLAKE2b, so it is the same in every process and on
    every platform (Python's ``hash`` is salted per process and is not).
    """
    text = repr((int(seed),) + tuple(keys)).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "little") & ((1 << 63) - 1)


def shard_bounds(n: int, world_size: int, rank: int):
    """Return the global index range [start, stop) of ``rank``'s shard of ``n`` items.

    The first ``n % world_size`` ranks hold one extra item, so shard sizes differ
    by at most one and a rank may hold zero items when ``n < world_size``.
    """
    base, extra = divmod(n, world_size)
    start = rank * base + min(rank, extra)
    stop = start + base + (1 if rank < extra else 0)
    return start, stop


@dataclass
class Context:
    """Process-group membership, bound device and random streams of one rank.

    With ``world_size == 1`` and no process group, every collective is the
    identity, so the same algorithm code runs in a single process.
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    backend: str = "none"
    device: torch.device = torch.device("cpu")
    seed: int = 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    # ----------------------------------------------------------------- sharding

    def shard(self, n: int) -> slice:
        start, stop = shard_bounds(n, self.world_size, self.rank)
        return slice(start, stop)

    def shard_sizes(self, n: int) -> List[int]:
        return [shard_bounds(n, self.world_size, r)[1] - shard_bounds(n, self.world_size, r)[0]
                for r in range(self.world_size)]

    # ---------------------------------------------------------- random streams

    def generator(self, *keys) -> torch.Generator:
        """Return a generator on this rank's device seeded from (seed, keys).

        The stream is shared: every rank that passes the same keys gets the
        same numbers. Draw per-particle noise for all N particles from such a
        stream and keep this rank's slice, so results do not depend on the
        world size.
        """
        generator = torch.Generator(device=self.device)
        generator.manual_seed(derive_seed(self.seed, *keys))
        return generator

    def rank_generator(self, *keys) -> torch.Generator:
        """Return a generator private to this rank, seeded from (seed, rank, keys)."""
        return self.generator("rank", self.rank, *keys)

    def randn(self, shape: Sequence[int], *keys) -> torch.Tensor:
        return torch.randn(tuple(shape), generator=self.generator(*keys), device=self.device, dtype=DTYPE)

    def rand(self, shape: Sequence[int], *keys) -> torch.Tensor:
        return torch.rand(tuple(shape), generator=self.generator(*keys), device=self.device, dtype=DTYPE)

    def randn_shard(self, n: int, tail: Sequence[int], *keys) -> torch.Tensor:
        """Draw N(0, 1) noise for all ``n`` particles from a shared stream and return this rank's rows."""
        return self.randn((n,) + tuple(tail), *keys)[self.shard(n)]

    def rand_shard(self, n: int, tail: Sequence[int], *keys) -> torch.Tensor:
        """Draw U(0, 1) numbers for all ``n`` particles from a shared stream and return this rank's rows."""
        return self.rand((n,) + tuple(tail), *keys)[self.shard(n)]

    def tensor(self, data, dtype=DTYPE) -> torch.Tensor:
        return torch.as_tensor(data, dtype=dtype, device=self.device)

    # -------------------------------------------------------------- collectives

    def all_reduce_sum(self, tensor: torch.Tensor) -> torch.Tensor:
        result = tensor.clone()
        if self.distributed:
            dist.all_reduce(result, op=dist.ReduceOp.SUM)
        return result

    def all_reduce_max(self, tensor: torch.Tensor) -> torch.Tensor:
        result = tensor.clone()
        if self.distributed:
            dist.all_reduce(result, op=dist.ReduceOp.MAX)
        return result

    def broadcast(self, tensor: torch.Tensor, src: int = 0) -> torch.Tensor:
        result = tensor.clone()
        if self.distributed:
            dist.broadcast(result, src=src)
        return result

    def all_gather_rows(self, local: torch.Tensor, n: int) -> torch.Tensor:
        """Concatenate every rank's shard of an ``n``-row tensor in rank order.

        Shards may differ in size by one row, but gloo's all_gather needs equal
        shapes, so each shard is padded to the largest size and trimmed after
        the gather. The sizes come from :func:`shard_bounds`, so no extra
        message is needed.
        """
        if not self.distributed:
            return local.clone()
        sizes = self.shard_sizes(n)
        width = max(sizes)
        padded = local.new_zeros((width,) + tuple(local.shape[1:]))
        padded[: local.shape[0]] = local
        pieces = [torch.empty_like(padded) for _ in range(self.world_size)]
        dist.all_gather(pieces, padded.contiguous())
        return torch.cat([piece[:size] for piece, size in zip(pieces, sizes)], dim=0)

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    # ------------------------------------------------------ weighted particles

    def sum(self, local: torch.Tensor) -> torch.Tensor:
        """Return the global sum over particles (dim 0) of a sharded tensor."""
        return self.all_reduce_sum(local.sum(dim=0))

    def logsumexp(self, log_weights: torch.Tensor) -> torch.Tensor:
        """Return log(sum_i exp(a_i)) over all ranks' shards of the log-weights ``a``.

        A rank with an empty shard contributes -inf to the max and 0 to the sum.
        """
        if log_weights.numel() > 0:
            local_max = log_weights.max()
        else:
            local_max = torch.tensor(-math.inf, dtype=DTYPE, device=self.device)
        global_max = self.all_reduce_max(local_max.reshape(1))[0]
        shift = global_max if torch.isfinite(global_max) else torch.zeros_like(global_max)
        total = self.all_reduce_sum(torch.exp(log_weights - shift).sum().reshape(1))[0]
        return shift + torch.log(total)

    def normalized_weights(self, log_weights: torch.Tensor) -> torch.Tensor:
        """Return this rank's slice of the globally normalised weights W_i = exp(a_i - logsumexp(a))."""
        return torch.exp(log_weights - self.logsumexp(log_weights))

    def ess(self, log_weights: torch.Tensor) -> float:
        """Return the effective sample size 1 / sum_i W_i^2 of the global weights."""
        weights = self.normalized_weights(log_weights)
        return float(1.0 / self.all_reduce_sum((weights ** 2).sum().reshape(1))[0])

    def weighted_mean(self, log_weights: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
        weights = self.normalized_weights(log_weights)
        shape = (-1,) + (1,) * (values.dim() - 1)
        return self.sum(weights.reshape(shape) * values)

    def resample(self, log_weights: torch.Tensor, n: int, tensors: Sequence[torch.Tensor], *keys):
        """Resample ``n`` sharded particles systematically and return this rank's new rows.

        Every rank gathers the full log-weight vector and draws the single
        systematic-resampling uniform from a shared stream keyed by ``keys``, so
        all ranks compute the same ancestor vector without a broadcast. The
        particle rows in ``tensors`` are then gathered and indexed by the
        ancestors of this rank's shard. Returns (new tensors, global ancestor
        indices of the local rows).
        """
        all_log_weights = self.all_gather_rows(log_weights, n)
        ancestors = systematic_ancestors(all_log_weights, self.rand((1,), "resample", *keys)[0])
        local_ancestors = ancestors[self.shard(n)]
        gathered = [self.all_gather_rows(tensor, n)[local_ancestors] for tensor in tensors]
        return gathered, local_ancestors


def systematic_ancestors(log_weights: torch.Tensor, uniform: torch.Tensor) -> torch.Tensor:
    """Return systematic-resampling ancestor indices for the full weight vector.

    Point k of the stratified grid (k + U) / N picks the first particle whose
    cumulative normalised weight reaches it.
    """
    n = log_weights.shape[0]
    weights = torch.exp(log_weights - torch.logsumexp(log_weights, dim=0))
    cumulative = torch.cumsum(weights, dim=0)
    cumulative[-1] = 1.0
    points = (torch.arange(n, dtype=DTYPE, device=log_weights.device) + uniform) / n
    ancestors = torch.searchsorted(cumulative, points)
    return ancestors.clamp_(max=n - 1)


# ------------------------------------------------------------------ launching


def find_free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free when checked."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bind_device(device_kind: str, local_rank: int) -> torch.device:
    # NOTE: the CUDA/NCCL path has not been run; only gloo on CPU with torch 1.13 has been tested.
    if device_kind == "cuda":
        _check_cuda(local_rank + 1)
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def _check_cuda(devices_needed: int) -> None:
    if not torch.cuda.is_available():
        raise ValueError("--device cuda was requested but torch.cuda.is_available() is False; "
                         "use --device cpu with --backend gloo")
    if torch.cuda.device_count() < devices_needed:
        raise ValueError(f"{devices_needed} CUDA devices are needed (one per local rank) but only "
                         f"{torch.cuda.device_count()} are visible; lower --world-size or --nproc_per_node")


def _check_backend(backend: str, device_kind: str) -> None:
    if backend not in ("gloo", "nccl"):
        raise ValueError(f"invalid backend {backend!r}: expected 'gloo' or 'nccl'")
    if device_kind not in ("cpu", "cuda"):
        raise ValueError(f"invalid device {device_kind!r}: expected 'cpu' or 'cuda'")
    if backend == "nccl" and device_kind != "cuda":
        raise ValueError("the nccl backend needs CUDA tensors: pass --device cuda, or use --backend gloo")


def init_context(rank: int, world_size: int, local_rank: int, backend: str, device_kind: str,
                 seed: int, init_method: Optional[str]) -> Context:
    """Bind this rank's device, then join the process group (world_size > 1 only).

    The device is bound before ``init_process_group`` because NCCL binds its
    communicator to the current CUDA device.
    """
    _check_backend(backend, device_kind)
    device = _bind_device(device_kind, local_rank)
    if world_size > 1:
        dist.init_process_group(backend=backend, init_method=init_method, rank=rank, world_size=world_size)
    return Context(rank=rank, world_size=world_size, local_rank=local_rank, backend=backend,
                   device=device, seed=seed)


def close_context(context: Context, completed: bool = True) -> None:
    """Leave the process group, after a barrier only if this rank ``completed`` its work.

    A rank that raised skips the barrier, because its peers may be blocked in
    another collective that the barrier would never match, and all of them
    would wait until the backend's timeout. Leaving at once lets the launcher
    (mp.spawn or torchrun) see the failure and stop the other ranks.
    """
    if context.distributed and dist.is_initialized():
        if completed:
            dist.barrier()
        dist.destroy_process_group()


def _input_error_path(directory: str, rank: int) -> str:
    return os.path.join(directory, f"rank{rank}.error")


def _spawned_rank(rank: int, world_size: int, backend: str, device_kind: str, seed: int, port: int,
                  function: Callable, config: dict, directory: str) -> None:
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    try:
        context = init_context(rank, world_size, rank, backend, device_kind, seed,
                               init_method=f"tcp://127.0.0.1:{port}")
        completed = False
        try:
            result = function(context, config)
            completed = True
        finally:
            close_context(context, completed)
    except ValueError as error:
        # The parent reports invalid input with this message alone, without the traceback.
        with open(_input_error_path(directory, rank), "w") as handle:
            handle.write(str(error))
        raise
    if rank == 0:
        with open(os.path.join(directory, "rank0.json"), "w") as handle:
            json.dump(result, handle)


def launched_by_torchrun() -> bool:
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ and "LOCAL_RANK" in os.environ


def run_distributed(function: Callable, config: dict, world_size: int, backend: str = "gloo",
                    device: str = "cpu", seed: int = 0):
    """Run ``function(context, config)`` on ``world_size`` ranks and return rank 0's result.

    - Started by torchrun (RANK, WORLD_SIZE and LOCAL_RANK set): this process
      is one rank. It joins the group through env:// and returns its own
      result, and the caller prints only on rank 0.
    - ``world_size == 1``: runs in this process without a process group.
    - Otherwise: spawns ``world_size`` processes with
      torch.multiprocessing.spawn on 127.0.0.1 and a free port, and reads
      rank 0's JSON-serialisable result back from a temporary file. A
      ValueError on a spawned rank (invalid input) is raised again here with
      that rank's message. Any other error keeps mp.spawn's traceback.
    """
    _check_backend(backend, device)
    if launched_by_torchrun():
        rank = int(os.environ["RANK"])
        size = int(os.environ["WORLD_SIZE"])
        local_rank = int(os.environ["LOCAL_RANK"])
        context = init_context(rank, size, local_rank, backend, device, seed, init_method="env://")
        completed = False
        try:
            result = function(context, config)
            completed = True
        finally:
            close_context(context, completed)
        return result
    if world_size < 1:
        raise ValueError(f"invalid world size {world_size}: expected at least 1")
    if device == "cuda":
        _check_cuda(world_size)
    if world_size == 1:
        context = init_context(0, 1, 0, backend, device, seed, init_method=None)
        return function(context, config)
    port = find_free_port()
    with tempfile.TemporaryDirectory(prefix="samplers-") as directory:
        try:
            mp.spawn(_spawned_rank, nprocs=world_size, join=True,
                     args=(world_size, backend, device, seed, port, function, config, directory))
        except mp.ProcessRaisedException:
            # mp.spawn reports the first failed process it finds, which may be a
            # peer that lost its connection when the rank with the real error exited.
            # NOTE: only ValueErrors are recorded, so the cause of any other error
            # on one rank can still be hidden behind a peer's gloo connection error.
            for rank in range(world_size):
                error_path = _input_error_path(directory, rank)
                if os.path.exists(error_path):
                    with open(error_path) as handle:
                        message = handle.read()
                    raise ValueError(f"rank {rank}: {message}") from None
            raise
        with open(os.path.join(directory, "rank0.json")) as handle:
            return json.load(handle)
