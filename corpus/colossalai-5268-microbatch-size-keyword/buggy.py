import argparse

from colossalai.booster.plugin import HybridParallelPlugin


def build_plugin(args):
    return HybridParallelPlugin(
        tp_size=args.tp,
        pp_size=args.pp,
        num_microbatches=args.mbs,
        precision="bf16",
    )


parser = argparse.ArgumentParser()
parser.add_argument("--tp", type=int, default=1)
parser.add_argument("--pp", type=int, default=1)
parser.add_argument("--mbs", type=int, default=1)
