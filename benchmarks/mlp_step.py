"""One training step of a 784-256-256-10 tanh MLP: autograd_nb against hand-written NumPy.

A step is forward, mean softmax cross-entropy over a batch of 128, backward and an SGD update.
The same network is timed, in float32 and float64, as

- ``autograd_nb``: ``nn.MLP`` + ``nn.cross_entropy`` + ``optim.SGD``;
- ``numpy``: forward and backward spelled out by hand (the practical limit);
- ``torch`` and ``autograd`` (HIPS), when installed (``pip install -e '.[bench]'``).

Each figure is the median of many timed steps. As in a training loop, each implementation runs
its steps back to back, in short bursts; the bursts take turns in a shuffled order so that the
noise of a shared machine falls on all of them alike. Also reported: time(forward + backward) /
time(forward) for autograd_nb and by hand, and the memory held after 200 steps compared with
after 10 (tracemalloc; NumPy reports its arrays to it).

Run: ``python benchmarks/mlp_step.py`` (``--quick`` for a short run, ``--profile`` for the
functions autograd_nb spends its time in).
"""

from __future__ import annotations

import os
import sys

# One BLAS thread unless asked otherwise: on a small shared machine the thread pools of NumPy
# and PyTorch spin on the same cores and turn the comparison into noise. Set before NumPy loads.
THREADS = next((a.split("=")[1] for a in sys.argv if a.startswith("--threads=")), "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, THREADS)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from autograd_nb import nn, optim  # noqa: E402

SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01


def make_problem(dtype, seed: int = 0):
    """The batch and the initial parameters [(W, b), ...], W of shape (out, in)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], BATCH)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(n_in)
        params.append((rng.uniform(-bound, bound, (n_out, n_in)).astype(dtype),
                       rng.uniform(-bound, bound, n_out).astype(dtype)))
    return x, y, params


# ------------------------------------------------------------------------------- autograd_nb
class Ours:
    name = "autograd_nb"

    def __init__(self, dtype) -> None:
        self.x, self.y, params = make_problem(dtype)
        self.model = nn.MLP(SIZES[0], list(SIZES[1:-1]), SIZES[-1], dtype=dtype)
        self.model.load_state_dict({f"layers.{2 * i}.{k}": v for i, (w, b) in enumerate(params)
                                    for k, v in (("weight", w), ("bias", b))})
        self.opt = optim.SGD(self.model.parameters(), lr=LR)

    def forward(self):
        return nn.cross_entropy(self.model(self.x), self.y)

    def forward_backward(self):
        self.opt.zero_grad()
        loss = self.forward()
        loss.backward()
        return loss

    def step(self):
        loss = self.forward_backward()
        self.opt.step()
        return loss


# --------------------------------------------------------------------------- by hand in NumPy
class ByHand:
    name = "numpy"

    def __init__(self, dtype) -> None:
        self.x, self.y, params = make_problem(dtype)
        self.params = [a.copy() for wb in params for a in wb]
        self.rows = np.arange(BATCH)

    def forward(self):
        W1, b1, W2, b2, W3, b3 = self.params
        h1 = np.tanh(self.x @ W1.T + b1)
        h2 = np.tanh(h1 @ W2.T + b2)
        z = h2 @ W3.T + b3
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = -(z[self.rows, self.y] - np.log(s[:, 0])).mean()
        return loss, (h1, h2, e, s)

    def forward_backward(self):
        W1, b1, W2, b2, W3, b3 = self.params
        loss, (h1, h2, e, s) = self.forward()
        dz3 = e / s  # softmax
        dz3[self.rows, self.y] -= 1
        dz3 /= BATCH
        dz2 = (dz3 @ W3) * (1 - h2 * h2)
        dz1 = (dz2 @ W2) * (1 - h1 * h1)
        grads = [dz1.T @ self.x, dz1.sum(axis=0), dz2.T @ h1, dz2.sum(axis=0),
                 dz3.T @ h2, dz3.sum(axis=0)]
        return loss, grads

    def step(self):
        loss, grads = self.forward_backward()
        for p, g in zip(self.params, grads):
            p -= LR * g
        return loss


# ------------------------------------------------------------------------------------ PyTorch
class Torch:
    name = "torch"

    def __init__(self, dtype) -> None:
        import torch

        torch.set_num_threads(int(THREADS))
        self.torch = torch
        x, y, params = make_problem(dtype)
        self.x = torch.from_numpy(x)
        self.y = torch.from_numpy(y)
        layers = []
        for i, (w, b) in enumerate(params):
            lin = torch.nn.Linear(w.shape[1], w.shape[0], dtype=self.x.dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            layers += [lin, torch.nn.Tanh()] if i < len(params) - 1 else [lin]
        self.model = torch.nn.Sequential(*layers)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)

    def forward(self):
        return self.torch.nn.functional.cross_entropy(self.model(self.x), self.y)

    def step(self):
        self.opt.zero_grad()
        loss = self.forward()
        loss.backward()
        self.opt.step()
        return loss


# ------------------------------------------------------------------------------ HIPS autograd
class Hips:
    name = "autograd"

    def __init__(self, dtype) -> None:
        import autograd
        import autograd.numpy as anp

        self.x, self.y, params = make_problem(dtype)
        self.params = [a.copy() for wb in params for a in wb]
        rows = np.arange(BATCH)
        x, y = self.x, self.y

        def loss(params):
            W1, b1, W2, b2, W3, b3 = params
            h1 = anp.tanh(anp.dot(x, W1.T) + b1)
            h2 = anp.tanh(anp.dot(h1, W2.T) + b2)
            z = anp.dot(h2, W3.T) + b3
            z = z - anp.max(z, axis=1, keepdims=True)
            logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
            return -anp.mean(logp[rows, y])

        self.grad = autograd.grad(loss)

    def step(self):
        grads = self.grad(self.params)
        for p, g in zip(self.params, grads):
            p -= LR * g


PEERS = {"torch": Torch, "autograd": Hips}


# ---------------------------------------------------------------------------------- measuring
def medians(fns: dict[str, Callable[[], object]], repeats: int, burst: int = 8,
            warmup: int = 5) -> tuple[dict, dict]:
    """Median and minimum seconds per call of each function over ``repeats`` timed calls (the
    minimum is the least disturbed by other processes).

    A training loop runs its steps back to back, so each function runs in bursts: one untimed
    call, which pays for switching from whatever ran before (and what it left in the caches),
    then ``burst`` timed calls. The bursts take turns in a shuffled order, so that the noise of
    a shared machine falls on all the functions alike.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    clock = time.perf_counter
    order = list(fns.items())
    rng = random.Random(0)
    for _ in range(max(1, repeats // burst)):
        rng.shuffle(order)
        for name, fn in order:
            fn()
            record = times[name].append
            for _ in range(burst):
                start = clock()
                fn()
                record(clock() - start)
    return ({name: statistics.median(t) for name, t in times.items()},
            {name: min(t) for name, t in times.items()})


def memory_growth(step: Callable[[], object], steps: int = 200) -> int:
    """Bytes still held after ``steps`` more steps than after 10 warm-up steps."""
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(10):
            step()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            step()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before


def available_peers() -> list[str]:
    found = []
    for name in PEERS:
        try:
            __import__(name)
        except ImportError:
            continue
        found.append(name)
    return found


def check_same_loss(dtype) -> None:
    """The implementations compute the same loss and gradients at the start."""
    ours, hand = Ours(dtype), ByHand(dtype)
    loss = ours.forward_backward()
    ref, grads = hand.forward_backward()
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert abs(loss.item() - ref) <= tol * max(1, abs(ref)), (loss.item(), ref)
    for p, g in zip(ours.model.parameters(), grads):
        assert p.grad.dtype == dtype and np.allclose(p.grad.data, g, rtol=tol, atol=tol)


def run(repeats: int, peers: list[str]) -> None:
    rows = []
    for dtype in (np.float32, np.float64):
        check_same_loss(dtype)
        impls = [Ours(dtype), ByHand(dtype)] + [PEERS[p](dtype) for p in peers]
        fns = {impl.name: impl.step for impl in impls}
        ours, hand = impls[0], impls[1]
        fns["autograd_nb fwd"] = ours.forward
        fns["autograd_nb fwd+bwd"] = ours.forward_backward
        fns["numpy fwd"] = hand.forward
        fns["numpy fwd+bwd"] = hand.forward_backward
        t, best = medians(fns, repeats)
        kind = np.dtype(dtype).name
        for impl in impls:
            name = impl.name
            rows.append(f"{kind:8} {name:24} {t[name] * 1e3:8.3f} {t[name] / t['numpy']:8.2f}"
                        f" {best[name] * 1e3:8.3f} {best[name] / best['numpy']:8.2f}")
        for stat, v in (("median", t), ("best", best)):
            ratios = [v[f"{n} fwd+bwd"] / v[f"{n} fwd"] for n in ("autograd_nb", "numpy")]
            rows.append(f"{kind:8} {'fwd+bwd / fwd (' + stat + ')':24} {'':35}  autograd_nb "
                        f"{ratios[0]:.2f}, numpy {ratios[1]:.2f}")
        growth = [memory_growth(impl.step) / 1024 for impl in impls[:2]]
        rows.append(f"{kind:8} {'memory growth, 200 steps':24} {'':35}  autograd_nb "
                    f"{growth[0]:+.1f} KiB, numpy {growth[1]:+.1f} KiB")

    print(f"one training step, MLP {'-'.join(map(str, SIZES))} tanh, batch {BATCH}, "
          f"{THREADS} BLAS thread(s), {repeats} timed steps each, in bursts of 8")
    print(f"{'dtype':8} {'implementation':24} {'median ms':>8} {'× numpy':>8} {'best ms':>8} "
          f"{'× numpy':>8}")
    print("\n".join(rows))
    print("targets: autograd_nb / numpy <= 1.10 (median) in both dtypes; fwd+bwd / fwd <= 2.6; "
          "no memory growth")


def profile(dtype, steps: int = 300) -> None:
    ours = Ours(dtype)
    for _ in range(10):
        ours.step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        ours.step()
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("tottime")
    print(f"autograd_nb, {np.dtype(dtype).name}, {steps} steps, by own time:")
    stats.print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="50 repeats")
    parser.add_argument("--no-peers", action="store_true", help="skip torch and autograd")
    parser.add_argument("--threads", default=THREADS,
                        help="BLAS / PyTorch threads, given as --threads=N (default 1)")
    parser.add_argument("--profile", action="store_true", help="cProfile autograd_nb's step")
    args = parser.parse_args()
    if args.profile:
        profile(np.float32)
        return
    peers = [] if args.no_peers else available_peers()
    run(50 if args.quick else args.repeats, peers)


if __name__ == "__main__":
    main()
