"""The reverse sweep on whole graphs: shapes of graphs (diamond, fan-out, reuse, deep chains),
the seed's two examples, memory, threads, higher order, the observer, and the tape."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb.backward import seed_for, sweep


@pytest.fixture
def no_gc():
    """Cyclic garbage collection off: only reference counting frees anything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def leaf(value, **kwargs) -> ag.Tensor:
    return ag.tensor(value, requires_grad=True, **kwargs)


# ------------------------------------------------------------------------- shapes of graphs


def test_diamond_sums_both_paths():
    x = leaf(1.5)
    a = x * 2.0
    b = x * 3.0
    d = a * b  # 6x²
    d.backward()
    assert x.grad.item() == pytest.approx(12 * 1.5)


def test_fan_out_to_many_consumers(rng):
    values = rng.normal(size=5)
    x = leaf(values)
    y = (x.sin() + x.cos() + x * x + x.exp() + ag.tanh(x)).sum()
    y.backward()
    expected = np.cos(values) - np.sin(values) + 2 * values + np.exp(values)
    expected += 1 - np.tanh(values) ** 2
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


def test_reuse_of_a_variable():
    x = leaf(3.0)
    y = x * x * x + x + x  # x³ + 2x
    y.backward()
    assert x.grad.item() == pytest.approx(3 * 9 + 2)


def test_long_fan_in_of_one_leaf():
    x = leaf(2.0)
    total = x * 0.0
    for k in range(1, 101):
        total = total + x * float(k)
    total.backward()
    assert x.grad.item() == pytest.approx(100 * 101 / 2)


def test_unused_leaf_keeps_no_grad():
    x, unused = leaf(1.0), leaf(2.0)
    (x * 2.0).backward()
    assert unused.grad is None


# ----------------------------------------------------------------------- the seed's examples


def test_seed_example_sum_times_c():
    a, b, c = leaf(2.0), leaf(-3.0), leaf(10.0)
    d = (a + b) * c
    assert d.item() == -10.0
    d.backward()
    # ∂d/∂a = ∂d/∂b = c, ∂d/∂c = a + b
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (10.0, 10.0, -1.0)


def test_seed_example_two_chains():
    a, b, c = leaf(2.0), leaf(-3.0), leaf(10.0)
    d = (a + b) * (a * c)
    assert d.item() == -20.0
    d.backward()
    # a reaches d along two chains: ∂d/∂a = a·c + (a + b)·c = 20 - 10
    assert a.grad.item() == 10.0
    assert b.grad.item() == 20.0  # a·c
    assert c.grad.item() == -2.0  # (a + b)·a


def test_observer_sees_the_two_chains_of_a():
    a, b, c = leaf(2.0), leaf(-3.0), leaf(10.0)
    d = (a + b) * (a * c)
    steps = []
    sweep(d._node, seed_for(d, None, False, "test"), observer=steps.append,
          retain_graph=True, accumulate=False)
    assert a.grad is None  # observed only
    d.backward()  # the engine's own answer, without an observer
    into_a = [s for s in steps if s.kind == "edge" and s.parent == a._node.index]
    assert len(into_a) == 2
    assert sorted(s.op for s in into_a) == ["add", "mul"]
    assert sorted(s.contribution.item() for s in into_a) == [-10.0, 20.0]
    assert [s.terms for s in into_a] == [1, 2]
    assert into_a[-1].total.item() == 10.0
    assert sum(s.contribution.item() for s in into_a) == a.grad.item()
    visits = [s for s in steps if s.kind == "visit"]
    assert visits[0].node == d._node.index and visits[0].grad.item() == 1.0
    leaves = {s.node: s.grad.item() for s in steps if s.kind == "leaf"}
    assert leaves == {a._node.index: 10.0, b._node.index: 20.0, c._node.index: -2.0}


def test_observer_local_derivative_times_grad_is_the_contribution():
    a, b = leaf(2.0), leaf(-3.0)
    d = ag.tanh(a * b)
    steps = []
    sweep(d._node, seed_for(d, None, False, "test"), observer=steps.append)
    for s in steps:
        if s.kind == "edge":
            np.testing.assert_allclose(s.grad * s.local, s.contribution)


def test_grads_accumulate_until_zero_grad():
    x = leaf(3.0)
    (x * x).backward()
    g = x.grad
    (x * 2.0).backward()
    assert x.grad.item() == 8.0
    assert x.grad is g  # accumulated into the same tensor, as in PyTorch
    x.zero_grad()
    assert x.grad is None
    (x * 2.0).backward()
    assert x.grad.item() == 2.0


def test_retain_grad_keeps_an_intermediate_gradient():
    a, b = leaf(2.0), leaf(-3.0)
    e = a + b
    e.retain_grad()
    f = a * 10.0
    (e * f).backward()
    assert e.grad.item() == 20.0  # ∂(e·f)/∂e = f
    assert f.grad is None  # not asked for


def test_no_two_gradients_share_an_array():
    a, b = leaf(np.ones(3)), leaf(np.ones(3))
    e = a * 1.0
    e.retain_grad()
    seed = np.array([1.0, 2.0, 3.0])
    (e + b).backward(seed)  # add hands the same gradient to both of its inputs
    arrays = [a.grad.data, b.grad.data, e.grad.data, seed]
    for i, first in enumerate(arrays):
        for second in arrays[i + 1:]:
            assert not np.shares_memory(first, second)
    with ag.no_grad():
        b.grad *= 0.0  # an in-place change of one gradient touches no other
    np.testing.assert_array_equal(a.grad.data, seed)
    np.testing.assert_array_equal(e.grad.data, seed)
    np.testing.assert_array_equal(seed, [1.0, 2.0, 3.0])


# ----------------------------------------------------------------------- deep graphs, memory


def test_million_op_chain_backward_without_recursion(no_gc):
    x = leaf(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0000001**1_000_000, rel=1e-9)
    del y  # a million nested nodes are freed without recursion too


def test_intermediates_freed_by_reference_counting(no_gc, rng):
    x = leaf(rng.normal(size=(3, 4)))
    w = leaf(rng.normal(size=(4, 2)))
    h = ag.tanh(x @ w)
    y = ag.exp(h) * 2.0
    loss = y.sum()
    refs = [weakref.ref(t) for t in (h, y, loss)]
    values = [weakref.ref(t.data) for t in (h, y, loss)]  # held by the tensors and their nodes
    loss.backward()
    del h, y, loss
    assert [r() for r in refs] == [None, None, None]
    assert [v() for v in values] == [None, None, None]
    assert x.grad is not None and w.grad is not None


def test_graph_freed_without_backward(no_gc):
    x = leaf(np.ones(3))
    y = (x * 2.0).exp()
    z = y.sum()
    refs = [weakref.ref(y), weakref.ref(z), weakref.ref(y.data)]
    del y, z
    assert [r() for r in refs] == [None, None, None]


def test_leaf_freed_after_use(no_gc):
    x = leaf(np.ones(3))
    y = (x * 3.0).sum()
    y.backward()
    ref = weakref.ref(x)
    del x, y
    assert ref() is None


def test_tape_and_its_graph_freed_by_reference_counting(no_gc):
    x = leaf(np.ones(3))
    with ag.Tape() as tape:
        y = ag.exp(x * 2.0)
        z = y.sum()
    tape.gradient(z, [x])
    z.backward()
    refs = [weakref.ref(t) for t in (y, z)] + [weakref.ref(tape), weakref.ref(y.data)]
    del tape, y, z
    assert [r() for r in refs] == [None] * 4


@pytest.mark.parametrize("transform", [ag.grad, ag.hessian, lambda f: ag.grad(ag.grad(f))],
                         ids=["grad", "hessian", "grad-of-grad"])
def test_transforms_leave_no_reference_cycles(no_gc, transform):
    made = []

    def f(x):
        h = ag.tanh(x) * x
        made.append(weakref.ref(h))
        return h.sum()

    transform(f)(np.array([0.3]) if transform is not ag.hessian else np.array([0.3, -0.2]))
    assert made and all(r() is None for r in made)


# ----------------------------------------------------------------------------- grad modes


def test_no_grad_is_thread_local():
    inside = threading.Event()
    checked = threading.Event()
    seen = {}

    def worker():
        x = leaf(1.0)
        with ag.no_grad():
            inside.set()
            checked.wait(timeout=10)
            seen["worker"] = (x * 2.0).requires_grad
            seen["worker_enabled"] = ag.is_grad_enabled()

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(timeout=10)
    x = leaf(1.0)
    seen["main"] = (x * 2.0).requires_grad
    seen["main_enabled"] = ag.is_grad_enabled()
    checked.set()
    thread.join(timeout=10)
    assert seen == {"main": True, "main_enabled": True, "worker": False,
                    "worker_enabled": False}


def test_enable_grad_inside_no_grad():
    x = leaf(1.0)
    with ag.no_grad():
        assert not (x * 2.0).requires_grad
        with ag.enable_grad():
            assert (x * 2.0).requires_grad
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


# ------------------------------------------------------------------------------ higher order


@pytest.mark.parametrize("x0", [-1.3, 0.0, 0.7, 2.5])
def test_second_derivative_of_sin(x0):
    d2 = ag.grad(ag.grad(ag.sin))
    assert float(d2(x0)) == pytest.approx(-np.sin(x0), abs=1e-12)


@pytest.mark.parametrize("x0", [-2.0, 0.5, 1.5])
def test_third_derivative_of_x4(x0):
    d3 = ag.grad(ag.grad(ag.grad(lambda x: x**4)))
    assert float(d3(x0)) == pytest.approx(24 * x0, rel=1e-12)


def test_hessian_of_quadratic_form(rng):
    a = rng.normal(size=(4, 4))
    x0 = rng.normal(size=4)
    h = ag.hessian(lambda x: x @ (a @ x))(x0)
    np.testing.assert_allclose(h, a + a.T, rtol=1e-12)


def test_create_graph_gives_a_differentiable_grad():
    x = leaf(1.5)
    y = x**3
    y.backward(create_graph=True)
    g = x.grad  # 3x², itself recorded
    assert g.requires_grad
    assert g.item() == pytest.approx(3 * 1.5**2)
    x.grad = None
    g.backward()
    assert x.grad.item() == pytest.approx(6 * 1.5)


def test_create_graph_through_a_composite(rng):
    values = rng.normal(size=3)
    x = leaf(values)
    y = (ag.tanh(x) * x).sum()
    y.backward(create_graph=True)
    g = x.grad
    x.grad = None
    (g * g).sum().backward()
    t = np.tanh(values)
    first = t + values * (1 - t**2)  # d/dx (x tanh x)
    second = 2 * (1 - t**2) - 2 * values * t * (1 - t**2)
    np.testing.assert_allclose(x.grad.data, 2 * first * second, rtol=1e-10)


def test_retain_graph_allows_a_second_sweep():
    x = leaf(2.0)
    y = ag.exp(x) * x
    y.backward(retain_graph=True)
    first = x.grad.item()
    y.backward()
    assert x.grad.item() == pytest.approx(2 * first)
    with pytest.raises(ag.ReleasedGraphError):
        y.backward()


def test_jvp_equals_jacobian_times_v(rng):
    a = rng.normal(size=(3, 4))

    def f(x):
        return ag.tanh(a @ x) * x[:3] + ag.softmax(x)[1:]

    x0, v = rng.normal(size=4), rng.normal(size=4)
    value, tangent = ag.jvp(f, (x0,), (v,))
    np.testing.assert_allclose(value, f(ag.tensor(x0)).data)
    np.testing.assert_allclose(tangent, ag.jacobian(f)(x0) @ v, rtol=1e-10)


# ------------------------------------------------------------------------ in-place, dtypes


def test_augmented_assignment_in_a_graph():
    a, b = leaf(2.0), leaf(3.0)
    c = a * b
    c += c + 1  # c = 2ab + 1
    c.backward()
    assert c.item() == 13.0
    assert (a.grad.item(), b.grad.item()) == (6.0, 4.0)


def test_augmented_multiplication_and_item_assignment(rng):
    values = rng.normal(size=3)
    x = leaf(values)
    y = x * 2.0
    y *= y  # 4x²
    y[0] = x[1]  # y = (x1, 4x1², 4x2²)
    y.sum().backward()
    expected = np.array([0.0, 1 + 8 * values[1], 8 * values[2]])
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


def test_augmented_assignment_in_forward_mode():
    def f(x):
        c = x * 2.0
        c += c + 1  # 4x + 1
        c[0] = x[0] ** 2
        return c

    primal = np.array([1.0, 2.0])
    value, tangent = ag.jvp(f, (primal,), (np.ones(2),))
    np.testing.assert_allclose(value, [1.0, 9.0])
    np.testing.assert_allclose(tangent, [2.0, 4.0])
    np.testing.assert_array_equal(primal, [1.0, 2.0])  # the caller's array is not changed


def test_float32_end_to_end(rng):
    x = leaf(rng.normal(size=(5, 3)).astype(np.float32))
    w = leaf(rng.normal(size=(3, 2)).astype(np.float32))
    h = ag.tanh(x @ w * 0.5 + 1.0) ** 2
    p = ag.softmax(h, axis=-1)
    loss = -(ag.log(p[:, 0] + 1e-6)).mean() + ag.sigmoid(h).max() / 3 + ag.relu(x).sum()
    for t in (h, p, loss):
        assert t.dtype == np.float32
    loss.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32
    g = ag.grad(lambda v: (ag.exp(v) * 2.0).sum())(np.ones(3, dtype=np.float32))
    assert g.dtype == np.float32
    value, tangent = ag.jvp(lambda v: ag.sin(v) * 3.0, (np.ones(2, np.float32),),
                            (np.ones(2, np.float32),))
    assert value.dtype == np.float32 and tangent.dtype == np.float32


def test_float32_leaf_gets_float32_grad_from_a_float64_graph():
    for create_graph in (False, True):
        x = leaf(np.array([1.0, 2.0], dtype=np.float32))
        y = (x * np.array([1.0, 3.0])) ** 2  # NumPy promotes to float64 here
        assert y.dtype == np.float64
        y.sum().backward(create_graph=create_graph)
        assert x.grad.dtype == np.float32
        np.testing.assert_allclose(x.grad.data, [2.0, 36.0])
        if create_graph:  # the cast is recorded: the gradient can be differentiated again
            g = x.grad
            x.grad = None
            g.sum().backward()
            assert x.grad.dtype == np.float32
            np.testing.assert_allclose(x.grad.data, [2.0, 18.0])


def test_default_dtype_is_float64():
    assert ag.tensor([1, 2, 3]).dtype == np.float64
    assert ag.tensor(2).dtype == np.float64
    assert ag.tensor([True, False]).dtype == np.float64


def test_integer_and_bool_tensors_are_allowed_as_constants():
    i = ag.tensor([1, 2, 3], dtype=np.int64)
    m = ag.tensor([True, False, True], dtype=bool)
    assert i.dtype == np.int64 and m.dtype == np.bool_
    assert not i.requires_grad
    x = leaf([0.5, 1.5, 2.5])
    y = (x * i + ag.where(m, x, 0.0)).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 4.0])
    for t in (i, m):
        with pytest.raises(ag.AutogradError, match="floating-point"):
            t.requires_grad = True
        assert not t.requires_grad


# ---------------------------------------------------------------------------------- the tape


def test_tape_records_operations_in_order():
    a, b, c = leaf(2.0, name="a"), leaf(-3.0, name="b"), leaf(10.0, name="c")
    with ag.Tape() as tape:
        e = a + b
        f = a * c
        d = e * f
    outside = d * 2.0  # not recorded: the tape is closed
    assert len(tape) == 3
    assert [r.op for r in tape] == ["add", "mul", "mul"]
    assert [r.index for r in tape] == [0, 1, 2]
    assert tape[0].inputs == (a, b) and tape[0].output is e
    assert tape[2].inputs == (e, f) and tape[2].output is d
    assert list(iter(tape)) == tape.records
    assert outside.requires_grad


def test_tape_gradient_leaves_grad_untouched():
    a, b, c = leaf(2.0), leaf(-3.0), leaf(10.0)
    unrelated = leaf(1.0)
    with ag.Tape() as tape:
        d = (a + b) * (a * c)
    grads = tape.gradient(d, [a, b, c, unrelated])
    assert [g.item() for g in grads] == [10.0, 20.0, -2.0, 0.0]
    assert a.grad is None and b.grad is None
    again = tape.gradient(d, [c])  # the tape can be asked again
    assert again[0].item() == -2.0


def test_tape_tables():
    a, b, c = leaf(2.0, name="a"), leaf(-3.0, name="b"), leaf(10.0, name="c")
    with ag.Tape() as tape:
        d = (a + b) * (a * c)
    primal = repr(tape)
    assert "forward primal trace" in primal
    assert "-20" in primal
    assert "<table" in tape._repr_html_()
    adjoint = tape.adjoint_table(d)
    text = repr(adjoint)
    assert "reverse adjoint trace" in text
    assert len([row for row in adjoint.rows if "term 2" in row]) == 1  # a's second chain
    assert a.grad is None  # tables do not write gradients


def test_numpy_calls_on_tensors_are_recorded(rng):
    values = rng.normal(size=3)
    arr = rng.normal(size=3)
    x = leaf(values)
    y = np.exp(x)
    z = arr * x
    s = np.sum(y + z)
    assert isinstance(y, ag.Tensor) and y.op == "exp"
    assert isinstance(z, ag.Tensor) and z.op == "mul"
    assert s.op == "sum"
    s.backward()
    np.testing.assert_allclose(x.grad.data, np.exp(values) + arr, rtol=1e-12)
