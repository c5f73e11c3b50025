"""Posterior samplers against the closed-form posterior and evidence (single process)."""

import math

import torch

from samplers import estimators, posterior
from samplers.parallel import Context

DTYPE = torch.float64
Z_LIMIT = 5.0  # acceptance band in Monte Carlo standard errors
REPLICAS = 6


def _mean_and_error(values):
    values = torch.stack([torch.as_tensor(value, dtype=DTYPE) for value in values])
    return values.mean(0), values.std(0) / math.sqrt(values.shape[0])


def _particle_runs(problem, config):
    context = Context(seed=41)
    return context, [posterior.run_particles(context, problem, config, replica) for replica in range(REPLICAS)]


def test_particles_gaussian_mean_and_evidence():
    problem = posterior.gaussian_problem(4)
    config = posterior.PosteriorConfig(particles=1000, steps=300)
    exact, log_evidence = problem.exact_posterior(config.early_stop)
    context, runs = _particle_runs(problem, config)
    means = [estimators.weighted_estimate(context, run.log_weights, run.positions)[0] for run in runs]
    mean, error = _mean_and_error(means)
    assert torch.all((mean - exact.mean()).abs() < Z_LIMIT * error), (mean, exact.mean(), error)
    evidence, evidence_error = _mean_and_error([run.log_evidence for run in runs])
    assert abs(float(evidence) - log_evidence) < Z_LIMIT * float(evidence_error)


def test_particles_bimodal_mode_weight():
    problem = posterior.bimodal_problem()
    config = posterior.PosteriorConfig(particles=1000, steps=300)
    exact, _ = problem.exact_posterior(config.early_stop)
    context, runs = _particle_runs(problem, config)
    weights = []
    for run in runs:
        # The exact posterior responsibility of a mode has posterior mean equal to that mode's weight.
        responsibility = exact.responsibilities(run.positions)[:, 1]
        weights.append(estimators.weighted_estimate(context, run.log_weights, responsibility)[0])
    weight, error = _mean_and_error(weights)
    assert abs(float(weight) - float(exact.weights[1])) < Z_LIMIT * float(error)
    variances = []
    for run in runs:
        second_moment = estimators.weighted_estimate(context, run.log_weights, run.positions[:, 0] ** 2)[0]
        first_moment = estimators.weighted_estimate(context, run.log_weights, run.positions[:, 0])[0]
        variances.append(second_moment - first_moment ** 2)
    variance, variance_error = _mean_and_error(variances)
    assert abs(float(variance) - float(exact.covariance()[0, 0])) < Z_LIMIT * float(variance_error)


def test_dps_baseline_is_biased():
    problem = posterior.bimodal_problem()
    config = posterior.PosteriorConfig(particles=2000, steps=200)
    exact, _ = problem.exact_posterior(config.early_stop)
    samples = posterior.run_dps(Context(seed=42), problem, config)
    variance = float(samples[:, 0].var())
    exact_variance = float(exact.covariance()[0, 0])
    # Standard error of a sample variance, valid here because x_1 is nearly Gaussian under DPS.
    error = variance * math.sqrt(2.0 / (samples.shape[0] - 1))
    assert abs(variance - exact_variance) > 2 * Z_LIMIT * error


def test_control_variates_reduce_posterior_error():
    problem = posterior.gaussian_problem(4)
    config = posterior.PosteriorConfig(particles=1000, steps=200)
    context = Context(seed=43)
    run = posterior.run_particles(context, problem, config)
    score = problem.prior.ou_marginal(config.early_stop).score(run.positions) + problem.grad_log_likelihood(run.positions)
    controls = estimators.stein_control_variates(run.positions, score, 1)
    _, plain_error = estimators.weighted_estimate(context, run.log_weights, run.positions, run.eves, config.particles)
    _, adjusted_error = estimators.control_variate_estimate(context, run.log_weights, run.positions, controls,
                                                            run.eves, config.particles)
    assert torch.all(adjusted_error < 0.1 * plain_error)
