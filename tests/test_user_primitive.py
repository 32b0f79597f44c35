"""A user-defined primitive (HIPS autograd's ``@ag.primitive``, ``ag.defvjp``, ``ag.defjvp``)
works everywhere a built-in operation does: values, every transformation and nesting, backward
with and without ``create_graph``, gradcheck, the errors, the tape, the pictures and training.

``softplus`` is defined below exactly as a user would in a notebook cell. Every expected value is
computed analytically here with plain NumPy: softplus(x) = log(1 + eˣ), softplus' = σ(x),
softplus'' = σ(1 - σ), softplus''' = σ(1 - σ)(1 - 2σ).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import nn, optim


# ----------------------------------------------------------------------- the user's cell
@ag.primitive(elementwise=True)
def softplus(x):
    return np.logaddexp(0.0, x)


def softplus_vjp(g, ans, x):
    return g * ag.sigmoid(x)


def softplus_jvp(t, ans, x):
    return t * ag.sigmoid(x)


ag.defvjp(softplus, softplus_vjp)
ag.defjvp(softplus, softplus_jvp)


# ------------------------------------------------------------- analytic references (NumPy)
def sp(x):
    x = np.asarray(x, dtype=float)
    return np.log1p(np.exp(x))


def sig(x):
    x = np.asarray(x, dtype=float)
    return 1.0 / (1.0 + np.exp(-x))


def d2(x):
    s = sig(x)
    return s * (1.0 - s)


def d3(x):
    s = sig(x)
    return s * (1.0 - s) * (1.0 - 2.0 * s)


X = np.array([-2.0, -0.5, 0.0, 0.7, 1.5])
TOL = dict(rtol=1e-10, atol=1e-12)


def arr(v):
    """The numbers of a result, whether an array, a number or a Tensor."""
    return np.asarray(v.data if isinstance(v, ag.Tensor) else v, dtype=float)


# ------------------------------------------------------------------------------- values
def test_values_on_arrays_are_plain_numpy():
    out = softplus(X)
    assert type(out) is np.ndarray
    np.testing.assert_allclose(out, sp(X), **TOL)
    np.testing.assert_allclose(softplus(0.0), np.log(2.0), **TOL)
    assert not isinstance(softplus(0.0), ag.Tensor)


def test_values_on_tensors_are_tensors():
    x = ag.tensor(X, requires_grad=True)
    y = softplus(x)
    assert isinstance(y, ag.Tensor)
    assert y.requires_grad and not y.is_leaf
    assert y.shape == X.shape
    np.testing.assert_allclose(y.data, sp(X), **TOL)
    with ag.no_grad():
        z = softplus(x)
    assert isinstance(z, ag.Tensor) and not z.requires_grad
    np.testing.assert_allclose(z.data, sp(X), **TOL)


def test_other_spellings_of_the_decorator():
    @ag.primitive
    def cube_up(x):
        return x ** 3

    ag.defvjp(cube_up, lambda g, ans, x: g * 3 * x ** 2)
    assert repr(cube_up) == "<primitive cube_up>"
    np.testing.assert_allclose(ag.grad(cube_up)(2.0), 12.0, **TOL)

    named = ag.primitive(name="softplus_named_up", elementwise=True)(lambda x: np.logaddexp(0.0, x))
    ag.defvjp(named, softplus_vjp)
    with ag.Tape() as tape:
        named(ag.tensor(0.3, requires_grad=True))
    assert tape[-1].op == "softplus_named_up"
    np.testing.assert_allclose(ag.grad(named)(0.3), sig(0.3), **TOL)


# ------------------------------------------------------------------------ transformations
def test_grad_scalar_and_array():
    for x0 in (-3.0, 0.0, 0.25, 4.0):
        np.testing.assert_allclose(arr(ag.grad(softplus)(x0)), sig(x0), **TOL)
    g = ag.grad(lambda x: softplus(x).sum())(X)
    assert arr(g).shape == X.shape
    np.testing.assert_allclose(arr(g), sig(X), **TOL)


def test_value_and_grad():
    w = np.array([1.0, -2.0, 0.5, 3.0, -1.0])
    value, g = ag.value_and_grad(lambda x: (softplus(x) * w).sum())(X)
    np.testing.assert_allclose(arr(value), (sp(X) * w).sum(), **TOL)
    np.testing.assert_allclose(arr(g), w * sig(X), **TOL)


def test_jacobian_is_diagonal_sigma():
    J = arr(ag.jacobian(softplus)(X))
    np.testing.assert_allclose(J, np.diag(sig(X)), **TOL)


def test_hessian_is_sigma_times_one_minus_sigma():
    H = arr(ag.hessian(lambda x: softplus(x).sum())(X))
    np.testing.assert_allclose(H, np.diag(d2(X)), **TOL)
    np.testing.assert_allclose(arr(ag.grad(ag.grad(softplus))(0.7)), d2(0.7), **TOL)


def test_hessian_mixed_with_builtin_ops():
    # f(x) = sum softplus(x)·x:  ∂f/∂x_i = σ x + sp,  ∂²f/∂x_i² = σ'x + 2σ
    H = arr(ag.hessian(lambda x: (softplus(x) * x).sum())(X))
    np.testing.assert_allclose(H, np.diag(d2(X) * X + 2 * sig(X)), **TOL)


def test_jvp_forward_mode():
    v = np.array([1.0, 2.0, -1.0, 0.5, 3.0])
    out, tangent = ag.jvp(softplus, (X,), (v,))
    np.testing.assert_allclose(arr(out), sp(X), **TOL)
    np.testing.assert_allclose(arr(tangent), sig(X) * v, **TOL)
    out, tangent = ag.jvp(softplus, (0.5,), (1.0,))
    np.testing.assert_allclose(arr(out), sp(0.5), **TOL)
    np.testing.assert_allclose(arr(tangent), sig(0.5), **TOL)


def test_vjp_reverse_mode():
    out, vjp_fn = ag.vjp(softplus, X)
    np.testing.assert_allclose(arr(out), sp(X), **TOL)
    g = np.array([0.5, -1.0, 2.0, 1.0, 4.0])
    res = vjp_fn(g)
    res = res[0] if isinstance(res, tuple) else res
    np.testing.assert_allclose(arr(res), g * sig(X), **TOL)


def test_vjp_fn_is_differentiable():
    # d/dx [vjp_fn(1)] = d/dx σ(x) = σ(1 - σ)
    def h(x):
        _, vjp_fn = ag.vjp(softplus, x)
        r = vjp_fn(np.ones_like(X))
        r = r[0] if isinstance(r, tuple) else r
        return r.sum()

    np.testing.assert_allclose(arr(ag.grad(h)(X)), d2(X), **TOL)


def test_jvp_of_grad():
    v = np.array([1.0, -1.0, 2.0, 0.5, 1.0])
    g_fn = ag.grad(lambda x: softplus(x).sum())
    g, hv = ag.jvp(g_fn, (X,), (v,))
    np.testing.assert_allclose(arr(g), sig(X), **TOL)
    np.testing.assert_allclose(arr(hv), d2(X) * v, **TOL)


def test_grad_of_jvp():
    def tangent_sum(x):
        _, t = ag.jvp(softplus, (x,), (np.ones_like(X),))
        return t.sum()

    np.testing.assert_allclose(arr(ag.grad(tangent_sum)(X)), d2(X), **TOL)


def test_third_derivative():
    for x0 in (-1.3, 0.0, 0.4, 2.0):
        np.testing.assert_allclose(arr(ag.grad(ag.grad(ag.grad(softplus)))(x0)), d3(x0),
                                   rtol=1e-9, atol=1e-12)
    # the same through forward over reverse over reverse
    _, t = ag.jvp(ag.grad(ag.grad(softplus)), (0.4,), (1.0,))
    np.testing.assert_allclose(arr(t), d3(0.4), rtol=1e-9, atol=1e-12)
    # and reverse over forward over forward
    def second(x):
        return ag.jvp(lambda y: ag.jvp(softplus, (y,), (1.0,))[1], (x,), (1.0,))[1]

    np.testing.assert_allclose(arr(ag.grad(second)(0.4)), d3(0.4), rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------- Tensor.backward
def test_backward_writes_sigma():
    x = ag.tensor(X, requires_grad=True)
    softplus(x).sum().backward()
    assert isinstance(x.grad, ag.Tensor)
    np.testing.assert_allclose(x.grad.data, sig(X), **TOL)


def test_backward_with_seed_on_non_scalar():
    x = ag.tensor(X, requires_grad=True)
    seed = np.array([1.0, 2.0, 3.0, -1.0, 0.5])
    softplus(x).backward(seed)
    np.testing.assert_allclose(x.grad.data, seed * sig(X), **TOL)


def test_backward_create_graph_then_differentiate_grad_again():
    x = ag.tensor(X, requires_grad=True)
    softplus(x).sum().backward(create_graph=True)
    g = x.grad
    np.testing.assert_allclose(g.data, sig(X), **TOL)
    assert g.requires_grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.data, d2(X), **TOL)


def test_backward_through_chain_with_builtins():
    # y = sum tanh(softplus(x)):  dy/dx = (1 - tanh²(sp)) σ
    x = ag.tensor(X, requires_grad=True)
    ag.tanh(softplus(x)).sum().backward()
    np.testing.assert_allclose(x.grad.data, (1 - np.tanh(sp(X)) ** 2) * sig(X), **TOL)


# ------------------------------------------------------------------------------ gradcheck
def test_gradcheck_passes():
    assert ag.gradcheck(lambda x: softplus(x), X) is True
    assert ag.gradcheck(lambda x: softplus(x), np.array([[0.3, -1.2], [2.0, 0.1]])) is True


@ag.primitive(elementwise=True)
def bad_softplus(x):
    return np.logaddexp(0.0, x)


ag.defvjp(bad_softplus, lambda g, ans, x: -g * ag.sigmoid(x))  # the deliberate wrong sign
ag.defjvp(bad_softplus, lambda t, ans, x: -t * ag.sigmoid(x))


def test_gradcheck_catches_wrong_sign():
    x = np.array([-1.0, 0.5, 2.0])
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(lambda x: bad_softplus(x), x)
    msg = str(info.value)
    assert "input 0" in msg
    # analytic -σ against numeric σ: the difference 2σ(x) is worst at the largest x, element 2
    assert "element (2,)" in msg
    assert isinstance(info.value, AssertionError)


# -------------------------------------------------------------------------- missing rules
def test_missing_jvp_rule_names_the_primitive():
    @ag.primitive(elementwise=True)
    def vjp_only_up(x):
        return np.sin(x)

    ag.defvjp(vjp_only_up, lambda g, ans, x: g * np.cos(x))
    # reverse mode works
    np.testing.assert_allclose(arr(ag.grad(vjp_only_up)(0.3)), np.cos(0.3), **TOL)
    with pytest.raises(ag.MissingRuleError) as info:
        ag.jvp(vjp_only_up, (0.3,), (1.0,))
    assert "vjp_only_up" in str(info.value)
    assert "JVP" in str(info.value)


def test_missing_vjp_rule_names_the_primitive():
    @ag.primitive(elementwise=True)
    def jvp_only_up(x):
        return np.sin(x)

    ag.defjvp(jvp_only_up, lambda t, ans, x: t * np.cos(x))
    # forward mode works
    out, t = ag.jvp(jvp_only_up, (0.3,), (2.0,))
    np.testing.assert_allclose(arr(t), 2.0 * np.cos(0.3), **TOL)
    with pytest.raises(ag.MissingRuleError) as info:
        ag.grad(jvp_only_up)(0.3)
    assert "jvp_only_up" in str(info.value)
    assert "VJP" in str(info.value)
    x = ag.tensor(0.3, requires_grad=True)
    with pytest.raises(ag.MissingRuleError, match="jvp_only_up"):
        jvp_only_up(x).backward()


# ------------------------------------------------------------------------ several inputs
@ag.primitive
def mymul(x, y):
    return x * y


ag.defvjp(mymul, lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x)
ag.defjvp(mymul, lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t)


def test_two_input_primitive_grad_and_jvp():
    a = np.array([1.0, -2.0, 3.0])
    b = np.array([0.5, 4.0, -1.0])
    np.testing.assert_allclose(mymul(a, b), a * b, **TOL)
    ga, gb = ag.grad(lambda x, y: mymul(x, y).sum(), argnums=(0, 1))(a, b)
    np.testing.assert_allclose(arr(ga), b, **TOL)
    np.testing.assert_allclose(arr(gb), a, **TOL)
    va, vb = np.array([1.0, 0.0, 2.0]), np.array([-1.0, 1.0, 1.0])
    out, t = ag.jvp(mymul, (a, b), (va, vb))
    np.testing.assert_allclose(arr(out), a * b, **TOL)
    np.testing.assert_allclose(arr(t), va * b + a * vb, **TOL)
    assert ag.gradcheck(lambda x, y: mymul(x, y), a, b) is True


def test_two_input_primitive_broadcasts_and_unbroadcasts():
    a = np.arange(6.0).reshape(3, 2) - 2.0
    b = np.array([0.5, -3.0])
    ga, gb = ag.grad(lambda x, y: mymul(x, y).sum(), argnums=(0, 1))(a, b)
    np.testing.assert_allclose(arr(ga), np.broadcast_to(b, (3, 2)), **TOL)
    assert arr(gb).shape == (2,)
    np.testing.assert_allclose(arr(gb), a.sum(axis=0), **TOL)


def test_two_input_primitive_second_order():
    # f(x) = sum mymul(x, x) = Σx²: Hessian 2I; mixed with softplus: sum mymul(sp(x), x)
    a = np.array([0.3, -1.0])
    np.testing.assert_allclose(arr(ag.hessian(lambda x: mymul(x, x).sum())(a)), 2 * np.eye(2),
                               **TOL)
    # g(x) = sp(x)·x: g' = σx + sp, g'' = σ'x + 2σ
    np.testing.assert_allclose(arr(ag.grad(ag.grad(lambda x: mymul(softplus(x), x)))(0.6)),
                               d2(0.6) * 0.6 + 2 * sig(0.6), **TOL)


def test_two_input_backward_on_tensors():
    x = ag.tensor([2.0, 3.0], requires_grad=True)
    y = ag.tensor([5.0, -1.0], requires_grad=True)
    mymul(x, y).sum().backward()
    np.testing.assert_allclose(x.grad.data, [5.0, -1.0], **TOL)
    np.testing.assert_allclose(y.grad.data, [2.0, 3.0], **TOL)


@ag.primitive
def scale_by(x, k):
    return x * k


ag.defvjp(scale_by, lambda g, ans, x, k: g * k, None)  # k is not differentiable
ag.defjvp(scale_by, lambda t, ans, x, k: t * k, None)


def test_none_rule_marks_an_input_not_differentiable():
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(arr(ag.grad(lambda x: scale_by(x, 3.0).sum())(x)), [3.0, 3.0],
                               **TOL)
    _, t = ag.jvp(lambda x: scale_by(x, 3.0), (x,), (np.array([1.0, 2.0]),))
    np.testing.assert_allclose(arr(t), [3.0, 6.0], **TOL)
    # a constant k as an array, and as a tensor that does not require grad
    k = ag.tensor(np.array([2.0, -1.0]))
    xt = ag.tensor(x, requires_grad=True)
    scale_by(xt, k).sum().backward()
    np.testing.assert_allclose(xt.grad.data, [2.0, -1.0], **TOL)
    with pytest.raises(ag.MissingRuleError) as info:
        ag.grad(lambda k: scale_by(x, k).sum())(np.array([2.0, 1.0]))
    assert "scale_by" in str(info.value) and "input 1" in str(info.value)
    with pytest.raises(ag.MissingRuleError, match="scale_by"):
        ag.jvp(lambda k: scale_by(x, k), (np.array([2.0, 1.0]),), (np.ones(2),))


def test_forward_error_names_the_primitive():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([1.0, 2.0, 3.0])
    with pytest.raises(ValueError) as info:
        mymul(x, y)
    assert "mymul" in str(info.value)


def test_forward_error_inside_user_forward_names_the_primitive():
    @ag.primitive
    def needs_square_up(a):
        return np.linalg.inv(a)

    ag.defvjp(needs_square_up, lambda g, ans, a: -(ans.T @ g @ ans.T))
    with pytest.raises(Exception) as info:
        needs_square_up(ag.tensor(np.ones((2, 3)), requires_grad=True))
    assert "needs_square_up" in str(info.value)


# ------------------------------------------------------------------------------ pictures
def test_tape_records_the_primitive_by_name():
    with ag.Tape() as tape:
        x = ag.tensor(0.5, requires_grad=True, name="x")
        y = softplus(x)
        y.name = "y"
        z = y * 2.0
        z.name = "z"
    ops = [r.op for r in tape]
    assert "softplus" in ops
    rec = next(r for r in tape if r.op == "softplus")
    assert rec.output is y
    assert any(inp is x for inp in rec.inputs)
    text = repr(tape)
    assert "softplus" in text
    line = next(ln for ln in text.splitlines() if ln.split() and ln.split()[0] == "y")
    assert "softplus" in line and f"{sp(0.5):.4g}" in line
    # the tape differentiates it too
    (gx,) = tape.gradient(z, [x])
    np.testing.assert_allclose(arr(gx), 2 * sig(0.5), **TOL)


def svg_texts(svg: str) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_draw_shows_name_and_local_derivative_before_backward():
    from autograd_nb import viz

    x = ag.tensor(0.5, requires_grad=True, name="x")
    y = softplus(x)
    y.name = "y"
    svg = viz.draw(y).to_svg()
    lines = svg_texts(svg)
    assert "y = softplus(x)" in lines
    assert f"∂y/∂x = {float(sig(0.5)):.4g}" in lines  # σ(0.5) = 0.6225, 4 significant digits
    assert f"value {float(sp(0.5)):.4g}" in lines
    assert not any(t.startswith("grad") for t in lines)


def test_draw_after_backward_on_a_tape_shows_grads_and_local_derivative():
    from autograd_nb import viz

    with ag.Tape():
        x = ag.tensor(0.5, requires_grad=True, name="x")
        y = softplus(x)
        y.name = "y"
    y.backward()
    svg = viz.draw(y).to_svg()
    assert "softplus" in svg
    lines = svg_texts(svg)
    assert "y = softplus(x)" in lines
    assert f"∂y/∂x = {float(sig(0.5)):.4g}" in lines
    assert f"value {float(sp(0.5)):.4g}" in lines
    assert f"grad  {float(sig(0.5)):.4g}" in lines


def test_draw_after_plain_backward_still_shows_local_derivative():
    # API.md: "after backward() it still shows local derivatives on the edges" (no Tape here)
    from autograd_nb import viz

    x = ag.tensor(0.5, requires_grad=True, name="x")
    y = softplus(x)
    y.name = "y"
    y.backward()
    lines = svg_texts(viz.draw(y).to_svg())
    assert "y = softplus(x)" in lines
    assert f"grad  {float(sig(0.5)):.4g}" in lines
    assert f"∂y/∂x = {float(sig(0.5)):.4g}" in lines


def test_draw_two_input_local_derivatives():
    from autograd_nb import viz

    with ag.Tape():
        a = ag.tensor(3.0, requires_grad=True, name="a")
        b = ag.tensor(-2.0, requires_grad=True, name="b")
        c = mymul(a, b)
        c.name = "c"
    lines = svg_texts(viz.draw(c).to_svg())
    assert "c = mymul(a, b)" in lines
    assert "∂c/∂a = -2" in lines and "∂c/∂b = 3" in lines
    c.backward()
    lines = svg_texts(viz.draw(c).to_svg())
    assert "∂c/∂a = -2" in lines and "∂c/∂b = 3" in lines
    assert "grad  -2" in lines and "grad  3" in lines


def test_backward_player_mentions_the_primitive(tmp_path):
    from autograd_nb import viz

    x = ag.tensor(0.5, requires_grad=True, name="x")
    y = softplus(x)
    y.name = "y"
    player = viz.BackwardPlayer(y)
    path = player.save(tmp_path / "sweep.html")
    html = path.read_text(encoding="utf-8")
    assert "softplus" in html
    assert f"{float(sig(0.5)):.4g}" in html
    assert x.grad is None  # the player writes no .grad


# -------------------------------------------------------------- re-running the definition
def test_rerunning_the_cell_uses_the_new_rules():
    # first run of the cell: a rule with a bug (twice the derivative)
    @ag.primitive(elementwise=True)
    def softplus_cell(x):
        return np.logaddexp(0.0, x)

    ag.defvjp(softplus_cell, lambda g, ans, x: 2 * g * ag.sigmoid(x))
    ag.defjvp(softplus_cell, lambda t, ans, x: 2 * t * ag.sigmoid(x))
    np.testing.assert_allclose(arr(ag.grad(softplus_cell)(0.3)), 2 * sig(0.3), **TOL)
    first = softplus_cell

    # the cell fixed and run again: same name, new rules
    @ag.primitive(elementwise=True)
    def softplus_cell(x):  # noqa: F811 (a notebook cell run twice)
        return np.logaddexp(0.0, x)

    ag.defvjp(softplus_cell, lambda g, ans, x: g * ag.sigmoid(x))
    ag.defjvp(softplus_cell, lambda t, ans, x: t * ag.sigmoid(x))
    assert softplus_cell is not first
    np.testing.assert_allclose(arr(ag.grad(softplus_cell)(0.3)), sig(0.3), **TOL)
    np.testing.assert_allclose(arr(ag.jvp(softplus_cell, (0.3,), (1.0,))[1]), sig(0.3), **TOL)
    assert ag.gradcheck(lambda x: softplus_cell(x), X) is True
    with ag.Tape() as tape:
        softplus_cell(ag.tensor(0.3, requires_grad=True))
    assert tape[-1].op == "softplus_cell"


def test_redefining_rules_of_the_same_primitive():
    @ag.primitive(elementwise=True)
    def sp_rules_up(x):
        return np.logaddexp(0.0, x)

    ag.defvjp(sp_rules_up, lambda g, ans, x: 0 * g)
    np.testing.assert_allclose(arr(ag.grad(sp_rules_up)(1.0)), 0.0, **TOL)
    ag.defvjp(sp_rules_up, softplus_vjp)  # the defvjp line run again, corrected
    np.testing.assert_allclose(arr(ag.grad(sp_rules_up)(1.0)), sig(1.0), **TOL)


def test_module_softplus_still_right_after_redefinitions():
    np.testing.assert_allclose(arr(ag.grad(softplus)(0.3)), sig(0.3), **TOL)


# --------------------------------------------------------------------- NumPy next to it
def test_numpy_functions_on_tensors_next_to_the_primitive():
    # exp(softplus(x)) = 1 + eˣ, so its derivative is eˣ
    x = ag.tensor(X, requires_grad=True)
    y = np.exp(softplus(x))
    assert isinstance(y, ag.Tensor)
    np.testing.assert_allclose(y.data, 1 + np.exp(X), **TOL)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp(X), rtol=1e-9)
    # softplus(log(x)) = log(1 + x), derivative 1 / (1 + x)
    p = np.array([0.5, 1.0, 3.0])
    g = ag.grad(lambda t: softplus(np.log(t)).sum())(p)
    np.testing.assert_allclose(arr(g), 1 / (1 + p), **TOL)
    # np.tanh, np.sum and friends on tensors
    z = ag.tensor(X, requires_grad=True)
    np.sum(np.tanh(softplus(z))).backward()
    np.testing.assert_allclose(z.grad.data, (1 - np.tanh(sp(X)) ** 2) * sig(X), **TOL)


def test_numpy_function_without_rule_is_refused_by_name():
    a = ag.tensor(np.eye(2), requires_grad=True)
    with pytest.raises(TypeError) as info:
        np.linalg.lstsq(softplus(a), np.ones(2), rcond=None)
    assert "np.linalg.lstsq" in str(info.value)


# ------------------------------------------------------------------------------ training
class Softplus(nn.Module):
    """The user's activation as a layer."""

    def forward(self, x):
        return softplus(x)


def test_training_with_softplus_activation_reduces_loss():
    X_moons, y_moons = ag.data.make_moons(100, noise=0.1, seed=0)
    target = y_moons.reshape(-1, 1).astype(float)
    model = nn.Sequential(
        nn.Linear(2, 16, rng=0), Softplus(),
        nn.Linear(16, 16, rng=1), Softplus(),
        nn.Linear(16, 1, rng=2),
    )
    opt = optim.Adam(model.parameters(), lr=0.03)
    losses = []
    for _ in range(50):
        opt.zero_grad()
        loss = nn.binary_cross_entropy_with_logits(model(X_moons), target)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.6 * losses[0]
    assert losses[-1] < 0.4
    # every parameter received a gradient through the softplus layers
    assert all(p.grad is not None and np.any(p.grad.data != 0) for p in model.parameters())
    with ag.no_grad():
        logits = model(X_moons).data
    accuracy = np.mean((logits[:, 0] > 0) == (y_moons > 0.5))
    assert accuracy >= 0.8


def test_first_layer_gradient_matches_analytic_formula():
    # one hidden layer h = softplus(x W1ᵀ + b1), out = h·w2:  ∂out/∂b1 = w2 σ(x W1ᵀ + b1)
    rng = np.random.default_rng(0)
    W1 = rng.normal(size=(4, 2))
    b1 = rng.normal(size=4)
    w2 = rng.normal(size=4)
    x = np.array([0.3, -0.8])
    b = ag.tensor(b1, requires_grad=True)
    out = (softplus(ag.tensor(x) @ ag.tensor(W1).T + b) * ag.tensor(w2)).sum()
    out.backward()
    np.testing.assert_allclose(b.grad.data, w2 * sig(W1 @ x + b1), **TOL)


