"""Size and build time of the sweep player's saved page, as graphs grow.

The page holds the graph once and each step as what it changes (``viz/sweep_data.py``), so
its size should grow with nodes + steps. Two graphs written with scalars, micrograd style:

- ``layer_of_neurons()``: one layer of eight tanh neurons on two inputs, summed (about 80
  nodes); target: page ≤ 300 KB;
- ``scalar_network()``: a 4-16-16-1 tanh network of scalar ``Neuron`` modules and a squared
  error (about 1,000 nodes; the player shows each neuron as one box until it is opened);
  target: page ≤ 3 MB, built (recording + data) and saved in ≤ 2 s.

A third, ``long_chain()`` (4,001 nodes), has no target and shows how the build time grows.
The browser suite (``tests/browser/test_player_scale.py``) plays the first two graphs.
Run: ``python benchmarks/player_size.py`` (``--quick`` builds the small graph only).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import autograd_nb as ag

LAYER_PAGE_LIMIT = 300_000  # bytes
NETWORK_PAGE_LIMIT = 3_000_000  # bytes
NETWORK_BUILD_LIMIT = 2.0  # seconds, recording + data + writing the page


def neuron(inputs, weights, bias, name: str):
    """``tanh(b + Σ wᵢ·xᵢ)`` written one scalar operation at a time."""
    total = bias
    for w, x in zip(weights, inputs):
        total = total + w * x
    out = ag.tanh(total)
    out.name = name
    return out


def layer_of_neurons(seed: int = 0):
    """Eight tanh neurons on two inputs, their outputs summed: the first network a learner
    writes with scalars (about 80 nodes)."""
    rng = np.random.default_rng(seed)
    x = [ag.tensor(v, name=f"x{i + 1}") for i, v in enumerate(rng.normal(size=2))]
    outs = []
    for j in range(8):
        w = [ag.tensor(v, requires_grad=True, name=f"w{j + 1}{i + 1}")
             for i, v in enumerate(rng.normal(size=2))]
        b = ag.tensor(rng.normal(), requires_grad=True, name=f"b{j + 1}")
        outs.append(neuron(x, w, b, f"h{j + 1}"))
    total = outs[0]
    for out in outs[1:]:
        total = total + out
    total.name = "L"
    return total


class Neuron(ag.nn.Module):
    """``tanh(b + Σ wᵢ·xᵢ)`` on a list of scalars, as micrograd writes it."""

    def __init__(self, n_in: int, rng: np.random.Generator) -> None:
        self.w = [ag.tensor(rng.normal() / n_in ** 0.5, requires_grad=True)
                  for _ in range(n_in)]
        self.b = ag.tensor(rng.normal(), requires_grad=True)

    def forward(self, xs):
        total = self.b
        for w, x in zip(self.w, xs):
            total = total + w * x
        return ag.tanh(total)


class Layer(ag.nn.Module):
    """``n_out`` neurons on the same inputs."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator) -> None:
        self.neurons = [Neuron(n_in, rng) for _ in range(n_out)]

    def forward(self, xs):
        return [neuron(xs) for neuron in self.neurons]


class ScalarMLP(ag.nn.Module):
    """Layers of scalar neurons, one after the other (micrograd's ``MLP``)."""

    def __init__(self, sizes, rng: np.random.Generator) -> None:
        self.layers = [Layer(n_in, n_out, rng) for n_in, n_out in zip(sizes, sizes[1:])]

    def forward(self, xs):
        for layer in self.layers:
            xs = layer(xs)
        return xs


def scalar_network(sizes=(4, 16, 16, 1), seed: int = 1):
    """A tanh network of scalars written with modules as micrograd does (``Neuron``,
    ``Layer``, ``ScalarMLP``), ``sizes`` neurons per layer, and its squared error against 0.5
    (about 1,000 nodes for the default sizes)."""
    rng = np.random.default_rng(seed)
    xs = [ag.tensor(v, name=f"x{i + 1}") for i, v in enumerate(rng.normal(size=sizes[0]))]
    model = ScalarMLP(sizes, rng)
    loss = (model(xs)[0] - 0.5) ** 2
    loss.name = "loss"
    return loss


def long_chain(n: int = 2000):
    """``x = tanh(0.9 · x)`` ``n`` times on one number: 2n + 1 nodes that all use the same
    constant (its arrows span the whole picture), shown as one chain box at first."""
    x = ag.tensor(0.3, requires_grad=True, name="x")
    y = x
    for _ in range(n):
        y = ag.tanh(y * 0.9)
    return y


def measure(build, folder: Path, name: str) -> dict:
    """Nodes, steps, page bytes and seconds to record the sweep and save its page."""
    from autograd_nb import viz

    out = build()
    start = time.perf_counter()
    player = viz.BackwardPlayer(out)
    path = player.save(folder / f"{name}.html")
    seconds = time.perf_counter() - start
    return {"graph": name, "nodes": len(player.recording.graph.nodes),
            "steps": len(player.frames), "bytes": path.stat().st_size, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small graph only")
    args = parser.parse_args()
    cases = [("layer_of_neurons", layer_of_neurons, LAYER_PAGE_LIMIT, None)]
    if not args.quick:
        cases.append(("scalar_network", scalar_network, NETWORK_PAGE_LIMIT,
                      NETWORK_BUILD_LIMIT))
        cases.append(("long_chain", long_chain, None, None))  # no target: for comparison
    print(f"{'graph':<18}{'nodes':>7}{'steps':>7}{'page KB':>10}{'limit KB':>10}"
          f"{'built+saved s':>15}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, size_limit, time_limit in cases:
            row = measure(build, Path(tmp), name)
            over = ((size_limit and row["bytes"] > size_limit)
                    or (time_limit and row["seconds"] > time_limit))
            failed |= bool(over)
            limit = f"{size_limit / 1e3:>10.0f}" if size_limit else f"{'-':>10}"
            print(f"{name:<18}{row['nodes']:>7}{row['steps']:>7}{row['bytes'] / 1e3:>10.1f}"
                  f"{limit}{row['seconds']:>15.2f}"
                  f"{'  OVER THE TARGET' if over else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
