"""Discrete diffusion inference: tau-leaping, theta-RK-2 and theta-trapezoidal.

The reverse process of :class:`~samplers.targets.BirthDeathChain` jumps by +1
or -1 with exact intensities mu_s(+-1 | y). Reverse time s runs over a uniform
grid of ``steps`` steps of size h from forward time T down to forward time
``early_stop``, and rho_n = s_n + theta h. P(lam) is a Poisson count, and the
counts of the +1 and -1 jumps add up, with the result clipped to {0..S-1}.

- tau-leaping: y_{n+1} = y_n + sum_nu nu P(mu_{s_n}(nu | y_n) h). First order.
- theta-RK-2: y* = y_n + sum_nu nu P(mu_{s_n}(nu | y_n) theta h), then
  y_{n+1} = y_n + sum_nu nu P([(1 - 1/(2 theta)) mu_{s_n}(nu | y_n)
  + (1/(2 theta)) mu_{rho_n}(nu | y*)]_+ h).
- theta-trapezoidal: the same y*, then y_{n+1} = y* + sum_nu nu
  P([a1 mu_{rho_n}(nu | y*) - a2 mu_{s_n}(nu | y_n)]_+ (1 - theta) h) with
  a1 = 1 / (2 theta (1 - theta)) and a2 = ((1 - theta)^2 + theta^2) / (2 theta (1 - theta)).
  Second order while the clip [.]_+ is inactive; the tests measure order 2
  in total variation on the birth-death chain.

Both theta-schemes evaluate the rates twice per step, tau-leaping once.

:func:`exact_law` composes the exact one-step kernels of a scheme (Poisson
counts truncated where the tail is below 1e-15), which gives the law of the
scheme's output with no Monte Carlo noise. :func:`sample` simulates paths,
data-parallel over samples, and :func:`run` compares the two.
"""

import math
import time

import torch

from .parallel import Context, DTYPE
from .targets import BirthDeathChain

SCHEMES = ("tau", "rk2", "trapezoidal")


def _max_jumps(max_rate: float) -> int:
    """Return a Poisson truncation point whose tail mass is below about 1e-15 for rates up to max_rate."""
    return int(math.ceil(max_rate + 12.0 * math.sqrt(max_rate) + 14.0))


def _poisson_pmf(rates: torch.Tensor, max_jumps: int) -> torch.Tensor:
    """Return P(K = k) for k = 0..max_jumps, shape rates.shape + (max_jumps + 1,)."""
    k = torch.arange(max_jumps + 1, dtype=DTYPE, device=rates.device)
    lam = rates.unsqueeze(-1)
    log_pmf = k * torch.log(lam.clamp(min=1e-300)) - lam - torch.lgamma(k + 1.0)
    pmf = torch.exp(log_pmf)
    return torch.where(lam > 0, pmf, (k == 0).to(DTYPE).expand_as(pmf))


def jump_kernel(starts: torch.Tensor, plus: torch.Tensor, minus: torch.Tensor, states: int) -> torch.Tensor:
    """Return the law of clip(start + P(plus) - P(minus)) for each row, shape (m, states)."""
    max_jumps = _max_jumps(float(torch.max(torch.cat([plus, minus]))) if plus.numel() else 0.0)
    plus_pmf = _poisson_pmf(plus, max_jumps)
    minus_pmf = _poisson_pmf(minus, max_jumps)
    joint = plus_pmf.unsqueeze(-1) * minus_pmf.unsqueeze(-2)
    k = torch.arange(max_jumps + 1, device=starts.device)
    net = k.unsqueeze(1) - k.unsqueeze(0)
    ends = (starts.reshape(-1, 1, 1) + net).clamp(0, states - 1)
    kernel = torch.zeros(starts.shape[0], states, dtype=DTYPE, device=starts.device)
    kernel.scatter_add_(1, ends.reshape(starts.shape[0], -1), joint.reshape(starts.shape[0], -1))
    return kernel


class Schedule:
    """Uniform reverse-time grid from forward time ``horizon`` down to ``early_stop``."""

    def __init__(self, chain: BirthDeathChain, steps: int, horizon: float, early_stop: float, theta: float,
                 device=None):
        if steps < 1:
            raise ValueError(f"invalid number of steps {steps}: expected at least 1")
        if not 0.0 < theta < 1.0:
            raise ValueError(f"invalid theta {theta}: expected 0 < theta < 1")
        self.chain = chain
        self.steps = steps
        self.horizon = horizon
        self.early_stop = early_stop
        self.theta = theta
        self.step_size = (horizon - early_stop) / steps
        self.device = device
        self._rates = {}

    def rates(self, step: int, stage: bool = False) -> torch.Tensor:
        """Return the (S, 2) exact reverse rates at s_n (stage=False) or rho_n (stage=True)."""
        key = (step, stage)
        if key not in self._rates:
            shift = self.theta * self.step_size if stage else 0.0
            self._rates[key] = self.chain.reverse_rates(self.horizon - step * self.step_size - shift, self.device)
        return self._rates[key]


def _stage_two_rates(scheme: str, schedule: Schedule, step: int, start, middle):
    """Return the clipped second-stage intensities for pairs (y_n = start, y* = middle), shape (..., 2)."""
    theta = schedule.theta
    first = schedule.rates(step)[start]
    second = schedule.rates(step, stage=True)[middle]
    if scheme == "rk2":
        return ((1.0 - 1.0 / (2.0 * theta)) * first + second / (2.0 * theta)).clamp(min=0.0)
    a1 = 1.0 / (2.0 * theta * (1.0 - theta))
    a2 = ((1.0 - theta) ** 2 + theta ** 2) / (2.0 * theta * (1.0 - theta))
    return (a1 * second - a2 * first).clamp(min=0.0)


def step_kernel(scheme: str, schedule: Schedule, step: int) -> torch.Tensor:
    """Return the exact (S, S) transition matrix of one step of ``scheme``."""
    states = schedule.chain.states
    h = schedule.step_size
    theta = schedule.theta
    every = torch.arange(states, device=schedule.device)
    rates = schedule.rates(step)
    if scheme == "tau":
        return jump_kernel(every, rates[:, 0] * h, rates[:, 1] * h, states)
    first_stage = jump_kernel(every, rates[:, 0] * theta * h, rates[:, 1] * theta * h, states)
    start = every.repeat_interleave(states)
    middle = every.repeat(states)
    second_rates = _stage_two_rates(scheme, schedule, step, start, middle)
    if scheme == "rk2":
        origin, duration = start, h
    else:
        origin, duration = middle, (1.0 - theta) * h
    second_stage = jump_kernel(origin, second_rates[:, 0] * duration, second_rates[:, 1] * duration, states)
    second_stage = second_stage.reshape(states, states, states)
    return torch.einsum("xm,xmz->xz", first_stage, second_stage)


def initial_law(schedule: Schedule, initial: str) -> torch.Tensor:
    """Return the start law: the exact marginal p_T ('marginal') or the uniform stationary law ('uniform')."""
    if initial == "marginal":
        return schedule.chain.marginal(schedule.horizon).to(schedule.device)
    if initial == "uniform":
        states = schedule.chain.states
        return torch.full((states,), 1.0 / states, dtype=DTYPE, device=schedule.device)
    raise ValueError(f"invalid initial law {initial!r}: expected 'marginal' or 'uniform'")


def exact_law(scheme: str, schedule: Schedule, initial: str = "marginal") -> torch.Tensor:
    """Return the exact law of the scheme's output by composing its one-step kernels."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}: expected one of {SCHEMES}")
    law = initial_law(schedule, initial)
    for step in range(schedule.steps):
        law = law @ step_kernel(scheme, schedule, step)
    return law


def _poisson_by_inversion(rates: torch.Tensor, uniforms: torch.Tensor) -> torch.Tensor:
    """Return Poisson(rates) counts as the number of CDF values below each uniform.

    Inversion turns shared-stream uniforms into counts with the same result on
    every device, so slices of one stream stay identical across world sizes.
    """
    max_jumps = _max_jumps(float(rates.max()) if rates.numel() else 0.0)
    cdf = torch.cumsum(_poisson_pmf(rates, max_jumps), dim=-1)
    return (uniforms.unsqueeze(-1) > cdf).sum(-1)


def _jump(states: int, start, rates, duration, uniforms):
    counts = _poisson_by_inversion(rates * duration, uniforms)
    return (start + counts[:, 0] - counts[:, 1]).clamp(0, states - 1)


def sample(context: Context, scheme: str, schedule: Schedule, samples: int, initial: str = "marginal"):
    """Simulate ``samples`` paths of the scheme, this rank's shard only; return the final states."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}: expected one of {SCHEMES}")
    states = schedule.chain.states
    law = initial_law(schedule, initial)
    start_uniforms = context.rand_shard(samples, (), "discrete-initial")
    y = torch.searchsorted(torch.cumsum(law, 0), start_uniforms).clamp_(max=states - 1)
    h = schedule.step_size
    theta = schedule.theta
    for step in range(schedule.steps):
        first = context.rand_shard(samples, (2,), "discrete-first", step)
        rates = schedule.rates(step)[y]
        if scheme == "tau":
            y = _jump(states, y, rates, h, first)
            continue
        middle = _jump(states, y, rates, theta * h, first)
        second = context.rand_shard(samples, (2,), "discrete-second", step)
        second_rates = _stage_two_rates(scheme, schedule, step, y, middle)
        if scheme == "rk2":
            y = _jump(states, y, second_rates, h, second)
        else:
            y = _jump(states, middle, second_rates, (1.0 - theta) * h, second)
    return y


def histogram(context: Context, final_states: torch.Tensor, states: int) -> torch.Tensor:
    """Return the global histogram of final states, summed over ranks."""
    counts = torch.bincount(final_states, minlength=states).to(DTYPE)
    return context.all_reduce_sum(counts)


def total_variation(p: torch.Tensor, q: torch.Tensor) -> float:
    return 0.5 * float((p - q).abs().sum())


def observed_order(step_counts, errors) -> float:
    """Return the slope of log(error) against log(step size) by least squares."""
    x = torch.log(1.0 / torch.as_tensor(step_counts, dtype=DTYPE))
    y = torch.log(torch.as_tensor(errors, dtype=DTYPE))
    x_centered = x - x.mean()
    return float((x_centered * (y - y.mean())).sum() / (x_centered ** 2).sum())


def run(context: Context, config: dict) -> dict:
    """Sample one scheme on the birth-death chain and compare with its exact law and with p_delta."""
    states = int(config.get("states", 32))
    chain = BirthDeathChain.smooth_bimodal(states)
    scheme = config.get("scheme", "trapezoidal")
    schedule = Schedule(chain, int(config.get("steps", 16)), float(config.get("horizon", 2.0)),
                        float(config.get("early_stop", 1e-3)), float(config.get("theta", 0.5)), context.device)
    samples = int(config.get("samples", 100000))
    initial = config.get("initial", "marginal")
    started = time.perf_counter()
    final = sample(context, scheme, schedule, samples, initial)
    counts = histogram(context, final, states)
    wall = time.perf_counter() - started
    empirical = counts / samples
    scheme_law = exact_law(scheme, schedule, initial)
    target = chain.marginal(schedule.early_stop).to(context.device)
    stderr = torch.sqrt(scheme_law * (1.0 - scheme_law) / samples).clamp(min=1e-300)
    return {
        "sampler": "discrete", "scheme": scheme, "world_size": context.world_size, "states": states,
        "steps": schedule.steps, "rate_evaluations_per_sample": schedule.steps * (1 if scheme == "tau" else 2),
        "samples": samples, "theta": schedule.theta, "wall_time_s": wall,
        "tv_empirical_to_target": total_variation(empirical, target),
        "tv_scheme_law_to_target": total_variation(scheme_law, target),
        "tv_empirical_to_scheme_law": total_variation(empirical, scheme_law),
        "max_abs_z_empirical_vs_scheme_law": float(((empirical - scheme_law).abs() / stderr).max()),
        "counts": counts.tolist(),
    }
