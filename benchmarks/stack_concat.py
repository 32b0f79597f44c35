"""The backward pass of ``ag.stack`` and ``ag.concatenate`` over n inputs, against PyTorch.

Each input is a leaf needing a gradient (a scalar for ``stack``, a 1-element vector for
``concatenate``); the timed work is the forward join, ``.sum()`` and ``backward()``. The
rules of both primitives give every input's share in one call (``Together`` in
``primitives/shaping.py``), so the time grows linearly in n; asked input by input, it grew as n².

Run: ``python benchmarks/stack_concat.py`` (``--quick`` for a short run). PyTorch is timed
when installed (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

import numpy as np

import autograd_nb as ag


def timed(make, run, repeats: int) -> float:
    """Median wall time of ``run(make())`` in seconds; the leaves are made outside the timing."""
    times = []
    for _ in range(repeats):
        inputs = make()
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run(inputs)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def ours(op: str, n: int):
    shape = () if op == "stack" else (1,)
    join = ag.stack if op == "stack" else ag.concatenate

    def make():
        return [ag.tensor(np.full(shape, float(i)), requires_grad=True) for i in range(n)]

    def run(xs):
        join(xs).sum().backward()

    return make, run


def theirs(torch, op: str, n: int):
    shape = () if op == "stack" else (1,)
    join = torch.stack if op == "stack" else torch.cat

    def make():
        return [torch.full(shape, float(i), dtype=torch.float64, requires_grad=True)
                for i in range(n)]

    def run(xs):
        join(xs).sum().backward()

    return make, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    args = parser.parse_args(argv)
    sizes = [1_000, 8_000, 50_000] if args.quick else [1_000, 8_000, 50_000, 200_000]
    repeats = 1 if args.quick else 3
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print(f"{'op':<12}{'n':>9}{'autograd_nb (s)':>17}{'PyTorch (s)':>13}{'ratio':>8}")
    for op in ("stack", "concatenate"):
        for n in sizes:
            mine = timed(*ours(op, n), repeats)
            if torch is None:
                print(f"{op:<12}{n:>9}{mine:>17.4f}{'-':>13}{'-':>8}")
                continue
            peer = timed(*theirs(torch, op, n), repeats)
            print(f"{op:<12}{n:>9}{mine:>17.4f}{peer:>13.4f}{mine / peer:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
