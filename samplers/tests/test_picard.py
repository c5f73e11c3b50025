"""Picard samplers against the sequential sampler and the exact discrete law (single process)."""

import math

import torch

from samplers import picard
from samplers.parallel import Context

DTYPE = torch.float64
Z_LIMIT = 5.0  # acceptance band in Monte Carlo standard errors


def _process(data_name, steps=200, stochastic=True):
    return picard.ReverseDiffusion(picard.build_data(data_name, 2), steps=steps, stochastic=stochastic)


def test_paradigms_zero_tolerance_equals_sequential():
    context = Context(seed=11)
    process = _process("gmm", steps=60)
    reference = picard.sample_sequential(context, process, 64)
    result = picard.sample_paradigms(context, process, 64, window=16, tolerance=0.0)
    assert torch.allclose(result.trajectory, reference.trajectory, atol=1e-10, rtol=0)


def test_blockwise_full_sweeps_equal_sequential():
    context = Context(seed=12)
    process = _process("gmm", steps=60)
    reference = picard.sample_sequential(context, process, 64)
    result = picard.sample_blockwise(context, process, 64, blocks=3, tolerance=0.0, max_sweeps=0)
    assert torch.allclose(result.trajectory, reference.trajectory, atol=1e-10, rtol=0)
    assert result.rounds == 60


def test_picard_sweep_k_fixes_first_k_steps():
    context = Context(seed=13)
    process = _process("gmm", steps=40)
    reference = picard.sample_sequential(context, process, 32)
    sweeps = 7
    result = picard.sample_blockwise(context, process, 32, blocks=1, tolerance=0.0, max_sweeps=sweeps)
    assert torch.allclose(result.trajectory[: sweeps + 1], reference.trajectory[: sweeps + 1], atol=1e-12, rtol=0)
    assert not torch.allclose(result.trajectory[-1], reference.trajectory[-1], atol=1e-3)


def test_paradigms_converges_in_few_rounds():
    context = Context(seed=14)
    process = _process("gaussian", steps=200)
    reference = picard.sample_sequential(context, process, 500)
    result = picard.sample_paradigms(context, process, 500, window=32, tolerance=0.1)
    assert result.rounds <= process.steps // 4
    # Threshold: one tolerance unit, 0.1 noise standard deviations of a step.
    assert float((result.trajectory - reference.trajectory).abs().max()) < 0.1 * math.sqrt(process.noise_variance)


def test_blockwise_converges_in_few_rounds():
    context = Context(seed=15)
    process = _process("gaussian", steps=200)
    reference = picard.sample_sequential(context, process, 500)
    result = picard.sample_blockwise(context, process, 500, blocks=4, tolerance=0.1)
    assert result.rounds <= process.steps // 4
    assert float((result.trajectory - reference.trajectory).abs().max()) < 0.1 * math.sqrt(process.noise_variance)


def test_gaussian_output_matches_exact_discrete_law():
    context = Context(seed=16)
    batch = 4000
    for stochastic in (True, False):
        process = _process("gaussian", steps=100, stochastic=stochastic)
        mean, variance = process.gaussian_law(1.0, 0.5)
        final = picard.sample_paradigms(context, process, batch, window=25, tolerance=0.05).trajectory[-1]
        for coordinate in range(2):
            sample_mean = float(final[:, coordinate].mean())
            sample_variance = float(final[:, coordinate].var())
            assert abs(sample_mean - mean) < Z_LIMIT * math.sqrt(variance / batch)
            # The output is exactly Gaussian, so the sample variance has standard error var * sqrt(2 / (n - 1)).
            assert abs(sample_variance - variance) < Z_LIMIT * variance * math.sqrt(2.0 / (batch - 1))


def test_gmm_mode_weights_within_monte_carlo_error():
    context = Context(seed=17)
    batch = 4000
    process = _process("gmm", steps=200)
    result = picard.sample_paradigms(context, process, batch, window=32, tolerance=0.1)
    weights = picard.mode_weights(process.data, result.trajectory[-1])
    exact = process.data.weights
    errors = torch.sqrt(exact * (1 - exact) / batch)
    assert torch.all((weights - exact).abs() < Z_LIMIT * errors), (weights, exact)
    assert result.rounds < process.steps // 4
