"""Small runs of every sampler, executed on each rank by the distributed tests.

The function lives in an importable module because torch.multiprocessing.spawn
pickles it by name.
"""

import math

import torch

from samplers import ais, discrete, estimators, picard, posterior
from samplers.parallel import DTYPE
from samplers.targets import BirthDeathChain


def run_suite(context, config):
    """Return rank 0's JSON-serialisable results; every rank runs the same collectives."""
    n = 37  # not divisible by 2 or 4, so shards differ in size
    values = torch.arange(n, dtype=DTYPE, device=context.device)[context.shard(n)] / 10.0
    resampled, ancestors = context.resample(values, n, [values.unsqueeze(1)], "suite")
    collectives = {
        "logsumexp": float(context.logsumexp(values)),
        "ess": context.ess(values),
        "gathered": context.all_gather_rows(values, n).tolist(),
        "ancestors": context.all_gather_rows(ancestors, n).tolist(),
        "resampled": context.all_gather_rows(resampled[0], n).squeeze(1).tolist(),
    }

    process = picard.ReverseDiffusion(picard.build_data("gmm", 2), steps=40)
    paradigms = picard.sample_paradigms(context, process, 16, window=8, tolerance=0.1)
    blockwise = picard.sample_blockwise(context, process, 16, blocks=2, tolerance=0.1)
    sequential = picard.sample_sequential(context, process, 16)

    target, _ = ais.build_target("bimodal", 2)
    config_ais = ais.AISConfig(particles=64, levels=10, crossover_every=3)
    ensemble = ais.run_ais(context, ais.AnnealingPath(target, config_ais.reference_std), config_ais)
    positive = (ensemble.positions.sum(1) > 0).to(DTYPE)
    mode_probability, mode_error = estimators.weighted_estimate(context, ensemble.log_weights, positive,
                                                                ensemble.eves, config_ais.particles)

    chain = BirthDeathChain.smooth_bimodal(16)
    schedule = discrete.Schedule(chain, 6, 2.0, 1e-3, 0.5, context.device)
    final_states = discrete.sample(context, "trapezoidal", schedule, 1001)
    counts = discrete.histogram(context, final_states, chain.states)

    problem = posterior.bimodal_problem(context.device)
    config_post = posterior.PosteriorConfig(particles=101, steps=30)
    particles = posterior.run_particles(context, problem, config_post)
    post_mean, _ = estimators.weighted_estimate(context, particles.log_weights, particles.positions)

    # Three particles on four ranks leave rank 3 with an empty shard.
    few = torch.arange(3, dtype=DTYPE, device=context.device)[context.shard(3)]
    few_mean, few_error = estimators.weighted_estimate(context, -few, few.unsqueeze(1), few.long(), 3)

    return {
        "world_size": context.world_size,
        "collectives": collectives,
        "paradigms_final": paradigms.trajectory[-1].tolist(),
        "paradigms_rounds": paradigms.rounds,
        "blockwise_final": blockwise.trajectory[-1].tolist(),
        "blockwise_rounds": blockwise.rounds,
        "sequential_final": sequential.trajectory[-1].tolist(),
        "ais_log_z": ensemble.log_normalizer,
        "ais_positions": context.all_gather_rows(ensemble.positions, config_ais.particles).tolist(),
        "ais_mode_probability": [float(mode_probability), float(mode_error)],
        "ais_resamples": ensemble.resamples,
        "discrete_counts": counts.tolist(),
        "posterior_log_evidence": particles.log_evidence,
        "posterior_mean": post_mean.tolist(),
        "posterior_resamples": particles.resamples,
        "log_n": math.log(n),
        "few_particle_estimate": [float(few_mean[0]), float(few_error[0])],
    }


def fail_on_rank_one(context, config):
    """Raise on rank 1 while rank 0 waits in a collective that rank 1 never joins."""
    values = torch.ones(3, dtype=DTYPE, device=context.device)
    context.all_reduce_sum(values)
    if context.rank == 1:
        raise ValueError("rank 1 failed on purpose")
    context.all_gather_rows(values, 3 * context.world_size)
    return {}
