"""Parallel-in-time diffusion sampling by Picard iterations.

Any sequential sampler with pre-sampled noise can be written as

    x_{j+1} = x_j + drift_j(x_j) + noise_j,   j = 0 .. M-1,

whose trajectory is the fixed point of x_j = x_0 + sum_{i<j} (drift_i(x_i) + noise_i).
The samplers here solve that fixed point by Picard sweeps:

- :func:`sample_paradigms`: a sliding window of ``window`` steps
  (ParaDiGMS). The window slides past every leading
  step whose update moved less than the tolerance, and by at least one step,
  because the first step of the window depends only on the converged window
  start.
- :func:`sample_blockwise`: the M steps are split into a fixed number of blocks,
  and each block is solved by whole-block sweeps before the next block starts
  (blockwise parallel-in-time sampling, with O(1) blocks).
- :func:`sample_sequential`: the reference, one drift evaluation per step.

In a sweep the drift evaluations at the window's time indices are independent,
so they are spread across ranks and gathered. Every rank then has the whole
window and runs the same cumulative sum. The drift here is the exponential
integrator of the reverse-time OU diffusion with the exact score of a
Gaussian-mixture data law.
"""

import math
import time
from dataclasses import dataclass
from typing import Callable, List

import torch

from .parallel import Context, DTYPE
from .targets import GaussianMixture


@dataclass
class ReverseDiffusion:
    """Exponential-integrator discretisation of the reverse OU diffusion.

    Reverse time s runs over a uniform grid from 0 to T - early_stop, and step j
    freezes the score at forward time T - s_j:

      SDE: x_{j+1} = e^h x_j + 2 (e^h - 1) score(x_j) + sqrt(e^{2h} - 1) xi_j
      ODE: x_{j+1} = e^h x_j + (e^h - 1) score(x_j)
    """

    data: GaussianMixture
    steps: int
    horizon: float = 5.0
    early_stop: float = 1e-3
    stochastic: bool = True

    def __post_init__(self):
        if self.steps < 1:
            raise ValueError(f"invalid number of steps {self.steps}: expected at least 1")
        self.step_size = (self.horizon - self.early_stop) / self.steps
        self.growth = math.exp(self.step_size)
        # Variance of the SDE noise of one step. The Picard error test normalises
        # by it for the ODE as well, so the tolerance has the same meaning for both.
        self.noise_variance = math.expm1(2.0 * self.step_size)
        self.score_factor = 2.0 if self.stochastic else 1.0

    def forward_time(self, step: int) -> float:
        return self.horizon - step * self.step_size

    def drift(self, x: torch.Tensor, step: int) -> torch.Tensor:
        """Return the deterministic increment x_{j+1} - x_j - noise_j of step ``step``."""
        score = self.data.ou_marginal(self.forward_time(step)).score(x)
        return (self.growth - 1.0) * (x + self.score_factor * score)

    def noise(self, context: Context, batch: int) -> torch.Tensor:
        """Pre-sample the noise of every step, shape (M, batch, d), from a shared stream."""
        if not self.stochastic:
            return torch.zeros(self.steps, batch, self.data.dim, dtype=DTYPE, device=context.device)
        return math.sqrt(self.noise_variance) * context.randn((self.steps, batch, self.data.dim), "picard-noise")

    def initial(self, context: Context, batch: int) -> torch.Tensor:
        return context.randn((batch, self.data.dim), "picard-initial")

    def gaussian_law(self, mean: float, std: float):
        """Return the exact per-coordinate (mean, variance) of x_M for N(mean, std^2 I) data.

        The score of Gaussian data is affine, so each coordinate of x_j stays
        Gaussian and its moments follow a scalar recursion from x_0 ~ N(0, 1).
        """
        m, var = 0.0, 1.0
        for j in range(self.steps):
            t = self.forward_time(j)
            a = math.exp(-t) * mean
            v = math.exp(-2.0 * t) * std ** 2 + 1.0 - math.exp(-2.0 * t)
            slope = self.growth - (self.growth - 1.0) * self.score_factor / v
            m = slope * m + (self.growth - 1.0) * self.score_factor * a / v
            var = slope ** 2 * var + (self.noise_variance if self.stochastic else 0.0)
        return m, var


@dataclass
class PicardResult:
    trajectory: torch.Tensor  # (M + 1, batch, d)
    rounds: int  # sequential rounds of (parallel) drift evaluations
    drift_evaluations: int  # total drift evaluations of the batch, over all ranks


def sample_sequential(context: Context, process: ReverseDiffusion, batch: int) -> PicardResult:
    """Run the reference sampler: M dependent steps, one drift evaluation each."""
    noise = process.noise(context, batch)
    x = process.initial(context, batch)
    trajectory = [x]
    for j in range(process.steps):
        x = x + process.drift(x, j) + noise[j]
        trajectory.append(x)
    return PicardResult(torch.stack(trajectory), rounds=process.steps, drift_evaluations=process.steps)


def _parallel_drifts(context: Context, process: ReverseDiffusion, states: torch.Tensor,
                     first_step: int) -> torch.Tensor:
    """Evaluate drift_{first_step + k}(states[k]) for every k, spread over the ranks.

    Rank r evaluates its contiguous share of the k indices, and one all_gather
    returns the full (k, batch, d) tensor to every rank.
    """
    count = states.shape[0]
    local = context.shard(count)
    drifts = [process.drift(states[k], first_step + k) for k in range(local.start, local.stop)]
    if drifts:
        local_drifts = torch.stack(drifts)
    else:
        local_drifts = states.new_zeros((0,) + tuple(states.shape[1:]))
    return context.all_gather_rows(local_drifts, count)


def _sweep_errors(process: ReverseDiffusion, new: torch.Tensor, old: torch.Tensor) -> torch.Tensor:
    """Return the per-step Picard change: max over the batch of ||new - old||^2 / (d * noise variance)."""
    dim = new.shape[-1]
    return ((new - old) ** 2).sum(-1).max(-1).values / (dim * process.noise_variance)


def sample_paradigms(context: Context, process: ReverseDiffusion, batch: int, window: int,
                     tolerance: float = 0.1, max_rounds: int = 100000) -> PicardResult:
    """Run sliding-window Picard iterations (ParaDiGMS) and return the trajectory.

    ``tolerance`` is compared, squared, against the per-dimension squared change
    normalised by the step's noise variance; tolerance 0 reproduces the
    sequential trajectory to rounding error. The stride is decided on rank 0
    and broadcast, so every rank slides the window identically even if their
    floating-point results ever differed.
    """
    if window < 1:
        raise ValueError(f"invalid window {window}: expected at least 1")
    steps = process.steps
    noise = process.noise(context, batch)
    x0 = process.initial(context, batch)
    trajectory = x0.unsqueeze(0).repeat(steps + 1, 1, 1)
    begin, end = 0, min(window, steps)
    rounds, evaluations = 0, 0
    while begin < steps:
        if rounds >= max_rounds:
            raise RuntimeError(f"ParaDiGMS did not converge within {max_rounds} rounds "
                               f"(window at steps {begin}..{end}); raise the tolerance or max_rounds")
        drifts = _parallel_drifts(context, process, trajectory[begin:end], begin)
        updated = trajectory[begin] + torch.cumsum(drifts + noise[begin:end], dim=0)
        errors = _sweep_errors(process, updated, trajectory[begin + 1:end + 1])
        above = torch.nonzero(errors > tolerance ** 2)
        first_unconverged = int(above[0, 0]) if above.numel() > 0 else end - begin
        stride = context.broadcast(torch.tensor([min(first_unconverged + 1, window)], device=context.device))
        trajectory[begin + 1:end + 1] = updated
        new_begin = begin + int(stride[0])
        new_end = min(new_begin + window, steps)
        # Slots that enter the window start from the last computed state.
        trajectory[end + 1:new_end + 1] = trajectory[end]
        evaluations += end - begin
        rounds += 1
        begin, end = new_begin, new_end
    return PicardResult(trajectory, rounds=rounds, drift_evaluations=evaluations)


def sample_blockwise(context: Context, process: ReverseDiffusion, batch: int, blocks: int,
                     tolerance: float = 0.1, max_sweeps: int = 0) -> PicardResult:
    """Run blockwise Picard iterations over ``blocks`` consecutive blocks of steps.

    Each sweep re-evaluates the drift at every step of the current block in
    parallel. A block stops after ``max_sweeps`` sweeps (0 means the block
    length, which reproduces the sequential scheme exactly because sweep k
    fixes step k) or once the largest normalised change is below
    ``tolerance``, whichever comes first.
    """
    if blocks < 1 or blocks > process.steps:
        raise ValueError(f"invalid number of blocks {blocks}: expected 1..{process.steps}")
    steps = process.steps
    noise = process.noise(context, batch)
    trajectory = process.initial(context, batch).unsqueeze(0).repeat(steps + 1, 1, 1)
    bounds = [round(b * steps / blocks) for b in range(blocks + 1)]
    rounds, evaluations = 0, 0
    for begin, end in zip(bounds[:-1], bounds[1:]):
        trajectory[begin + 1:end + 1] = trajectory[begin]
        limit = max_sweeps if max_sweeps > 0 else end - begin
        for sweep in range(limit):
            drifts = _parallel_drifts(context, process, trajectory[begin:end], begin)
            updated = trajectory[begin] + torch.cumsum(drifts + noise[begin:end], dim=0)
            change = float(_sweep_errors(process, updated, trajectory[begin + 1:end + 1]).max())
            trajectory[begin + 1:end + 1] = updated
            evaluations += end - begin
            rounds += 1
            done = context.broadcast(torch.tensor([1 if change <= tolerance ** 2 else 0], device=context.device))
            if int(done[0]) == 1:
                break
    return PicardResult(trajectory, rounds=rounds, drift_evaluations=evaluations)


def mode_weights(data: GaussianMixture, samples: torch.Tensor) -> torch.Tensor:
    """Return the fraction of samples nearest (in Euclidean distance) to each component mean."""
    distances = torch.cdist(samples, data.means)
    labels = distances.argmin(1)
    return torch.bincount(labels, minlength=data.means.shape[0]).to(DTYPE) / samples.shape[0]


def build_data(name: str, dim: int) -> GaussianMixture:
    """Return the named data law: 'gaussian' (N(1, 0.5^2 I)) or 'gmm' (8 modes on a circle)."""
    if name == "gaussian":
        return GaussianMixture.isotropic([1.0], torch.ones(1, dim, dtype=DTYPE), 0.5)
    if name == "gmm":
        if dim != 2:
            raise ValueError(f"the 'gmm' data law is 2-dimensional, got --dim {dim}")
        angles = torch.arange(8, dtype=DTYPE) * (2.0 * math.pi / 8.0)
        means = 4.0 * torch.stack([torch.cos(angles), torch.sin(angles)], 1)
        weights = torch.arange(1, 9, dtype=DTYPE)
        return GaussianMixture.isotropic(weights, means, 0.3)
    raise ValueError(f"unknown data law {name!r}: expected 'gaussian' or 'gmm'")


def run(context: Context, config: dict) -> dict:
    """Run one Picard sampler and its sequential reference; return the JSON summary."""
    data = build_data(config.get("data", "gmm"), int(config.get("dim", 2))).to(context.device)
    process = ReverseDiffusion(data, steps=int(config.get("steps", 200)),
                               horizon=float(config.get("horizon", 5.0)),
                               early_stop=float(config.get("early_stop", 1e-3)),
                               stochastic=not config.get("ode", False))
    batch = int(config.get("batch", 1000))

    method = config.get("method", "paradigms")
    tolerance = float(config.get("tolerance", 0.1))
    samplers = {
        "paradigms": lambda: sample_paradigms(context, process, batch, int(config.get("window", 32)), tolerance),
        "blockwise": lambda: sample_blockwise(context, process, batch, int(config.get("blocks", 4)), tolerance,
                                              int(config.get("max_sweeps", 0))),
        "sequential": lambda: sample_sequential(context, process, batch),
    }
    if method not in samplers:
        raise ValueError(f"unknown method {method!r}: expected one of {sorted(samplers)}")
    started = time.perf_counter()
    result = samplers[method]()
    wall = time.perf_counter() - started

    reference = sample_sequential(context, process, batch)
    final = result.trajectory[-1]
    summary = {
        "sampler": "picard", "method": method, "world_size": context.world_size,
        "steps": process.steps, "batch": batch, "sequential_rounds": result.rounds,
        "drift_evaluations": result.drift_evaluations, "wall_time_s": wall,
        "max_abs_deviation_from_sequential": float((result.trajectory - reference.trajectory).abs().max()),
        "sample_mean": final.mean(0).tolist(),
        "exact_data_mean": data.mean().tolist(),
    }
    if config.get("data", "gmm") == "gmm":
        summary["mode_weights"] = mode_weights(data, final).tolist()
        summary["exact_mode_weights"] = data.weights.tolist()
    else:
        mean, variance = process.gaussian_law(1.0, 0.5)
        summary["exact_discrete_mean"] = mean
        summary["exact_discrete_variance"] = variance
        summary["sample_variance"] = final.var(0).tolist()
    return summary
