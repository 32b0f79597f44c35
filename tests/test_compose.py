"""Transformations that compose: grad, value_and_grad, jacobian, hessian, jvp, vjp and
``backward(create_graph=True)`` nested in any order, forward and reverse mixed.

Every expected value here is computed independently of the engine: analytically (closed-form
derivatives, or order-3 Taylor jets propagated by hand through the chain rule), by central
finite differences, or by ``torch.func`` in float64. Nothing is a recorded engine output.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd_nb as ag

try:  # required by the torch comparisons below (torch is a dev dependency): no skips
    import torch
    import torch.func
except ImportError:  # pragma: no cover - the torch tests then fail on their own `import torch`
    torch = None


# ------------------------------------------------------------------------------- helpers


def val(x) -> np.ndarray:
    """A transformation's result as a float array (results may be arrays or Tensors)."""
    return np.asarray(x, dtype=float)


def D_grad(f):
    """The derivative of a scalar function of a scalar, in reverse mode."""
    return ag.grad(f)


def D_jvp(f):
    """The derivative of a scalar function of a scalar, in forward mode (tangent 1)."""
    return lambda x: ag.jvp(f, (x,), (1.0,))[1]


D = {"grad": D_grad, "jvp": D_jvp}


def compose(f, order):
    """Apply the transformations named in ``order`` innermost first: ("jvp", "grad") is
    grad(jvp-derivative(f))."""
    for name in order:
        f = D[name](f)
    return f


def central_difference(f, x: float, eps: float) -> float:
    return (float(val(f(x + eps))) - float(val(f(x - eps)))) / (2 * eps)


def tanh_derivatives(x):
    t = np.tanh(x)
    s = 1 - t * t
    return t, s, -2 * t * s, s * (6 * t * t - 2)


def sigmoid_derivatives(x):
    sg = 1 / (1 + np.exp(-x))
    d1 = sg * (1 - sg)
    return sg, d1, d1 * (1 - 2 * sg), d1 * (1 - 6 * sg + 6 * sg * sg)


# -------------------------------------------------------------- 1. the issue's examples


def test_issue_jvp_of_jvp_of_sin_is_minus_sin():
    result = ag.jvp(lambda x: ag.jvp(np.sin, (x,), (1.0,))[1], (0.5,), (1.0,))[1]
    assert float(val(result)) == pytest.approx(-math.sin(0.5), rel=1e-12)


def test_issue_grad_of_vjp_fn_in_its_cotangent_is_cos():
    result = ag.grad(lambda v: ag.vjp(np.sin, 0.5)[1](v))(1.0)
    assert float(val(result)) == pytest.approx(math.cos(0.5), rel=1e-12)


def test_issue_grad_of_x_to_the_zero_at_zero_is_zero():
    result = ag.grad(lambda x: x**0.0)(0.0)
    assert float(val(result)) == 0.0
    assert np.isfinite(val(result)).all()


def test_issue_jvp_of_x_to_the_zero_at_zero_is_zero():
    _, tangent = ag.jvp(lambda x: x**0.0, (0.0,), (1.0,))
    assert float(val(tangent)) == 0.0


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ag.grad(lambda x: np.array([x, 2.0 * x]).sum())(3.0),
                     id="grad-np.array-of-list"),
        pytest.param(lambda: ag.grad(lambda x: np.mean([x, x + 2]))(0.0),
                     id="grad-np.mean-of-list"),
        pytest.param(lambda: ag.grad(lambda x: np.r_[x, x].sum())(np.array([1.0, 2.0])),
                     id="grad-np.r_"),
        pytest.param(lambda: ag.jacobian(lambda x: np.array([x, x**2, x**3]))(0.5),
                     id="jacobian-np.array-of-list"),
        pytest.param(lambda: ag.jvp(lambda x: np.array([x, x * x]).sum(), (1.0,), (1.0,)),
                     id="jvp-np.array-of-list"),
        pytest.param(lambda: ag.grad(lambda x: ag.grad(lambda y: np.array([y, x * y]).sum())(x))(1.0),
                     id="grad-of-grad-np.array-of-list"),
    ],
)
def test_a_list_of_tensors_handed_to_numpy_raises_naming_ag_stack(call):
    with pytest.raises(TypeError, match=r"ag\.stack"):
        call()


def test_ag_stack_inside_grad_is_recorded():
    assert float(val(ag.grad(lambda x: ag.stack([x, 2.0 * x]).sum())(3.0))) == 3.0


def test_np_stack_of_tensors_inside_grad_is_recorded():
    x = np.array([0.3, -1.2, 2.0])
    w = np.array([[1.5, -0.5, 2.0], [0.25, 3.0, -1.0]])

    def f(x):
        return (np.stack([x, x**2]) * w).sum()

    np.testing.assert_allclose(val(ag.grad(f)(x)), w[0] + 2 * x * w[1], rtol=1e-12)


def test_np_concatenate_of_tensors_inside_grad_is_recorded():
    x = np.array([0.3, -1.2])
    w = np.array([1.5, -0.5, 2.0, 0.25, 3.0])

    def f(x):
        return (np.concatenate([x, np.sin(x), x[:1] ** 3]) * w).sum()

    expected = w[:2] + w[2:4] * np.cos(x) + np.array([3 * x[0] ** 2 * w[4], 0.0])
    np.testing.assert_allclose(val(ag.grad(f)(x)), expected, rtol=1e-12)


def test_np_stack_inside_jacobian_and_jvp_is_recorded():
    x0 = 0.5
    jac = ag.jacobian(lambda x: np.stack([x, x**2, x**3]))(x0)
    np.testing.assert_allclose(val(jac), [1.0, 2 * x0, 3 * x0**2], rtol=1e-12)
    _, tangent = ag.jvp(lambda x: ag.stack([x, x**2, x**3]), (x0,), (2.0,))
    np.testing.assert_allclose(val(tangent), 2.0 * np.array([1.0, 2 * x0, 3 * x0**2]), rtol=1e-12)


def _no_complex_warning(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TypeError):
            call()
    assert not [w for w in caught if issubclass(w.category, np.exceptions.ComplexWarning)]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ag.grad(lambda z: np.abs(z))(3.0 + 4.0j), id="grad"),
        pytest.param(lambda: ag.value_and_grad(lambda z: z * z)(1.0 + 1.0j), id="value_and_grad"),
        pytest.param(lambda: ag.jvp(np.sin, (1.0 + 2.0j,), (1.0,)), id="jvp-primal"),
        pytest.param(lambda: ag.jvp(np.sin, (1.0,), (1.0 + 2.0j,)), id="jvp-tangent"),
        pytest.param(lambda: ag.jacobian(np.sin)(np.array([1.0 + 2.0j, 0.5])), id="jacobian"),
        pytest.param(lambda: ag.hessian(lambda z: (z * z).sum())(np.array([1j])), id="hessian"),
        pytest.param(lambda: ag.vjp(np.sin, 1.0 + 2.0j), id="vjp"),
        pytest.param(lambda: ag.tensor(1 + 2j, dtype=complex, requires_grad=True), id="tensor"),
        pytest.param(lambda: ag.grad(lambda x: ag.grad(lambda z: z * x)(1.0 + 1.0j))(1.0),
                     id="complex-inside-grad"),
    ],
)
def test_complex_inputs_raise_type_error_without_casting(call):
    _no_complex_warning(call)


# ------------------------------------------------------------- 2. perturbation confusion
# d/dx [x · (d/dy (x + y))] = d/dx [x · 1] = 1; a confused engine gives 2.


def test_perturbation_confusion_grad_in_grad():
    result = ag.grad(lambda x: x * ag.grad(lambda y: x + y)(1.0))(1.0)
    assert float(val(result)) == 1.0


def test_perturbation_confusion_grad_in_jvp():
    _, result = ag.jvp(lambda x: x * ag.grad(lambda y: x + y)(1.0), (1.0,), (1.0,))
    assert float(val(result)) == 1.0


def test_perturbation_confusion_jvp_in_grad():
    result = ag.grad(lambda x: x * ag.jvp(lambda y: x + y, (1.0,), (1.0,))[1])(1.0)
    assert float(val(result)) == 1.0


def test_perturbation_confusion_jvp_in_jvp():
    _, result = ag.jvp(lambda x: x * ag.jvp(lambda y: x + y, (1.0,), (1.0,))[1], (1.0,), (1.0,))
    assert float(val(result)) == 1.0


def test_perturbation_confusion_vjp_in_grad_and_jvp():
    inner = lambda x: x * ag.vjp(lambda y: x + y, 1.0)[1](1.0)  # noqa: E731
    assert float(val(ag.grad(inner)(1.0))) == 1.0
    assert float(val(ag.jvp(inner, (1.0,), (1.0,))[1])) == 1.0


@pytest.mark.parametrize("outer,inner", list(itertools.product(["grad", "jvp"], repeat=2)))
def test_perturbation_confusion_where_the_inner_derivative_depends_on_x(outer, inner):
    # g(x) = x · ∂/∂y (x·y)|_{y=x²} = x · x = x², so g'(x) = 2x (confusion would add terms)
    def g(x):
        return x * D[inner](lambda y: x * y)(x * x)

    x0 = 1.7
    assert float(val(D[outer](g)(x0))) == pytest.approx(2 * x0, rel=1e-12)


# -------------------------------------------------------------------- 3. nesting matrix

A = np.array([[0.4, -0.3, 0.2], [0.1, 0.5, -0.6], [-0.2, 0.3, 0.25]])
S = A + A.T
X0 = np.array([0.7, -1.1, 0.4])
V0 = np.array([0.3, -0.8, 1.4])


def f_vec(x):
    """R³ → R: sin(x)·x³ summed, plus tanh of a quadratic form (so the Hessian is full)."""
    return (np.sin(x) * x**3).sum() + ag.tanh(x @ A @ x)


def hessian_f_vec(x):
    diag = -(x**3) * np.sin(x) + 6 * x**2 * np.cos(x) + 6 * x * np.sin(x)
    q = x @ A @ x
    _, d1, d2, _ = tanh_derivatives(q)
    g = S @ x
    return np.diag(diag) + d2 * np.outer(g, g) + d1 * S


def grad_f_vec(x):
    q = x @ A @ x
    return np.cos(x) * x**3 + 3 * x**2 * np.sin(x) + (1 - np.tanh(q) ** 2) * (S @ x)


def test_analytic_reference_of_the_matrix_function_matches_finite_differences():
    # checks the hand-written references themselves (no engine involved)
    def plain(x):
        return np.sum(np.sin(x) * x**3) + np.tanh(x @ A @ x)

    eps = 1e-6
    fd_grad = [(plain(X0 + eps * e) - plain(X0 - eps * e)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(fd_grad, grad_f_vec(X0), rtol=1e-7)
    fd_hess = np.array([(grad_f_vec(X0 + eps * e) - grad_f_vec(X0 - eps * e)) / (2 * eps)
                        for e in np.eye(3)])
    np.testing.assert_allclose(fd_hess, hessian_f_vec(X0), rtol=1e-7, atol=1e-9)


def test_gradient_of_the_matrix_function():
    np.testing.assert_allclose(val(ag.grad(f_vec)(X0)), grad_f_vec(X0), rtol=1e-12)


HVP_WAYS = {
    "reverse-over-reverse (grad of grad·v)":
        lambda f, x, v: ag.grad(lambda y: (ag.grad(f)(y) * v).sum())(x),
    "reverse-over-reverse (vjp of grad)":
        lambda f, x, v: ag.vjp(ag.grad(f), x)[1](v),
    "forward-over-reverse (jvp of grad)":
        lambda f, x, v: ag.jvp(ag.grad(f), (x,), (v,))[1],
    "forward-over-reverse (jvp of value_and_grad)":
        lambda f, x, v: ag.jvp(lambda y: ag.value_and_grad(f)(y)[1], (x,), (v,))[1],
    "reverse-over-forward (grad of jvp)":
        lambda f, x, v: ag.grad(lambda y: ag.jvp(f, (y,), (v,))[1])(x),
    "forward-over-forward (jvp of jvp, per basis direction)":
        lambda f, x, v: np.array([
            float(val(ag.jvp(lambda y: ag.jvp(f, (y,), (v,))[1], (x,), (e,))[1]))
            for e in np.eye(x.size)
        ]),
}


@pytest.mark.parametrize("way", list(HVP_WAYS))
def test_hessian_vector_product_four_ways(way):
    hvp = HVP_WAYS[way](f_vec, X0, V0)
    np.testing.assert_allclose(val(hvp), hessian_f_vec(X0) @ V0, rtol=1e-10, atol=1e-12)


def test_hessian_equals_jacobian_of_jacobian_and_of_forward_over_reverse():
    expected = hessian_f_vec(X0)
    h = val(ag.hessian(f_vec)(X0))
    jj = val(ag.jacobian(ag.jacobian(f_vec))(X0))
    jg = val(ag.jacobian(ag.grad(f_vec))(X0))
    # columns H·e_j by forward-over-reverse, and the Jacobian of x ↦ ∇f(x)·… built from them
    fwd_rev = np.stack([val(ag.jvp(ag.grad(f_vec), (X0,), (e,))[1]) for e in np.eye(3)], axis=1)
    for got in (h, jj, jg, fwd_rev):
        assert got.shape == (3, 3)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-14)


def test_jacobian_of_forward_over_reverse_is_the_third_derivative():
    # separable part only: f(x) = Σ sin(x)·x³ has a diagonal third-derivative tensor, so
    # ∂/∂x [H(x)·v] = diag(f'''(x_i)·v_i)
    def f(x):
        return (np.sin(x) * x**3).sum()

    def f3(x):
        return (-(x**3) * np.cos(x) - 9 * x**2 * np.sin(x) + 18 * x * np.cos(x)
                + 6 * np.sin(x))

    got = val(ag.jacobian(lambda y: ag.jvp(ag.grad(f), (y,), (V0,))[1])(X0))
    np.testing.assert_allclose(got, np.diag(f3(X0) * V0), rtol=1e-10, atol=1e-12)
    # the same by reverse-over-forward-over-reverse and forward-over-reverse-over-forward
    got2 = val(ag.jacobian(lambda y: ag.grad(lambda z: ag.jvp(f, (z,), (V0,))[1])(y))(X0))
    np.testing.assert_allclose(got2, np.diag(f3(X0) * V0), rtol=1e-10, atol=1e-12)
    got3 = np.stack([val(ag.jvp(lambda y: ag.jvp(ag.grad(f), (y,), (V0,))[1], (X0,), (e,))[1])
                     for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(got3, np.diag(f3(X0) * V0), rtol=1e-10, atol=1e-12)


THIRD = {
    "sin": (np.sin, lambda x: -np.cos(x)),
    "exp": (np.exp, np.exp),
    "tanh": (ag.tanh, lambda x: tanh_derivatives(x)[3]),
    "x**4": (lambda x: x**4, lambda x: 24 * x),
    "sigmoid": (ag.sigmoid, lambda x: sigmoid_derivatives(x)[3]),
}
ORDERS3 = list(itertools.product(["grad", "jvp"], repeat=3))


@pytest.mark.parametrize("order", ORDERS3, ids=["∘".join(reversed(o)) for o in ORDERS3])
@pytest.mark.parametrize("name", list(THIRD))
def test_third_derivative_every_order(name, order):
    fn, third = THIRD[name]
    x0 = 0.37
    got = compose(fn, order)(x0)
    assert float(val(got)) == pytest.approx(float(third(x0)), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("order", ORDERS3, ids=["∘".join(reversed(o)) for o in ORDERS3])
@pytest.mark.parametrize("x0", [-0.9, 0.2, 1.3])
def test_third_derivative_of_a_product_every_order(order, x0):
    # (x sin x)''' = -3 sin x - x cos x: the product rule applied three times, levels mixed
    got = compose(lambda t: np.sin(t) * t, order)(x0)
    expected = -3 * math.sin(x0) - x0 * math.cos(x0)
    assert float(val(got)) == pytest.approx(expected, rel=1e-10)


def test_jacobian_of_a_jvp():
    B = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])

    def g(x):
        return ag.tanh(x @ B.T)

    # J(x)·v = (1 - t²)·(B v);  ∂/∂x of it = diag(-2 t (1 - t²) (B v)) · B
    t = np.tanh(B @ X0)
    expected = (-2 * t * (1 - t**2) * (B @ V0))[:, None] * B
    got = val(ag.jacobian(lambda x: ag.jvp(g, (x,), (V0,))[1])(X0))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    # and its mirror, the jvp of a jacobian: d/dε J(x + ε v) = the same matrix
    got = val(ag.jvp(ag.jacobian(g), (X0,), (V0,))[1])
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    # the primal output of the inner jvp is the plain Jacobian·v
    value = ag.jvp(g, (X0,), (V0,))
    np.testing.assert_allclose(val(value[1]), (1 - t**2) * (B @ V0), rtol=1e-12)


B2 = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])
W3 = np.array([1.0, -2.0, 0.5])
U0 = np.array([0.6, -0.3])
DU = np.array([0.25, 1.5])


def g_sin_b(x):
    return np.sin(x @ B2.T)


J_SIN_B = np.cos(B2 @ X0)[:, None] * B2  # the 2×3 Jacobian of g_sin_b at X0


def test_vjp_fn_made_inside_differentiated_in_its_cotangent():
    # vjp_fn is linear in u: ∇_u [vjp_fn(u)·w] = J w (reverse), d/dε vjp_fn(u + ε du) = du J
    def pulled(u):
        return ag.vjp(g_sin_b, X0)[1](u)

    np.testing.assert_allclose(val(pulled(U0)), U0 @ J_SIN_B, rtol=1e-12)
    np.testing.assert_allclose(val(ag.grad(lambda u: (pulled(u) * W3).sum())(U0)),
                               J_SIN_B @ W3, rtol=1e-12)
    np.testing.assert_allclose(val(ag.jvp(pulled, (U0,), (DU,))[1]), DU @ J_SIN_B, rtol=1e-12)
    np.testing.assert_allclose(val(ag.jacobian(pulled)(U0)), J_SIN_B.T, rtol=1e-12)


def test_vjp_fn_made_outside_differentiated_in_its_cotangent():
    # the same, with vjp_fn made once, outside the transformation that differentiates it
    # (vjp_fn is an ordinary function: invariant 1 of COMPOSE.md)
    _, vjp_fn = ag.vjp(g_sin_b, X0)
    np.testing.assert_allclose(val(vjp_fn(U0)), U0 @ J_SIN_B, rtol=1e-12)
    np.testing.assert_allclose(val(ag.grad(lambda u: (vjp_fn(u) * W3).sum())(U0)),
                               J_SIN_B @ W3, rtol=1e-12)
    np.testing.assert_allclose(val(ag.jvp(vjp_fn, (U0,), (DU,))[1]), DU @ J_SIN_B, rtol=1e-12)
    np.testing.assert_allclose(val(ag.jacobian(vjp_fn)(U0)), J_SIN_B.T, rtol=1e-12)


def test_vjp_fn_on_a_tensor_that_requires_grad_is_recorded_for_backward():
    _, vjp_fn = ag.vjp(g_sin_b, X0)
    u = ag.tensor(U0, requires_grad=True)
    out = vjp_fn(u)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    (out * W3).sum().backward()
    np.testing.assert_allclose(u.grad.numpy(), J_SIN_B @ W3, rtol=1e-12)


def test_vjp_fn_differentiated_in_a_closed_over_variable():
    x0, v0 = 0.8, 1.3

    # h(c) = v·∂/∂x sin(c x) = v c cos(c x);  h'(c) = v [cos(c x) - c x sin(c x)]
    def h(c):
        return ag.vjp(lambda x: np.sin(c * x), x0)[1](v0)

    c0 = 0.6
    expected = v0 * (math.cos(c0 * x0) - c0 * x0 * math.sin(c0 * x0))
    assert float(val(ag.grad(h)(c0))) == pytest.approx(expected, rel=1e-12)
    assert float(val(ag.jvp(h, (c0,), (1.0,))[1])) == pytest.approx(expected, rel=1e-12)
    # in the cotangent and the closed-over variable at once: ∂²/∂c∂v = h'(c)/v
    both = ag.grad(lambda c, v: ag.vjp(lambda x: np.sin(c * x), x0)[1](v), argnums=(0, 1))
    dc, dv = both(c0, v0)
    assert float(val(dc)) == pytest.approx(expected, rel=1e-12)
    assert float(val(dv)) == pytest.approx(c0 * math.cos(c0 * x0), rel=1e-12)
    # a closed-over Tensor that requires grad, differentiated by the eager backward()
    c = ag.tensor(c0, requires_grad=True)
    out = ag.vjp(lambda x: np.sin(c * x), x0)[1](v0)
    assert isinstance(out, ag.Tensor)
    out.backward()
    assert float(c.grad.item()) == pytest.approx(expected, rel=1e-12)


def test_vjp_fn_of_a_vjp_fn():
    # second order through vjp twice: x ↦ vjp_fn_x(1) = f'(x); its vjp at x gives f''(x)·w
    x0, w = 0.45, 2.5
    inner = lambda x: ag.vjp(np.tanh, x)[1](1.0)  # noqa: E731
    _, outer_fn = ag.vjp(inner, x0)
    assert float(val(outer_fn(w))) == pytest.approx(tanh_derivatives(x0)[2] * w, rel=1e-12)


def test_backward_create_graph_inside_grad_on_a_leaf_made_inside():
    # w is a leaf made inside; y = (w x)²: w.grad = 2 w x², so d/dx w.grad = 4 w x
    w0, x0 = 0.7, 1.3

    def g(x):
        w = ag.tensor(w0, requires_grad=True)
        y = (w * x) ** 2
        y.backward(create_graph=True)
        return w.grad

    assert float(val(ag.grad(g)(x0))) == pytest.approx(4 * w0 * x0, rel=1e-12)
    assert float(val(ag.jvp(g, (x0,), (1.0,))[1])) == pytest.approx(4 * w0 * x0, rel=1e-12)
    assert float(val(ag.grad(ag.grad(g))(x0))) == pytest.approx(4 * w0, rel=1e-12)


def test_backward_create_graph_inside_grad_on_the_transformed_variable():
    # returns x.grad = f'(x) for f = sin(x)·x³; its derivative is f''(x)
    def g(x):
        y = np.sin(x) * x**3
        y.backward(create_graph=True)
        return x.grad

    x0 = 0.9
    f2 = -(x0**3) * math.sin(x0) + 6 * x0**2 * math.cos(x0) + 6 * x0 * math.sin(x0)
    assert float(val(ag.grad(g)(x0))) == pytest.approx(f2, rel=1e-12)


def test_backward_create_graph_inside_jvp():
    def g(x):
        y = np.sin(x) * x**3
        y.backward(create_graph=True)
        return x.grad

    x0 = 0.9
    f2 = -(x0**3) * math.sin(x0) + 6 * x0**2 * math.cos(x0) + 6 * x0 * math.sin(x0)
    value, tangent = ag.jvp(g, (x0,), (1.0,))
    f1 = math.cos(x0) * x0**3 + 3 * x0**2 * math.sin(x0)
    assert float(val(value)) == pytest.approx(f1, rel=1e-12)
    assert float(val(tangent)) == pytest.approx(f2, rel=1e-12)


def test_backward_create_graph_eager_then_transformations():
    # the eager API at level 0: a second derivative with backward twice
    x = ag.tensor(0.9, requires_grad=True)
    y = np.sin(x) * x**3
    y.backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.backward()
    x0 = 0.9
    f2 = -(x0**3) * math.sin(x0) + 6 * x0**2 * math.cos(x0) + 6 * x0 * math.sin(x0)
    assert float(x.grad.item()) == pytest.approx(f2, rel=1e-12)


def test_a_jvp_tangent_that_depends_on_an_outer_variable():
    x0 = 0.5
    # ∂/∂t [cos(0.5)·t] = cos(0.5)
    got = ag.grad(lambda t: ag.jvp(np.sin, (x0,), (t,))[1])(2.0)
    assert float(val(got)) == pytest.approx(math.cos(x0), rel=1e-12)
    # d/dx [cos(x)·x] = cos x - x sin x, with the outer level in reverse and in forward mode
    expected = math.cos(x0) - x0 * math.sin(x0)
    got = ag.grad(lambda x: ag.jvp(np.sin, (x,), (x,))[1])(x0)
    assert float(val(got)) == pytest.approx(expected, rel=1e-12)
    got = ag.jvp(lambda x: ag.jvp(np.sin, (x,), (x,))[1], (x0,), (1.0,))[1]
    assert float(val(got)) == pytest.approx(expected, rel=1e-12)
    # d/ds [3·2²·s] = 12
    got = ag.jvp(lambda s: ag.jvp(lambda y: y**3, (2.0,), (s,))[1], (1.0,), (1.0,))[1]
    assert float(val(got)) == pytest.approx(12.0, rel=1e-12)


def test_transformation_results_on_tensors_that_require_grad_go_on_to_eager_backward():
    x0 = 0.5
    for make in (lambda x: ag.grad(np.sin)(x),                    # cos x
                 lambda x: ag.jvp(np.sin, (x,), (1.0,))[1],       # cos x
                 lambda x: ag.vjp(np.sin, x)[1](1.0)):            # cos x
        x = ag.tensor(x0, requires_grad=True)
        out = make(x)
        assert isinstance(out, ag.Tensor) and out.requires_grad
        out.backward()
        assert float(x.grad.item()) == pytest.approx(-math.sin(x0), rel=1e-12)
    # a closed-over tensor: ∂/∂c [∂/∂x (c x²)] = 2x
    c = ag.tensor(1.5, requires_grad=True)
    g = ag.grad(lambda x: c * x**2)(2.0)
    assert float(g.item()) == pytest.approx(6.0)
    g.backward()
    assert float(c.grad.item()) == pytest.approx(4.0)


def test_third_derivatives_through_hessian_and_jacobian():
    def f(x):
        return (np.sin(x) * x**3).sum()

    f3 = (-(X0**3) * np.cos(X0) - 9 * X0**2 * np.sin(X0) + 18 * X0 * np.cos(X0)
          + 6 * np.sin(X0))
    third = np.zeros((3, 3, 3))
    third[np.arange(3), np.arange(3), np.arange(3)] = f3
    np.testing.assert_allclose(val(ag.jacobian(ag.hessian(f))(X0)), third, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(val(ag.grad(lambda x: ag.hessian(f)(x)[0, 0])(X0)),
                               [f3[0], 0.0, 0.0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(val(ag.jvp(ag.hessian(f), (X0,), (V0,))[1]), np.diag(f3 * V0),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(val(ag.hessian(lambda x: ag.jvp(f, (x,), (V0,))[1])(X0)),
                               np.diag(f3 * V0), rtol=1e-10, atol=1e-12)


def test_results_are_arrays_for_arrays_and_tensors_for_tensors_when_nested():
    f = lambda x: (np.sin(x) * x**3).sum()  # noqa: E731
    hv = ag.jvp(ag.grad(f), (X0,), (V0,))[1]
    assert isinstance(hv, np.ndarray) and not isinstance(hv, ag.Tensor)
    hv_t = ag.jvp(ag.grad(f), (ag.tensor(X0),), (ag.tensor(V0),))[1]
    assert isinstance(hv_t, ag.Tensor)
    np.testing.assert_allclose(np.asarray(hv_t), hv, rtol=1e-14)
    g2 = ag.grad(ag.grad(lambda x: x**3))(2.0)
    assert isinstance(g2, np.ndarray) and float(g2) == 12.0


def test_nesting_with_several_arguments_and_argnums():
    # f(x, y) = sin(x)·y³: ∂³f/∂x∂y² = 6 y cos(x)
    x0, y0 = 0.4, -0.8

    def f(x, y):
        return np.sin(x) * y**3

    d_y = ag.grad(f, argnums=1)
    d_yy = lambda x, y: ag.jvp(lambda t: d_y(x, t), (y,), (1.0,))[1]  # noqa: E731
    d_xyy = ag.grad(d_yy, argnums=0)
    assert float(val(d_xyy(x0, y0))) == pytest.approx(6 * y0 * math.cos(x0), rel=1e-12)


# -------------------------------------------------- 4. property tests against references
# Each op: (name, ag form on the values a transformed function receives, torch form,
#           plain value and first three derivatives at u as a function of u)

OPS = {
    "sin": (np.sin, lambda t: torch.sin(t),
            lambda u: (np.sin(u), np.cos(u), -np.sin(u), -np.cos(u))),
    "cos": (np.cos, lambda t: torch.cos(t),
            lambda u: (np.cos(u), -np.sin(u), -np.cos(u), np.sin(u))),
    "tanh": (ag.tanh, lambda t: torch.tanh(t), tanh_derivatives),
    "exp": (np.exp, lambda t: torch.exp(t),
            lambda u: (np.exp(u),) * 4),
    "square": (lambda x: x * x, lambda t: t * t,
               lambda u: (u * u, 2 * u, 2.0, 0.0)),
    "sigmoid": (ag.sigmoid, lambda t: torch.sigmoid(t), sigmoid_derivatives),
}
SCALE_OPS = {
    "mul": (lambda c: (lambda x: x * c), lambda c: (lambda t: t * c),
            lambda c: (lambda u: (u * c, c, 0.0, 0.0))),
    "add": (lambda c: (lambda x: x + c), lambda c: (lambda t: t + c),
            lambda c: (lambda u: (u + c, 1.0, 0.0, 0.0))),
}

op_names = st.sampled_from(sorted(OPS) + sorted(SCALE_OPS))
constants = st.floats(-1.5, 1.5, allow_nan=False).filter(lambda c: abs(c) > 0.1)
ops_strategy = st.lists(st.tuples(op_names, constants), min_size=1, max_size=4)
chains = st.lists(st.sampled_from(["grad", "jvp"]), min_size=1, max_size=3)
points = st.floats(-1.2, 1.2, allow_nan=False)


def build(ops):
    """The drawn function three ways: for autograd_nb, for torch, and as an order-3 jet."""
    ag_fns, torch_fns, derivs = [], [], []
    for name, c in ops:
        if name in OPS:
            a, t, d = OPS[name]
        else:
            a, t, d = (g(c) for g in SCALE_OPS[name])
        ag_fns.append(a)
        torch_fns.append(t)
        derivs.append(d)

    def f_ag(x):
        for fn in ag_fns:
            x = fn(x)
        return x

    def f_torch(x):
        for fn in torch_fns:
            x = fn(x)
        return x

    def jet(x0):
        """(f, f', f'', f''') at x0 by Faà di Bruno, op by op (no engine involved)."""
        u0, u1, u2, u3 = float(x0), 1.0, 0.0, 0.0
        biggest = abs(u0)
        for d in derivs:
            g0, g1, g2, g3 = (float(v) for v in d(u0))
            u0, u1, u2, u3 = (g0, g1 * u1, g2 * u1**2 + g1 * u2,
                              g3 * u1**3 + 3 * g2 * u1 * u2 + g1 * u3)
            biggest = max(biggest, abs(u0))
        return (u0, u1, u2, u3), biggest

    return f_ag, f_torch, jet


def torch_compose(f, order):
    import torch.func

    for name in order:
        if name == "grad":
            f = torch.func.grad(f)
        else:
            f = (lambda g: lambda x: torch.func.jvp(g, (x,), (torch.ones_like(x),))[1])(f)
    return f


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs:UserWarning")
@settings(max_examples=300, deadline=None)
@given(ops=ops_strategy, order=chains, x0=points)
def test_property_mixed_order_derivatives_match_jets_and_finite_differences(ops, order, x0):
    f_ag, _, jet = build(ops)
    derivatives, biggest = jet(x0)
    assume(biggest < 6.0 and all(abs(d) < 1e4 for d in derivatives))
    k = len(order)
    scale = 1 + max(abs(d) for d in derivatives)
    got = float(val(compose(f_ag, order)(x0)))
    assert got == pytest.approx(derivatives[k], rel=1e-9, abs=1e-11 * scale)
    # central differences of the engine's next-lower-order derivative (the transformation
    # chain without its outermost step; order 0 is f itself)
    lower = compose(f_ag, order[:-1])
    fd = central_difference(lower, x0, eps=1e-5)
    assert fd == pytest.approx(got, rel=1e-4, abs=1e-5 * scale)


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs:UserWarning")
@pytest.mark.filterwarnings("ignore:.*torch.jit.script.*:DeprecationWarning")
@settings(max_examples=150, deadline=None)
@given(ops=ops_strategy, order=chains, x0=points)
def test_property_mixed_order_derivatives_match_torch_func(ops, order, x0):
    import torch

    f_ag, f_torch, jet = build(ops)
    derivatives, biggest = jet(x0)
    assume(biggest < 6.0)
    got = float(val(compose(f_ag, order)(x0)))
    want = float(torch_compose(f_torch, order)(torch.tensor(x0, dtype=torch.float64)))
    assert got == pytest.approx(want, rel=1e-10, abs=1e-10 * (1 + abs(want)))


matrices = st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=6, max_size=6).map(
    lambda v: np.array(v).reshape(2, 3))
vectors3 = st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=3, max_size=3).map(np.array)
small_ops = st.lists(st.tuples(op_names, constants), min_size=1, max_size=3)


def build_vector(M, ops1, ops2):
    """g(x) = chain1(M x) + chain2(x[:2]) · x[2], R³ → R², for both engines."""
    a1, t1, _ = build(ops1)
    a2, t2, _ = build(ops2)

    def g_ag(x):
        return a1(x @ M.T) + a2(x[:2]) * x[2]

    def g_torch(x):
        return t1(x @ torch.as_tensor(M).T) + t2(x[:2]) * x[2]

    def g_plain(x):
        return val(g_ag(x))  # on plain arrays (ag.tanh/ag.sigmoid give tensors: take values)

    return g_ag, g_torch, g_plain


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs:UserWarning")
@pytest.mark.filterwarnings("ignore:.*torch.jit.script.*:DeprecationWarning")
@settings(max_examples=60, deadline=None)
@given(M=matrices, ops1=small_ops, ops2=small_ops, x0=vectors3)
def test_property_vector_jacobian_matches_torch_and_finite_differences(M, ops1, ops2, x0):
    import torch
    import torch.func

    g_ag, g_torch, g_plain = build_vector(M, ops1, ops2)
    with np.errstate(over="ignore"):
        assume(np.all(np.abs(g_plain(x0)) < 50))
    jac = val(ag.jacobian(g_ag)(x0))
    assert jac.shape == (2, 3)
    xt = torch.tensor(x0, dtype=torch.float64)
    rev = torch.func.jacrev(g_torch)(xt).numpy()
    fwd = torch.func.jacfwd(g_torch)(xt).numpy()
    np.testing.assert_allclose(jac, rev, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(jac, fwd, rtol=1e-10, atol=1e-10)
    eps = 1e-6
    fd = np.stack([(g_plain(x0 + eps * e) - g_plain(x0 - eps * e)) / (2 * eps)
                   for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(jac, fd, rtol=1e-5, atol=1e-6 * (1 + np.abs(jac).max()))
    # the same Jacobian by forward columns and by reverse rows
    cols = np.stack([val(ag.jvp(g_ag, (x0,), (e,))[1]) for e in np.eye(3)], axis=1)
    _, vjp_fn = ag.vjp(g_ag, x0)
    rows = np.stack([val(vjp_fn(e)) for e in np.eye(2)])
    np.testing.assert_allclose(cols, jac, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(rows, jac, rtol=1e-12, atol=1e-13)


@pytest.mark.filterwarnings("ignore:.*does not depend on the inputs:UserWarning")
@pytest.mark.filterwarnings("ignore:.*torch.jit.script.*:DeprecationWarning")
@settings(max_examples=40, deadline=None)
@given(M=matrices, ops1=small_ops, ops2=small_ops, x0=vectors3, v=vectors3)
def test_property_vector_second_order_matches_torch(M, ops1, ops2, x0, v):
    # Jacobian of the JVP (forward-over-forward and reverse-over-forward) against torch
    import torch
    import torch.func

    g_ag, g_torch, g_plain = build_vector(M, ops1, ops2)
    with np.errstate(over="ignore"):
        assume(np.all(np.abs(g_plain(x0)) < 50))
    xt, vt = torch.tensor(x0, dtype=torch.float64), torch.tensor(v, dtype=torch.float64)
    want = torch.func.jacfwd(lambda y: torch.func.jvp(g_torch, (y,), (vt,))[1])(xt).numpy()
    got = val(ag.jacobian(lambda y: ag.jvp(g_ag, (y,), (v,))[1])(x0))
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-10 * (1 + np.abs(want).max()))
    got_fwd = np.stack([val(ag.jvp(lambda y: ag.jvp(g_ag, (y,), (v,))[1], (x0,), (e,))[1])
                        for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(got_fwd, want, rtol=1e-9, atol=1e-10 * (1 + np.abs(want).max()))


# --------------------------------------------------------- 5. the last lines of defence


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ag.grad(lambda a: None)(1.0), id="grad"),
        pytest.param(lambda: ag.value_and_grad(lambda a: None)(1.0), id="value_and_grad"),
        pytest.param(lambda: ag.jvp(lambda a: None, (1.0,), (1.0,)), id="jvp"),
        pytest.param(lambda: ag.vjp(lambda a: None, 1.0), id="vjp"),
        pytest.param(lambda: ag.jacobian(lambda a: None)(1.0), id="jacobian"),
        pytest.param(lambda: ag.grad(lambda x: ag.grad(lambda a: None)(x))(1.0), id="nested"),
    ],
)
def test_a_function_returning_none_raises_type_error(call):
    with pytest.raises(TypeError, match="None"):
        call()


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ag.grad(lambda a: a * a, argnums=1)(1.0), id="grad-1"),
        pytest.param(lambda: ag.grad(lambda a: a * a, argnums=-2)(1.0), id="grad-minus-2"),
        pytest.param(lambda: ag.grad(lambda a, b: a * b, argnums=(0, 2))(1.0, 2.0),
                     id="grad-tuple"),
        pytest.param(lambda: ag.value_and_grad(lambda a: a, argnums=3)(1.0), id="value_and_grad"),
        pytest.param(lambda: ag.jacobian(lambda a: a, argnums=1)(np.ones(2)), id="jacobian"),
        pytest.param(lambda: ag.hessian(lambda a: (a * a).sum(), argnums=1)(np.ones(2)),
                     id="hessian"),
        pytest.param(lambda: ag.vjp(lambda a: a, 1.0, argnums=1), id="vjp"),
    ],
)
def test_argnums_out_of_range_raises_value_error_naming_argnums(call):
    with pytest.raises(ValueError, match="argnums"):
        call()


def test_grad_of_a_constant_function_is_zero_with_a_warning():
    with pytest.warns(UserWarning, match="depend"):
        g = ag.grad(lambda x: 3.0)(2.0)
    assert float(val(g)) == 0.0


def test_grad_of_a_function_that_detaches_its_input_is_zero_with_a_warning():
    x0 = np.array([1.0, -2.0])
    with pytest.warns(UserWarning, match="depend"):
        g = ag.grad(lambda x: (x.detach() ** 2).sum())(x0)
    np.testing.assert_array_equal(val(g), np.zeros(2))


def test_grad_depending_only_on_a_closed_over_tensor_is_zero_with_a_warning():
    c = ag.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="depend"):
        g = ag.grad(lambda x: c * c)(1.0)
    assert float(val(g)) == 0.0


def test_jvp_of_a_constant_function_is_zero_with_a_warning():
    with pytest.warns(UserWarning, match="depend"):
        value, tangent = ag.jvp(lambda x: np.ones(3) * 2.0, (np.ones(2),), (np.ones(2),))
    np.testing.assert_array_equal(val(value), 2.0 * np.ones(3))
    np.testing.assert_array_equal(val(tangent), np.zeros(3))


def test_jacobian_of_a_constant_function_is_zeros_with_a_warning():
    with pytest.warns(UserWarning, match="depend"):
        j = ag.jacobian(lambda x: np.array([1.0, 2.0]))(np.ones(3))
    assert val(j).shape == (2, 3)
    np.testing.assert_array_equal(val(j), np.zeros((2, 3)))


def test_vjp_of_a_constant_function_is_zero_with_a_warning():
    _, vjp_fn = ag.vjp(lambda x: 5.0, np.ones(2))
    with pytest.warns(UserWarning, match="depend"):
        g = vjp_fn(1.0)
    np.testing.assert_array_equal(val(g), np.zeros(2))


def test_nested_constant_inner_function_warns_and_the_outer_derivative_is_zero():
    with pytest.warns(UserWarning, match="depend"):
        g = ag.grad(lambda x: x * ag.grad(lambda y: x * 2.0)(1.0))(1.5)
    assert float(val(g)) == 0.0
