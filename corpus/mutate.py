"""Mutation harness: inject each bug pattern into copies of the sampler suite.

Every operator rewrites one clean module of ``samplers/`` into a mutant that
carries one bug pattern of the taxonomy. For each mutant the harness checks:

1. detected: ``distlint check`` reports more findings than on the clean module;
2. fixed: ``distlint fix --unsafe-fixes`` returns a version that parses and
   has no more findings than the clean module;
3. fixed and passing: that version passes the one-process tests of the
   parallel layer, a two-rank gloo probe of its collectives, and the
   distributed statistical tests of the samplers (``test_distributed.py``:
   exact collectives and world-size independence on 1, 2 and 4 gloo ranks).

Run with the interpreter that has torch (``/usr/bin/python3``):

    python3 corpus/mutate.py --distlint build/distlint [--markdown]

Exit status: 0 when every operator marked ``enforced`` detects all of its
mutants and every applied fix passes the tests; 1 otherwise; 2 on a usage
error. Operators whose
rule does not exist yet are reported but not enforced, so the gap stays
visible.
"""

import argparse
import ast
import dataclasses
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
from typing import Callable, List

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEST_TIMEOUT_S = 240

# Runs the collectives of Context on two gloo ranks and checks them exactly;
# written next to the mutated copy because torch.multiprocessing.spawn
# pickles the rank function by module name.
PROBE = '''
import torch

from samplers.parallel import DTYPE, run_distributed


def probe(context, config):
    n = 11
    values = torch.arange(n, dtype=DTYPE, device=context.device)[context.shard(n)] / 4.0
    context.barrier()
    return {
        "sum": float(context.sum(values)),
        "logsumexp": float(context.logsumexp(values)),
        "gathered": context.all_gather_rows(values, n).tolist(),
    }


if __name__ == "__main__":
    result = run_distributed(probe, {}, 2, "gloo", "cpu", 3)
    expected = torch.arange(11, dtype=DTYPE) / 4.0
    assert result["gathered"] == expected.tolist(), result
    assert abs(result["sum"] - float(expected.sum())) < 1e-12, result
    assert abs(result["logsumexp"] - float(torch.logsumexp(expected, 0))) < 1e-12, result
    print("probe ok")
'''


@dataclasses.dataclass
class Mutant:
    module: str           # File under samplers/, e.g. "parallel.py".
    description: str
    mutate: Callable[[str], str]


@dataclasses.dataclass
class Operator:
    name: str
    pattern: str          # The taxonomy pattern it injects.
    enforced: bool        # False while no rule reaches the pattern.
    mutants: List[Mutant]


def replace_once(old: str, new: str) -> Callable[[str], str]:
    """Return a mutation that replaces the single occurrence of ``old``."""
    def mutate(source: str) -> str:
        count = source.count(old)
        if count != 1:
            raise ValueError(f"expected one occurrence of {old!r}, found {count}")
        return source.replace(old, new)
    return mutate


def append(text: str) -> Callable[[str], str]:
    return lambda source: source.rstrip("\n") + "\n\n\n" + text.strip("\n") + "\n"


OPERATORS = [
    Operator("collective-under-rank-condition", "collective in a rank-dependent branch", True, [
        Mutant("parallel.py", "barrier only on rank 0",
               replace_once("        if self.distributed:\n            dist.barrier()",
                            "        if self.distributed and self.rank == 0:\n            dist.barrier()")),
        Mutant("parallel.py", "sum all-reduce skipped on rank 0",
               replace_once("        if self.distributed:\n            dist.all_reduce(result, op=dist.ReduceOp.SUM)",
                            "        if self.distributed and self.rank != 0:\n"
                            "            dist.all_reduce(result, op=dist.ReduceOp.SUM)")),
    ]),
    Operator("set-device-global-rank", "global rank as the CUDA device", True, [
        Mutant("parallel.py", "set_device given RANK from the environment",
               replace_once("        torch.cuda.set_device(local_rank)\n",
                            "        torch.cuda.set_device(int(os.environ[\"RANK\"]))\n")),
        Mutant("parallel.py", "device built from dist.get_rank()",
               replace_once("        return torch.device(\"cuda\", local_rank)",
                            "        return torch.device(\"cuda\", dist.get_rank())")),
    ]),
    Operator("set-device-dropped", "no set_device before NCCL use", True, [
        Mutant("parallel.py", "set_device removed",
               replace_once("        torch.cuda.set_device(local_rank)\n", "")),
    ]),
    Operator("hard-coded-cuda-0", "hard-coded device ordinal", True, [
        Mutant("parallel.py", "device ordinal 0",
               replace_once("        return torch.device(\"cuda\", local_rank)",
                            "        return torch.device(\"cuda\", 0)")),
        Mutant("parallel.py", "\"cuda:0\" device string",
               replace_once("        return torch.device(\"cuda\", local_rank)",
                            "        return torch.device(\"cuda:0\")")),
    ]),
    Operator("torch-load-without-map-location", "torch.load without map_location", True, [
        Mutant("parallel.py", "checkpoint helper without map_location",
               append("def load_checkpoint(path):\n    return torch.load(path)")),
    ]),
    Operator("removed-torch-api", "API removed in a supported torch", True, [
        Mutant("parallel.py", "torch._six import",
               replace_once("import torch\n", "import torch\nfrom torch._six import inf\n")),
    ]),
    Operator("async-handle-unwaited", "async collective handle never waited", True, [
        Mutant("parallel.py", "async all-reduce without wait",
               replace_once("dist.all_reduce(result, op=dist.ReduceOp.MAX)",
                            "dist.all_reduce(result, op=dist.ReduceOp.MAX, async_op=True)")),
    ]),
    Operator("version-string-compare", "torch version compared as a string", True, [
        Mutant("parallel.py", "sliced version string",
               append("NEW_TORCH = torch.__version__[:3] >= \"1.10\"")),
    ]),
    Operator("rank-query-unchecked", "rank query without an is_initialized check", True, [
        Mutant("parallel.py", "main-process helper",
               append("def is_main_process():\n    return dist.get_rank() == 0")),
    ]),
]


def run(command, cwd=None, timeout=TEST_TIMEOUT_S):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


# The opt-in rules run too: their mutants must be caught like the others.
OPT_IN_RULES = ["--extend-select", "PRE001,COM002,COM003,COM004,COM005,COM009"]


def finding_count(distlint: str, path: pathlib.Path) -> int:
    result = run([distlint, "check", "--isolated", *OPT_IN_RULES, "--format", "json", "--exit-zero", "--quiet", str(path)])
    if result.returncode != 0:
        raise RuntimeError(f"distlint check failed on {path}: {result.stderr.strip()}")
    return json.loads(result.stdout)["summary"]["findings"]


def tests_pass(copy_root: pathlib.Path) -> bool:
    """Run the parallel layer's tests, the gloo probe and the distributed statistical tests on the copy."""
    environment = dict(os.environ, PYTHONPATH=str(copy_root), PYTHONDONTWRITEBYTECODE="1")
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    commands = [
        pytest + ["-m", "not distributed", "samplers/tests/test_parallel_and_targets.py"],
        [sys.executable, "mutation_probe.py"],
        pytest + ["-m", "distributed", "samplers/tests/test_distributed.py"],
    ]
    try:
        for command in commands:
            result = subprocess.run(command, cwd=copy_root, env=environment, capture_output=True, text=True,
                                    timeout=TEST_TIMEOUT_S)
            if result.returncode != 0:
                return False
        return True
    except subprocess.TimeoutExpired:
        return False


def evaluate(distlint: str, operator: Operator, mutant: Mutant, workspace: pathlib.Path, clean_findings: dict):
    """Return (detected, fixed, passing) for one mutant."""
    copy_root = workspace / f"{operator.name}-{abs(hash(mutant.description))}"
    shutil.copytree(ROOT / "samplers", copy_root / "samplers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy_root / "mutation_probe.py").write_text(PROBE)
    target = copy_root / "samplers" / mutant.module
    target.write_text(mutant.mutate(target.read_text()))

    detected = finding_count(distlint, target) > clean_findings[mutant.module]
    if not detected:
        return False, False, False
    run([distlint, "fix", "--isolated", *OPT_IN_RULES, "--unsafe-fixes", "--quiet", str(target)])
    fixed_source = target.read_text()
    try:
        ast.parse(fixed_source)
    except SyntaxError:
        return True, False, False
    if finding_count(distlint, target) > clean_findings[mutant.module]:
        return True, False, False
    # NOTE: the tests run only when the fix removed every new finding: a
    # collective left under a rank condition would hang them until the timeout.
    return True, True, tests_pass(copy_root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distlint", required=True, help="path of the distlint executable")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    arguments = parser.parse_args()
    distlint = str(pathlib.Path(arguments.distlint).resolve())

    modules = {mutant.module for operator in OPERATORS for mutant in operator.mutants}
    clean_findings = {module: finding_count(distlint, ROOT / "samplers" / module) for module in modules}

    rows = []
    failures = []
    with tempfile.TemporaryDirectory(prefix="distlint-mutants-") as directory:
        workspace = pathlib.Path(directory)
        for operator in OPERATORS:
            counts = [0, 0, 0]
            for mutant in operator.mutants:
                outcome = evaluate(distlint, operator, mutant, workspace, clean_findings)
                counts = [total + int(flag) for total, flag in zip(counts, outcome)]
                if operator.enforced and not outcome[0]:
                    failures.append(f"{operator.name}: '{mutant.description}' was not detected")
                if outcome[1] and not outcome[2]:
                    failures.append(f"{operator.name}: the fix of '{mutant.description}' fails the sampler tests")
            rows.append((operator, len(operator.mutants), *counts))

    if arguments.markdown:
        print("| Operator | Pattern | Enforced | Mutants | Detected | Fixed | Fixed and passing |")
        print("|---|---|---|---|---|---|---|")
        for operator, total, detected, fixed, passing in rows:
            print(f"| {operator.name} | {operator.pattern} | {'yes' if operator.enforced else 'no'} | {total} | "
                  f"{detected} | {fixed} | {passing} |")
    else:
        print(f"{'operator':34} {'mutants':>7} {'detected':>8} {'fixed':>6} {'passing':>7}")
        for operator, total, detected, fixed, passing in rows:
            marker = "" if operator.enforced else "  (no rule yet, not enforced)"
            print(f"{operator.name:34} {total:7} {detected:8} {fixed:6} {passing:7}{marker}")
    for failure in failures:
        print(f"mutation: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
