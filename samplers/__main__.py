"""Command line: ``python -m samplers NAME --world-size N --backend gloo|nccl --device cpu|cuda [options]``.

Spawns N ranks on 127.0.0.1 (or joins the group of a torchrun launch),
runs the named sampler and prints rank 0's JSON summary.
"""

import argparse
import json
import os
import sys

from . import ais, discrete, picard, posterior
from .parallel import launched_by_torchrun, run_distributed

RUNNERS = {"picard": picard.run, "ais": ais.run, "discrete": discrete.run, "posterior": posterior.run}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m samplers", description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(RUNNERS), help="sampler to run")
    parser.add_argument("--world-size", type=int, default=1,
                        help="number of ranks to spawn (ignored under torchrun, which sets WORLD_SIZE)")
    parser.add_argument("--backend", choices=("gloo", "nccl"), default="gloo", help="torch.distributed backend")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="device of the tensors: cpu for gloo, cuda for nccl")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random stream")

    parser.add_argument("--method", help="picard: paradigms|blockwise|sequential; ais: ensemble|plain; "
                                         "posterior: particles|dps")
    parser.add_argument("--scheme", help="discrete: tau|rk2|trapezoidal")
    parser.add_argument("--data", help="picard: gaussian|gmm")
    parser.add_argument("--target", help="ais: gaussian|bimodal|gl")
    parser.add_argument("--problem", help="posterior: bimodal|gaussian")
    parser.add_argument("--dim", type=int, help="dimension of the data, target or prior")
    parser.add_argument("--steps", type=int, help="number of time steps (picard, discrete, posterior)")
    parser.add_argument("--batch", type=int, help="picard: number of trajectories")
    parser.add_argument("--window", type=int, help="picard paradigms: time steps per sliding window")
    parser.add_argument("--blocks", type=int, help="picard blockwise: number of blocks")
    parser.add_argument("--tolerance", type=float, help="picard: Picard tolerance on the noise-normalised change")
    parser.add_argument("--ode", action="store_true", help="picard: probability-flow ODE instead of the SDE")

    parser.add_argument("--particles", type=int, help="ais, posterior: number of particles")
    parser.add_argument("--levels", type=int, help="ais: number of annealing levels")
    parser.add_argument("--replicas", type=int, help="ais: independent runs, for a replica standard error")
    parser.add_argument("--crossover", help="ais ensemble: none|one_point|uniform")

    parser.add_argument("--samples", type=int, help="discrete: number of sampled paths")
    parser.add_argument("--theta", type=float, help="discrete: stage fraction theta of the theta-schemes")
    parser.add_argument("--tilt", help="posterior particles: annealed|constant")
    parser.add_argument("--control-variates", action="store_true",
                        help="ais, posterior: add zero-variance control-variate estimates of the mean")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = {key: value for key, value in vars(args).items()
              if value is not None and key not in ("name", "world_size", "backend", "device", "seed")}
    if not args.ode:
        config.pop("ode")
    if not args.control_variates:
        config.pop("control_variates")
    try:
        result = run_distributed(RUNNERS[args.name], config, args.world_size, args.backend, args.device, args.seed)
    except ValueError as error:
        # Report invalid input or an unusable backend or device in one line with exit status 2, as argparse does.
        print(f"python -m samplers: error: {error}", file=sys.stderr)
        return 2
    # Under torchrun every rank returns a result, and only rank 0 prints it.
    if not launched_by_torchrun() or int(os.environ["RANK"]) == 0:
        print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
