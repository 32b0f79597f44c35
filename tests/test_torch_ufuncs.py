"""NumPy's other elementwise functions against PyTorch in float64: values, gradients, second
and third derivatives (reverse, and forward over reverse), and the corner points PyTorch
defines (fmax/fmin ties and NaNs, arctan2 and sinc at 0, remainder with negative operands,
logaddexp with infinities, nan_to_num). Where this library deliberately differs from PyTorch
(hypot at the origin, sinc's higher derivatives at 0) the test says so and checks the
analytic value. The step functions (floor, round...) are recorded and differentiate to 0
without warnings, in every transformation.
"""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np
import pytest
import torch
import torch.func

import autograd_nb as ag

# torch.func warns about its own use of torch.jit.script
pytestmark = pytest.mark.filterwarnings("ignore:.*torch.jit.script.*:DeprecationWarning")

# ------------------------------------------------------------------------------- helpers

GENERAL = (-1.3, 0.4, 2.1)
UNIT = (-0.6, 0.1, 0.8)  # inside (-1, 1)

# name: (the NumPy function, PyTorch's, points in the domain)
UNARY = {
    "tan": (np.tan, torch.tan, (-0.7, 0.2, 1.1)),
    "arcsin": (np.arcsin, torch.asin, UNIT),
    "arccos": (np.arccos, torch.acos, UNIT),
    "arctan": (np.arctan, torch.atan, GENERAL),
    "sinh": (np.sinh, torch.sinh, GENERAL),
    "cosh": (np.cosh, torch.cosh, GENERAL),
    "arcsinh": (np.arcsinh, torch.asinh, GENERAL),
    "arccosh": (np.arccosh, torch.acosh, (1.2, 2.0, 5.0)),
    "arctanh": (np.arctanh, torch.atanh, UNIT),
    "log1p": (np.log1p, torch.log1p, (-0.5, 0.3, 4.0)),
    "expm1": (np.expm1, torch.expm1, GENERAL),
    "log2": (np.log2, torch.log2, (0.3, 1.0, 8.0)),
    "log10": (np.log10, torch.log10, (0.3, 1.0, 100.0)),
    "exp2": (np.exp2, torch.exp2, GENERAL),
    "square": (np.square, torch.square, GENERAL),
    "reciprocal": (np.reciprocal, torch.reciprocal, GENERAL),
    "sinc": (np.sinc, torch.sinc, (-1.3, 0.1, 0.3, 2.1)),
    "deg2rad": (np.deg2rad, torch.deg2rad, GENERAL),
    "radians": (np.radians, torch.deg2rad, GENERAL),
    "rad2deg": (np.rad2deg, torch.rad2deg, GENERAL),
    "degrees": (np.degrees, torch.rad2deg, GENERAL),
    "fabs": (np.fabs, torch.abs, GENERAL),
}

# name: (the NumPy function, PyTorch's, points x1, points x2); differentiable ones only
BINARY = {
    "arctan2": (np.arctan2, torch.atan2),
    "hypot": (np.hypot, torch.hypot),
    "logaddexp": (np.logaddexp, torch.logaddexp),
    "logaddexp2": (np.logaddexp2, torch.logaddexp2),
    "fmax": (np.fmax, torch.fmax),
    "fmin": (np.fmin, torch.fmin),
    "remainder": (np.remainder, torch.remainder),
}
SMOOTH_BINARY = ["arctan2", "hypot", "logaddexp", "logaddexp2"]


def torch_value_and_grads(fn, arrays, cotangent):
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*ts)
    grads = torch.autograd.grad(out, ts, grad_outputs=torch.tensor(cotangent))
    return out.detach().numpy(), [g.numpy() for g in grads]


def ag_value_and_grads(fn, arrays, cotangent):
    xs = [ag.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*xs)
    out.backward(cotangent)
    return out.data, [x.grad.data for x in xs]


def assert_same(got, want, rtol=1e-10, atol=1e-13):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                               rtol=rtol, atol=atol, equal_nan=True)


@contextlib.contextmanager
def no_warnings():
    """A context in which any warning (an "output does not depend on the input" one included)
    fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ------------------------------------------------------------------------ one input


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_and_gradients_match_torch(name, rng):
    np_fn, torch_fn, points = UNARY[name]
    x = np.array(points)
    cotangent = rng.normal(size=x.shape)
    value, (grad,) = ag_value_and_grads(np_fn, [x], cotangent)
    want_value, (want_grad,) = torch_value_and_grads(torch_fn, [x], cotangent)
    assert_same(value, want_value, rtol=1e-13)
    assert_same(grad, want_grad)
    # the ag. function and the method (where there is one) are the same operation
    assert_same(getattr(ag, name)(x).data, want_value, rtol=1e-13)
    if hasattr(torch.Tensor, name):
        assert_same(getattr(ag.tensor(x), name)().data, want_value, rtol=1e-13)


def _torch_derivative(torch_fn, order):
    f = torch_fn
    for _ in range(order):
        f = torch.func.grad(f)
    return f


# The derivatives of a linear function (deg2rad...) are constants: differentiating one again
# gives 0 with the engine's "does not depend on the inputs" warning, rightly.
@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs")
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_higher_derivatives_match_torch_func(name):
    """Second derivatives in reverse mode and forward over reverse, and a third derivative,
    at each point: the rules are differentiable programs."""
    np_fn, torch_fn, points = UNARY[name]
    for x0 in points:
        tx = torch.tensor(x0, dtype=torch.float64)
        second = float(_torch_derivative(torch_fn, 2)(tx))
        third = float(_torch_derivative(torch_fn, 3)(tx))
        assert_same(ag.grad(ag.grad(np_fn))(x0), second, rtol=1e-9, atol=1e-12)
        assert_same(ag.jvp(ag.grad(np_fn), (x0,), (1.0,))[1], second, rtol=1e-9, atol=1e-12)
        assert_same(ag.grad(ag.grad(ag.grad(np_fn)))(x0), third, rtol=1e-8, atol=1e-11)
        assert_same(ag.jvp(ag.grad(ag.grad(np_fn)), (x0,), (1.0,))[1], third, rtol=1e-8,
                    atol=1e-11)


# ------------------------------------------------------------------------ two inputs


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((3, 1), (4,)), ((), (2, 3))])
def test_binary_values_and_gradients_match_torch(name, shapes, rng):
    np_fn, torch_fn = BINARY[name]
    x1 = rng.normal(size=shapes[0])
    x2 = rng.choice([-1.0, 1.0], size=shapes[1]) * rng.uniform(0.3, 1.5, size=shapes[1])
    cotangent = rng.normal(size=np.broadcast_shapes(*shapes))
    value, grads = ag_value_and_grads(np_fn, [x1, x2], cotangent)
    want_value, want_grads = torch_value_and_grads(torch_fn, [x1, x2], cotangent)
    assert_same(value, want_value, rtol=1e-13)
    for got, want in zip(grads, want_grads):
        assert got.shape == want.shape
        assert_same(got, want)
    assert_same(getattr(ag, name)(x1, x2).data, want_value, rtol=1e-13)
    assert_same(getattr(ag.tensor(x1), name)(x2).data, want_value, rtol=1e-13)


@pytest.mark.parametrize("name", SMOOTH_BINARY)
def test_binary_second_derivatives_match_torch_func(name, rng):
    """The Hessian of sum(f(x1, x2)) over both inputs, and a forward-over-reverse product."""
    np_fn, torch_fn = BINARY[name]
    x = np.array([0.7, -1.1])

    def f_ag(v):
        return np_fn(v[0], v[1])

    def f_torch(v):
        return torch_fn(v[0], v[1])

    want = torch.func.hessian(f_torch)(torch.tensor(x)).numpy()
    assert_same(ag.hessian(f_ag)(x), want, rtol=1e-9)
    v = rng.normal(size=2)
    assert_same(ag.jvp(ag.grad(f_ag), (x,), (v,))[1], want @ v, rtol=1e-9)


# ------------------------------------------------------------------------ corner points

NAN, INF = math.nan, math.inf


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_fmin_ties_and_nans_follow_torch(name):
    """Ties send the whole gradient to x1 (maximum/minimum split them); NaNs are skipped:
    where x2 is NaN x1 gets the gradient, where only x1 is NaN x2 gets it."""
    np_fn, torch_fn = BINARY[name]
    x1 = np.array([1.0, 2.0, 3.0, NAN, NAN, 1.0, -0.0])
    x2 = np.array([1.0, 1.0, 4.0, 1.0, NAN, NAN, 0.0])
    cotangent = np.arange(1.0, 8.0)
    value, grads = ag_value_and_grads(np_fn, [x1, x2], cotangent)
    want_value, want_grads = torch_value_and_grads(torch_fn, [x1, x2], cotangent)
    assert_same(value, want_value)
    for got, want in zip(grads, want_grads):
        assert_same(got, want)
    # forward mode agrees with reverse
    _, tangent = ag.jvp(np_fn, (x1, x2), (np.ones(7), np.zeros(7)))
    assert_same(tangent, grads[0] / cotangent)


def test_remainder_with_negative_operands_follows_torch():
    """The sign of the divisor, and d/dx2 = -floor(x1/x2), for every sign combination, an
    exact multiple, and the % operator both ways."""
    x1 = np.array([5.5, -5.5, 5.5, -5.5, 6.0, -0.25, 7.0])
    x2 = np.array([2.0, 2.0, -2.0, -2.0, 2.0, 3.0, -0.75])
    cotangent = np.linspace(0.5, 2.0, 7)
    for ag_fn, torch_fn in [(np.remainder, torch.remainder), (np.mod, torch.remainder),
                            (lambda a, b: a % b, lambda a, b: a % b),
                            (ag.mod, torch.remainder)]:
        value, grads = ag_value_and_grads(ag_fn, [x1, x2], cotangent)
        want_value, want_grads = torch_value_and_grads(torch_fn, [x1, x2], cotangent)
        assert_same(value, want_value)
        for got, want in zip(grads, want_grads):
            assert_same(got, want)
    for ag_fn, torch_fn in [(lambda t: t % 1.0, lambda t: t % 1.0),
                            # torch's 2.0 % t has no derivative: a tensor 2.0 has
                            (lambda t: 2.0 % t, lambda t: torch.tensor(2.0).double() % t)]:
        value, (grad,) = ag_value_and_grads(ag_fn, [x2], cotangent)
        want_value, (want_grad,) = torch_value_and_grads(torch_fn, [x2], cotangent)
        assert_same(value, want_value)
        assert_same(grad, want_grad)


def test_arctan2_at_the_origin_follows_torch():
    x1, x2 = np.array([0.0, 0.0, 0.0, 3.0]), np.array([0.0, -0.0, 2.0, 0.0])
    cotangent = np.ones(4)
    value, grads = ag_value_and_grads(np.arctan2, [x1, x2], cotangent)
    want_value, want_grads = torch_value_and_grads(torch.atan2, [x1, x2], cotangent)
    assert_same(value, want_value)
    for got, want in zip(grads, want_grads):
        assert_same(got, want)
        assert np.all(np.isfinite(got))


def test_hypot_at_zero():
    """With one input 0, the derivatives are PyTorch's (0 and ±1). At the origin PyTorch gives
    NaN; here the subgradient 0 is taken (hypot(x, 0) = |x|, and abs has derivative 0 at 0)."""
    x1, x2 = np.array([0.0, 0.0, -3.0]), np.array([2.0, -2.0, 0.0])
    cotangent = np.array([1.0, 2.0, 3.0])
    value, grads = ag_value_and_grads(np.hypot, [x1, x2], cotangent)
    want_value, want_grads = torch_value_and_grads(torch.hypot, [x1, x2], cotangent)
    assert_same(value, want_value)
    for got, want in zip(grads, want_grads):
        assert_same(got, want)
    # the origin: torch's NaN against our 0
    _, torch_at_origin = torch_value_and_grads(torch.hypot, [np.zeros(1), np.zeros(1)], np.ones(1))
    assert all(np.isnan(g).all() for g in torch_at_origin)
    value, grads = ag_value_and_grads(np.hypot, [np.zeros(1), np.zeros(1)], np.ones(1))
    assert value[0] == 0.0 and grads[0][0] == 0.0 and grads[1][0] == 0.0
    assert_same(ag.grad(lambda t: ag.hypot(t, 0.0))(0.0), ag.grad(ag.abs)(0.0))


def test_sinc_at_zero():
    """sinc(0) = 1 and sinc'(0) = 0 as in PyTorch; the higher derivatives at 0 are the Taylor
    coefficients (-π²/3, 0, π⁴/5), where PyTorch's double backward gives NaN."""
    x = np.array([0.0, 1e-9, -1e-4, 0.2499, 0.2501])
    cotangent = np.ones(5)
    value, (grad,) = ag_value_and_grads(np.sinc, [x], cotangent)
    want_value, (want_grad,) = torch_value_and_grads(torch.sinc, [x], cotangent)
    assert_same(value, want_value)
    # PyTorch's formula cancels near 0 (0 at 1e-9, where the slope is -3.3e-9)
    assert_same(grad, want_grad, rtol=1e-7, atol=1e-8)
    assert_same(grad[1], -math.pi**2 / 3 * 1e-9, rtol=1e-12)
    assert grad[0] == 0.0
    assert math.isnan(float(_torch_derivative(torch.sinc, 2)(torch.tensor(0.0,
                                                                         dtype=torch.float64))))
    d2 = ag.grad(ag.grad(ag.sinc))
    d3 = ag.grad(d2)
    d4 = ag.grad(d3)
    assert_same(d2(0.0), -math.pi**2 / 3, rtol=1e-14)
    assert_same(d3(0.0), 0.0)
    assert_same(d4(0.0), math.pi**4 / 5, rtol=1e-12)
    assert_same(ag.jvp(d2, (0.0,), (1.0,))[1], 0.0)
    # both sides of the switch from the series to the formula agree with torch.func
    for x0 in (0.2499, 0.2501, -0.01):
        tx = torch.tensor(x0, dtype=torch.float64)
        assert_same(d2(x0), float(_torch_derivative(torch.sinc, 2)(tx)), rtol=1e-9)


def test_logaddexp_with_infinities_follows_torch():
    x1 = np.array([INF, 1.0, -INF, -INF, INF, 0.0])
    x2 = np.array([1.0, INF, 2.0, -INF, INF, 0.0])
    cotangent = np.ones(6)
    for name in ("logaddexp", "logaddexp2"):
        np_fn, torch_fn = BINARY[name]
        with np.errstate(invalid="ignore"):  # inf - inf where both are inf: NaN, as in PyTorch
            value, grads = ag_value_and_grads(np_fn, [x1, x2], cotangent)
        want_value, want_grads = torch_value_and_grads(torch_fn, [x1, x2], cotangent)
        assert_same(value, want_value)
        for got, want in zip(grads, want_grads):
            assert_same(got, want)


def test_nan_to_num_follows_torch():
    x = np.array([1.5, NAN, INF, -INF, -2.0])
    cotangent = np.arange(1.0, 6.0)
    for kwargs in ({}, {"nan": 1.0, "posinf": 5.0, "neginf": -5.0}, {"posinf": 9.0}):
        value, (grad,) = ag_value_and_grads(lambda t, kw=kwargs: np.nan_to_num(t, **kw),
                                            [x], cotangent)
        want_value, (want_grad,) = torch_value_and_grads(
            lambda t, kw=kwargs: torch.nan_to_num(t, **kw), [x], cotangent)
        assert_same(value, want_value)
        assert_same(grad, want_grad)
        assert_same(ag.tensor(x).nan_to_num(**kwargs).data, want_value)
    _, tangent = ag.jvp(np.nan_to_num, (x,), (np.ones(5),))
    assert_same(tangent, [1.0, 0.0, 0.0, 0.0, 1.0])


def test_nan_to_num_refuses_what_it_cannot_do():
    t = ag.tensor([1.0, NAN], requires_grad=True)
    with pytest.raises(TypeError, match=r"nan_to_num.*copy=False.*assign the result"):
        np.nan_to_num(t, copy=False)
    # PyTorch's positional nan= would land on NumPy's copy: refused, not silently ignored
    with pytest.raises(TypeError, match=r"nan_to_num.*copy=1\.0.*by name"):
        t.nan_to_num(1.0)


# ------------------------------------------------------------------------ step functions

STEPS = {  # name: (how it is called, PyTorch's)
    "sign": (np.sign, torch.sign),
    "floor": (np.floor, torch.floor),
    "ceil": (np.ceil, torch.ceil),
    "round": (np.round, torch.round),
    "around": (np.around, torch.round),
    "round-1": (lambda t: np.round(t, 1), lambda t: torch.round(t, decimals=1)),
    "round-2": (lambda t: t.round(decimals=-1), lambda t: torch.round(t, decimals=-1)),
    "rint": (np.rint, torch.round),
    "trunc": (np.trunc, torch.trunc),
    "floor_divide": (lambda t: t // 0.75, lambda t: torch.floor_divide(t, 0.75)),
    "floor_divide-r": (lambda t: np.floor_divide(-3.0, t), lambda t: torch.floor_divide(-3.0, t)),
}
STEP_POINTS = np.array([-2.5, -1.5, -0.25, 0.0, 0.5, 1.26, 2.5, 14.9])


@pytest.mark.parametrize("name", sorted(STEPS))
def test_steps_match_torch_and_differentiate_to_zero(name):
    """Values as PyTorch (halves to even); the gradient is 0 (PyTorch has no derivative for
    floor_divide), recorded on the tape, and no transformation warns about it."""
    ag_fn, torch_fn = STEPS[name]
    x = STEP_POINTS[STEP_POINTS != 0] if name == "floor_divide-r" else STEP_POINTS
    want = torch_fn(torch.tensor(x)).numpy()
    if not name.startswith("floor_divide"):
        _, (want_grad,) = torch_value_and_grads(torch_fn, [x], np.ones(x.shape))
        assert_same(want_grad, np.zeros(x.shape))
    with no_warnings():
        t = ag.tensor(x, requires_grad=True)
        with ag.Tape() as tape:
            out = ag_fn(t)
        assert_same(out.data, want)
        assert len(tape) >= 1 and out.requires_grad  # recorded, not a constant
        out.backward(np.ones(x.shape))
        assert t.grad.dtype == np.float64
        assert_same(t.grad.data, np.zeros(x.shape))
        assert_same(ag.grad(lambda v: ag_fn(v).sum())(x), np.zeros(x.shape))
        assert_same(ag.jvp(ag_fn, (x,), (np.ones(x.shape),))[1], np.zeros(x.shape))
        # vjp_fn stays a function of its cotangent, so differentiating it does not warn
        _, vjp_fn = ag.vjp(ag_fn, x)
        assert_same(ag.grad(lambda v: vjp_fn(v).sum())(np.ones(x.shape)), np.zeros(x.shape))


def test_steps_inside_a_product_follow_torch():
    """floor(x)·x: the product rule meets the zero derivative, at first and second order."""
    x = np.array([-1.5, 0.3, 2.7])
    value, (grad,) = ag_value_and_grads(lambda t: np.floor(t) * t, [x], np.ones(3))
    want_value, (want_grad,) = torch_value_and_grads(lambda t: torch.floor(t) * t, [x],
                                                     np.ones(3))
    assert_same(value, want_value)
    assert_same(grad, want_grad)
    with no_warnings():
        second = ag.grad(ag.grad(lambda t: (np.floor(t) * t).sum()))
        assert_same(second(0.3), 0.0)


def test_float32_stays_float32_at_the_corners():
    x = ag.tensor(np.array([0.0, 0.5, -2.0], dtype=np.float32), requires_grad=True)
    for fn in (np.sinc, lambda t: np.hypot(t, 0.0), lambda t: np.arctan2(t, 0.0),
               np.nan_to_num, lambda t: t % 0.75, np.floor, ag.round):
        assert fn(x).dtype == np.float32
        assert ag.grad(lambda v, fn=fn: fn(v).sum())(x).dtype == np.float32


def test_python_round_gives_a_tensor_as_torch_does():
    """``round(t)`` and ``round(t, 1)``: a tensor with NumPy's values (halves to even, as
    torch.round), recorded with derivative 0."""
    x = np.array([0.5, 1.5, 2.567, -2.5])
    t = ag.tensor(x, requires_grad=True)
    for ours, theirs in ((round(t), torch.round(torch.tensor(x))),
                         (round(t, 1), torch.round(torch.tensor(x), decimals=1))):
        assert isinstance(ours, ag.Tensor)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    (round(t, 1) * t).sum().backward()
    tx = torch.tensor(x, requires_grad=True)
    (torch.round(tx, decimals=1) * tx).sum().backward()
    np.testing.assert_allclose(t.grad.data, tx.grad.numpy())
