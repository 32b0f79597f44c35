"""Reductions and scans against PyTorch: values, gradients and second derivatives in float64,
at generic inputs and at the corner cases (zeros in products, no spread in std, ties in
max/min); then the errors raised for what is not supported."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_reference import check, grad_pair

import autograd_nb as ag
from autograd_nb.errors import ShapeError

X23 = np.array([[0.3, -1.2, 0.8], [1.5, 0.4, -0.7]])
X234 = np.linspace(-1.3, 1.7, 24).reshape(2, 3, 4) ** 2 - 0.9
ONE_ZERO = np.array([[1.5, 0.0, -2.0, 0.7], [0.5, 3.0, -1.0, 1.2]])
TWO_ZEROS = np.array([[0.0, 2.0, 0.0, -1.5], [1.5, 0.0, 0.5, 2.0]])
THREE_ZEROS = np.array([[0.0, 0.0, 0.0, 1.5], [1.5, -0.5, 0.5, 2.0]])
EQUAL = np.array([[2.0, 2.0, 2.0, 2.0], [1.0, -1.0, 0.5, 0.25]])
TIED = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 0.5, 2.0]])


# ---------------------------------------------------------------------------------------- prod


@pytest.mark.parametrize("x", [X23, ONE_ZERO, TWO_ZEROS, THREE_ZEROS],
                         ids=["generic", "one-zero", "two-zeros", "three-zeros"])
def test_prod_matches_torch(x, rng):
    check(lambda t: t.prod(), lambda t: t.prod(), x, rng, hessian=True)
    check(lambda t: np.prod(t, axis=1), lambda t: t.prod(dim=1), x, rng, hessian=True)
    check(lambda t: ag.prod(t, axis=0, keepdims=True), lambda t: t.prod(0, keepdim=True), x,
          rng, hessian=True)
    check(lambda t: t.prod(axis=-1), lambda t: t.prod(-1), x, rng)


def test_prod_gradient_at_zeros_is_the_product_of_the_others():
    # one zero: the product of the rest there, 0 elsewhere; two zeros: 0 everywhere; no NaN
    assert ag.grad(lambda t: t.prod())(np.array([2.0, 0.0, 3.0])).tolist() == [0.0, 6.0, 0.0]
    assert ag.grad(lambda t: t.prod())(np.array([0.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 0.0]
    # but the second derivative across the two zeros is the product of the rest
    assert ag.hessian(lambda t: t.prod())(np.array([0.0, 0.0, 3.0]))[0, 1] == 3.0


# ----------------------------------------------------------------------------- cumsum, cumprod


def test_cumsum_matches_torch(rng):
    check(lambda t: t.cumsum(1), lambda t: t.cumsum(1), X234, rng, hessian=True)
    check(lambda t: np.cumsum(t, axis=-3), lambda t: t.cumsum(-3), X234, rng)
    check(lambda t: np.cumsum(t), lambda t: t.flatten().cumsum(0), X23, rng, hessian=True)


@pytest.mark.parametrize("x", [X23, ONE_ZERO, TWO_ZEROS, THREE_ZEROS],
                         ids=["generic", "one-zero", "two-zeros", "three-zeros"])
def test_cumprod_matches_torch(x, rng):
    check(lambda t: t.cumprod(1), lambda t: t.cumprod(1), x, rng, hessian=True)
    check(lambda t: np.cumprod(t, axis=0), lambda t: t.cumprod(0), x, rng, hessian=True)
    check(lambda t: ag.cumprod(t), lambda t: t.flatten().cumprod(0), x, rng, hessian=True)


def test_cumprod_with_zeros_in_three_dimensions(rng):
    x = X234.copy()
    x[0, 1, 2] = x[1, 0, 0] = x[1, 2, 0] = 0.0
    check(lambda t: t.cumprod(1), lambda t: t.cumprod(1), x, rng, hessian=True)
    check(lambda t: t.cumprod(-1), lambda t: t.cumprod(-1), x, rng)


def test_cumulative_sum_and_prod_match_numpy_and_torch(rng):
    check(lambda t: np.cumulative_sum(t, axis=1), lambda t: t.cumsum(1), X23, rng)
    check(lambda t: np.cumulative_prod(t, axis=1), lambda t: t.cumprod(1), ONE_ZERO, rng)
    x = ag.tensor(X23)
    np.testing.assert_array_equal(np.cumulative_sum(x, axis=0, include_initial=True).data,
                                  np.cumulative_sum(X23, axis=0, include_initial=True))
    np.testing.assert_array_equal(np.cumulative_prod(x, axis=1, include_initial=True).data,
                                  np.cumulative_prod(X23, axis=1, include_initial=True))


# ------------------------------------------------------------------------------------ var, std


@pytest.mark.parametrize("ddof", [0, 1, 2])
@pytest.mark.parametrize(("ours", "theirs"), [(np.var, torch.var), (np.std, torch.std)],
                         ids=["var", "std"])
def test_var_and_std_match_torch(ours, theirs, ddof, rng):
    check(lambda t: ours(t, ddof=ddof), lambda t: theirs(t, correction=ddof), X234, rng,
          hessian=True)
    check(lambda t: ours(t, axis=1, ddof=ddof), lambda t: theirs(t, 1, correction=ddof),
          X234, rng, hessian=True)
    check(lambda t: ours(t, axis=(0, -1), ddof=ddof, keepdims=True),
          lambda t: theirs(t, (0, -1), correction=ddof, keepdim=True), X234, rng)
    check(lambda t: t.var(-1, ddof), lambda t: t.var(-1, correction=ddof), X23, rng)
    check(lambda t: t.std(-1, ddof), lambda t: t.std(-1, correction=ddof), X23, rng)


@pytest.mark.parametrize("ddof", [0, 1])
def test_std_without_spread_has_gradient_zero_as_in_torch(ddof, rng):
    # PyTorch takes std's gradient as 0 where std = 0 (the formula gives 0/0)
    check(lambda t: t.std(axis=1, ddof=ddof), lambda t: t.std(1, correction=ddof), EQUAL, rng)
    check(lambda t: t.var(axis=1, ddof=ddof), lambda t: t.var(1, correction=ddof), EQUAL, rng)
    assert ag.grad(lambda t: t.std())(np.full(3, 2.0)).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.filterwarnings("ignore:std\\(\\). degrees of freedom:UserWarning")  # torch's
def test_std_with_no_degrees_of_freedom_is_nan_as_in_torch():
    x = np.array([2.0])
    with pytest.warns(RuntimeWarning):
        value, expected, grad, expected_grad = grad_pair(
            lambda t: t.std(ddof=1), lambda t: t.std(correction=1), x, np.random.default_rng(0))
    assert np.isnan(value) and np.isnan(expected)
    assert np.isnan(grad).all() and np.isnan(expected_grad).all()


# -------------------------------------------------------------------------------------- trace


@pytest.mark.parametrize("offset", [-2, -1, 1, 2, 5])
def test_trace_with_offset_matches_torch(offset, rng):
    x = X234[0].T.copy()  # (4, 3)
    check(lambda t: np.trace(t, offset), lambda t: t.diagonal(offset).sum(), x, rng)


def test_trace_matches_torch(rng):
    x = X234[0].T.copy()  # (4, 3)
    check(lambda t: t.trace(), torch.trace, x, rng, hessian=True)
    check(lambda t: np.trace(t, 1, -1, 0),
          lambda t: t.diagonal(1, -1, 0).sum(-1), X234, rng, hessian=True)
    check(lambda t: t.trace(axis1=1, axis2=2), lambda t: t.diagonal(0, 1, 2).sum(-1), X234, rng)


# --------------------------------------------------------------------------------------- diff


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_diff_matches_torch(n, rng):
    check(lambda t: np.diff(t, n), lambda t: torch.diff(t, n) if n else t, X23, rng,
          hessian=n < 3)  # from n = 3 on, the result is empty
    check(lambda t: t.diff(n, axis=1), lambda t: torch.diff(t, n, dim=1) if n else t, X234,
          rng)
    check(lambda t: ag.diff(t, n, axis=-3), lambda t: torch.diff(t, n, dim=-3) if n else t,
          X234, rng)


def test_diff_with_n_zero_is_a_copy():
    x = ag.tensor(X23, requires_grad=True)
    y = np.diff(x, n=0)
    assert not np.shares_memory(y.data, x.data)


def check_many(ours, theirs, arrays, rng, hessian=False):
    """check() for several inputs: the value, every input's gradient of Σ w·f and (hessian)
    every input's Hessian-vector product of Σ w·f², from autograd_nb and from PyTorch."""
    argnums = tuple(range(len(arrays)))
    value = ours(*[ag.tensor(a) for a in arrays]).data
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = theirs(*ts)
    assert value.shape == tuple(out.shape)
    np.testing.assert_allclose(value, out.detach().numpy(), rtol=1e-12, atol=1e-12)
    w = rng.normal(size=value.shape)
    grads = ag.grad(lambda *xs: (ours(*xs) * w).sum(), argnums=argnums)(*arrays)
    expected = torch.autograd.grad((out * torch.tensor(w)).sum(), ts, allow_unused=True)
    for g, e, a in zip(grads, expected, arrays):
        np.testing.assert_allclose(g, np.zeros_like(a) if e is None else e.numpy(), rtol=1e-10,
                                   atol=1e-12)
    if hessian:
        u = [rng.normal(size=np.shape(a)) for a in arrays]

        def directional(*xs):
            gs = ag.grad(lambda *ys: (ours(*ys) ** 2 * w).sum(), argnums=argnums)(*xs)
            return sum((g * v).sum() for g, v in zip(gs, u))

        hv = ag.grad(directional, argnums=argnums)(*arrays)
        gs = torch.autograd.grad((theirs(*ts) ** 2 * torch.tensor(w)).sum(), ts,
                                 create_graph=True)
        expected = torch.autograd.grad(sum((g * torch.tensor(v)).sum() for g, v in zip(gs, u)),
                                       ts, allow_unused=True)
        for h, e, a in zip(hv, expected, arrays):
            np.testing.assert_allclose(h, np.zeros_like(a) if e is None else e.numpy(),
                                       rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_diff_with_prepend_and_append_matches_torch(n, rng):
    before, after = np.array([[0.5], [-1.5]]), np.array([[2.0, -0.25], [1.0, 0.75]])
    check_many(lambda t, p, a: np.diff(t, n, prepend=p, append=a),
               lambda t, p, a: torch.diff(t, n, prepend=p, append=a), [X23, before, after], rng,
               hessian=True)
    check_many(lambda t, p: t.diff(n, axis=0, prepend=p),
               lambda t, p: torch.diff(t, n, dim=0, prepend=p), [X23, X23[:1] * 3.0], rng)
    check_many(lambda t, a: ag.diff(t, n, axis=1, append=a),
               lambda t, a: torch.diff(t, n, dim=1, append=a), [X234, X234[:, :2] - 1.0], rng)
    check(lambda t: np.diff(X23, n, prepend=t, append=after),
          lambda t: torch.diff(torch.tensor(X23), n, prepend=t, append=torch.tensor(after)),
          before, rng, hessian=True)


def test_diff_broadcasts_scalar_prepend_and_append_as_numpy(rng):
    # NumPy repeats a scalar along the other axes (torch wants the shape: expand it)
    before, after = np.array(0.5), np.array(-1.25)
    check_many(lambda t, p, a: np.diff(t, 2, axis=0, prepend=p, append=a),
               lambda t, p, a: torch.diff(t, 2, dim=0, prepend=p.expand(1, 3),
                                          append=a.expand(1, 3)), [X23, before, after], rng,
               hessian=True)
    check_many(lambda t, p: ag.diff(t, 1, axis=1, prepend=p),
               lambda t, p: torch.diff(t, 1, dim=1, prepend=p.expand(2, 1, 4)), [X234, before],
               rng)
    # a scalar tensor gets the gradient of every copy: Σ over the broadcast axis
    p = ag.tensor(0.5, requires_grad=True)
    np.diff(ag.tensor(X23), prepend=p).sum().backward()
    assert p.grad.item() == -2.0


@pytest.mark.parametrize("x", [X23, X23.astype(np.float32), X234],
                         ids=["float64", "float32", "3-d"])
def test_diff_with_prepend_and_append_equals_numpy(x):
    for n in (0, 1, 2, 4):
        for axis in (0, -1):
            ends = np.take(x, [0], axis=axis) * 2.0
            for kwargs in ({"prepend": 0.5}, {"append": -2}, {"prepend": ends, "append": 1.5},
                           {"prepend": ends.astype(np.float32)}, {"append": ag.tensor(ends)},
                           {"prepend": np.float32(3.0), "append": ends.astype(np.float16)}):
                got = np.diff(ag.tensor(x), n, axis, **kwargs)
                plain = {k: v.data if isinstance(v, ag.Tensor) else v for k, v in kwargs.items()}
                expected = np.diff(x, n, axis, **plain)
                assert got.dtype == expected.dtype and got.shape == expected.shape
                np.testing.assert_array_equal(got.data, expected)
    # n = 0 returns a (a copy) as NumPy does, without prepend and append
    got = ag.diff(ag.tensor(x), 0, prepend=np.ones(9), append=1.0)
    np.testing.assert_array_equal(got.data, x)


# ------------------------------------------------------------------------ ptp and average


def test_ptp_is_amax_minus_amin_as_in_torch(rng):
    for x in (X23, TIED):
        check(lambda t: t.ptp(), lambda t: t.amax() - t.amin(), x, rng)
        check(lambda t: np.ptp(t, axis=1), lambda t: t.amax(1) - t.amin(1), x, rng)
        check(lambda t: ag.ptp(t, axis=0, keepdims=True),
              lambda t: t.amax(0, keepdim=True) - t.amin(0, keepdim=True), x, rng)


def test_average_matches_numpy_and_torch(rng):
    w1 = np.array([0.5, 2.0, 1.0])
    check(lambda t: np.average(t, axis=1, weights=w1),
          lambda t: (t * torch.tensor(w1)).sum(1) / w1.sum(), X23, rng, hessian=True)
    w = rng.uniform(0.5, 2.0, size=X23.shape)
    check(lambda t: np.average(t, weights=w),
          lambda t: (t * torch.tensor(w)).sum() / w.sum(), X23, rng, hessian=True)
    check(lambda t: ag.average(t, axis=-1, keepdims=True), lambda t: t.mean(-1, keepdim=True),
          X23, rng)
    # with respect to the weights, given as a tensor
    check(lambda v: np.average(X23, axis=1, weights=v),
          lambda v: (torch.tensor(X23) * v).sum(1) / v.sum(), w1, rng, hessian=True)
    for axis, weights in [(None, w), (1, w1), ((2, 0), rng.uniform(0.5, 2, (4, 2)))]:
        x = X23 if np.shape(weights) != (4, 2) else X234
        for keepdims in (False, True):
            np.testing.assert_allclose(
                ag.average(ag.tensor(x), axis, ag.tensor(weights), keepdims=keepdims).data,
                np.average(x, axis, weights, keepdims=keepdims), rtol=1e-13)


def test_average_returned_matches_numpy():
    """(average, sum of weights): the second a tensor when the weights are a tensor that
    requires grad, else what NumPy gives (a NumPy scalar, or an array broadcast to the
    average's shape), with NumPy's values and dtypes."""
    w1, w2 = np.array([0.5, 2.0, 1.0]), np.linspace(0.5, 2.0, 8).reshape(4, 2)
    for x, axis, weights in [(X23, None, None), (X23, 1, None), (X234, (0, 2), None),
                             (X23, None, X23 + 2.0), (X23, 1, w1), (X23, 0, w1[:2]),
                             (X234, (2, 0), w2), (X23.astype(np.float32), 1, w1),
                             (X23.astype(np.float32), None, None),
                             (np.arange(6).reshape(2, 3), 0, None),
                             (X23, 1, np.array([1, 2, 3]))]:
        for keepdims in (False, True):
            expected = np.average(x, axis, weights, returned=True, keepdims=keepdims)
            for kind in ("array", "tensor", "leaf"):
                w = weights
                if weights is not None and kind != "array":
                    w = ag.tensor(weights, requires_grad=kind == "leaf"
                                  and np.issubdtype(np.asarray(weights).dtype, np.floating))
                avg, total = ag.average(ag.tensor(x), axis, w, returned=True, keepdims=keepdims)
                np.testing.assert_array_equal(avg.data, expected[0])
                assert avg.dtype == expected[0].dtype
                if isinstance(w, ag.Tensor) and w.requires_grad:
                    assert isinstance(total, ag.Tensor) and total.requires_grad
                    total = total.data
                else:
                    assert type(total) is type(expected[1])
                assert total.dtype == expected[1].dtype and total.shape == expected[1].shape
                np.testing.assert_array_equal(total, expected[1])


def test_average_returned_gradients_match_torch(rng):
    w1 = np.array([0.5, 2.0, 1.0])
    check_many(lambda t, v: ag.stack(np.average(t, axis=1, weights=v, returned=True)),
               lambda t, v: torch.stack([(t * v).sum(1) / v.sum(), v.sum().expand(2)]),
               [X23, w1], rng, hessian=True)
    w = np.linspace(0.5, 2.0, 6).reshape(2, 3)
    check_many(lambda t, v: ag.stack(np.average(t, weights=v, returned=True, keepdims=True)),
               lambda t, v: torch.stack([(t * v).sum((0, 1), keepdim=True) / v.sum(),
                                         v.sum().reshape(1, 1)]), [X23, w], rng, hessian=True)
    check(lambda t: np.average(t, axis=0, returned=True)[0], lambda t: t.mean(0), X234, rng)


def test_trapezoid_and_ediff1d_match_torch(rng):
    check(lambda y: np.trapezoid(y), torch.trapezoid, X234, rng, hessian=True)
    check(lambda y: np.trapezoid(y, dx=0.5, axis=1), lambda y: torch.trapezoid(y, dx=0.5, dim=1),
          X234, rng)
    grid = np.array([0.0, 0.5, 1.5, 1.75])
    check(lambda y: np.trapezoid(y, grid), lambda y: torch.trapezoid(y, torch.tensor(grid)),
          X234, rng, hessian=True)
    check(lambda x: np.trapezoid(X234, x), lambda x: torch.trapezoid(torch.tensor(X234), x),
          grid, rng, hessian=True)
    check(lambda y: np.ediff1d(y, to_begin=-1.0, to_end=[2.0, 3.0]),
          lambda y: torch.cat([torch.tensor([-1.0], dtype=y.dtype), torch.diff(y.flatten()),
                               torch.tensor([2.0, 3.0], dtype=y.dtype)]), X23, rng)
    np.testing.assert_array_equal(np.ediff1d(ag.tensor(X23), [4.0], -1.0).data,
                                  np.ediff1d(X23, [4.0], -1.0))


# ------------------------------------------------------------------ max/min ties (reductions)


@pytest.mark.parametrize(("ours", "theirs"), [(np.max, torch.amax), (np.min, torch.amin)],
                         ids=["max", "min"])
def test_amax_amin_split_ties_evenly_as_torch(ours, theirs, rng):
    check(lambda t: ours(t), lambda t: theirs(t), TIED, rng)
    check(lambda t: ours(t, axis=1), lambda t: theirs(t, 1), TIED, rng)
    check(lambda t: ours(t, axis=0, keepdims=True), lambda t: theirs(t, 0, keepdim=True),
          TIED, rng)
    check(lambda t: ours(t, axis=(0, 1)), lambda t: theirs(t, (0, 1)), TIED, rng)


def test_full_max_and_min_split_ties_as_torch(rng):  # torch's max()/min() without dim
    check(lambda t: t.max(), lambda t: t.max(), TIED, rng)
    check(lambda t: t.min(), lambda t: t.min(), np.array([1.0, -1.0, -1.0, 4.0]), rng)


# ---------------------------------------------------------------------------------- errors


def test_diff_errors_name_the_argument_and_the_fix():
    x = ag.tensor(X23, requires_grad=True)
    with pytest.raises(ShapeError, match=r"diff: prepend= of shape \(3,\) does not fit a of "
                                         r"shape \(2, 3\) along axis 1: give a scalar"):
        np.diff(x, prepend=np.zeros(3))
    with pytest.raises(ShapeError, match=r"diff: append= of shape \(2, 1\) .* along axis 0"):
        np.diff(x, axis=0, append=np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"diff: order must be non-negative but got -1"):
        np.diff(x, -1)
    with pytest.raises(ValueError, match=r"diff: a is 0-d"):
        ag.diff(ag.tensor(1.0), prepend=0.0)
    with pytest.raises(np.exceptions.AxisError):
        np.diff(x, axis=2, append=0.0)


def test_average_errors():
    x = ag.tensor(X23, requires_grad=True)
    with pytest.raises(ZeroDivisionError):  # NumPy's too: a.size / 0 elements per average
        np.average(ag.tensor(np.ones((0, 3))), axis=1, returned=True)
    with pytest.raises(TypeError, match=r"need an axis"):
        np.average(x, weights=np.ones(3))
    with pytest.raises(ShapeError, match=r"must have shape \(3,\)"):
        np.average(x, axis=1, weights=np.ones(2))
    with pytest.raises(ZeroDivisionError, match=r"weights sum to zero"):
        np.average(x, axis=1, weights=np.array([1.0, -1.0, 0.0]))
    with pytest.raises(np.exceptions.AxisError):
        np.average(x, axis=2)


def test_cumulative_scans_need_an_axis_beyond_one_dimension():
    x = ag.tensor(X23, requires_grad=True)
    with pytest.raises(ShapeError, match=r"cumulative_sum: .* give axis="):
        np.cumulative_sum(x)
    with pytest.raises(ShapeError, match=r"cumulative_prod: .* give axis="):
        ag.cumulative_prod(ag.tensor(2.0))
