"""Property tests (hypothesis): random shapes, broadcasting-compatible pairs and random
compositions of elementwise operations and reductions.

Every property is checked on examples drawn reproducibly (the ``autograd_nb`` profile in
``conftest.py`` sets ``derandomize=True``): gradients agree with finite differences, forward
mode agrees with reverse mode (``<v, J·t> = <Jᵀ·v, t>``), and ``unbroadcast`` gives back the
input's shape as the adjoint of broadcasting.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_nb as ag
from autograd_nb.primitives import unbroadcast

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
SEEDS = st.integers(0, 2**32 - 1)


def values(seed: int, *shapes: tuple) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


# --------------------------------------------------------------------------- broadcasting


@given(PAIRS, SEEDS)
def test_unbroadcast_is_the_adjoint_of_broadcasting(pair, seed):
    (shape, _), result = pair
    g, v = values(seed, result, shape)
    back = unbroadcast(g, shape)
    assert back.shape == shape
    # <unbroadcast(g), v> = <g, broadcast(v)>: the sum over what broadcasting repeated
    np.testing.assert_allclose(np.sum(back * v), np.sum(g * np.broadcast_to(v, result)),
                               rtol=1e-10, atol=1e-12)


@given(PAIRS, SEEDS, st.sampled_from(["add", "sub", "mul", "div", "maximum"]))
def test_binary_ops_on_broadcast_pairs(pair, seed, op):
    (sx, sy), result = pair
    x, y = values(seed, sx, sy)
    y = np.where(np.abs(y) < 0.3, 0.3 + np.abs(y), y) if op == "div" else y
    fn = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "maximum": ag.maximum,
    }[op]
    a, b = ag.tensor(x, requires_grad=True), ag.tensor(y, requires_grad=True)
    out = fn(a, b)
    assert out.shape == result
    out.sum().backward()
    assert a.grad.shape == sx and b.grad.shape == sy
    assert ag.gradcheck(fn, x, y)


@given(PAIRS, SEEDS)
def test_gradient_of_broadcast_sum_counts_repeats(pair, seed):
    (sx, sy), result = pair
    x, y = values(seed, sx, sy)
    a, b = ag.tensor(x, requires_grad=True), ag.tensor(y, requires_grad=True)
    (a + b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, np.full(sx, np.prod(result) / np.prod(sx)))
    np.testing.assert_array_equal(b.grad.data, np.full(sy, np.prod(result) / np.prod(sy)))


# ----------------------------------------------------------------------------- reductions


@st.composite
def reductions(draw):
    shape = draw(SHAPES)
    ndim = len(shape)
    axis = draw(st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1) if ndim else st.none(),
        st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
        if ndim else st.none(),
    ))
    return shape, axis, draw(st.booleans())


@given(reductions(), SEEDS, st.sampled_from(["sum", "mean", "max", "min", "logsumexp"]))
def test_reductions_match_numpy_and_finite_differences(spec, seed, op):
    shape, axis, keepdims = spec
    (x,) = values(seed, shape)
    fn = getattr(ag, op)
    reference = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min,
                 "logsumexp": lambda a, axis, keepdims: np.log(np.sum(
                     np.exp(a), axis=axis, keepdims=keepdims))}[op]
    out = fn(ag.tensor(x), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, reference(x, axis=axis, keepdims=keepdims), rtol=1e-12)
    assert ag.gradcheck(lambda t: fn(t, axis=axis, keepdims=keepdims), x)


@st.composite
def matmul_shapes(draw):
    """Operand shapes for ``@``: 1-D vectors, matrices, and stacks whose batch axes broadcast."""
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    (batch_a, batch_b), _ = draw(hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=2, max_side=2))
    left = draw(st.sampled_from([(k,), batch_a + (n, k)]))
    right = draw(st.sampled_from([(k,), batch_b + (k, m)]))
    return left, right


@given(matmul_shapes(), SEEDS)
def test_matmul_on_random_shapes(shapes, seed):
    x, y, tx, ty = values(seed, *shapes, *shapes)
    assert ag.gradcheck(lambda a, b: a @ b, x, y)
    _, tangent = ag.jvp(lambda a, b: a @ b, (x, y), (tx, ty))
    np.testing.assert_allclose(tangent, tx @ y + x @ ty, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------- random compositions

UNARY = {
    "sin": ag.sin,
    "cos": ag.cos,
    "tanh": ag.tanh,
    "sigmoid": ag.sigmoid,
    "square": lambda t: t * t,
    "exp_tanh": lambda t: ag.exp(ag.tanh(t)),
    "softplus": lambda t: ag.log(1.0 + ag.exp(ag.tanh(t))),
    "sqrt_1p": lambda t: ag.sqrt(1.0 + t * t),
    "neg_scale": lambda t: -0.5 * t,
    "cube": lambda t: t**3,
}
BINARY = {
    "add": lambda t, w: t + w,
    "sub": lambda t, w: w - t,
    "mul": lambda t, w: t * w,
    "div": lambda t, w: t / (1.5 + ag.sin(w)),
    "pow": lambda t, w: (1.0 + t * t) ** ag.tanh(w),
}
REDUCE = {
    "sum": lambda t, axis, keep: t.sum(axis=axis, keepdims=keep),
    "mean": lambda t, axis, keep: t.mean(axis=axis, keepdims=keep),
    "logsumexp": lambda t, axis, keep: ag.logsumexp(t, axis=axis, keepdims=keep),
    "max": lambda t, axis, keep: t.max(axis=axis, keepdims=keep),
}


@st.composite
def programs(draw):
    """Input shapes (x and a second operand broadcastable with it) and a list of steps."""
    (sx, sw), _ = draw(PAIRS)
    steps = draw(st.lists(
        st.one_of(
            st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY))),
            st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY))),
            st.tuples(st.just("reduce"), st.sampled_from(sorted(REDUCE)), st.integers(0, 2),
                      st.booleans()),
        ),
        min_size=1, max_size=6,
    ))
    return sx, sw, steps


def run(steps, x, w):
    """Apply the steps to ``x``; a reduction takes one axis of what is left (if any)."""
    t = x
    for step in steps:
        if step[0] == "unary":
            t = UNARY[step[1]](t)
        elif step[0] == "binary":
            t = BINARY[step[1]](t, w)
        elif np.ndim(t.data):
            _, name, axis, keep = step
            t = REDUCE[name](t, axis % t.ndim - t.ndim, keep)  # a negative axis
    return t


@given(programs(), SEEDS)
def test_random_compositions_against_finite_differences(program, seed):
    sx, sw, steps = program
    x, w = values(seed, sx, sw)
    assert ag.gradcheck(lambda a, b: run(steps, a, b), x, w)


@given(programs(), SEEDS)
def test_random_compositions_forward_mode_agrees_with_reverse(program, seed):
    sx, sw, steps = program
    x, w, tx, tw = values(seed, sx, sw, sx, sw)
    value, tangent = ag.jvp(lambda a, b: run(steps, a, b), (x, w), (tx, tw))
    v = np.random.default_rng(seed + 1).normal(size=np.shape(value))
    a, b = ag.tensor(x, requires_grad=True), ag.tensor(w, requires_grad=True)
    out = run(steps, a, b)
    np.testing.assert_allclose(out.data, value, rtol=1e-12)
    out.backward(v)
    ga = a.grad.data if a.grad is not None else np.zeros(sx)
    gb = b.grad.data if b.grad is not None else np.zeros(sw)
    # <v, J·t> = <Jᵀ·v, t>
    np.testing.assert_allclose(np.sum(v * tangent), np.sum(ga * tx) + np.sum(gb * tw),
                               rtol=1e-9, atol=1e-10)


@given(SHAPES, SEEDS)
def test_gradient_of_a_linear_functional_is_its_weights(shape, seed):
    x, weights = values(seed, shape, shape)
    g = ag.grad(lambda t: (t * weights).sum())(x)
    np.testing.assert_allclose(g, weights, rtol=0, atol=0)


@given(SHAPES, SEEDS)
def test_second_derivative_of_elementwise_composition(shape, seed):
    (x,) = values(seed, shape)
    # f = Σ sin(x)·x², f'' per element = (2 - x²) sin x + 4x cos x
    h = ag.grad(lambda t: (ag.grad(lambda u: (ag.sin(u) * u * u).sum())(t)).sum())(x)
    np.testing.assert_allclose(h, (2 - x**2) * np.sin(x) + 4 * x * np.cos(x), rtol=1e-10,
                               atol=1e-12)
