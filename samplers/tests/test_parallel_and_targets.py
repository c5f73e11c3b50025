"""Fast checks of the shared plumbing (single process) and of the exact oracles."""

import math

import pytest
import torch

from samplers.parallel import Context, derive_seed, shard_bounds, systematic_ancestors
from samplers.targets import BirthDeathChain, GaussianMixture, GinzburgLandauChain

DTYPE = torch.float64


@pytest.mark.parametrize("n,world_size", [(10, 1), (10, 3), (2, 4), (1000, 4)])
def test_shards_cover_range_once(n, world_size):
    covered = []
    for rank in range(world_size):
        start, stop = shard_bounds(n, world_size, rank)
        covered.extend(range(start, stop))
    assert covered == list(range(n))


def test_derive_seed_depends_on_keys():
    assert derive_seed(1, "a", 2) == derive_seed(1, "a", 2)
    assert derive_seed(1, "a", 2) != derive_seed(1, "a", 3)
    assert derive_seed(1, "a", 2) != derive_seed(2, "a", 2)


def test_systematic_ancestors_match_weights():
    weights = torch.tensor([0.1, 0.0, 0.45, 0.2, 0.25], dtype=DTYPE)
    n = weights.numel()
    ancestors = systematic_ancestors(torch.log(weights), torch.tensor(0.37, dtype=DTYPE))
    counts = torch.bincount(ancestors, minlength=n).to(DTYPE)
    # Systematic resampling gives each particle floor(N W_i) or ceil(N W_i) copies.
    assert torch.all(counts >= torch.floor(n * weights))
    assert torch.all(counts <= torch.ceil(n * weights))
    assert counts[1] == 0


def test_single_rank_logsumexp_and_ess():
    context = Context(seed=0)
    log_weights = torch.log(torch.tensor([1.0, 1.0, 2.0], dtype=DTYPE))
    assert float(context.logsumexp(log_weights)) == pytest.approx(math.log(4.0))
    assert context.ess(log_weights) == pytest.approx(1.0 / (0.25 ** 2 * 2 + 0.5 ** 2))


def test_mixture_score_matches_autograd():
    mixture = GaussianMixture([0.3, 0.7], [[-1.0, 0.5], [2.0, 1.0]],
                              [[[1.0, 0.3], [0.3, 0.5]], [[0.4, 0.0], [0.0, 2.0]]]).ou_marginal(0.3)
    x = torch.randn(50, 2, dtype=DTYPE, generator=torch.Generator().manual_seed(0)).requires_grad_(True)
    expected = torch.autograd.grad(mixture.log_prob(x).sum(), x)[0]
    assert torch.allclose(mixture.score(x.detach()), expected, atol=1e-12)


def test_linear_gaussian_posterior_matches_quadrature():
    prior = GaussianMixture.isotropic([0.4, 0.6], [[-1.5], [2.0]], 0.8)
    posterior, log_evidence = prior.linear_gaussian_posterior([[1.0]], [0.5], 0.7)
    grid = torch.linspace(-12.0, 12.0, 20001, dtype=DTYPE).unsqueeze(1)
    spacing = float(grid[1, 0] - grid[0, 0])
    log_joint = prior.log_prob(grid) - 0.5 * ((0.5 - grid[:, 0]) / 0.7) ** 2 - math.log(0.7 * math.sqrt(2 * math.pi))
    quadrature_evidence = float(torch.logsumexp(log_joint, 0)) + math.log(spacing)
    density = torch.exp(log_joint - torch.logsumexp(log_joint, 0))
    assert log_evidence == pytest.approx(quadrature_evidence, abs=1e-8)
    assert float(posterior.mean()[0]) == pytest.approx(float((density * grid[:, 0]).sum()), abs=1e-8)
    assert torch.allclose(torch.exp(posterior.log_prob(grid)) * spacing, density, atol=1e-10)


def test_ginzburg_landau_transfer_matrix_two_sites():
    chain = GinzburgLandauChain(sites=2, lam=0.02, beta=1.0, field=0.3)
    log_z, means, variances = chain.transfer_matrix_reference()
    grid = torch.linspace(-3.0, 3.0, 1201, dtype=DTYPE)
    spacing = float(grid[1] - grid[0])
    pairs = torch.cartesian_prod(grid, grid)
    log_density = chain.log_density(pairs)
    brute_log_z = float(torch.logsumexp(log_density, 0)) + 2 * math.log(spacing)
    weights = torch.softmax(log_density, 0)
    assert log_z == pytest.approx(brute_log_z, abs=1e-6)
    assert means[0] == pytest.approx(float((weights * pairs[:, 0]).sum()), abs=1e-6)
    brute_variance = float((weights * pairs[:, 1] ** 2).sum()) - float((weights * pairs[:, 1]).sum()) ** 2
    assert variances[1] == pytest.approx(brute_variance, abs=1e-6)


def test_ginzburg_landau_gradient_matches_autograd():
    chain = GinzburgLandauChain(sites=6, lam=0.02, beta=1.0, field=0.2)
    x = torch.randn(5, 6, dtype=DTYPE, generator=torch.Generator().manual_seed(1)).requires_grad_(True)
    expected = torch.autograd.grad(chain.log_density(x).sum(), x)[0]
    assert torch.allclose(chain.grad_log_density(x.detach()), expected, atol=1e-9)


def test_birth_death_reverse_rates_solve_reverse_equation():
    chain = BirthDeathChain.smooth_bimodal(16)
    t, dt = 0.7, 1e-5
    rates = chain.reverse_rates(t)
    p = chain.marginal(t)
    outflow = p * rates.sum(1)
    inflow = torch.zeros_like(p)
    inflow[1:] += p[:-1] * rates[:-1, 0]
    inflow[:-1] += p[1:] * rates[1:, 1]
    # The reverse process runs backwards in forward time: d/ds p_{t-s} = inflow - outflow.
    reverse_derivative = (chain.marginal(t - dt) - chain.marginal(t + dt)) / (2 * dt)
    assert torch.allclose(inflow - outflow, reverse_derivative, atol=1e-8)
