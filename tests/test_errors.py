"""The errors users get: each names the operation, the shapes involved and what to do, and no
failed call leaves a tensor, its ``.grad`` or a tape half-changed."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb.primitives import REGISTRY
from autograd_nb.primitives.registry import defvjp, primitive


def leaf(value, **kwargs) -> ag.Tensor:
    return ag.tensor(value, requires_grad=True, **kwargs)


@pytest.fixture
def rule_less():
    """A throwaway primitive with a forward and no derivative rule, removed afterwards."""
    name = "test_rule_less"

    @primitive(name, elementwise=True)
    def double(x):
        return 2 * x

    try:
        yield double
    finally:
        del REGISTRY[name]


# ------------------------------------------------------------------------------------ shapes


@pytest.mark.parametrize(
    ("op", "call"),
    [
        ("add", lambda x, y: x + y),
        ("sub", lambda x, y: x - y),
        ("mul", lambda x, y: y * x),
        ("div", lambda x, y: x / y),
        ("maximum", lambda x, y: ag.maximum(x, y)),
        ("where", lambda x, y: ag.where(np.ones((2, 3), bool), x, y)),
    ],
)
def test_broadcast_mismatch_names_op_and_shapes(op, call):
    x = leaf(np.ones((2, 3)))
    y = ag.tensor(np.ones(4))
    with pytest.raises(ag.ShapeError) as info:
        call(x, y)
    message = str(info.value)
    assert op in message
    assert "(2, 3)" in message and "(4,)" in message
    assert "broadcast" in message


def test_broadcast_mismatch_with_a_numpy_array():
    with pytest.raises(ag.ShapeError, match=r"mul.*\(4,\).*\(2, 3\)"):
        np.ones(4) * leaf(np.ones((2, 3)))


@pytest.mark.parametrize(
    ("left", "right"),
    [((2, 3), (2, 3)), ((2, 3), (2,)), ((4,), (3, 2)), ((5, 2, 3), (5, 4, 2))],
)
def test_matmul_mismatch_names_op_and_shapes(left, right):
    x = leaf(np.ones(left))
    with pytest.raises(ag.ShapeError) as info:
        x @ ag.tensor(np.ones(right))
    message = str(info.value)
    assert "matmul" in message
    assert str(left) in message and str(right) in message


def test_backward_grad_of_wrong_shape():
    x = leaf(np.ones(3))
    with pytest.raises(ag.ShapeError, match=r"\(4,\).*\(3,\)"):
        (x * 2.0).backward(np.ones(4))
    assert x.grad is None


# ----------------------------------------------------------------------- backward misuse


def test_backward_on_non_scalar_needs_grad():
    x = leaf(np.ones((2, 3)))
    y = x * 2.0
    with pytest.raises(ag.AutogradError, match=r"\(2, 3\).*grad="):
        y.backward()
    assert x.grad is None
    y.backward(np.ones((2, 3)))  # with grad it works
    np.testing.assert_array_equal(x.grad.data, np.full((2, 3), 2.0))


def test_backward_on_a_constant_says_why():
    with pytest.raises(ag.AutogradError, match="requires_grad"):
        (ag.tensor(2.0) * 3.0).backward()


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool])
def test_integer_tensor_refuses_requires_grad(dtype):
    with pytest.raises(ag.AutogradError, match=np.dtype(dtype).name):
        ag.tensor([1, 0], dtype=dtype, requires_grad=True)
    t = ag.tensor([1, 0], dtype=dtype)
    with pytest.raises(ag.AutogradError, match="floating-point"):
        t.requires_grad_()
    assert not t.requires_grad


def test_second_backward_over_released_graph_names_retain_graph():
    x = leaf(2.0)
    y = ag.exp(x) * x
    y.backward()
    before = x.grad.item()
    with pytest.raises(ag.ReleasedGraphError, match=r"retain_graph=True"):
        y.backward()
    assert x.grad.item() == before


def test_released_part_of_a_larger_graph():
    a, b = leaf(2.0), leaf(3.0)
    first = (a * b).sum()
    first.backward()
    grads = (a.grad.item(), b.grad.item())
    second = first + (a * a).sum()  # reaches the released part through `first`
    with pytest.raises(ag.ReleasedGraphError, match=r"retain_graph=True"):
        second.backward()
    assert (a.grad.item(), b.grad.item()) == grads  # not half-accumulated


# ------------------------------------------------------------------------ in-place changes


def test_optimizer_step_before_backward_is_detected():
    w = leaf(np.ones(3))
    loss = (w * w).sum()
    with ag.no_grad():
        w -= 0.1
    with pytest.raises(ag.InplaceError, match=r"'mul'.*changed in place"):
        loss.backward()
    assert w.grad is None


def test_saved_intermediate_changed_in_place_is_detected():
    w = leaf(np.ones(3))
    h = w * 2.0
    loss = ag.tanh(h).sum()
    with ag.no_grad():
        h += 1.0
    with pytest.raises(ag.InplaceError, match="'tanh'"):
        loss.backward()


def test_saved_output_changed_in_place_is_detected():
    w = leaf(np.array([0.1, 0.2]))
    h = ag.exp(w)  # exp's derivative is its saved output
    with ag.no_grad():
        h *= 2.0
    loss = h.sum()
    with pytest.raises(ag.InplaceError, match="'exp'"):
        loss.backward()
    assert w.grad is None


def test_change_through_detach_is_detected():
    w = leaf(np.ones(3))
    loss = (w * w).sum()
    d = w.detach()  # shares w's memory
    d -= 0.1
    with pytest.raises(ag.InplaceError, match=r"'mul'.*detach"):
        loss.backward()
    assert w.grad is None


def test_change_through_a_view_is_detected():
    w = leaf(np.ones((2, 3)))
    loss = (ag.tanh(w) * w).sum()
    with ag.no_grad():
        row = w[0]  # a view of w's memory
        row *= 2.0
    with pytest.raises(ag.InplaceError, match="view"):
        loss.backward()


def test_change_of_a_computed_tensor_through_a_view_is_detected():
    w = leaf(np.array([0.1, 0.2, 0.3]))
    h = ag.exp(w)
    flat = h.detach().reshape(3, 1)  # a view of exp's saved output
    flat += 1.0
    loss = h.sum()  # recorded after the change: only exp's own saved output is stale
    with pytest.raises(ag.InplaceError, match="'exp'.*output"):
        loss.backward()


def test_change_of_disjoint_memory_is_not_an_error():
    buffer = np.ones(6)
    w = leaf(buffer[:3])  # w and u share one buffer but no element
    u = ag.tensor(buffer[3:])
    loss = (w * w).sum()
    with ag.no_grad():
        u += 1.0
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, np.full(3, 2.0))


def test_optimizer_step_after_backward_is_fine():
    w = leaf(np.ones(3))
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        with ag.no_grad():
            w -= 0.1 * w.grad
        w.zero_grad()
    np.testing.assert_allclose(w.data, np.full(3, 0.8**3))


def test_leaf_changed_in_place_while_recording():
    w = leaf(np.ones(3))
    with ag.Tape() as tape:
        with pytest.raises(ag.InplaceError, match="leaf.*no_grad"):
            w += 1.0
        with pytest.raises(ag.InplaceError, match="leaf"):
            w[0] = leaf(5.0)
    assert len(tape) == 0  # nothing recorded for the refused operations
    np.testing.assert_array_equal(w.data, np.ones(3))
    assert w.is_leaf and w.requires_grad


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.__iadd__(np.ones((4, 3))),
        lambda t: t.__imul__(np.ones(5)),
        lambda t: t.__setitem__([0, 5], 1.0),
        lambda t: t.__setitem__(0, np.ones(4)),
    ],
    ids=["iadd-broadcast", "imul-broadcast", "setitem-out-of-range", "setitem-shape"],
)
def test_failed_in_place_change_leaves_data_unchanged(change):
    t = ag.tensor(np.arange(6.0).reshape(2, 3))
    with pytest.raises((ValueError, IndexError)):
        change(t)
    np.testing.assert_array_equal(t.data, np.arange(6.0).reshape(2, 3))


def test_failed_in_place_change_of_integer_tensor():
    t = ag.tensor([1, 2], dtype=np.int64)
    with pytest.raises(TypeError, match=r"int64") as info:
        t += 0.5
    assert "in place" in str(info.value)
    np.testing.assert_array_equal(t.data, [1, 2])
    assert t.dtype == np.int64


def test_failed_recorded_in_place_change_leaves_graph_intact():
    w = leaf(np.ones(3))
    c = w * 2.0
    with pytest.raises(ag.ShapeError, match=r"add.*\(3,\).*\(4,\)"):
        c += np.ones(4)
    with pytest.raises(ValueError):
        c[0] = np.ones(3)
    assert c.op == "mul"
    np.testing.assert_array_equal(c.data, np.full(3, 2.0))
    c.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full(3, 2.0))


# -------------------------------------------------------------------------- missing rules


def test_missing_vjp_names_primitive_and_rule(rule_less):
    x = leaf(np.ones(2))
    y = rule_less(x).sum()
    with pytest.raises(ag.MissingRuleError) as info:
        y.backward()
    message = str(info.value)
    assert "test_rule_less" in message and "VJP" in message and "input 0" in message


def test_missing_jvp_names_primitive_and_rule(rule_less):
    defvjp(rule_less, lambda g, ans, x: 2 * g)  # reverse mode only
    with pytest.raises(ag.MissingRuleError) as info:
        ag.jvp(lambda x: rule_less(x), (np.ones(2),), (np.ones(2),))
    message = str(info.value)
    assert "test_rule_less" in message and "JVP" in message
    x = leaf(np.ones(2))
    rule_less(x).sum().backward()  # the VJP is there
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_failed_backward_leaves_every_grad_unchanged(rule_less):
    a, b = leaf(2.0), leaf(3.0)
    (a * b).backward()
    before = (a.grad.item(), b.grad.item())
    t = rule_less(a)  # recorded first, so reached last by the sweep
    m = a * b
    m.retain_grad()
    y = m + t
    with pytest.raises(ag.MissingRuleError):
        y.backward()  # the sweep has passed through m (reaching a and b) when it fails
    assert (a.grad.item(), b.grad.item()) == before
    assert m.grad is None


# ---------------------------------------------------------------------- anomaly detection


def test_detect_anomaly_names_first_forward_op():
    x = leaf(np.array([1.0, 2.0]))
    with np.errstate(all="ignore"), ag.detect_anomaly():
        u = x * 2.0
        with pytest.raises(FloatingPointError, match=r"forward of 'log'.*NaN"):
            ag.exp(ag.log(u - 5.0))


def test_without_detect_anomaly_nan_flows_silently():
    x = leaf(np.array([1.0, 2.0]))
    with np.errstate(all="ignore"):
        y = ag.exp(ag.log(x - 5.0))
    assert np.isnan(y.data).all()


def test_detect_anomaly_names_first_backward_op():
    x = leaf(np.array([0.0, 4.0]))
    with np.errstate(all="ignore"), ag.detect_anomaly():
        y = (ag.sqrt(x) * 3.0).sum()  # finite forward; d√x/dx = inf at 0
        with pytest.raises(FloatingPointError, match=r"backward of 'sqrt'.*inf"):
            y.backward()
    assert x.grad is None


def test_detect_anomaly_does_not_fire_on_finite_values():
    x = leaf(np.array([1.0, 4.0]))
    with ag.detect_anomaly():
        (ag.sqrt(x) * ag.log(x)).sum().backward()
    assert np.all(np.isfinite(x.grad.data))


# --------------------------------------------------------------------- transformations


def test_grad_of_non_scalar_function_names_shape():
    with pytest.raises(ag.ShapeError, match=r"\(3,\)"):
        ag.grad(lambda x: x * 2.0)(np.ones(3))


def test_jvp_tangent_of_wrong_shape():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        ag.jvp(ag.sin, (np.ones(3),), (np.ones(2),))


def test_grad_setter_checks_shape():
    x = leaf(np.ones(3))
    with pytest.raises(ag.ShapeError, match=r"\(3,\)"):
        x.grad = np.ones(4)
    assert x.grad is None
