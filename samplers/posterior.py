"""Posterior sampling for linear inverse problems with a diffusion prior.

Observation model: y = A x + noise_std * N(0, I), likelihood L(x) = N(y; A x, noise_std^2 I).
The prior p_0 is a Gaussian mixture, so the OU marginals p_t and their exact
scores stand in for a trained score network.

Particle sampler: weighted particles that follow the prior's reverse
diffusion with a modified drift and a reweighting term. In
reverse time t in [0, T - delta] the prior marginals are q_t = p_{T-t} with
reverse drift b = x + 2 score(x, T - t). For a tilt g_t with g_{T-delta} = L, the
targets pi_t proportional to q_t g_t satisfy exactly

    d/dt pi = -div(pi (b + 2 grad log g)) + Laplacian pi + pi (r - E_pi r),
    r = b . grad log g + |grad log g|^2 + Laplacian log g + d/dt log g.

So the particles move with the modified drift b + 2 grad log g and their
log-weights grow at rate r, which needs the score but not its Jacobian. Here
log g_t = lambda(t) log L with lambda(t) = t / (T - delta) ("annealed", no
initial weights) or lambda = 1 ("constant", initial weights L(x)). The
particles start from the exact p_T, weights are integrated with the
trapezoid rule, positions with an exponential integrator, and the particles
are resampled when the effective sample size drops below ``resample_threshold * N``.
The product of the epochs' mean weights estimates the evidence
integral of p_delta(x) L(x) dx.

Baseline: diffusion posterior sampling (DPS), which adds
guidance_scale * grad_x log L(x0_hat(x)) to the prior score, with x0_hat the
Tweedie denoiser. It has no weights and is biased in general.
"""

import math
import time
from dataclasses import dataclass

import torch

from . import estimators
from .parallel import Context, DTYPE
from .targets import GaussianMixture


@dataclass
class InverseProblem:
    prior: GaussianMixture
    forward_matrix: torch.Tensor  # A, shape (d_y, d)
    observation: torch.Tensor  # y, shape (d_y,)
    noise_std: float

    def log_likelihood(self, x: torch.Tensor) -> torch.Tensor:
        residual = self.observation - x @ self.forward_matrix.T
        d_y = self.observation.shape[0]
        return (-0.5 * (residual ** 2).sum(1) / self.noise_std ** 2
                - 0.5 * d_y * math.log(2.0 * math.pi * self.noise_std ** 2))

    def grad_log_likelihood(self, x: torch.Tensor) -> torch.Tensor:
        residual = self.observation - x @ self.forward_matrix.T
        return residual @ self.forward_matrix / self.noise_std ** 2

    def laplacian_log_likelihood(self) -> float:
        return -float((self.forward_matrix ** 2).sum()) / self.noise_std ** 2

    def exact_posterior(self, early_stop: float):
        """Return (posterior mixture, log evidence) for the prior p_delta, which the samplers target."""
        return self.prior.ou_marginal(early_stop).linear_gaussian_posterior(
            self.forward_matrix, self.observation, self.noise_std)


@dataclass
class PosteriorConfig:
    particles: int = 2000
    steps: int = 200
    horizon: float = 4.0
    early_stop: float = 1e-3
    tilt: str = "annealed"  # or "constant"
    resample_threshold: float = 0.5
    guidance_scale: float = 1.0  # DPS only


def _tilt(config: PosteriorConfig, t: float):
    """Return (lambda(t), d lambda / dt) of the tilt log g_t = lambda(t) log L."""
    end = config.horizon - config.early_stop
    if config.tilt == "annealed":
        return t / end, 1.0 / end
    if config.tilt == "constant":
        return 1.0, 0.0
    raise ValueError(f"invalid tilt {config.tilt!r}: expected 'annealed' or 'constant'")


def _reweighting_rate(problem, config, x, score, t):
    """Return r(x, t) = b . grad log g + |grad log g|^2 + Laplacian log g + d/dt log g."""
    lam, lam_rate = _tilt(config, t)
    grad_log_g = lam * problem.grad_log_likelihood(x)
    drift = x + 2.0 * score
    return ((drift * grad_log_g).sum(1) + (grad_log_g ** 2).sum(1)
            + lam * problem.laplacian_log_likelihood() + lam_rate * problem.log_likelihood(x))


@dataclass
class ParticleResult:
    positions: torch.Tensor
    log_weights: torch.Tensor
    eves: torch.Tensor
    log_evidence: float
    resamples: int


def run_particles(context: Context, problem: InverseProblem, config: PosteriorConfig, replica: int = 0):
    """Run the weighted-particle posterior sampler; return this rank's particles and the log evidence.

    NOTE: the guidance drift 2 grad log L is integrated explicitly, so the
    step (T - delta) / steps must stay well below noise_std^2 / (2 |A|^2);
    with larger steps the weights degenerate and the evidence diverges.
    """
    n = config.particles
    local = context.shard(n)
    step = (config.horizon - config.early_stop) / config.steps
    growth = math.exp(step)
    noise_std = math.sqrt(math.expm1(2.0 * step))
    start_law = problem.prior.ou_marginal(config.horizon)
    x = start_law.sample(n, context.generator("posterior-initial", replica))[local]
    lam0, _ = _tilt(config, 0.0)
    log_weights = lam0 * problem.log_likelihood(x)
    eves = torch.arange(local.start, local.stop, device=context.device)

    log_evidence = 0.0
    resamples = 0
    t = 0.0
    score = problem.prior.ou_marginal(config.horizon).score(x)
    rate = _reweighting_rate(problem, config, x, score, t)

    for k in range(config.steps):
        if context.ess(log_weights) < config.resample_threshold * n:
            log_evidence += float(context.logsumexp(log_weights)) - math.log(n)
            (x, eves, score, rate), _ = context.resample(log_weights, n, [x, eves, score, rate], "posterior", k,
                                                         replica)
            log_weights = torch.zeros_like(log_weights)
            resamples += 1
        lam, _ = _tilt(config, t)
        guided = 2.0 * (score + lam * problem.grad_log_likelihood(x))
        noise = context.randn_shard(n, (problem.prior.dim,), "posterior-noise", k, replica)
        x = growth * x + (growth - 1.0) * guided + noise_std * noise
        t = (k + 1) * step
        score = problem.prior.ou_marginal(config.horizon - t).score(x)
        new_rate = _reweighting_rate(problem, config, x, score, t)
        log_weights = log_weights + 0.5 * step * (rate + new_rate)
        rate = new_rate
    log_evidence += float(context.logsumexp(log_weights)) - math.log(n)
    return ParticleResult(x, log_weights, eves, log_evidence, resamples)


def run_dps(context: Context, problem: InverseProblem, config: PosteriorConfig, replica: int = 0) -> torch.Tensor:
    """Run the DPS baseline; return this rank's (unweighted) samples."""
    n = config.particles
    local = context.shard(n)
    step = (config.horizon - config.early_stop) / config.steps
    growth = math.exp(step)
    noise_std = math.sqrt(math.expm1(2.0 * step))
    x = problem.prior.ou_marginal(config.horizon).sample(n, context.generator("posterior-initial", replica))[local]
    for k in range(config.steps):
        forward_time = config.horizon - k * step
        marginal = problem.prior.ou_marginal(forward_time)
        with torch.enable_grad():
            tracked = x.detach().requires_grad_(True)
            score = marginal.score(tracked)
            denoised = math.exp(forward_time) * (tracked + (-math.expm1(-2.0 * forward_time)) * score)
            guidance = torch.autograd.grad(problem.log_likelihood(denoised).sum(), tracked)[0]
        drift = 2.0 * (score.detach() + config.guidance_scale * guidance)
        noise = context.randn_shard(n, (problem.prior.dim,), "posterior-noise", k, replica)
        x = growth * x + (growth - 1.0) * drift + noise_std * noise
    return x


def bimodal_problem(device=None) -> InverseProblem:
    """Return a 2D bimodal prior observed through its first coordinate, between the modes.

    Prior 0.5 N((-2, -2), I) + 0.5 N((2, 2), I); y = x_1 + 0.5 noise with y = 0.4.
    """
    means = torch.tensor([[-2.0, -2.0], [2.0, 2.0]], dtype=DTYPE)
    prior = GaussianMixture.isotropic([0.5, 0.5], means, 1.0)
    problem = InverseProblem(prior, torch.tensor([[1.0, 0.0]], dtype=DTYPE), torch.tensor([0.4], dtype=DTYPE), 0.5)
    return _to_device(problem, device)


def gaussian_problem(dim: int = 4, device=None) -> InverseProblem:
    """Return a Gaussian prior N(1, 0.5^2 I) with a fixed random 2 x d forward matrix."""
    generator = torch.Generator().manual_seed(1234)
    prior = GaussianMixture.isotropic([1.0], torch.ones(1, dim, dtype=DTYPE), 0.5)
    matrix = torch.randn(2, dim, generator=generator, dtype=DTYPE) / math.sqrt(dim)
    observation = torch.tensor([0.5, -0.5], dtype=DTYPE)
    return _to_device(InverseProblem(prior, matrix, observation, 0.5), device)


def _to_device(problem: InverseProblem, device) -> InverseProblem:
    if device is None:
        return problem
    return InverseProblem(problem.prior.to(device), problem.forward_matrix.to(device),
                          problem.observation.to(device), problem.noise_std)


def run(context: Context, config: dict) -> dict:
    """Run the particle sampler or the DPS baseline and compare with the exact posterior."""
    name = config.get("problem", "bimodal")
    if name == "bimodal":
        problem = bimodal_problem(context.device)
    elif name == "gaussian":
        problem = gaussian_problem(int(config.get("dim", 4)), context.device)
    else:
        raise ValueError(f"unknown problem {name!r}: expected 'bimodal' or 'gaussian'")
    method = config.get("method", "particles")
    settings = PosteriorConfig(particles=int(config.get("particles", 2000)), steps=int(config.get("steps", 200)),
                               tilt=config.get("tilt", "annealed"),
                               guidance_scale=float(config.get("guidance_scale", 1.0)))

    posterior, log_evidence = problem.exact_posterior(settings.early_stop)
    started = time.perf_counter()
    summary = {"sampler": "posterior", "method": method, "problem": name, "world_size": context.world_size,
               "particles": settings.particles, "steps": settings.steps,
               "exact_mean": posterior.mean().tolist(), "exact_log_evidence": log_evidence}
    if method == "particles":
        result = run_particles(context, problem, settings)
        x, log_weights, eves = result.positions, result.log_weights, result.eves
        summary["log_evidence"] = result.log_evidence
        summary["resamples"] = result.resamples
    elif method == "dps":
        x = run_dps(context, problem, settings)
        log_weights = torch.zeros(x.shape[0], dtype=DTYPE, device=context.device)
        eves = None
    else:
        raise ValueError(f"unknown method {method!r}: expected 'particles' or 'dps'")
    summary["wall_time_s"] = time.perf_counter() - started

    mean, mean_error = estimators.weighted_estimate(context, log_weights, x, eves, settings.particles)
    summary["mean"] = mean.tolist()
    summary["mean_stderr"] = mean_error.tolist()
    if config.get("control_variates", False):
        # grad log of the posterior for the prior p_delta: the prior score at delta plus grad log L.
        score = problem.prior.ou_marginal(settings.early_stop).score(x) + problem.grad_log_likelihood(x)
        controls = estimators.stein_control_variates(x, score, 1)
        cv_mean, cv_error = estimators.control_variate_estimate(context, log_weights, x, controls, eves,
                                                                settings.particles)
        summary["mean_control_variate"] = cv_mean.tolist()
        summary["mean_control_variate_stderr"] = cv_error.tolist()
    if name == "bimodal":
        responsibility = posterior.responsibilities(x)[:, 1]
        weight, weight_error = estimators.weighted_estimate(context, log_weights, responsibility, eves,
                                                            settings.particles)
        summary["upper_mode_weight"] = float(weight)
        summary["upper_mode_weight_stderr"] = float(weight_error)
        summary["exact_upper_mode_weight"] = float(posterior.weights[1])
    return summary
