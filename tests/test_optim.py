"""optim: SGD, momentum, weight decay and Adam against updates computed by hand (three steps),
skipping parameters without gradients, and updating in place without touching ``.grad``."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import nn, optim

A = np.array([[2.0, -1.0], [0.5, 3.0]])


def loss_of(w):
    """A loss whose gradient depends on w: ½‖A w‖² + Σ w, gradient Aᵀ A w + 1."""
    return 0.5 * ((w @ A.T) ** 2).sum() + w.sum()


def grad_of(w: np.ndarray) -> np.ndarray:
    return A.T @ (A @ w) + 1


def run(opt, w, steps=3):
    values = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(w).backward()
        opt.step()
        values.append(w.data.copy())
    return values


def test_sgd_matches_hand_computed_updates(rng):
    w0 = rng.standard_normal(2)
    w = ag.tensor(w0.copy(), requires_grad=True)
    got = run(optim.SGD([w], lr=0.1), w)
    expected, x = [], w0.copy()
    for _ in range(3):
        x = x - 0.1 * grad_of(x)
        expected.append(x)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_sgd_momentum_and_weight_decay_match_hand_computed_updates(rng):
    w0 = rng.standard_normal(2)
    w = ag.tensor(w0.copy(), requires_grad=True)
    got = run(optim.SGD([w], lr=0.05, momentum=0.9, weight_decay=0.01), w)
    expected, x, v = [], w0.copy(), None
    for _ in range(3):
        g = grad_of(x) + 0.01 * x
        v = g if v is None else 0.9 * v + g  # PyTorch: the first velocity is the gradient
        x = x - 0.05 * v
        expected.append(x)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_matches_hand_computed_updates(rng, weight_decay):
    w0 = rng.standard_normal(2)
    w = ag.tensor(w0.copy(), requires_grad=True)
    got = run(optim.Adam([w], lr=0.01, betas=(0.8, 0.95), eps=1e-6,
                         weight_decay=weight_decay), w)
    expected, x = [], w0.copy()
    m = v = np.zeros(2)
    for t in (1, 2, 3):
        g = grad_of(x) + weight_decay * x
        m = 0.8 * m + 0.2 * g
        v = 0.95 * v + 0.05 * g * g
        m_hat, v_hat = m / (1 - 0.8**t), v / (1 - 0.95**t)
        x = x - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-6)
        expected.append(x)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_adam_first_step_moves_each_weight_by_about_lr(rng):
    w = ag.tensor(rng.standard_normal(2), requires_grad=True)
    before = w.data.copy()
    run(optim.Adam([w], lr=0.01), w, steps=1)
    np.testing.assert_allclose(np.abs(w.data - before), 0.01, rtol=1e-4)


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.1),
])
def test_parameters_without_gradient_are_skipped(rng, make):
    used = ag.tensor(rng.standard_normal(3), requires_grad=True)
    unused = ag.tensor(rng.standard_normal(3), requires_grad=True)
    before = unused.data.copy()
    opt = make([used, unused])
    (used * used).sum().backward()
    opt.step()
    np.testing.assert_array_equal(unused.data, before)
    assert unused.grad is None


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1),
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.1),
])
def test_updates_in_place_and_never_write_into_grad(rng, make):
    a = ag.tensor(rng.standard_normal(3), requires_grad=True)
    b = ag.tensor(rng.standard_normal(3), requires_grad=True)
    shared = ag.tensor(rng.standard_normal(3))
    a.grad = shared  # two leaves sharing one gradient array
    b.grad = shared
    keep = shared.data.copy()
    arrays = (a.data, b.data)
    opt = make([a, b])
    for _ in range(2):
        opt.step()
    np.testing.assert_array_equal(shared.data, keep)
    assert a.data is arrays[0] and b.data is arrays[1]
    assert opt.params[0] is a


def test_optimizer_works_on_float32_model(rng):
    model = nn.MLP(3, [4], 2, rng=rng, dtype=np.float32)
    for opt in (optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                optim.Adam(model.parameters(), lr=0.1)):
        for _ in range(2):
            opt.zero_grad()
            nn.cross_entropy(model(rng.standard_normal((5, 3))), [0, 1, 1, 0, 1]).backward()
            opt.step()
        assert all(p.dtype == np.float32 for p in model.parameters())
        assert all(s.dtype == np.float32 for state in opt.state.values()
                   for s in state.values() if isinstance(s, np.ndarray))


def test_zero_grad_and_errors(rng):
    model = nn.Linear(2, 1, rng=rng)
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(np.ones((1, 2))).sum().backward()
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    with pytest.raises(TypeError, match=r"model.parameters\(\)"):
        optim.SGD(model, lr=0.1)
    with pytest.raises(TypeError, match="requires_grad=True"):
        optim.Adam([ag.tensor([1.0])])
    with pytest.raises(ValueError, match="empty"):
        optim.Adam([])
    with pytest.raises(ValueError, match="betas"):
        optim.Adam(model.parameters(), betas=(1.0, 0.9))
