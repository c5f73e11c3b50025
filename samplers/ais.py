"""Annealed importance sampling with an interacting ensemble.

The path is geometric, gamma_k = pi_0^{1 - beta_k} * pi_1^{beta_k}, from the
normalised reference pi_0 = N(0, sigma_0^2 I) to the unnormalised target pi_1,
with beta_k = (k / K)^exponent. At each level the particles are reweighted
by (beta_k - beta_{k-1}) (log pi_1 - log pi_0) before they move, then moved
by kernels that leave gamma_k invariant.

- Plain AIS: independent MALA moves, no resampling.
- Ensemble AIS: the MALA moves
  plus moves between ensemble members from evolutionary Monte Carlo:
  - snooker moves in red-black form, so each half moves
    with anchors frozen from the other half and gamma_k^{⊗N} stays invariant;
  - genetic crossover between the two members of each pair of a random
    perfect matching, accepted with min(1, gamma(y_i) gamma(y_j) /
    (gamma(x_i) gamma(x_j))). "one_point" swaps the coordinates after a random
    cut, and "uniform" exchanges a random subset of coordinates;
  - systematic resampling when the effective sample size falls below
    ``resample_threshold * N``, and always before a crossover sweep, because
    crossover keeps gamma ⊗ gamma invariant only for equally weighted members.

Particles are sharded across ranks. All per-particle random numbers come from
shared streams over the whole ensemble, so the estimates do not depend on the
world size.
"""

import math
import time
from dataclasses import dataclass
from typing import Optional

import torch

from . import estimators
from .parallel import Context, DTYPE
from .targets import GaussianMixture, GinzburgLandauChain, UnnormalizedTarget


@dataclass
class AISConfig:
    particles: int = 1024
    levels: int = 100
    exponent: float = 2.0
    reference_std: float = 3.0
    mala_steps: int = 2
    reference_step: float = 1.5  # MALA step size at beta = 0
    target_step: float = 0.5  # MALA step size at beta = 1
    ensemble: bool = True
    snooker: bool = True
    snooker_scale: float = 1.0  # standard deviation of the radial snooker proposal
    crossover: str = "uniform"  # "none", "one_point" or "uniform"
    crossover_every: int = 10  # levels between crossover sweeps
    resample_threshold: float = 0.5

    def validate(self) -> None:
        if self.particles < 2:
            raise ValueError(f"invalid particle count {self.particles}: expected at least 2")
        if self.levels < 1:
            raise ValueError(f"invalid level count {self.levels}: expected at least 1")
        if self.crossover not in ("none", "one_point", "uniform"):
            raise ValueError(f"invalid crossover {self.crossover!r}: expected 'none', 'one_point' or 'uniform'")


class AnnealingPath:
    """Geometric path between N(0, sigma_0^2 I) and an unnormalised target."""

    def __init__(self, target, reference_std: float):
        self.target = target
        self.reference_std = float(reference_std)
        self.dim = target.dim

    def reference_log_density(self, x: torch.Tensor) -> torch.Tensor:
        return (-0.5 * (x ** 2).sum(1) / self.reference_std ** 2
                - 0.5 * self.dim * math.log(2.0 * math.pi * self.reference_std ** 2))

    def log_density(self, x: torch.Tensor, beta: float) -> torch.Tensor:
        return (1.0 - beta) * self.reference_log_density(x) + beta * self.target.log_density(x)

    def grad_log_density(self, x: torch.Tensor, beta: float) -> torch.Tensor:
        return (1.0 - beta) * (-x / self.reference_std ** 2) + beta * self.target.grad_log_density(x)

    def log_ratio(self, x: torch.Tensor) -> torch.Tensor:
        return self.target.log_density(x) - self.reference_log_density(x)


@dataclass
class AISResult:
    positions: torch.Tensor  # this rank's particles
    log_weights: torch.Tensor  # this rank's log-weights within the current resampling epoch
    eves: torch.Tensor  # global index of each local particle's initial ancestor
    log_normalizer: float  # log Z estimate
    log_normalizer_stderr: float  # delta-method error of the last epoch only; see run_ais
    resamples: int
    acceptance: dict


def _mala(context, path, x, beta, step, keys, n):
    """Apply one MALA step targeting gamma_beta to the local particles; return (x, accepted)."""
    drift = 0.5 * step ** 2
    grad = path.grad_log_density(x, beta)
    noise = context.randn_shard(n, (path.dim,), "mala", *keys)
    proposal = x + drift * grad + step * noise
    proposal_grad = path.grad_log_density(proposal, beta)
    forward = -((proposal - x - drift * grad) ** 2).sum(1) / (2 * step ** 2)
    backward = -((x - proposal - drift * proposal_grad) ** 2).sum(1) / (2 * step ** 2)
    log_accept = path.log_density(proposal, beta) - path.log_density(x, beta) + backward - forward
    accept = torch.log(context.rand_shard(n, (), "mala-accept", *keys)) < log_accept
    return torch.where(accept.unsqueeze(1), proposal, x), accept


def _snooker_sweep(context, path, x, beta, scale, keys, n):
    """Move each half of the ensemble by snooker moves anchored on the other half.

    Particle x and anchor z define the line z + r e with r = |x - z|; the
    proposal is r' = r + scale * eta and is accepted with
    min(1, gamma(y) |r'|^{d-1} / (gamma(x) |r|^{d-1})).
    Returns (x, number of local accepts, number of local proposals).
    """
    local = context.shard(n)
    permutation = torch.randperm(n, generator=context.generator("snooker-halves", *keys), device=context.device)
    half_of = torch.empty(n, dtype=torch.long, device=context.device)
    half_of[permutation[: n // 2]] = 0
    half_of[permutation[n // 2:]] = 1
    members = [permutation[: n // 2], permutation[n // 2:]]
    accepted, proposed = 0, 0
    for half in (0, 1):
        snapshot = context.all_gather_rows(x, n)
        anchors_pool = members[1 - half]
        picks = context.rand_shard(n, (), "snooker-anchor", half, *keys)
        anchor_index = anchors_pool[(picks * anchors_pool.numel()).long().clamp_(max=anchors_pool.numel() - 1)]
        eta = context.randn_shard(n, (), "snooker-radius", half, *keys)
        uniforms = context.rand_shard(n, (), "snooker-accept", half, *keys)
        anchors = snapshot[anchor_index]
        offset = x - anchors
        radius = offset.norm(dim=1).clamp(min=1e-300)
        direction = offset / radius.unsqueeze(1)
        new_radius = radius + scale * eta
        proposal = anchors + new_radius.unsqueeze(1) * direction
        log_accept = (path.log_density(proposal, beta) - path.log_density(x, beta)
                      + (path.dim - 1) * (torch.log(new_radius.abs().clamp(min=1e-300)) - torch.log(radius)))
        active = half_of[local] == half
        accept = active & (torch.log(uniforms) < log_accept)
        x = torch.where(accept.unsqueeze(1), proposal, x)
        accepted += int(accept.sum())
        proposed += int(active.sum())
    return x, accepted, proposed


def _crossover_sweep(context, path, x, beta, kind, keys, n):
    """Apply crossover to the pairs of a random perfect matching; return (x, local accepts, local proposals).

    The rank that owns the lower index of a pair decides it, and one
    all_gather shares the decisions, so both members of a pair that spans two
    ranks always agree.
    """
    local = context.shard(n)
    permutation = torch.randperm(n, generator=context.generator("crossover-pairs", *keys), device=context.device)
    paired = (n // 2) * 2
    mate = torch.arange(n, device=context.device)
    mate[permutation[0:paired:2]] = permutation[1:paired:2]
    mate[permutation[1:paired:2]] = permutation[0:paired:2]
    global_index = torch.arange(local.start, local.stop, device=context.device)
    lower = torch.minimum(global_index, mate[global_index])
    upper = torch.maximum(global_index, mate[global_index])
    if kind == "one_point":
        cuts = torch.randint(1, max(path.dim, 2), (n,), generator=context.generator("crossover-cut", *keys),
                             device=context.device)
        swap_all = torch.arange(path.dim, device=context.device).unsqueeze(0) >= cuts.unsqueeze(1)
    else:
        swap_all = context.rand((n, path.dim), "crossover-mask", *keys) < 0.5
    uniforms_all = context.rand((n,), "crossover-accept", *keys)

    snapshot = context.all_gather_rows(x, n)
    swap = swap_all[lower]
    lower_state, upper_state = snapshot[lower], snapshot[upper]
    lower_child = torch.where(swap, upper_state, lower_state)
    upper_child = torch.where(swap, lower_state, upper_state)
    log_accept = ((path.log_density(lower_child, beta) + path.log_density(upper_child, beta))
                  - (path.log_density(lower_state, beta) + path.log_density(upper_state, beta)))
    decides = (global_index == lower) & (mate[global_index] != global_index)
    decision = (decides & (torch.log(uniforms_all[lower]) < log_accept)).to(DTYPE)
    decisions = context.all_gather_rows(decision.unsqueeze(1), n).squeeze(1)
    accept = decisions[lower] > 0.5
    child = torch.where((global_index == lower).unsqueeze(1), lower_child, upper_child)
    x = torch.where(accept.unsqueeze(1), child, x)
    return x, int((decides & accept).sum()), int(decides.sum())


def _step_size(config: AISConfig, beta: float) -> float:
    """Interpolate the MALA step size so that 1/step^2 is linear in beta, like the path's precision."""
    return ((1.0 - beta) / config.reference_step ** 2 + beta / config.target_step ** 2) ** -0.5


def run_ais(context: Context, path: AnnealingPath, config: AISConfig, replica: int = 0) -> AISResult:
    """Run plain or ensemble AIS and return the weighted particles and the log Z estimate.

    log Z accumulates log(mean weight) of each resampling epoch; this estimate
    of Z is unbiased. The standard error in the result covers only the last
    epoch and ignores correlations from interacting moves, so it is exact
    only for plain AIS; use independent replicas for an error of ensemble AIS.
    """
    config.validate()
    n = config.particles
    local = context.shard(n)
    x = config.reference_std * context.randn_shard(n, (path.dim,), "initial", replica)
    log_weights = torch.zeros(x.shape[0], dtype=DTYPE, device=context.device)
    eves = torch.arange(local.start, local.stop, device=context.device)
    log_z = 0.0
    resamples = 0
    counts = {"mala": [0, 0], "snooker": [0, 0], "crossover": [0, 0]}
    betas = [(k / config.levels) ** config.exponent for k in range(config.levels + 1)]
    for k in range(1, config.levels + 1):
        beta = betas[k]
        log_weights = log_weights + (beta - betas[k - 1]) * path.log_ratio(x)
        if config.ensemble:
            crossover_now = config.crossover != "none" and k % config.crossover_every == 0
            ess = context.ess(log_weights)
            if crossover_now or ess < config.resample_threshold * n:
                log_z += float(context.logsumexp(log_weights)) - math.log(n)
                (x, eves), _ = context.resample(log_weights, n, [x, eves], "level", k, replica)
                log_weights = torch.zeros_like(log_weights)
                resamples += 1
        step = _step_size(config, beta)
        for m in range(config.mala_steps):
            x, accept = _mala(context, path, x, beta, step, (k, m, replica), n)
            counts["mala"][0] += int(accept.sum())
            counts["mala"][1] += accept.numel()
        if config.ensemble and config.snooker:
            x, accepted, proposed = _snooker_sweep(context, path, x, beta, config.snooker_scale, (k, replica), n)
            counts["snooker"][0] += accepted
            counts["snooker"][1] += proposed
        if config.ensemble and config.crossover != "none" and k % config.crossover_every == 0:
            x, accepted, proposed = _crossover_sweep(context, path, x, beta, config.crossover, (k, replica), n)
            counts["crossover"][0] += accepted
            counts["crossover"][1] += proposed
    last_epoch, last_error = estimators.log_mean_weight(context, log_weights, n)
    totals = context.all_reduce_sum(context.tensor([value for pair in counts.values() for value in pair]))
    acceptance = {}
    for index, name in enumerate(counts):
        proposals = float(totals[2 * index + 1])
        acceptance[name] = float(totals[2 * index]) / proposals if proposals > 0 else None
    return AISResult(x, log_weights, eves, log_z + last_epoch, last_error, resamples, acceptance)


# ---------------------------------------------------------------- test targets


def gaussian_target(dim: int, mean: float = 1.0, std: float = 0.5) -> UnnormalizedTarget:
    """Return exp(-|x - m|^2 / (2 s^2)) with m = mean * 1, whose Z is (2 pi s^2)^{d/2}."""
    mixture = GaussianMixture.isotropic([1.0], mean * torch.ones(1, dim, dtype=DTYPE), std)
    return UnnormalizedTarget(mixture, 0.5 * dim * math.log(2.0 * math.pi * std ** 2))


def bimodal_target(dim: int, separation: float = 8.0, weight: float = 0.3,
                   log_scale: float = 2.5) -> UnnormalizedTarget:
    """Return C [w N(-a 1, I) + (1 - w) N(a 1, I)] with mode distance 2 a sqrt(d) = separation; log Z = log C."""
    a = separation / (2.0 * math.sqrt(dim))
    means = torch.stack([-a * torch.ones(dim, dtype=DTYPE), a * torch.ones(dim, dtype=DTYPE)])
    return UnnormalizedTarget(GaussianMixture.isotropic([weight, 1.0 - weight], means, 1.0), log_scale)


def build_target(name: str, dim: int, field: float = 0.0):
    """Return (target, dict of exact results) for 'gaussian', 'bimodal' or 'gl'."""
    if name == "gaussian":
        target = gaussian_target(dim)
        return target, {"log_z": target.exact_log_normalizer(), "mean": [1.0] * dim}
    if name == "bimodal":
        target = bimodal_target(dim)
        return target, {"log_z": target.exact_log_normalizer(), "positive_mode_probability": 0.7}
    if name == "gl":
        target = GinzburgLandauChain(sites=dim, lam=0.02, beta=1.0, field=field)
        log_z, means, variances = target.transfer_matrix_reference()
        return target, {"log_z": log_z, "site_means": means, "site_variances": variances,
                        "positive_magnetisation_probability": 0.5 if field == 0.0 else None}
    raise ValueError(f"unknown target {name!r}: expected 'gaussian', 'bimodal' or 'gl'")


def _observables(name: str, x: torch.Tensor) -> dict:
    if name == "gaussian":
        return {"mean": x}
    if name == "bimodal":
        return {"positive_mode_probability": (x.sum(1) > 0).to(DTYPE)}
    return {"site_means": x, "site_variances_raw": x ** 2,
            "positive_magnetisation_probability": (x.sum(1) > 0).to(DTYPE)}


def run(context: Context, config: dict) -> dict:
    """Run AIS on the configured target and return the JSON summary."""
    name = config.get("target", "bimodal")
    dim = int(config.get("dim", 2))
    target, exact = build_target(name, dim, float(config.get("field", 0.0)))
    target = target.to(context.device)
    method = config.get("method", "ensemble")
    if method not in ("ensemble", "plain"):
        raise ValueError(f"unknown method {method!r}: expected 'ensemble' or 'plain'")
    ais_config = AISConfig(
        particles=int(config.get("particles", 1024)), levels=int(config.get("levels", 100)),
        reference_std=float(config.get("reference_std", 3.0)),
        mala_steps=int(config.get("mala_steps", 2)),
        target_step=float(config.get("target_step", 0.5 if name != "gl" else 0.05)),
        reference_step=float(config.get("reference_step", 1.5)),
        ensemble=method == "ensemble", crossover=config.get("crossover", "uniform"),
        snooker_scale=float(config.get("snooker_scale", 1.0)))

    path = AnnealingPath(target, ais_config.reference_std)
    replicas = int(config.get("replicas", 1))
    started = time.perf_counter()
    log_zs, results = [], []
    for replica in range(replicas):
        result = run_ais(context, path, ais_config, replica)
        log_zs.append(result.log_normalizer)
        results.append(result)
    wall = time.perf_counter() - started

    last = results[-1]
    eves = last.eves if ais_config.ensemble else None
    estimates = {}
    for key, values in _observables(name, last.positions).items():
        value, error = estimators.weighted_estimate(context, last.log_weights, values, eves, ais_config.particles)
        estimates[key] = {"estimate": value.tolist(), "stderr": error.tolist()}
    if config.get("control_variates", False) and name != "bimodal":
        score = target.grad_log_density(last.positions)
        controls = estimators.stein_control_variates(last.positions, score, 1)
        value, error = estimators.control_variate_estimate(context, last.log_weights, last.positions, controls,
                                                           eves, ais_config.particles)
        estimates["mean_control_variate"] = {"estimate": value.tolist(), "stderr": error.tolist()}
    log_z_tensor = torch.tensor(log_zs, dtype=DTYPE)
    summary = {
        "sampler": "ais", "method": method, "target": name, "dim": dim, "world_size": context.world_size,
        "particles": ais_config.particles, "levels": ais_config.levels, "replicas": replicas,
        "log_z": float(log_z_tensor.mean()), "exact_log_z": exact["log_z"],
        "log_z_replica_stderr": float(log_z_tensor.std() / math.sqrt(replicas)) if replicas > 1 else None,
        "log_z_last_epoch_stderr": last.log_normalizer_stderr,
        "resamples": last.resamples, "acceptance": last.acceptance, "estimates": estimates,
        "exact": exact, "wall_time_s": wall,
    }
    return summary
