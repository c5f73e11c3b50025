"""Distributed PyTorch samplers checked against exact results.

Modules: ``picard`` (parallel-in-time diffusion sampling), ``ais`` (ensemble
annealed importance sampling), ``discrete`` (tau-leaping and theta-schemes for
discrete diffusion), ``posterior`` (weighted-particle posterior sampling with a
diffusion prior), on top of ``parallel`` (process groups, sharding, random
streams, collectives), ``estimators`` and ``targets``.
"""

SAMPLERS = ("picard", "ais", "discrete", "posterior")
