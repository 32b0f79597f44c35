"""Reductions and scans against PyTorch: values, gradients and second derivatives in float64,
at generic inputs and at the corner cases (zeros in products, no spread in std, ties in
max/min); then the errors raised for what is not supported."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.autograd.functional import hessian as torch_hessian

import autograd_nb as ag
from autograd_nb.errors import ShapeError

X23 = np.array([[0.3, -1.2, 0.8], [1.5, 0.4, -0.7]])
X234 = np.linspace(-1.3, 1.7, 24).reshape(2, 3, 4) ** 2 - 0.9
ONE_ZERO = np.array([[1.5, 0.0, -2.0, 0.7], [0.5, 3.0, -1.0, 1.2]])
TWO_ZEROS = np.array([[0.0, 2.0, 0.0, -1.5], [1.5, 0.0, 0.5, 2.0]])
THREE_ZEROS = np.array([[0.0, 0.0, 0.0, 1.5], [1.5, -0.5, 0.5, 2.0]])
EQUAL = np.array([[2.0, 2.0, 2.0, 2.0], [1.0, -1.0, 0.5, 0.25]])
TIED = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 0.5, 2.0]])


def _grad_pair(ours, theirs, x, rng):
    """Value and gradient of Σ w·f(x) (w random) from autograd_nb and from PyTorch."""
    value = ours(ag.tensor(x)).data
    expected = theirs(torch.tensor(x)).numpy()
    w = rng.normal(size=value.shape)
    grad = ag.grad(lambda t: (ours(t) * w).sum())(x)
    tx = torch.tensor(x, requires_grad=True)
    (theirs(tx) * torch.tensor(w)).sum().backward()
    return value, expected, grad, tx.grad.numpy()


def check(ours, theirs, x, rng, hessian=False):
    value, expected, grad, expected_grad = _grad_pair(ours, theirs, x, rng)
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)
    if hessian:  # of Σ w·f(x)² (not 0 for a linear f), and forward over reverse (H·v)
        w = rng.normal(size=value.shape)
        h = ag.hessian(lambda t: (ours(t) ** 2 * w).sum())(x)
        expected_h = torch_hessian(lambda t: (theirs(t) ** 2 * torch.tensor(w)).sum(),
                                   torch.tensor(x))
        np.testing.assert_allclose(h, expected_h.numpy(), rtol=1e-10, atol=1e-12)
        v = rng.normal(size=x.shape)
        _, hv = ag.jvp(ag.grad(lambda t: (ours(t) ** 2 * w).sum()), (x,), (v,))
        np.testing.assert_allclose(hv, np.tensordot(h, v, axes=x.ndim), rtol=1e-10, atol=1e-12)


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
        value, expected, grad, expected_grad = _grad_pair(
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


def test_diff_refuses_prepend_and_append():
    x = ag.tensor(X23, requires_grad=True)
    for kwargs in ({"prepend": 0.0}, {"append": np.zeros((2, 1))}):
        with pytest.raises(ValueError, match=r"diff: prepend= and append= are not supported"):
            np.diff(x, **kwargs)
        with pytest.raises(ValueError, match=r"np\.concatenate"):
            ag.diff(x, 1, -1, **kwargs)


def test_average_errors():
    x = ag.tensor(X23, requires_grad=True)
    with pytest.raises(ValueError, match=r"returned=True"):
        np.average(x, weights=np.ones((2, 3)), returned=True)
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
