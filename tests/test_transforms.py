"""Function transformations: grad (argnums int and tuple), value_and_grad, vjp, jacobian,
hessian, nesting, and gradcheck's report on a deliberately wrong rule."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb.primitives import REGISTRY
from autograd_nb.primitives.registry import defjvp, defvjp, primitive


def f_xy(x, y):
    return (x * y + ag.sin(x)).sum()


# ---------------------------------------------------------------------------------- grad


def test_grad_argnums_int(rng):
    x, y = rng.normal(size=3), rng.normal(size=3)
    np.testing.assert_allclose(ag.grad(f_xy)(x, y), y + np.cos(x), rtol=1e-12)
    np.testing.assert_allclose(ag.grad(f_xy, argnums=1)(x, y), x, rtol=1e-12)


def test_grad_argnums_tuple(rng):
    x, y = rng.normal(size=3), rng.normal(size=3)
    gx, gy = ag.grad(f_xy, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx, y + np.cos(x), rtol=1e-12)
    np.testing.assert_allclose(gy, x, rtol=1e-12)
    (gy_only,) = ag.grad(f_xy, argnums=(1,))(x, y)
    np.testing.assert_allclose(gy_only, x, rtol=1e-12)


def test_grad_of_python_number_and_list():
    assert float(ag.grad(lambda x: x**3)(2.0)) == 12.0
    assert float(ag.grad(lambda x: x**3)(2)) == 12.0  # an int is differentiated as a float
    np.testing.assert_array_equal(ag.grad(lambda x: (x * x).sum())([1.0, 2.0]), [2.0, 4.0])


def test_grad_returns_arrays_for_arrays_and_tensors_for_tensors(rng):
    x = rng.normal(size=3)
    g = ag.grad(lambda v: (v * v).sum())(x)
    assert isinstance(g, np.ndarray) and g.shape == (3,)
    t = ag.grad(lambda v: (v * v).sum())(ag.tensor(x))
    assert isinstance(t, ag.Tensor)
    np.testing.assert_allclose(t.data, 2 * x)


def test_grad_leaves_inputs_and_their_grad_alone(rng):
    x = rng.normal(size=3)
    keep = x.copy()
    ag.grad(lambda v: (v * v).sum())(x)
    np.testing.assert_array_equal(x, keep)


def test_grad_of_function_not_depending_on_input():
    with pytest.warns(UserWarning, match="does not depend on the inputs"):
        g = ag.grad(lambda x, y: (y * 2.0).sum())(np.ones(2), np.ones(2))
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_value_and_grad(rng):
    x, y = rng.normal(size=3), rng.normal(size=3)
    value, g = ag.value_and_grad(f_xy)(x, y)
    assert float(value) == pytest.approx(np.sum(x * y + np.sin(x)))
    np.testing.assert_allclose(g, y + np.cos(x), rtol=1e-12)
    value, (gx, gy) = ag.value_and_grad(f_xy, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gy, x, rtol=1e-12)


def test_vjp_is_v_times_jacobian(rng):
    a = rng.normal(size=(4, 3))
    x, v = rng.normal(size=3), rng.normal(size=4)
    out, vjp_fn = ag.vjp(lambda x: ag.tanh(a @ x), x)
    np.testing.assert_allclose(np.asarray(out), np.tanh(a @ x))
    expected = v @ ((1 - np.tanh(a @ x) ** 2)[:, None] * a)
    np.testing.assert_allclose(vjp_fn(v), expected, rtol=1e-12)


# ----------------------------------------------------------------------------- jacobian


@pytest.mark.parametrize(
    ("in_shape", "fn", "out_shape"),
    [
        ((3,), lambda x: x * 2.0, (3,)),
        ((2, 3), lambda x: x.sum(axis=0), (3,)),
        ((3,), lambda x: x.sum(), ()),
        ((), lambda x: ag.stack([x, x * x]), (2,)),
        ((2, 3), lambda x: x.T @ x, (3, 3)),
    ],
)
def test_jacobian_shape_is_out_shape_plus_in_shape(rng, in_shape, fn, out_shape):
    x = rng.normal(size=in_shape)
    j = ag.jacobian(fn)(x)
    assert np.shape(j) == out_shape + in_shape


def test_jacobian_of_linear_map_is_its_matrix(rng):
    a = rng.normal(size=(4, 3))
    np.testing.assert_allclose(ag.jacobian(lambda x: a @ x)(rng.normal(size=3)), a, rtol=1e-12)


def test_jacobian_argnums_tuple(rng):
    x, y = rng.normal(size=3), rng.normal(size=2)
    jx, jy = ag.jacobian(lambda x, y: ag.concatenate([x * 2.0, y * y]), argnums=(0, 1))(x, y)
    assert jx.shape == (5, 3) and jy.shape == (5, 2)
    np.testing.assert_allclose(jx, np.vstack([2 * np.eye(3), np.zeros((2, 3))]))
    np.testing.assert_allclose(jy, np.vstack([np.zeros((3, 2)), np.diag(2 * y)]))


def test_jacobian_agrees_with_forward_mode(rng):
    x = rng.normal(size=(2, 3))

    def f(x):
        return ag.softmax(x, axis=0) * ag.exp(x).sum()

    j = ag.jacobian(f)(x)
    for _ in range(3):
        v = rng.normal(size=x.shape)
        _, tangent = ag.jvp(f, (x,), (v,))
        np.testing.assert_allclose(tangent, np.tensordot(j, v, axes=2), rtol=1e-10)


# ------------------------------------------------------------------------------ hessian


def test_hessian_of_cubic(rng):
    x = rng.normal(size=3)
    np.testing.assert_allclose(ag.hessian(lambda x: (x**3).sum())(x), np.diag(6 * x),
                               rtol=1e-12, atol=1e-15)


def test_hessian_shape_for_matrix_input(rng):
    x = rng.normal(size=(2, 3))
    h = ag.hessian(lambda x: (x * x).sum() * 0.5)(x)
    assert h.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(h.reshape(6, 6), np.eye(6), atol=1e-15)


def test_hessian_of_log_sum_exp(rng):
    x = rng.normal(size=4)
    p = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(ag.hessian(lambda x: ag.logsumexp(x))(x),
                               np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-14)


def test_hessian_refuses_argnums_tuple():
    with pytest.raises(ag.AutogradError, match="argnum"):
        ag.hessian(lambda x, y: (x * y).sum(), argnums=(0, 1))


# ------------------------------------------------------------------------------- nesting


def test_nested_grad_of_cubic():
    f = lambda x: x**3  # noqa: E731
    assert float(ag.grad(ag.grad(f))(2.0)) == pytest.approx(12.0)
    assert float(ag.grad(ag.grad(ag.grad(f)))(2.0)) == pytest.approx(6.0)


def test_grad_of_a_function_that_uses_grad_inside():
    def g(x):
        inner = ag.grad(lambda y: y**2 * x)(x)  # ∂/∂y (y² x) at y = x: 2x²
        return inner * x  # 2x³

    assert float(ag.grad(g)(1.5)) == pytest.approx(6 * 1.5**2)


def test_mixed_partial_derivatives(rng):
    x0, y0 = 0.7, -1.2

    def f(x, y):
        return ag.sin(x) * y**2

    dxy = ag.grad(lambda x, y: ag.grad(f, argnums=0)(x, y), argnums=1)(x0, y0)
    dyx = ag.grad(lambda x, y: ag.grad(f, argnums=1)(x, y), argnums=0)(x0, y0)
    assert float(dxy) == pytest.approx(2 * y0 * np.cos(x0))
    assert float(dyx) == pytest.approx(2 * y0 * np.cos(x0))


def test_transforms_work_inside_no_grad(rng):
    x = rng.normal(size=3)
    with ag.no_grad():
        np.testing.assert_allclose(ag.grad(lambda v: (v**3).sum())(x), 3 * x**2, rtol=1e-12)
        np.testing.assert_allclose(ag.jacobian(lambda v: v * 2.0)(x), 2 * np.eye(3))
        np.testing.assert_allclose(ag.hessian(lambda v: (v**3).sum())(x), np.diag(6 * x),
                                   rtol=1e-12, atol=1e-15)
        outer = ag.tensor(x, requires_grad=True)
        g = ag.grad(lambda v: (v * v).sum())(outer)
        assert not g.requires_grad  # under no_grad the result is not connected to `outer`
        assert not ag.is_grad_enabled()


def test_hessian_vector_product_in_reverse_mode(rng):
    a = rng.normal(size=(3, 3))
    x, v = rng.normal(size=3), rng.normal(size=3)

    def f(x):
        return ag.tanh(a @ x).sum() + (x**3).sum()

    hvp = ag.grad(lambda x: (ag.grad(f)(x) * v).sum())(x)
    np.testing.assert_allclose(hvp, ag.hessian(f)(x) @ v, rtol=1e-10)


def test_forward_and_reverse_mode_mix_both_ways():
    f = lambda x: (x**3).sum()  # noqa: E731
    x, v = np.array([1.0, 2.0]), np.array([1.0, 0.5])
    np.testing.assert_allclose(ag.jvp(ag.grad(f), (x,), (v,))[1], 6 * x * v)
    np.testing.assert_allclose(ag.grad(lambda x: ag.jvp(f, (x,), (v,))[1])(x), 6 * x * v)
    assert float(ag.grad(lambda x: ag.jvp(ag.sin, (x,), (1.0,))[1])(0.3)) == pytest.approx(-np.sin(0.3))
    # jvp on tensors that require grad, outside any transform, is fine
    value, tangent = ag.jvp(lambda t: t * t, (ag.tensor(2.0, requires_grad=True),), (1.0,))
    assert (value.item(), tangent.item()) == (4.0, 4.0)


def test_a_failing_function_leaves_no_transform_running():
    def broken(x):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        ag.grad(broken)(1.0)
    value, tangent = ag.jvp(ag.sin, (0.0,), (1.0,))  # not "inside a transform" any more
    assert (float(value), float(tangent)) == (0.0, 1.0)
    assert float(ag.grad(ag.sin)(0.0)) == 1.0


# ----------------------------------------------------------------------------- gradcheck


@pytest.fixture
def wrong_rule():
    """``x * y`` whose VJP for ``y`` is off at the element (1, 1) only."""
    name = "test_wrong_rule"

    @primitive(name, nin=2, elementwise=True)
    def product(x, y):
        return x * y

    bump = np.zeros((2, 3))
    bump[1, 1] = 0.5
    defvjp(product, lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x + g * bump)
    defjvp(product, lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t)
    try:
        yield product
    finally:
        del REGISTRY[name]


def test_gradcheck_passes_a_correct_rule(rng):
    assert ag.gradcheck(lambda x, y: ag.tanh(x) @ y, rng.normal(size=(2, 3)),
                        rng.normal(size=3)) is True


def test_gradcheck_names_input_and_worst_element(wrong_rule, rng):
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(wrong_rule, x, y)
    message = str(info.value)
    assert "input 1" in message
    assert "element (1, 1)" in message
    assert "output element (1, 1)" in message
    assert f"{x[1, 1]:.6g}"[:6] in message  # the numeric value, ∂(xy)/∂y = x
    assert isinstance(info.value, AssertionError)


def test_gradcheck_does_not_change_its_inputs(rng):
    x = rng.normal(size=3)
    keep = x.copy()
    ag.gradcheck(lambda v: ag.exp(v).sum(), x)
    np.testing.assert_array_equal(x, keep)
