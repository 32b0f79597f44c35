"""One training step of a 784-256-256-10 tanh MLP: autograd_nb against hand-written NumPy.

A step is forward, mean softmax cross-entropy over a batch, backward and an SGD update. The same
network is timed, in float32 and float64, at batch sizes 1, 32, 128 and 1024, as

- ``autograd_nb``: ``nn.MLP`` + ``nn.cross_entropy`` + ``optim.SGD``;
- ``numpy``: forward and backward spelled out by hand (the practical limit);
- ``torch`` and ``autograd`` (HIPS), when installed (``pip install -e '.[bench]'``).

Each time is the median of many timed steps. As in a training loop, each implementation runs
its steps back to back, in short bursts; the bursts take turns in a shuffled order so that the
noise of a shared machine falls on all of them alike. Reported for autograd_nb and by hand:

- time per step, and its ratio to the hand-written step;
- time(forward + backward) / time(forward);
- page faults per step: ``ru_minflt`` over the timed steps of the run above, divided by the
  steps, and the same for each implementation alone in a fresh process (glibc's allocator
  adapts to what a process did before, so both are shown). A step that makes and frees arrays
  of a weight matrix's size gets fresh pages from the kernel at every step, a fault per 4 KiB;
- memory: the peak above the start of one step, and what stays held between steps (.grad
  arrays, optimizer state), both with tracemalloc (NumPy reports its arrays to it), outside the
  timed steps; and the memory held after many steps compared with after 10 (a leak check).

Run: ``python benchmarks/mlp_step.py`` (``--quick`` for a short run, ``--batch 128`` for one
batch size, ``--profile`` for the functions autograd_nb spends its time in).
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
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from autograd_nb import nn, optim  # noqa: E402

SIZES = (784, 256, 256, 10)
BATCHES = (1, 32, 128, 1024)
DTYPES = (np.float32, np.float64)
LR = 0.01


def make_problem(dtype, batch: int, seed: int = 0):
    """The batch and the initial parameters [(W, b), ...], W of shape (out, in)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], batch)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(n_in)
        params.append((rng.uniform(-bound, bound, (n_out, n_in)).astype(dtype),
                       rng.uniform(-bound, bound, n_out).astype(dtype)))
    return x, y, params


# ------------------------------------------------------------------------------- autograd_nb
class Ours:
    name = "autograd_nb"

    def __init__(self, dtype, batch: int) -> None:
        self.x, self.y, params = make_problem(dtype, batch)
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

    def __init__(self, dtype, batch: int) -> None:
        self.x, self.y, params = make_problem(dtype, batch)
        self.params = [a.copy() for wb in params for a in wb]
        self.rows = np.arange(batch)

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
        dz3 /= len(self.y)
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

    def __init__(self, dtype, batch: int) -> None:
        import torch

        torch.set_num_threads(int(THREADS))
        self.torch = torch
        x, y, params = make_problem(dtype, batch)
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

    def __init__(self, dtype, batch: int) -> None:
        import autograd
        import autograd.numpy as anp

        self.x, self.y, params = make_problem(dtype, batch)
        self.params = [a.copy() for wb in params for a in wb]
        rows = np.arange(batch)
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
IMPLS = {"autograd_nb": Ours, "numpy": ByHand}


def minor_faults() -> int:
    """Page faults served without I/O so far in this process (fresh pages from the kernel)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def medians(fns: dict[str, Callable[[], object]], repeats: int, burst: int = 8,
            warmup: int = 5) -> tuple[dict, dict, dict]:
    """Median and minimum seconds per call of each function over ``repeats`` timed calls (the
    minimum is the least disturbed by other processes), and its page faults per timed call.

    A training loop runs its steps back to back, so each function runs in bursts: one untimed
    call, which pays for switching from whatever ran before (and what it left in the caches),
    then ``burst`` timed calls. The bursts take turns in a shuffled order, so that the noise of
    a shared machine falls on all the functions alike.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    faults = dict.fromkeys(fns, 0)
    clock = time.perf_counter
    order = list(fns.items())
    rng = random.Random(0)
    for _ in range(max(1, repeats // burst)):
        rng.shuffle(order)
        for name, fn in order:
            fn()
            record = times[name].append
            before = minor_faults()
            for _ in range(burst):
                start = clock()
                fn()
                record(clock() - start)
            faults[name] += minor_faults() - before
    return ({name: statistics.median(t) for name, t in times.items()},
            {name: min(t) for name, t in times.items()},
            {name: faults[name] / len(t) for name, t in times.items()})


def step_memory(impl_class, dtype, batch: int) -> tuple[int, int, int]:
    """Bytes (peak above the start of one step, peak above the model and the data, held
    between steps), with tracemalloc, after 3 warm-up steps.

    What is held between steps is what the training loop keeps beyond the model's parameters
    and the data (gradients, optimizer state); a step may free it, so the peak above the start
    of a step leaves it out, and the peak above the model and the data counts it.
    """
    gc.collect()
    tracemalloc.start()
    try:
        impl = impl_class(dtype, batch)
        gc.collect()
        built = tracemalloc.get_traced_memory()[0]
        for _ in range(3):
            impl.step()
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        impl.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - start, peak - built, start - built


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


def faults_alone(name: str, dtype, batch: int, steps: int = 20) -> float:
    """Page faults per step of one implementation alone in a fresh process, after warm-up."""
    impl = IMPLS[name](dtype, batch)
    for _ in range(10):
        impl.step()
    before = minor_faults()
    for _ in range(steps):
        impl.step()
    return (minor_faults() - before) / steps


def faults_alone_in_child(name: str, dtype, batch: int) -> float:
    """``faults_alone`` run in a new interpreter, whose allocator has seen nothing else."""
    out = subprocess.run(
        [sys.executable, __file__, f"--threads={THREADS}",
         f"--faults-alone={name},{np.dtype(dtype).name},{batch}"],
        capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def available_peers() -> list[str]:
    found = []
    for name in PEERS:
        try:
            __import__(name)
        except ImportError:
            continue
        found.append(name)
    return found


def check_same_loss(dtype, batch: int) -> None:
    """The implementations compute the same loss and gradients at the start."""
    ours, hand = Ours(dtype, batch), ByHand(dtype, batch)
    loss = ours.forward_backward()
    ref, grads = hand.forward_backward()
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert abs(loss.item() - ref) <= tol * max(1, abs(ref)), (loss.item(), ref)
    for p, g in zip(ours.model.parameters(), grads):
        assert p.grad.dtype == dtype and np.allclose(p.grad.data, g, rtol=tol, atol=tol)


def repeats_for(batch: int, repeats: int) -> int:
    """Fewer timed steps for the large batches, so that every batch size takes similar time."""
    return max(16, min(repeats, repeats * 128 // batch))


def measure(dtype, batch: int, repeats: int, peers: list[str], alone: bool) -> dict:
    """Every figure of one (dtype, batch size) row: times, ratios, faults and memory."""
    check_same_loss(dtype, batch)
    impls = [Ours(dtype, batch), ByHand(dtype, batch)] + [PEERS[p](dtype, batch) for p in peers]
    fns = {impl.name: impl.step for impl in impls}
    ours, hand = impls[0], impls[1]
    fns["autograd_nb fwd"] = ours.forward
    fns["autograd_nb fwd+bwd"] = ours.forward_backward
    fns["numpy fwd"] = hand.forward
    fns["numpy fwd+bwd"] = hand.forward_backward
    median, best, faults = medians(fns, repeats_for(batch, repeats))
    row = {"median": median, "best": best, "faults": faults, "peers": peers,
           "fwd ratio": {n: median[f"{n} fwd+bwd"] / median[f"{n} fwd"] for n in IMPLS}}
    del impls, fns, ours, hand
    row["memory"] = {n: step_memory(cls, dtype, batch) for n, cls in IMPLS.items()}
    growth_steps = max(20, repeats_for(batch, repeats) // 2)
    row["growth"] = {n: memory_growth(cls(dtype, batch).step, growth_steps)
                     for n, cls in IMPLS.items()}
    row["growth steps"] = growth_steps
    row["alone"] = ({n: faults_alone_in_child(n, dtype, batch) for n in IMPLS}
                    if alone else None)
    return row


def report(rows: dict, repeats: int) -> None:
    """Print the tables: one line per (batch size, dtype)."""
    kib = 1024
    print(f"one training step, MLP {'-'.join(map(str, SIZES))} tanh, {THREADS} BLAS thread(s), "
          f"up to {repeats} timed steps each (fewer at large batches), in bursts of 8")
    print("\ntime per step: autograd_nb (ours) and by hand in NumPy; fwd+bwd / fwd")
    print(f"{'batch':>5} {'dtype':8} {'ours ms':>9} {'numpy ms':>9} {'× numpy':>8} "
          f"{'best ×':>7}   {'fwd+bwd/fwd: ours':>17} {'numpy':>6}")
    for (batch, kind), r in rows.items():
        m, b, f = r["median"], r["best"], r["fwd ratio"]
        print(f"{batch:5} {kind:8} {m['autograd_nb'] * 1e3:9.3f} {m['numpy'] * 1e3:9.3f} "
              f"{m['autograd_nb'] / m['numpy']:8.2f} {b['autograd_nb'] / b['numpy']:7.2f}   "
              f"{f['autograd_nb']:17.2f} {f['numpy']:6.2f}")
    print("\npage faults per step (in this run's timed steps; each alone in a fresh process) "
          "and memory in KiB (the peak above the start of a step; the peak above the model and "
          "the data, and its ratio; held between steps)")
    print(f"{'batch':>5} {'dtype':8} {'faults: ours':>12} {'numpy':>7} {'alone: ours':>11} "
          f"{'numpy':>7}   {'peak: ours':>10} {'numpy':>6}   {'peak+held: ours':>15} "
          f"{'numpy':>6} {'×':>5}   {'held: ours':>10} {'numpy':>6}")
    for (batch, kind), r in rows.items():
        f, a = r["faults"], r["alone"]
        ours, hand = r["memory"]["autograd_nb"], r["memory"]["numpy"]
        alone = (f"{a['autograd_nb']:11.1f} {a['numpy']:7.1f}" if a else f"{'-':>11} {'-':>7}")
        print(f"{batch:5} {kind:8} {f['autograd_nb']:12.1f} {f['numpy']:7.1f} {alone}   "
              f"{ours[0] / kib:10.0f} {hand[0] / kib:6.0f}   {ours[1] / kib:15.0f} "
              f"{hand[1] / kib:6.0f} {ours[1] / max(hand[1], 1):5.2f}   "
              f"{ours[2] / kib:10.0f} {hand[2] / kib:6.0f}")
    print("\nmemory growth (KiB held after the given number of steps more than after 10) and "
          "the other libraries (median ms per step, × numpy)")
    for (batch, kind), r in rows.items():
        g, m = r["growth"], r["median"]
        others = "".join(f"   {p} {m[p] * 1e3:.3f} ({m[p] / m['numpy']:.2f})" for p in r["peers"])
        print(f"{batch:5} {kind:8} growth over {r['growth steps']:3} steps: ours "
              f"{g['autograd_nb'] / kib:+.1f}, numpy {g['numpy'] / kib:+.1f}{others}")
    print("\ntargets (float32 and float64, batch 128): ours / numpy <= 1.10 (median); fwd+bwd / "
          "fwd <= 2.6; faults within 10% of numpy's; peak (+held) <= 1.3 × numpy's; at batch 1, "
          "ours / numpy <= 2; no memory growth")


def run(repeats: int, peers: list[str], batches: tuple[int, ...], alone: bool) -> None:
    rows = {}
    for batch in batches:
        for dtype in DTYPES:
            rows[batch, np.dtype(dtype).name] = measure(dtype, batch, repeats, peers, alone)
    report(rows, repeats)


def profile(dtype, batch: int, steps: int = 300) -> None:
    ours = Ours(dtype, batch)
    for _ in range(10):
        ours.step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        ours.step()
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("tottime")
    print(f"autograd_nb, {np.dtype(dtype).name}, batch {batch}, {steps} steps, by own time:")
    stats.print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=400,
                        help="timed steps at batch <= 128 (fewer above)")
    parser.add_argument("--quick", action="store_true",
                        help="50 repeats, no fresh-process fault counts")
    parser.add_argument("--batch", type=int, action="append",
                        help=f"batch size (repeatable; default {', '.join(map(str, BATCHES))})")
    parser.add_argument("--no-peers", action="store_true", help="skip torch and autograd")
    parser.add_argument("--threads", default=THREADS,
                        help="BLAS / PyTorch threads, given as --threads=N (default 1)")
    parser.add_argument("--profile", action="store_true", help="cProfile autograd_nb's step")
    parser.add_argument("--faults-alone", help=argparse.SUPPRESS)  # name,dtype,batch: a child
    args = parser.parse_args()
    if args.faults_alone:
        name, dtype, batch = args.faults_alone.split(",")
        print(faults_alone(name, np.dtype(dtype), int(batch)))
        return
    if args.profile:
        profile(np.float32, (args.batch or [128])[0])
        return
    peers = [] if args.no_peers else available_peers()
    run(50 if args.quick else args.repeats, peers, tuple(args.batch or BATCHES), not args.quick)


if __name__ == "__main__":
    main()
