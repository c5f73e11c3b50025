"""AIS and ensemble AIS against exact normalising constants (single process)."""

import math

import torch

from samplers import ais, estimators
from samplers.parallel import Context
from samplers.targets import GaussianMixture, UnnormalizedTarget

DTYPE = torch.float64
Z_LIMIT = 5.0  # acceptance band in Monte Carlo standard errors


def _replicas(context, path, config, count):
    """Return independent runs; the replicas use different stream keys."""
    return [ais.run_ais(context, path, config, replica) for replica in range(count)]


def _mean_and_error(values):
    values = torch.tensor(values, dtype=DTYPE)
    return float(values.mean()), float(values.std() / math.sqrt(values.numel()))


def test_plain_ais_gaussian_log_z():
    context = Context(seed=21)
    target, exact = ais.build_target("gaussian", 3)
    config = ais.AISConfig(particles=2000, levels=50, ensemble=False)
    result = ais.run_ais(context, ais.AnnealingPath(target, config.reference_std), config)
    assert result.resamples == 0
    assert abs(result.log_normalizer - exact["log_z"]) < Z_LIMIT * result.log_normalizer_stderr


def test_plain_ais_bimodal_mode_weight():
    context = Context(seed=22)
    target, exact = ais.build_target("bimodal", 2)
    config = ais.AISConfig(particles=4000, levels=50, ensemble=False)
    result = ais.run_ais(context, ais.AnnealingPath(target, config.reference_std), config)
    positive = (result.positions.sum(1) > 0).to(DTYPE)
    estimate, error = estimators.weighted_estimate(context, result.log_weights, positive)
    assert abs(float(estimate) - exact["positive_mode_probability"]) < Z_LIMIT * float(error)
    assert abs(result.log_normalizer - exact["log_z"]) < Z_LIMIT * result.log_normalizer_stderr


def test_ensemble_ais_bimodal_replicas():
    context = Context(seed=23)
    target, exact = ais.build_target("bimodal", 2)
    config = ais.AISConfig(particles=1000, levels=60)
    runs = _replicas(context, ais.AnnealingPath(target, config.reference_std), config, 8)
    log_z, log_z_error = _mean_and_error([run.log_normalizer for run in runs])
    assert abs(log_z - exact["log_z"]) < Z_LIMIT * log_z_error
    probabilities = []
    for run in runs:
        positive = (run.positions.sum(1) > 0).to(DTYPE)
        probabilities.append(float(estimators.weighted_estimate(context, run.log_weights, positive)[0]))
    probability, probability_error = _mean_and_error(probabilities)
    assert abs(probability - exact["positive_mode_probability"]) < Z_LIMIT * probability_error
    assert all(run.resamples > 0 for run in runs)
    assert runs[0].acceptance["snooker"] > 0.1
    assert runs[0].acceptance["crossover"] > 0.1


def test_ensemble_ais_ginzburg_landau_replicas():
    context = Context(seed=24)
    target, exact = ais.build_target("gl", 8)
    config = ais.AISConfig(particles=512, levels=100, target_step=0.05)
    runs = _replicas(context, ais.AnnealingPath(target, config.reference_std), config, 6)
    log_z, log_z_error = _mean_and_error([run.log_normalizer for run in runs])
    assert abs(log_z - exact["log_z"]) < Z_LIMIT * log_z_error
    positive, variances = [], []
    for run in runs:
        magnetised = (run.positions.sum(1) > 0).to(DTYPE)
        positive.append(float(estimators.weighted_estimate(context, run.log_weights, magnetised)[0]))
        variances.append(float(estimators.weighted_estimate(context, run.log_weights, run.positions[:, 3] ** 2)[0]))
    probability, probability_error = _mean_and_error(positive)
    assert abs(probability - 0.5) < Z_LIMIT * probability_error
    variance, variance_error = _mean_and_error(variances)
    assert abs(variance - exact["site_variances"][3]) < Z_LIMIT * variance_error


def test_snooker_and_crossover_keep_target_invariant():
    context = Context(seed=25)
    mixture = GaussianMixture.isotropic([0.3, 0.7], [[-3.0, -3.0], [3.0, 3.0]], 1.0)
    path = ais.AnnealingPath(UnnormalizedTarget(mixture), 3.0)
    n = 4000
    x = mixture.sample(n, context.generator("exact-samples"))
    for sweep in range(10):
        x, _, _ = ais._snooker_sweep(context, path, x, 1.0, 1.0, (sweep,), n)
        x, _, _ = ais._crossover_sweep(context, path, x, 1.0, "uniform", (sweep,), n)
    positive = float((x.sum(1) > 0).to(DTYPE).mean())
    assert abs(positive - 0.7) < Z_LIMIT * math.sqrt(0.7 * 0.3 / n)
    exact_mean = float(mixture.mean()[0])
    exact_variance = float(mixture.covariance()[0, 0])
    assert abs(float(x[:, 0].mean()) - exact_mean) < Z_LIMIT * math.sqrt(exact_variance / n)


def test_control_variates_reduce_error():
    context = Context(seed=26)
    target, exact = ais.build_target("gaussian", 3)
    config = ais.AISConfig(particles=2000, levels=50, ensemble=False)
    result = ais.run_ais(context, ais.AnnealingPath(target, config.reference_std), config)
    plain, plain_error = estimators.weighted_estimate(context, result.log_weights, result.positions)
    controls = estimators.stein_control_variates(result.positions, target.grad_log_density(result.positions), 2)
    adjusted, adjusted_error = estimators.control_variate_estimate(context, result.log_weights, result.positions,
                                                                   controls)
    exact_mean = torch.tensor(exact["mean"], dtype=DTYPE)
    assert torch.all((plain - exact_mean).abs() < Z_LIMIT * plain_error)
    assert torch.all(adjusted_error < 0.1 * plain_error)
    assert torch.all((adjusted - exact_mean).abs() < 1e-6)
