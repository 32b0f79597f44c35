"""Every primitive against finite differences: one line per case in one table.

Each case is a function of float64 tensors built from one primitive (through the public API
where there is one), and the inputs it is checked at. Every case is checked

- in reverse mode: ``ag.gradcheck`` (the engine's VJPs against central differences);
- in forward mode: ``ag.jvp`` against the Jacobian ``ag.jacobian`` gives, times a random
  tangent (the JVP rules against the VJP rules, which gradcheck has just checked);
- in float32: values and gradients stay float32;

and the cases marked ``order2`` also at second order: the gradient computed with
``create_graph`` is differentiated again and checked against finite differences of the
gradient. ``test_every_primitive_has_a_case`` fails when a registered primitive is missing
from the table. The cases of each area of NumPy live in ``tests/cases_<area>.py`` (a ``CASES``
list built with the helpers of ``tests/primitive_table.py``) and are checked here too.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from primitive_table import TIES, C, Case, N, P, S, U, Z  # noqa: F401

import autograd_nb as ag
from autograd_nb.apply import apply
from autograd_nb.numpy_interop import FUNCTIONS, UFUNCS
from autograd_nb.primitives import COMPOSITES, REGISTRY
from autograd_nb.primitives import losses as ls
from autograd_nb.primitives import shaping as sh
from autograd_nb.primitives.arithmetic import linear, linear_vjp_b
from autograd_nb.primitives.elementwise import tanh_vjp


def _set(x, v, index):
    """``y = x * 1; y[index] = v``: assignment into a tensor in the graph (setitem)."""
    y = x * 1.0
    y[index] = v
    return y


COND = np.array([[True, False, True], [False, False, True]])
TARGET = np.array([0, 2, 1, 2])
REP = np.array([0, 2, 0])  # an integer index with a repeat
LOWER = ag.tensor(np.array([-0.5, 0.0, 0.25], dtype=np.float32))  # bounds given as tensors
UPPER = ag.tensor(0.5, dtype=np.float32)

CASES = [
    # ---- arithmetic
    C("add", lambda x, y: x + y, N(), N(), order2=True),
    C("add", lambda x, y: x + y, N(3, 1), N(4)),
    C("add", lambda x, y: x + y, N(2, 3), N()),
    C("add", lambda x: 2.0 + x, N(2, 3)),
    C("sub", lambda x, y: x - y, N(3, 1), N(4), order2=True),
    C("sub", lambda x, y: x - y, N(), N(2, 3)),
    C("sub", lambda x: 1.0 - x, N(2, 3)),
    C("mul", lambda x, y: x * y, N(), N(), order2=True),
    C("mul", lambda x, y: x * y, N(3, 1), N(4), order2=True),
    C("mul", lambda x, y: x * y, N(2, 1, 3), N(4, 1)),
    C("mul", lambda x: x * x, N(2, 3), order2=True),
    C("div", lambda x, y: x / y, N(), Z(), order2=True),
    C("div", lambda x, y: x / y, N(3, 1), Z(4), order2=True),
    C("div", lambda x: 1.0 / x, Z(2, 3), order2=True),
    C("neg", lambda x: -x, N()),
    C("neg", lambda x: -x, N(2, 3), order2=True),
    C("pow", lambda x, y: x**y, P(), N(), order2=True),
    C("pow", lambda x, y: x**y, P(3, 1), N(4), order2=True),
    C("pow", lambda x: x**3, N(2, 3), order2=True),
    C("pow", lambda x: x**0.5, P(2, 3)),
    C("pow", lambda x: 2.0**x, N(2, 3), order2=True),
    C("matmul", lambda x, y: x @ y, N(3), N(3), order2=True),
    C("matmul", lambda x, y: x @ y, N(2, 3), N(3), order2=True),
    C("matmul", lambda x, y: x @ y, N(3), N(3, 4), order2=True),
    C("matmul", lambda x, y: x @ y, N(2, 3), N(3, 4), order2=True),
    C("matmul", lambda x, y: x @ y, N(2, 2, 3), N(2, 3, 4), order2=True),
    C("matmul", lambda x, y: x @ y, N(2, 2, 3), N(3, 4)),
    C("matmul", lambda x, y: x @ y, N(1, 2, 3), N(3, 3, 2)),
    C("matmul", lambda x, y: x @ y, N(3), N(2, 3, 4)),
    C("matmul", lambda x, y: x @ y, N(2, 2, 3), N(3)),
    C("dot", lambda x, y: ag.dot(x, y), N(2, 3), N(3, 2), order2=True),
    C("dot", lambda x, y: np.dot(x, y), N(3), N(3)),
    C("dot", lambda x, y: x.dot(y), N(), N(2, 3)),
    C("identity", lambda x: sh.identity(x) * 1.0, N(2, 3), order2=True),
    C("linear", lambda x, w, b: apply(linear, (x, w, b)), N(3), N(4, 3), N(4), order2=True),
    C("linear", lambda x, w, b: apply(linear, (x, w, b)), N(5, 3), N(4, 3), N(4), order2=True),
    C("linear", lambda x, w, b: apply(linear, (x, w, b)), N(2, 5, 3), N(4, 3), N(4)),
    # ---- elementwise
    C("exp", ag.exp, N(), order2=True),
    C("exp", ag.exp, N(2, 3), order2=True),
    C("log", ag.log, P(), order2=True),
    C("log", ag.log, P(2, 3), order2=True),
    C("sqrt", ag.sqrt, P(), order2=True),
    C("sqrt", ag.sqrt, P(2, 3), order2=True),
    C("sin", ag.sin, N(), order2=True),
    C("sin", ag.sin, N(2, 3), order2=True),
    C("cos", ag.cos, N(), order2=True),
    C("cos", ag.cos, N(2, 3), order2=True),
    C("tanh", ag.tanh, N(), order2=True),
    C("tanh", ag.tanh, N(2, 3), order2=True),
    C("sigmoid", ag.sigmoid, N(), order2=True),
    C("sigmoid", ag.sigmoid, N(2, 3), order2=True),
    C("relu", ag.relu, Z(), order2=True),
    C("relu", ag.relu, Z(2, 3), order2=True),
    C("abs", ag.abs, Z(), order2=True),
    C("abs", lambda x: abs(x), Z(2, 3), order2=True),
    C("maximum", ag.maximum, S(3, 1), S(4), order2=True),
    C("maximum", ag.maximum, S(2, 3), N()),
    C("maximum", lambda x: ag.maximum(x, x), N(2, 3)),
    C("minimum", ag.minimum, S(3, 1), S(4), order2=True),
    C("minimum", ag.minimum, S(2, 3), N()),
    C("minimum", lambda x: ag.minimum(x, x), N(2, 3)),
    C("clip", lambda x: ag.clip(x, -0.5, 0.5), S(2, 3), order2=True),
    C("clip", lambda x: x.clip(-0.2, None), S(2, 3)),
    C("clip", lambda x: x.clip(None, 0.4), S(4)),
    C("clip", lambda x: ag.clip(x, LOWER, UPPER), S(2, 3), order2=True),
    C("where", lambda x, y: ag.where(COND, x, y), N(2, 3), N(2, 3), order2=True),
    C("where", lambda x, y: ag.where(COND, x, y), N(2, 3), N(3)),
    C("where", lambda x, y: ag.where(COND, x, y), N(), N(2, 1)),
    # ---- reductions
    C("sum", lambda x: x.sum(), N(), order2=True),
    C("sum", lambda x: x.sum(), N(2, 3, 4)),
    C("sum", lambda x: x.sum(axis=0), N(2, 3, 4), order2=True),
    C("sum", lambda x: x.sum(axis=-1, keepdims=True), N(2, 3, 4)),
    C("sum", lambda x: ag.sum(x, axis=(0, -1)), N(2, 3, 4)),
    C("mean", lambda x: x.mean(), N(), order2=True),
    C("mean", lambda x: x.mean(), N(2, 3, 4)),
    C("mean", lambda x: x.mean(axis=1), N(2, 3, 4), order2=True),
    C("mean", lambda x: x.mean(axis=-2, keepdims=True), N(2, 3, 4)),
    C("mean", lambda x: ag.mean(x, axis=(0, 2), keepdims=True), N(2, 3, 4)),
    C("max", lambda x: x.max(), N(), order2=True),
    C("max", lambda x: x.max(), S(2, 3, 4)),
    C("max", lambda x: x.max(axis=0), S(2, 3, 4), order2=True),
    C("max", lambda x: x.max(axis=-1, keepdims=True), S(2, 3, 4)),
    C("max", lambda x: ag.max(x, axis=(0, -1)), S(2, 3, 4)),
    C("max", lambda x: x.max(axis=-1), TIES),
    C("min", lambda x: x.min(), N(), order2=True),
    C("min", lambda x: x.min(), S(2, 3, 4)),
    C("min", lambda x: x.min(axis=1), S(2, 3, 4), order2=True),
    C("min", lambda x: ag.min(x, axis=-2, keepdims=True), S(2, 3, 4)),
    C("min", lambda x: x.min(axis=0), TIES),
    C("logsumexp", lambda x: x.logsumexp(), N(), order2=True),
    C("logsumexp", lambda x: x.logsumexp(), N(2, 3, 4), order2=True),
    C("logsumexp", lambda x: ag.logsumexp(x, axis=0), N(2, 3, 4), order2=True),
    C("logsumexp", lambda x: ag.logsumexp(x, axis=-1, keepdims=True), N(2, 3, 4)),
    C("logsumexp", lambda x: ag.logsumexp(x, axis=(0, 2)), N(2, 3, 4)),
    C("softmax", lambda x: x.softmax(), N(4), order2=True),
    C("softmax", lambda x: ag.softmax(x, axis=0), N(2, 3), order2=True),
    C("softmax", lambda x: ag.softmax(x, axis=-2), N(2, 3, 4)),
    C("log_softmax", lambda x: x.log_softmax(), N(4), order2=True),
    C("log_softmax", lambda x: ag.log_softmax(x, axis=0), N(2, 3), order2=True),
    C("log_softmax", lambda x: ag.log_softmax(x, axis=1), N(2, 3, 4)),
    # ---- shaping and indexing
    C("reshape", lambda x: x.reshape(3, 2), N(2, 3), order2=True),
    C("reshape", lambda x: x.reshape(-1), N(2, 3)),
    C("reshape", lambda x: x.reshape(1, 1), N()),
    C("reshape", lambda x: ag.reshape(x, (4, -1)), N(2, 3, 4)),
    C("transpose", lambda x: x.T, N(2, 3), order2=True),
    C("transpose", lambda x: x.transpose(1, 0, 2), N(2, 3, 4)),
    C("transpose", lambda x: x.transpose(-1, 0, 1), N(2, 3, 4)),
    C("transpose", lambda x: ag.transpose(x, (2, 0, 1)), N(2, 3, 4)),
    C("astype", lambda x: sh.astype(x, x.dtype), N(2, 3), order2=True),
    C("broadcast_to", lambda x: ag.broadcast_to(x, (2, 3, 4)), N(3, 1), order2=True),
    C("broadcast_to", lambda x: ag.broadcast_to(x, (2, 3)), N()),
    C("broadcast_to", lambda x: ag.broadcast_to(x, (3, 4)), N(4)),
    C("getitem", lambda x: x[1], N(3, 4), order2=True),
    C("getitem", lambda x: x[-1], N(3, 4)),
    C("getitem", lambda x: x[1:, ::2], N(3, 4), order2=True),
    C("getitem", lambda x: x[..., -2], N(2, 3, 4)),
    C("getitem", lambda x: x[None, 1:3], N(3, 4)),
    C("getitem", lambda x: x[REP], N(3, 4), order2=True),
    C("getitem", lambda x: x[[0, 1, 1], [2, 0, 2]], N(3, 4), order2=True),
    C("getitem", lambda x: x[:, [1, 1, -1]], N(3, 4)),
    C("getitem", lambda x: x[np.array([[0, 1], [1, 1]])], N(3)),
    C("getitem", lambda x: x[COND], N(2, 3)),
    C("scatter_add", lambda g: sh.scatter_add(g, (4,), (REP,)), N(3), order2=True),
    C("scatter_add", lambda g: sh.scatter_add(g, (2, 3), (0,)), N(3)),
    C("scatter_add", lambda g: sh.scatter_add(g, (4, 2), (REP,)), N(3, 2)),
    C("setitem", lambda x, v: _set(x, v, 0), N(2, 3), N(3), order2=True),
    C("setitem", lambda x, v: _set(x, v, (slice(None), 1)), N(2, 3), N()),
    C("setitem", lambda x, v: _set(x, v, ([0, 2],)), N(3, 3), N(2, 3)),
    C("setitem", lambda x, v: _set(x, v, (REP,)), N(3), N(3), order2=True),
    C("setitem", lambda x, v: _set(x, v, (COND,)), N(2, 3), N(3), order2=True),
    C("concatenate", lambda x, y: ag.concatenate([x, y]), N(2, 3), N(1, 3), order2=True),
    C("concatenate", lambda x, y, z: ag.concatenate([x, y, z], axis=-1), N(2, 3), N(2, 1),
      N(2, 2)),
    C("concatenate", lambda x, y: ag.concatenate([x, y], axis=None), N(2, 2), N(3),
      order2=True),
    C("stack", lambda x, y: ag.stack([x, y]), N(2, 3), N(2, 3), order2=True),
    C("stack", lambda x, y: ag.stack([x, y], axis=-1), N(2, 3), N(2, 3)),
    C("stack", lambda x, y, z: ag.stack([x, y, z], axis=1), N(2), N(2), N(2)),
    # ---- losses
    C("mse_loss", lambda p, t: ls.mse_loss(p, t), N(4, 3), N(4, 3), order2=True),
    C("mse_loss", lambda p, t: ls.mse_loss(p, t), N(4, 3), N(3)),
    C("mse_loss", lambda p, t: ls.mse_loss(p, t), N(), N()),
    C("bce_with_logits", lambda z, y: ls.bce_with_logits(z, y), N(5), U(5),
      order2=True),
    C("bce_with_logits", lambda z, y: ls.bce_with_logits(z, y), N(4, 1),
      U(4, 1)),
    C("cross_entropy", lambda z: ls.cross_entropy(z, TARGET), N(4, 3), order2=True),
]

# each tests/cases_<area>.py adds the cases of its area of NumPy
for _module in sorted(Path(__file__).parent.glob("cases_*.py")):
    CASES += importlib.import_module(_module.stem).CASES

PARAMS = [pytest.param(case, id=case.id) for case in CASES]


def _inputs(case: Case, rng: np.random.Generator) -> list[np.ndarray]:
    return [make(rng) for make in case.inputs]


# ------------------------------------------------------------------------------ the checks


def _engines(table) -> set[str]:  # not the primitives other tests define
    return {name for name, op in table.items()
            if op.__wrapped__.__module__.startswith("autograd_nb.primitives")}


def test_every_primitive_has_a_case():
    tested = {case.op for case in CASES}
    engine = _engines(REGISTRY) | _engines(COMPOSITES)
    assert sorted(engine - tested) == [], "operations without a case in CASES"
    assert sorted(tested - engine) == [], "cases naming no registered operation"


def test_every_registered_name_exists():
    """The NumPy functions, ag. functions, methods and operators a registration names."""
    for op in [*REGISTRY.values(), *COMPOSITES.values()]:
        if op.function:
            assert callable(getattr(ag, op.function)), op.function
        if op.method:
            assert callable(getattr(ag.Tensor, op.method)), op.method
        for target in op.numpy:
            assert target in UFUNCS or target in FUNCTIONS, (op.name, target)


@pytest.mark.parametrize("case", PARAMS)
def test_case_runs_its_primitive(case, rng):
    """Each line really exercises the operation it names: a primitive is recorded on a tape,
    a composite records the primitives it is made of."""
    xs = [ag.tensor(a, requires_grad=True) for a in _inputs(case, rng)]
    with ag.Tape() as tape:
        out = case.fn(*xs)
    if case.op in COMPOSITES:
        assert len(tape) > 0 and out.requires_grad
    else:
        assert case.op in {record.op for record in tape}


@pytest.mark.parametrize("case", PARAMS)
def test_reverse_mode(case, rng):
    assert ag.gradcheck(case.fn, *_inputs(case, rng))


@pytest.mark.parametrize("case", PARAMS)
def test_forward_mode(case, rng):
    xs = _inputs(case, rng)
    tangents = [rng.normal(size=x.shape) for x in xs]
    jacobians = ag.jacobian(case.fn, argnums=tuple(range(len(xs))))(*xs)
    expected = sum(np.tensordot(j, t, axes=t.ndim) for j, t in zip(jacobians, tangents))
    value, tangent = ag.jvp(case.fn, xs, tangents)
    np.testing.assert_allclose(value, case.fn(*[ag.tensor(x) for x in xs]).data, rtol=1e-12)
    assert np.shape(tangent) == np.shape(value)
    np.testing.assert_allclose(tangent, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", [p for p in PARAMS if p.values[0].order2])
def test_second_order(case, rng):
    """The gradient, recorded with create_graph, differentiated again, against finite
    differences of that gradient."""
    xs = _inputs(case, rng)
    weights = rng.normal(size=case.fn(*[ag.tensor(x) for x in xs]).shape)
    argnums = tuple(range(len(xs)))

    def scalar(*ts):
        return (case.fn(*ts) * weights).sum()

    def gradient(*ts):
        grads = ag.grad(scalar, argnums=argnums)(*ts)
        return ag.concatenate([ag.reshape(g, (-1,)) for g in grads])

    assert ag.gradcheck(gradient, *xs)


@pytest.mark.parametrize("case", PARAMS)
def test_float32_stays_float32(case, rng):
    xs = [ag.tensor(a.astype(np.float32), requires_grad=True) for a in _inputs(case, rng)]
    out = case.fn(*xs)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    for x in xs:
        assert x.grad.dtype == np.float32
        assert x.grad.shape == x.shape


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rules_on_big_arrays_match_the_small_array_formulas(dtype, rng):
    """Some rules take an in-place route for big arrays (tanh) or one BLAS call (the bias of
    linear); the cases above are small, so compare the big-array answers here."""
    x = rng.standard_normal((96, 64)).astype(dtype)  # 6144 elements
    g = rng.standard_normal((96, 64)).astype(dtype)
    ans = np.tanh(x)
    kept = ans.copy(), g.copy()
    got = tanh_vjp(g, ans, x)
    np.testing.assert_allclose(got, g * (1 - ans * ans), rtol=1e-6)
    assert got.dtype == dtype
    np.testing.assert_array_equal(ans, kept[0])  # inputs untouched
    np.testing.assert_array_equal(g, kept[1])
    w, b = rng.standard_normal((5, 64)).astype(dtype), np.zeros(5, dtype)
    g_out = rng.standard_normal((96, 5)).astype(dtype)
    np.testing.assert_allclose(linear_vjp_b(g_out, None, x, w, b), g_out.sum(axis=0), rtol=1e-5)
