"""Per-operation overhead of the engine against PyTorch and HIPS autograd, in one run.

Two workloads, forward + backward, timed as the median of repeated runs:

- a chain of elementwise operations on 16-element float64 vectors, ``x = tanh(x * w_i + b_i)``
  with every ``w_i``, ``b_i`` a leaf needing a gradient (3 operations per step);
- a scalar chain of 10^5 and 10^6 operations, ``x = tanh(x * 0.5 + 0.1)`` on one number.

Run: ``python benchmarks/engine_overhead.py`` (``--quick`` for a short run). Peers are timed
when installed (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import autograd_nb as ag

STEPS = 200  # steps of the vector chain: 3 operations each
WIDTH = 16


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn()`` in seconds (gc off while timing, as timeit does)."""
    fn()  # warm up
    gc.collect()
    gc.disable()
    try:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return statistics.median(times)


def vector_chain_ours(ws, bs, x0):
    def run():
        x = ag.tensor(x0)
        for w, b in zip(ws, bs):
            x = (x * w + b).tanh()
        x.sum().backward()
    return run


def vector_chain_torch(torch, ws, bs, x0):
    def run():
        x = torch.tensor(x0)
        for w, b in zip(ws, bs):
            x = torch.tanh(x * w + b)
        x.sum().backward()
    return run


def vector_chain_hips(ws, bs, x0):
    import autograd
    import autograd.numpy as anp

    def f(params):
        x = x0
        for w, b in zip(*params):
            x = anp.tanh(x * w + b)
        return anp.sum(x)

    g = autograd.grad(f)
    return lambda: g((ws, bs))


def scalar_chain_ours(n):
    def run():
        x0 = ag.tensor(0.3, requires_grad=True)
        x = x0
        for _ in range(n // 3):
            x = (x * 0.5 + 0.1).tanh()
        x.backward()
    return run


def scalar_chain_torch(torch, n):
    def run():
        x0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        x = x0
        for _ in range(n // 3):
            x = torch.tanh(x * 0.5 + 0.1)
        x.backward()
    return run


def scalar_chain_hips(n):
    import autograd
    import autograd.numpy as anp

    def f(x):
        for _ in range(n // 3):
            x = anp.tanh(x * 0.5 + 0.1)
        return x

    g = autograd.grad(f)
    return lambda: g(0.3)


def peers():
    found = {}
    try:
        import torch

        torch.set_num_threads(1)
        found["PyTorch " + torch.__version__.split("+")[0]] = torch
    except ImportError:
        pass
    try:
        import autograd  # noqa: F401

        found["HIPS autograd"] = "hips"
    except ImportError:
        pass
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 10^6 chain")
    args = parser.parse_args(argv)
    repeats = 7 if args.quick else 31
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal(WIDTH)
    w_np = [rng.standard_normal(WIDTH) for _ in range(STEPS)]
    b_np = [rng.standard_normal(WIDTH) for _ in range(STEPS)]
    ws = [ag.tensor(w, requires_grad=True) for w in w_np]
    bs = [ag.tensor(b, requires_grad=True) for b in b_np]
    others = peers()

    rows = []  # (workload, ops, {library: seconds})
    vec = {"autograd_nb": timed(vector_chain_ours(ws, bs, x0), repeats)}
    for name, lib in others.items():
        if lib == "hips":
            vec[name] = timed(vector_chain_hips(w_np, b_np, x0), repeats)
        else:
            tw = [lib.tensor(w, requires_grad=True) for w in w_np]
            tb = [lib.tensor(b, requires_grad=True) for b in b_np]
            vec[name] = timed(vector_chain_torch(lib, tw, tb, x0), repeats)
    rows.append((f"vector chain, {3 * STEPS} ops on {WIDTH} float64", 3 * STEPS, vec))

    sizes = [10**3, 10**5] if args.quick else [10**3, 10**5, 10**6]
    for n in sizes:
        reps = 3 if n >= 10**6 else 5 if n >= 10**5 else 31
        res = {"autograd_nb": timed(scalar_chain_ours(n), reps)}
        for name, lib in others.items():
            make = scalar_chain_hips if lib == "hips" else (lambda n, lib=lib: scalar_chain_torch(lib, n))
            res[name] = timed(make(n), reps)
        rows.append((f"scalar chain, {n:,} ops", n, res))

    libs = ["autograd_nb", *others]
    torch_name = next((k for k in others if k.startswith("PyTorch")), None)
    print(f"forward + backward, median of repeated runs (python {sys.version.split()[0]}, "
          f"numpy {np.__version__})\n")
    head = f"{'workload':<36}" + "".join(f"{lib:>16}" for lib in libs)
    head += f"{'ours / PyTorch':>16}" if torch_name else ""
    print(head)
    print("-" * len(head))
    for label, ops, res in rows:
        line = f"{label:<36}"
        for lib in libs:
            us = res[lib] / ops * 1e6
            line += f"{us:>11.2f} µs/op"
        if torch_name:
            line += f"{res['autograd_nb'] / res[torch_name]:>16.2f}"
        print(line)
        if ops >= 10**5:
            print(f"{'  (seconds in all)':<36}" + "".join(f"{res[lib]:>14.2f} s" for lib in libs))
    chains = {ops: res for label, ops, res in rows if label.startswith("scalar")}
    longest = max(chains)
    growth = "  ".join(f"{lib} {chains[longest][lib] / longest / (chains[10**3][lib] / 10**3):.2f}×"
                       for lib in libs)
    print(f"\nµs/op of the {longest:,}-op chain over the 1,000-op chain's: {growth}")
    print("(timed with Python's cyclic garbage collector off, as timeit does: with it on, its full "
          "collections over a graph of millions of live objects add a cost per operation that "
          "grows with the graph)")
    if torch_name:
        print("\ntargets: ours / PyTorch <= 0.50 on every row; the growth of ours <= 1.5×")


if __name__ == "__main__":
    main()
