"""Random programs against PyTorch: values, gradients, second derivatives and forward mode.

Hypothesis writes a short program over two inputs ``x`` and ``y`` of shape (2, 3): each step
applies one operation from ``OPS`` to values made earlier (elementwise functions, arithmetic
with broadcasting, reductions broadcast back, softmax and friends, stack, concatenate,
indexing, matmul, transpose...). The same program runs on autograd_nb and on PyTorch; its
output is a weighted sum of every value it made. Checked, in float32 and float64:

- the output and its gradient with respect to x and y (reverse mode);
- a Hessian-vector product, reverse over reverse and forward over reverse;
- a Jacobian-vector product of the last value (forward mode).
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from torch.func import jvp as torch_jvp  # noqa: E402

import autograd_nb as ag  # noqa: E402

SHAPE = (2, 3)


class AG:
    """The operations of a program, in autograd_nb."""

    sin, tanh, sigmoid, exp, log, sqrt = ag.sin, ag.tanh, ag.sigmoid, ag.exp, ag.log, ag.sqrt

    @staticmethod
    def reduce(kind, a, axis):
        return getattr(ag, kind)(a, axis=axis, keepdims=True)

    @staticmethod
    def softmax(a, axis):
        return ag.softmax(a, axis=axis)

    @staticmethod
    def log_softmax(a, axis):
        return ag.log_softmax(a, axis=axis)

    stack, concatenate, where = ag.stack, ag.concatenate, ag.where


class TORCH:
    """The same operations in PyTorch."""

    sin, tanh, sigmoid, exp, log, sqrt = (torch.sin, torch.tanh, torch.sigmoid, torch.exp,
                                          torch.log, torch.sqrt)

    @staticmethod
    def reduce(kind, a, axis):
        if kind == "sum":
            return a.sum(dim=axis, keepdim=True)
        if kind == "mean":
            return a.mean(dim=axis, keepdim=True)
        if kind == "max":
            return a.amax(dim=axis, keepdim=True)
        return torch.logsumexp(a, dim=axis, keepdim=True)

    @staticmethod
    def softmax(a, axis):
        return torch.softmax(a, dim=axis)

    @staticmethod
    def log_softmax(a, axis):
        return torch.log_softmax(a, dim=axis)

    @staticmethod
    def stack(xs, axis):
        return torch.stack(xs, dim=axis)

    @staticmethod
    def concatenate(xs, axis):
        return torch.cat(xs, dim=axis)

    where = staticmethod(torch.where)


# name -> (number of operands, function(lib, a, b, k)); every result has shape (2, 3)
OPS = {
    "add": lambda L, a, b, k: a + b,
    "sub": lambda L, a, b, k: a - b,
    "mul": lambda L, a, b, k: a * b,
    "div": lambda L, a, b, k: a / (1 + b * b),
    "scale": lambda L, a, b, k: a * (0.5 + k) - 0.25,
    "square": lambda L, a, b, k: a ** 2,
    "sin": lambda L, a, b, k: L.sin(a),
    "tanh": lambda L, a, b, k: L.tanh(a),
    "sigmoid": lambda L, a, b, k: L.sigmoid(a),
    "exp_tanh": lambda L, a, b, k: L.exp(L.tanh(a)),
    "log1p_sq": lambda L, a, b, k: L.log(1 + a * a),
    "sqrt1p_sq": lambda L, a, b, k: L.sqrt(1 + a * a),
    "sum": lambda L, a, b, k: a * L.reduce("sum", b, k) / 3,
    "mean": lambda L, a, b, k: a + L.reduce("mean", b, k),
    "max": lambda L, a, b, k: a * L.reduce("max", b, k),
    "logsumexp": lambda L, a, b, k: a - L.reduce("logsumexp", b, k),
    "softmax": lambda L, a, b, k: L.softmax(a, k),
    "log_softmax": lambda L, a, b, k: L.log_softmax(a, k),
    "stack": lambda L, a, b, k: L.stack([a, b, a * b], k).sum(k),
    "concatenate": lambda L, a, b, k: L.concatenate([a, b], 1)[:, 1 + k:4 + k],
    "concat_rows": lambda L, a, b, k: L.concatenate([b, a, b], 0)[1 + k:3 + k],
    "matmul": lambda L, a, b, k: (a @ b.T) @ a / 3,
    "transpose": lambda L, a, b, k: a.T.reshape(2, 3),
    "index": lambda L, a, b, k: a[[1, 1] if k else [1, 0]] * b,
    "where": lambda L, a, b, k: L.where(a > b, a * 2, b),
}
NAMES = sorted(OPS)


@st.composite
def programs(draw):
    """A list of steps (op, i, j, k): value n + 2 = op(values[i], values[j], k)."""
    steps = []
    for n in range(draw(st.integers(1, 8))):
        available = n + 2  # x and y, then each step's value
        steps.append((draw(st.sampled_from(NAMES)), draw(st.integers(0, available - 1)),
                      draw(st.integers(0, available - 1)), draw(st.integers(0, 1))))
    return steps


def run(program, lib, x, y, weights):
    """The program's values, and its output: Σ_k sum(values[k] * weights[k])."""
    values = [x, y]
    for op, i, j, k in program:
        values.append(OPS[op](lib, values[i], values[j], k))
    total = 0
    for v, w in zip(values, weights):
        total = total + (v * w).sum()
    return values, total


def data(seed: int, dtype):
    rng = np.random.default_rng(seed)
    x, y, vx, vy = (rng.uniform(-1, 1, SHAPE).astype(dtype) for _ in range(4))
    weights = [rng.uniform(-1, 1, SHAPE).astype(dtype) for _ in range(8)]
    return x, y, vx, vy, weights


def close(ours, theirs, dtype, what):
    ours = np.asarray(ours, dtype=np.float64)
    theirs = theirs.detach().numpy().astype(np.float64)
    assert ours.shape == theirs.shape, what
    scale = 1 + np.abs(theirs).max()
    tol = 2e-3 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol * scale, err_msg=what)


DTYPES = [np.float64, np.float32]
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(program=programs(), seed=st.integers(0, 2**16))
def test_values_and_gradients(dtype, program, seed):
    x, y, _, _, weights = data(seed, dtype)

    def f(a, b):
        return run(program, AG, a, b, weights)[1]

    value, (gx, gy) = ag.value_and_grad(f, argnums=(0, 1))(x, y)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (x, y))
    out = run(program, TORCH, tx, ty, [torch.tensor(w) for w in weights])[1]
    rx, ry = torch.autograd.grad(out, (tx, ty), allow_unused=True, materialize_grads=True)
    close(value, out, dtype, f"value of {program}")
    close(gx, rx, dtype, f"d/dx of {program}")
    close(gy, ry, dtype, f"d/dy of {program}")
    # the same gradients from Tensor.backward, accumulated into .grad
    ax, ay = ag.tensor(x, requires_grad=True), ag.tensor(y, requires_grad=True)
    run(program, AG, ax, ay, weights)[1].backward()
    close(ax.grad.data, rx, dtype, f"x.grad of {program}")
    assert ax.grad.dtype == dtype


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs")  # linear programs
@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(program=programs(), seed=st.integers(0, 2**16))
def test_second_order(dtype, program, seed):
    x, y, vx, vy, weights = data(seed, dtype)

    def f(a, b):
        return run(program, AG, a, b, weights)[1]

    grad = ag.grad(f, argnums=(0, 1))

    def directional(a, b):  # ∇f · v
        ga, gb = grad(a, b)
        return (ga * vx).sum() + (gb * vy).sum()

    hx, hy = ag.grad(directional, argnums=(0, 1))(x, y)  # reverse over reverse: H v
    # forward over reverse: H v (jvp takes a function with one output, so one per gradient)
    _, fx = ag.jvp(lambda a, b: grad(a, b)[0], (x, y), (vx, vy))
    _, fy = ag.jvp(lambda a, b: grad(a, b)[1], (x, y), (vx, vy))
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (x, y))
    out = run(program, TORCH, tx, ty, [torch.tensor(w) for w in weights])[1]
    gx, gy = torch.autograd.grad(out, (tx, ty), create_graph=True, allow_unused=True,
                                 materialize_grads=True)
    dot = (gx * torch.tensor(vx)).sum() + (gy * torch.tensor(vy)).sum()
    if dot.requires_grad:
        rx, ry = torch.autograd.grad(dot, (tx, ty), allow_unused=True, materialize_grads=True)
    else:  # a linear program: no second derivative at all
        rx, ry = torch.zeros_like(tx), torch.zeros_like(ty)
    close(hx, rx, dtype, f"(Hv)_x, reverse over reverse, of {program}")
    close(hy, ry, dtype, f"(Hv)_y, reverse over reverse, of {program}")
    close(fx, rx, dtype, f"(Hv)_x, forward over reverse, of {program}")
    close(fy, ry, dtype, f"(Hv)_y, forward over reverse, of {program}")


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs")
@pytest.mark.parametrize("dtype", DTYPES)
@SETTINGS
@given(program=programs(), seed=st.integers(0, 2**16))
def test_forward_mode(dtype, program, seed):
    x, y, vx, vy, weights = data(seed, dtype)

    def last(lib):
        ws = weights if lib is AG else [torch.tensor(w) for w in weights]
        return lambda a, b: run(program, lib, a, b, ws)[0][-1]

    value, tangent = ag.jvp(last(AG), (x, y), (vx, vy))
    ref_value, ref_tangent = torch_jvp(last(TORCH), (torch.tensor(x), torch.tensor(y)),
                                       (torch.tensor(vx), torch.tensor(vy)))
    close(value, ref_value, dtype, f"value of {program}")
    close(tangent, ref_tangent, dtype, f"J v of {program}")
    assert np.asarray(tangent).dtype == dtype
