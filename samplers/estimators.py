"""Weighted Monte Carlo estimates with standard errors, and control variates.

Every function takes this rank's shard of the particles and returns the same
global value on every rank.

Standard errors:
- Independent weighted particles: the delta-method variance of the
  self-normalised estimate, sum_i W_i^2 (f_i - mean)^2.
- Particles that went through resampling: the same sum, taken over groups of
  particles that share an initial ancestor ("Eve"), so the correlation that
  resampling creates between copies is counted. It ignores correlation
  created by interacting moves, and it degenerates when few ancestors survive.

Control variates: zero-variance control variates built from the score of the
target. For a polynomial P, the Langevin Stein
operator gives g = Laplacian P + grad P . grad log pi with E_pi[g] = 0. The
regression-adjusted estimate subtracts the weighted least-squares fit of f on g.
"""

import math
from typing import Optional

import torch

from .parallel import Context, DTYPE


def weighted_estimate(context: Context, log_weights: torch.Tensor, values: torch.Tensor,
                      eves: Optional[torch.Tensor] = None, particles: Optional[int] = None):
    """Return (estimate, standard error) of E_pi[f] from weighted particles.

    ``values`` has shape (n_local,) or (n_local, k). ``eves`` contains each local
    particle's initial ancestor index in [0, particles); pass it after
    resampling so copies of one ancestor count as one group.
    """
    # An explicit width, because reshape cannot infer -1 for a rank's empty shard.
    matrix = values.reshape(values.shape[0], math.prod(values.shape[1:]))
    weights = context.normalized_weights(log_weights)
    estimate = context.sum(weights.unsqueeze(1) * matrix)
    contributions = weights.unsqueeze(1) * (matrix - estimate)
    if eves is None:
        variance = context.sum(contributions ** 2)
    else:
        if particles is None:
            raise ValueError("weighted_estimate needs the global particle count when eves are given")
        grouped = torch.zeros(particles, matrix.shape[1], dtype=DTYPE, device=matrix.device)
        grouped.index_add_(0, eves, contributions)
        grouped = context.all_reduce_sum(grouped)
        variance = (grouped ** 2).sum(0)
    shape = values.shape[1:]
    return estimate.reshape(shape), torch.sqrt(variance).reshape(shape)


def log_mean_weight(context: Context, log_weights: torch.Tensor, particles: int):
    """Return (log of the mean weight, delta-method standard error of that log).

    For independent particles Var(log Z_hat) is about (1/ESS - 1/N), where ESS
    is the effective sample size of the normalised weights.
    """
    log_mean = context.logsumexp(log_weights) - math.log(particles)
    ess = context.ess(log_weights)
    return float(log_mean), math.sqrt(max(1.0 / ess - 1.0 / particles, 0.0))


def stein_control_variates(x: torch.Tensor, score: torch.Tensor, degree: int) -> torch.Tensor:
    """Return zero-mean control variates under pi, shape (n, k), from positions and grad log pi.

    Degree 1 uses P = x_j, which gives g_j = d/dx_j log pi. Degree 2 adds
    P = x_j^2 / 2, which gives g = 1 + x_j d/dx_j log pi.
    """
    if degree not in (1, 2):
        raise ValueError(f"invalid control-variate degree {degree}: expected 1 or 2")
    columns = [score]
    if degree == 2:
        columns.append(1.0 + x * score)
    return torch.cat(columns, dim=1)


def control_variate_estimate(context: Context, log_weights: torch.Tensor, values: torch.Tensor,
                             controls: torch.Tensor, eves: Optional[torch.Tensor] = None,
                             particles: Optional[int] = None, ridge: float = 1e-10):
    """Return (estimate, standard error) of E_pi[f] adjusted by zero-mean control variates.

    The coefficients minimise the weighted squared residual of f on the
    controls. The coefficients use the same particles as the estimate, which
    adds a bias of order 1/N; the standard error is that of the residual
    f - coef . g and does not count the coefficients' own noise.
    """
    matrix = values.reshape(values.shape[0], math.prod(values.shape[1:]))
    weights = context.normalized_weights(log_weights)
    mean_controls = context.sum(weights.unsqueeze(1) * controls)
    mean_values = context.sum(weights.unsqueeze(1) * matrix)
    centered_controls = controls - mean_controls
    gram = context.sum(weights.reshape(-1, 1, 1) * centered_controls.unsqueeze(2) * centered_controls.unsqueeze(1))
    cross = context.sum(weights.reshape(-1, 1, 1) * centered_controls.unsqueeze(2)
                        * (matrix - mean_values).unsqueeze(1))
    scale = torch.diagonal(gram).mean().clamp(min=1e-300)
    eye = torch.eye(gram.shape[0], dtype=DTYPE, device=gram.device)
    coefficients = torch.linalg.solve(gram + ridge * scale * eye, cross)
    residuals = matrix - controls @ coefficients
    estimate, error = weighted_estimate(context, log_weights, residuals, eves, particles)
    shape = values.shape[1:]
    return estimate.reshape(shape), error.reshape(shape)
