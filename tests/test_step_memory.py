"""A training step makes no temporary as large as a weight matrix: the optimizers update a
parameter in pieces through small work arrays they keep (a temporary that size is freed back
to the operating system and faulted in again at every step). The pieces give the same numbers
as the whole-array formulas, for parameters of any size and memory layout."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import nn, optim
from autograd_nb.optim import PIECE

OPTIMIZERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.05),
    "sgd momentum decay": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
    "adam": lambda ps: optim.Adam(ps, lr=0.01),
    "adam decay": lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1),
}


def reference_updates(name: str, w: np.ndarray, grads: list[np.ndarray]) -> list[np.ndarray]:
    """The parameter after each step, by the whole-array formulas (PyTorch's)."""
    out, v, m, s = [], None, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        if name.startswith("sgd"):
            if "decay" in name:
                g = g + 0.01 * w
                v = g if v is None else 0.9 * v + g
                g = v
            w = w - 0.05 * g
        else:
            if "decay" in name:
                g = g + 0.1 * w
            m = 0.9 * m + 0.1 * g
            s = 0.999 * s + 0.001 * g * g
            w = w - 0.01 / (1 - 0.9**t) * m / (np.sqrt(s) / np.sqrt(1 - 0.999**t) + 1e-8)
        out.append(w)
    return out


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_an_update_in_pieces_matches_the_whole_array_formula(rng, name, layout):
    w0 = np.asarray(rng.standard_normal((3, PIECE + 7)), order=layout)  # two pieces and a bit
    grads = [rng.standard_normal(w0.shape) for _ in range(3)]
    w = ag.tensor(w0.copy(order=layout), requires_grad=True)
    array = w.data
    opt = OPTIMIZERS[name]([w])
    got = []
    for g in grads:
        w.grad = ag.tensor(g.copy())
        opt.step()
        np.testing.assert_array_equal(w.grad.data, g)  # .grad is never written
        got.append(w.data.copy())
    assert w.data is array  # in place
    np.testing.assert_allclose(got, reference_updates(name, w0, grads), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_step_allocates_far_less_than_a_parameter(rng, name):
    w = ag.tensor(rng.standard_normal((512, 512)), requires_grad=True)  # 2 MiB
    opt = OPTIMIZERS[name]([w])
    w.grad = ag.tensor(rng.standard_normal(w.shape))
    opt.step()  # the first step makes the state (velocity, m, v) and the work arrays
    gc.collect()
    tracemalloc.start()
    try:
        opt.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < w.data.nbytes / 16


def test_training_steps_hold_nothing_more_from_step_to_step(rng):
    model = nn.MLP(64, [128], 4, rng=rng)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x, y = rng.standard_normal((8, 64)), rng.integers(0, 4, 8)

    def step():
        opt.zero_grad()
        nn.cross_entropy(model(x), y).backward()
        opt.step()

    gc.collect()
    tracemalloc.start()  # before the first step, so that freeing its gradients is counted
    try:
        step()
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(5):
            step()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert held < 1024  # nothing accumulates from step to step
    assert sum(a.nbytes for a in opt._work.values()) <= PIECE * 8  # one piece of float64
