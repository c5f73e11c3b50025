"""Discrete diffusion schemes: convergence orders from exact laws, and sampling against those laws."""

import math

import pytest
import torch

from samplers import discrete
from samplers.parallel import Context
from samplers.targets import BirthDeathChain

DTYPE = torch.float64
Z_LIMIT = 5.0  # acceptance band in Monte Carlo standard errors
STEP_COUNTS = [16, 32, 64, 128]


def _errors(scheme, chain):
    target = chain.marginal(1e-3)
    errors = []
    for steps in STEP_COUNTS:
        schedule = discrete.Schedule(chain, steps, 2.0, 1e-3, 0.5)
        errors.append(discrete.total_variation(discrete.exact_law(scheme, schedule), target))
    return errors


@pytest.fixture(scope="module")
def chain():
    return BirthDeathChain.smooth_bimodal(32)


def test_tau_leaping_is_first_order(chain):
    order = discrete.observed_order(STEP_COUNTS, _errors("tau", chain))
    assert 0.85 < order < 1.15


def test_trapezoidal_is_second_order(chain):
    order = discrete.observed_order(STEP_COUNTS, _errors("trapezoidal", chain))
    assert 1.8 < order < 2.2


def test_trapezoidal_beats_tau_at_equal_evaluations(chain):
    tau = _errors("tau", chain)
    trapezoidal = _errors("trapezoidal", chain)
    # The trapezoidal scheme evaluates the rates twice per step, so compare N steps with 2N tau steps.
    for tau_error, trapezoidal_error in zip(tau[1:], trapezoidal[:-1]):
        assert trapezoidal_error < 0.1 * tau_error


def test_step_kernels_are_stochastic(chain):
    schedule = discrete.Schedule(chain, 8, 2.0, 1e-3, 0.4)
    for scheme in discrete.SCHEMES:
        kernel = discrete.step_kernel(scheme, schedule, 3)
        assert torch.all(kernel >= 0)
        assert torch.allclose(kernel.sum(1), torch.ones(chain.states, dtype=DTYPE), atol=1e-13)


def test_theta_schemes_match_drift_to_second_order(chain):
    # Without clipping, both second stages have expected jump rate mu + (h/2) d mu/ds + O(h^2).
    states, theta = chain.states, 0.4
    errors = []
    for steps in (64, 128):
        schedule = discrete.Schedule(chain, steps, 2.0, 1e-3, theta)
        h = schedule.step_size
        every = torch.arange(states)
        rates = schedule.rates(0)
        later = chain.reverse_rates(schedule.horizon - h)
        midpoint = (rates + later) / 2
        same = discrete._stage_two_rates("rk2", schedule, 0, every, every)
        errors.append(float((same - midpoint).abs().max()))
    # Halving h divides the O(h^2) mismatch by about 4.
    assert errors[1] < errors[0] / 3.0


def test_tau_step_uses_rates_at_step_start(chain):
    # A first-order scheme with rates frozen at any other time also measures order 1,
    # so the order test alone cannot catch that. The mean jump of one step can.
    schedule = discrete.Schedule(chain, 64, 2.0, 1e-3, 0.5)
    step = 5
    kernel = discrete.step_kernel("tau", schedule, step)
    every = torch.arange(chain.states, dtype=DTYPE)
    rates = chain.reverse_rates(schedule.horizon - step * schedule.step_size)
    expected = schedule.step_size * (rates[:, 0] - rates[:, 1])
    # Interior states only: a jump from there reaches the clipped ends with probability below 1e-15.
    interior = slice(8, chain.states - 8)
    mean_jump = kernel @ every - every
    assert torch.allclose(mean_jump[interior], expected[interior], atol=1e-12, rtol=0)


@pytest.mark.parametrize("scheme", discrete.SCHEMES)
def test_sampler_matches_exact_scheme_law(chain, scheme):
    context = Context(seed=31)
    samples = 20000
    schedule = discrete.Schedule(chain, 8, 2.0, 1e-3, 0.5)
    final = discrete.sample(context, scheme, schedule, samples)
    empirical = discrete.histogram(context, final, chain.states) / samples
    law = discrete.exact_law(scheme, schedule)
    errors = torch.sqrt(law * (1 - law) / samples) + 1e-12
    assert torch.all((empirical - law).abs() < Z_LIMIT * errors)
    assert float(law.sum()) == pytest.approx(1.0, abs=1e-12)
