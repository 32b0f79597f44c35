"""Order statistics and the reductions that skip NaN against PyTorch: values, gradients and
second derivatives in float64, at generic inputs and at the corner cases (even counts, ties,
NaN, slices of NaN only, axis tuples); the values and dtypes against NumPy's; then the errors
raised for what is not supported.

PyTorch reduces one dim at a time for median and quantile: the references move the reduced
axes last (in their order, as NumPy merges them) and flatten them. NumPy's median averages the
two middle values of an even count where ``torch.median`` returns the lower one, so the median
is checked against ``torch.quantile(x, 0.5)`` (and against ``torch.median`` for odd counts);
``nanmedian`` against ``torch.nanquantile(x, 0.5)``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch_reference import check

import autograd_nb as ag

nan = np.nan
X234 = np.linspace(-1.3, 1.7, 24).reshape(2, 3, 4) ** 3 - 0.2  # distinct values
X235 = np.cos(np.arange(30.0) * 1.7).reshape(2, 3, 5)  # distinct, odd last axis
# ties of every kind, at most 16 elements per slice (torch's sort is stable up to 16)
TIED = np.array([[1.0, 3.0, 3.0, -2.0, 3.0], [2.0, 2.0, 0.5, 2.0, 2.0],
                 [0.5, 0.5, 0.5, 0.5, 0.5]])
TIED_EVEN = np.array([[1.0, 3.0, 3.0, 5.0], [2.0, 2.0, 0.5, 2.0], [4.0, -1.0, 4.0, -1.0]])
WITH_NAN = np.array([[0.5, nan, -1.2, 2.0, 0.7], [nan, 1.5, 0.3, -0.4, nan],
                     [1.1, -2.0, nan, nan, 0.9]])  # 4, 3 and 3 values a row, 2 a column
NAN_TIES = np.array([[2.0, nan, 2.0, -1.0], [nan, 0.5, -1.0, -1.0], [3.0, 3.0, nan, 3.0]])


def last(t, axis):
    """``t`` with the axes ``axis`` (None: all) moved last, in their order, and flattened."""
    if axis is None:
        return t.flatten()
    axes = sorted(a % t.ndim for a in ((axis,) if isinstance(axis, int) else axis))
    moved = t.movedim(axes, list(range(t.ndim - len(axes), t.ndim)))
    return moved.flatten(t.ndim - len(axes))


def kept(out, t, axis, q_ndim=0):
    """``out`` (lead + kept) reshaped as keepdims=True would leave it."""
    axes = range(t.ndim) if axis is None else [a % t.ndim for a in
                                                ((axis,) if isinstance(axis, int) else axis)]
    return out.reshape(out.shape[:q_ndim] + tuple(1 if d in axes else n
                                                  for d, n in enumerate(t.shape)))


def torch_quantile(q, axis=None, keepdims=False, skipnan=False):
    def f(t):
        qt = q if isinstance(q, torch.Tensor) else torch.tensor(q, dtype=t.dtype)
        out = (torch.nanquantile if skipnan else torch.quantile)(last(t, axis), qt, dim=-1)
        return kept(out, t, axis, qt.ndim) if keepdims else out
    return f


AXES = [None, 0, -1, 1, (0, 2), (2, 0), (0, 1, 2)]

# ----------------------------------------------------------------------------------- median


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("x", [X234, X235], ids=["even-last", "odd-last"])
def test_median_is_torch_quantile_at_one_half(x, axis, rng):
    check(lambda t: np.median(t, axis=axis), torch_quantile(0.5, axis), x, rng, hessian=True)
    check(lambda t: ag.median(t, axis, keepdims=True), torch_quantile(0.5, axis, True), x, rng)


def test_median_of_an_odd_count_is_torch_median(rng):
    check(lambda t: np.median(t, axis=-1), lambda t: t.median(-1).values, X235, rng,
          hessian=True)
    check(lambda t: np.median(t[0, :, :3]), lambda t: t[0, :, :3].median(), X235, rng)
    # an even count: NumPy's value, the mean of the two middle values, not torch's lower one
    ours = np.median(ag.tensor(X234), axis=-1).data
    np.testing.assert_array_equal(ours, np.median(X234, axis=-1))
    assert (ours > torch.tensor(X234).median(-1).values.numpy()).all()


def test_median_of_an_even_count_gives_one_half_to_each_middle_element():
    g = ag.grad(lambda t: np.median(t))(np.array([4.0, 1.0, 3.0, 2.0]))
    assert g.tolist() == [0.0, 0.0, 0.5, 0.5]
    assert ag.grad(lambda t: np.median(t))(np.array([4.0, 1.0, 3.0])).tolist() == [0, 0, 1]


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("x", [TIED, TIED_EVEN], ids=["odd", "even"])
def test_median_ties_follow_torch_quantile(x, axis, rng):
    check(lambda t: np.median(t, axis=axis), torch_quantile(0.5, axis), x, rng, hessian=True)


def test_median_ties_go_to_the_first_equal_element_in_order():
    # a stable sort: of equal values, the first in the slice takes the lower sorted position
    assert ag.grad(lambda t: np.median(t))(np.array([1.0, 3.0, 3.0])).tolist() == [0, 1, 0]
    assert ag.grad(lambda t: np.median(t))(np.array([3.0, 3.0, 3.0])).tolist() == [0, 1, 0]
    g = ag.grad(lambda t: np.median(t))(np.array([2.0, 2.0, 2.0, 2.0]))
    assert g.tolist() == [0.0, 0.5, 0.5, 0.0]
    # and torch.median(dim) picks the same element for these odd counts
    check(lambda t: np.median(t, axis=1), lambda t: t.median(1).values, TIED,
          np.random.default_rng(0))


# --------------------------------------------------------------------------------- quantile


@pytest.mark.parametrize("q", [0.0, 0.3, 0.5, 0.77, 1.0, [0.1, 0.5, 0.95]])
@pytest.mark.parametrize("axis", AXES)
def test_quantile_matches_torch(q, axis, rng):
    check(lambda t: np.quantile(t, q, axis=axis), torch_quantile(q, axis), X234, rng,
          hessian=axis in (None, (2, 0)))
    check(lambda t: ag.quantile(t, q, axis, keepdims=True), torch_quantile(q, axis, True),
          X235, rng)


@pytest.mark.parametrize("q", [0.0, 0.25, 0.3, 0.5, 0.6, 1.0])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_quantile_ties_follow_torch(q, axis, rng):
    check(lambda t: np.quantile(t, q, axis=axis), torch_quantile(q, axis), TIED, rng)
    check(lambda t: np.quantile(t, q, axis=axis), torch_quantile(q, axis), TIED_EVEN, rng)


@pytest.mark.parametrize("q", [5.0, 30.0, 50.0, 99.0, [0.0, 25.0, 100.0]])
def test_percentile_is_quantile_at_q_over_100(q, rng):
    qs = np.asarray(q) / 100
    check(lambda t: np.percentile(t, q, axis=1), torch_quantile(qs.tolist(), 1), X234, rng,
          hessian=True)
    check(lambda t: ag.percentile(t, q, (0, -1), keepdims=True),
          torch_quantile(qs.tolist(), (0, -1), True), X235, rng)


def test_quantile_with_respect_to_q_matches_torch(rng):
    x = X235[0]
    check(lambda q: np.quantile(x, q, axis=1), lambda q: torch.quantile(torch.tensor(x), q, 1),
          np.array([0.15, 0.5, 0.8]), rng, hessian=True)
    check(lambda q: ag.quantile(x, q), lambda q: torch.quantile(torch.tensor(x), q),
          np.array(0.42), rng, hessian=True)
    check(lambda q: np.percentile(x, q, axis=0),
          lambda q: torch.quantile(torch.tensor(x), q / 100, 0), np.array([12.0, 64.0]), rng,
          hessian=True)


def test_the_derivative_in_q_is_zero_where_q_times_n_minus_1_is_whole():
    # one-sided derivatives differ there; torch.quantile's is 0, and so is ours
    x = np.array([4.0, -1.0, 2.5, 0.5, 3.0])
    for q in (0.0, 0.25, 0.5, 1.0):
        assert ag.grad(lambda v: ag.quantile(x, v))(np.array(q)) == 0
    assert ag.grad(lambda v: ag.quantile(x, v))(np.array(0.3)) == 4 * (2.5 - 0.5)


def test_the_mixed_second_derivative_in_q_and_x_matches_torch():
    x = X235[0].ravel()
    tq = torch.tensor(0.42, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    (dq,) = torch.autograd.grad(torch.quantile(tx, tq), tq, create_graph=True)
    (expected,) = torch.autograd.grad(dq, tx)  # ∂/∂x of ∂quantile/∂q: ±(n - 1)
    ours = ag.grad(lambda t: ag.grad(lambda q: ag.quantile(t, q))(np.array(0.42)))(x)
    np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-12)
    assert sorted(ours[ours != 0].tolist()) == [-(x.size - 1), x.size - 1]


# -------------------------------------------------------------------------------------- NaN


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_median_and_quantile_of_slices_with_nan_are_nan_as_in_torch(axis, rng):
    # the value is NaN and the gradient goes to the slice's last NaN, as torch.quantile's
    check(lambda t: np.median(t, axis=axis), torch_quantile(0.5, axis), WITH_NAN, rng)
    check(lambda t: np.quantile(t, [0.2, 0.9], axis=axis), torch_quantile([0.2, 0.9], axis),
          WITH_NAN, rng)
    np.testing.assert_array_equal(np.median(ag.tensor(WITH_NAN), axis=axis).data,
                                  np.median(WITH_NAN, axis=axis))


@pytest.mark.parametrize("axis", [None, 0, 1, (1, 0)])
@pytest.mark.parametrize("q", [0.0, 0.3, 0.5, 1.0, [0.1, 0.5, 0.75]])
def test_nanquantile_and_nanmedian_match_torch(q, axis, rng):
    check(lambda t: np.nanquantile(t, q, axis=axis), torch_quantile(q, axis, skipnan=True),
          WITH_NAN, rng, hessian=axis is None)
    check(lambda t: np.nanmedian(t, axis=axis), torch_quantile(0.5, axis, skipnan=True),
          WITH_NAN, rng, hessian=True)
    check(lambda t: ag.nanpercentile(t, np.multiply(q, 100), axis, keepdims=True),
          torch_quantile(q, axis, True, skipnan=True), WITH_NAN, rng)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_order_statistics_with_ties_match_torch(axis, rng):
    check(lambda t: np.nanmedian(t, axis=axis), torch_quantile(0.5, axis, skipnan=True),
          NAN_TIES, rng)
    check(lambda t: np.nanquantile(t, 0.3, axis=axis), torch_quantile(0.3, axis, skipnan=True),
          NAN_TIES, rng)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_nansum_and_nanmean_match_torch(axis, rng):
    dim = axis if axis is not None else tuple(range(2))
    check(lambda t: np.nansum(t, axis=axis), lambda t: torch.nansum(t, dim), WITH_NAN, rng,
          hessian=True)
    check(lambda t: np.nanmean(t, axis=axis), lambda t: torch.nanmean(t, dim), WITH_NAN, rng,
          hessian=True)
    check(lambda t: ag.nansum(t, axis, keepdims=True),
          lambda t: torch.nansum(t, dim, keepdim=True), WITH_NAN, rng)
    check(lambda t: ag.nanmean(t, axis, keepdims=True),
          lambda t: torch.nanmean(t, dim, keepdim=True), WITH_NAN, rng)
    check(lambda t: np.nanmean(t, axis=axis), lambda t: torch.nanmean(t, dim), X234[0], rng)


def _skip_nan_extreme(reduce, fill):
    def f(t, dim=None, keepdim=False):
        filled = torch.where(torch.isnan(t), torch.tensor(fill, dtype=t.dtype), t)
        return reduce(filled, dim=() if dim is None else dim, keepdim=keepdim)
    return f


@pytest.mark.parametrize(("ours", "theirs"),
                         [(np.nanmax, _skip_nan_extreme(torch.amax, -np.inf)),
                          (np.nanmin, _skip_nan_extreme(torch.amin, np.inf))],
                         ids=["nanmax", "nanmin"])
@pytest.mark.parametrize("x", [WITH_NAN, NAN_TIES, TIED], ids=["nan", "nan-ties", "ties"])
def test_nanmax_and_nanmin_split_ties_as_torch_amax(ours, theirs, x, rng):
    # torch has no nanmax: amax of the values with NaN replaced by -inf (ties split evenly)
    check(lambda t: ours(t), lambda t: theirs(t), x, rng, hessian=True)
    check(lambda t: ours(t, axis=1), lambda t: theirs(t, 1), x, rng)
    check(lambda t: ours(t, axis=0, keepdims=True), lambda t: theirs(t, 0, True), x, rng)
    check(lambda t: ours(t, axis=(1, 0)), lambda t: theirs(t, (0, 1)), x, rng)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("f", [
    np.nansum, np.nanmean, np.nanmax, np.nanmin, np.nanmedian,
    lambda t, axis: np.nanquantile(t, [0.3, 0.8], axis=axis),
    lambda t, axis: np.nanpercentile(t, 80, axis=axis),
], ids=["nansum", "nanmean", "nanmax", "nanmin", "nanmedian", "nanquantile", "nanpercentile"])
def test_nan_elements_get_gradient_zero(f, axis):
    g = ag.grad(lambda t: ag.sum(f(t, axis=axis)))(WITH_NAN)
    assert (g[np.isnan(WITH_NAN)] == 0).all() and np.isfinite(g).all()
    assert (g[~np.isnan(WITH_NAN)] != 0).any()


ALL_NAN = np.array([[nan, nan, nan], [1.0, nan, 2.0]])


@pytest.mark.parametrize(("name", "f", "warning"), [
    ("nanmedian", lambda t: np.nanmedian(t, axis=1), "All-NaN slice"),
    ("nanquantile", lambda t: np.nanquantile(t, [0.3, 0.6], axis=1), "All-NaN slice"),
    ("nanpercentile", lambda t: np.nanpercentile(t, 40, axis=1), "All-NaN slice"),
    ("nanmax", lambda t: np.nanmax(t, axis=1), "All-NaN slice"),
    ("nanmin", lambda t: np.nanmin(t, axis=1, keepdims=True), "All-NaN slice"),
    ("nanmean", lambda t: np.nanmean(t, axis=1), "Mean of empty slice"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_slice_of_nan_only_gives_nan_with_gradient_zero(name, f, warning):
    # NumPy's value and warning; the gradient is 0 there (torch gives its NaN elements NaN
    # (nanmean) or a share of the gradient (nanquantile, nanmedian) instead)
    with pytest.warns(RuntimeWarning, match=warning):
        expected = f(ALL_NAN)
    with pytest.warns(RuntimeWarning, match=warning):
        value = f(ag.tensor(ALL_NAN)).data
    np.testing.assert_array_equal(value, expected)
    with pytest.warns(RuntimeWarning, match=warning):
        g = ag.grad(lambda t: ag.sum(f(t) * np.where(np.isnan(value), 0.0, 1.0)))(ALL_NAN)
    assert g[0].tolist() == [0.0, 0.0, 0.0] and g[1, 1] == 0
    assert np.isfinite(g).all() and g[1, 0] + g[1, 2] > 0
    with pytest.warns(RuntimeWarning, match=warning):
        g = ag.grad(lambda t: ag.sum(ag.where(np.isnan(value), 0.0, f(t))))(ALL_NAN)
    assert g[0].tolist() == [0.0, 0.0, 0.0]


def test_nansum_of_a_slice_of_nan_only_is_zero_as_in_torch(rng):
    check(lambda t: np.nansum(t, axis=1), lambda t: torch.nansum(t, 1), ALL_NAN, rng)


# ------------------------------------------------------------------------- values and dtypes


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_and_dtypes_equal_numpys(dtype, rng):
    """The same values, bit for bit, and dtypes as NumPy: q a Python number keeps float32,
    q an array of float64 promotes, integer q takes elements."""
    x = rng.normal(size=(2, 3, 5)).astype(dtype)
    xn = x.copy()
    xn.flat[rng.choice(x.size, 9, replace=False)] = np.nan
    qs = [0.0, 0.3, 0.5, 1.0, 1, [0.2, 0.9], np.array([0.25, 0.6], dtype=np.float32), [0, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for arr in (x, xn):
            t = ag.tensor(arr, requires_grad=True)
            for axis in (None, 0, -1, (0, 2), (2, 1, 0)):
                for keepdims in (False, True):
                    kw = dict(axis=axis, keepdims=keepdims)
                    calls = [(f, (), kw) for f in (np.median, np.nanmedian, np.nansum,
                                                   np.nanmean, np.nanmax, np.nanmin)]
                    for q in qs:
                        p = [v * 100 for v in q] if isinstance(q, list) else q * 100
                        calls += [(np.quantile, (q,), kw), (np.nanquantile, (q,), kw),
                                  (np.percentile, (p,), kw), (np.nanpercentile, (p,), kw)]
                    for f, args, kwargs in calls:
                        expected = np.asarray(f(arr, *args, **kwargs))
                        got = f(t, *args, **kwargs)
                        assert isinstance(got, ag.Tensor)
                        assert got.dtype == expected.dtype, (f.__name__, args, kwargs)
                        np.testing.assert_array_equal(got.data, expected, strict=True)


def test_integer_inputs_and_numbers_as_numpy():
    a = np.array([[3, 1, 4], [1, 5, 9]])
    for f in (np.median, np.nanmedian, np.nanmean, np.nansum, np.nanmax):
        np.testing.assert_array_equal(getattr(ag, f.__name__)(a, axis=1).data, f(a, axis=1),
                                      strict=True)
    np.testing.assert_array_equal(ag.quantile(a, 0.4, axis=0).data, np.quantile(a, 0.4, axis=0))
    assert ag.median(ag.tensor(2.5)).item() == 2.5
    assert ag.nanmedian([1.0, nan, 3.0]).item() == 2.0


def test_empty_medians_are_nan_as_numpys():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = np.median(ag.tensor(np.zeros(0), requires_grad=True))
        out = ag.nanmedian(ag.tensor(np.zeros((0, 3))), axis=0)
    assert np.isnan(value.item()) and out.shape == (3,) and np.isnan(out.data).all()
    assert any("Mean of empty slice" in str(w.message) for w in caught)


# ------------------------------------------------------------------------------------ errors


def test_quantile_refuses_other_methods():
    x = ag.tensor(X234, requires_grad=True)
    for f in (np.quantile, np.percentile, np.nanquantile, np.nanpercentile):
        for method in ("nearest", "lower", "midpoint", "inverted_cdf", "hazen"):
            with pytest.raises(ValueError, match=rf"{f.__name__}: method='{method}'.*"
                                                 rf"only method='linear'"):
                f(x, 0.5, method=method)


@pytest.mark.parametrize("q", [1.5, -0.1, nan, [0.2, 1.01]])
def test_quantile_refuses_q_outside_0_1(q):
    x = ag.tensor(X234, requires_grad=True)
    with pytest.raises(ValueError, match=r"quantile: q=.*Quantiles must be in the range \[0, 1\]"):
        np.quantile(x, q)
    with pytest.raises(ValueError, match=r"nanquantile: .*range \[0, 1\]"):
        ag.nanquantile(x, q)
    with pytest.raises(ValueError, match=r"quantile: .*range \[0, 1\]"):
        ag.quantile(X234, ag.tensor(q, requires_grad=True))


@pytest.mark.parametrize("q", [101.0, -1, nan, [50, 100.5]])
def test_percentile_refuses_q_outside_0_100(q):
    x = ag.tensor(X234, requires_grad=True)
    with pytest.raises(ValueError, match=r"percentile: q=.*Percentiles must be in the range "
                                         r"\[0, 100\]"):
        np.percentile(x, q)
    with pytest.raises(ValueError, match=r"nanpercentile: .*range \[0, 100\]"):
        ag.nanpercentile(x, q)


def test_quantile_refuses_bad_q():
    x = ag.tensor(X234, requires_grad=True)
    with pytest.raises(ValueError, match=r"quantile: q of shape \(2, 2\); give a scalar or a "
                                         r"1-d array"):
        np.quantile(x, [[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(TypeError, match=r"quantile: q must be real numbers"):
        np.quantile(x, "half")
    with pytest.raises(TypeError, match=r"percentile: q is a list holding tensors; give q as "
                                        r"one tensor"):
        ag.percentile(x, [ag.tensor(10.0, requires_grad=True), 20.0])
    with pytest.raises(ValueError, match=r"quantile: the reduced axes .* hold no element"):
        ag.quantile(np.zeros((0, 2)), 0.5, axis=0)


@pytest.mark.parametrize("name", ["median", "nanmedian", "quantile", "percentile",
                                  "nanquantile", "nanpercentile"])
def test_out_and_overwrite_input_are_refused(name):
    x = ag.tensor(X234, requires_grad=True)
    args = (x,) if "median" in name else (x, 0.5)
    with pytest.raises(TypeError, match=rf"np\.{name}\(\.\.\., out=.*leave it out"):
        getattr(np, name)(*args, out=np.zeros(()))
    with pytest.raises(TypeError, match=rf"{name}\(\.\.\., out=\.\.\.\).*leave out= out"):
        getattr(ag, name)(*args, out=np.zeros(()))
    with pytest.raises(TypeError, match=rf"{name}\(\.\.\., overwrite_input=True\).*leave "
                                        rf"overwrite_input out"):
        getattr(np, name)(*args, overwrite_input=True)
    if "median" not in name:
        with pytest.raises(TypeError, match=rf"{name}\(\.\.\., weights=\.\.\.\).*leave weights"):
            getattr(np, name)(*args, method="inverted_cdf", weights=np.ones(X234.shape))


def test_nan_reductions_refuse_unsupported_arguments():
    x = ag.tensor(WITH_NAN, requires_grad=True)
    mask = ~np.isnan(WITH_NAN)
    for name in ("nansum", "nanmean", "nanmax", "nanmin"):
        with pytest.raises(TypeError, match=rf"np\.{name}\(\.\.\., where="):
            getattr(np, name)(x, where=mask)
        with pytest.raises(TypeError, match=rf"{name}\(\.\.\., where=.*select the elements"):
            getattr(ag, name)(x, where=mask)
        with pytest.raises(TypeError, match=rf"{name}\(\.\.\., out=\.\.\.\)"):
            getattr(ag, name)(x, out=np.zeros(()))
    for name in ("nansum", "nanmean"):
        with pytest.raises(TypeError, match=rf"np\.{name}\(\.\.\., dtype="):
            getattr(np, name)(x, dtype=np.float32)
        with pytest.raises(TypeError, match=rf"{name}\(\.\.\., dtype=.*\.astype"):
            getattr(ag, name)(x, dtype=np.float32)
    with pytest.raises(TypeError, match=r"nansum\(\.\.\., initial=1.0\).*np\.nansum\(x\) \+ "
                                        r"initial"):
        np.nansum(x, initial=1.0)
    with pytest.raises(TypeError, match=r"nanmax\(\.\.\., initial=0.0\).*np\.maximum"):
        np.nanmax(x, initial=0.0)
    with pytest.raises(TypeError, match=r"nanmin\(\.\.\., initial=0.0\).*np\.minimum"):
        ag.nanmin(x, initial=0.0)


@pytest.mark.parametrize("name", ["median", "nanmedian", "nansum", "nanmean", "nanmax",
                                  "nanmin", "quantile", "nanpercentile"])
def test_axis_errors_name_the_operation(name):
    x = ag.tensor(X234, requires_grad=True)
    args = (x, 0.5) if "q" in name or "perc" in name else (x,)
    with pytest.raises(np.exceptions.AxisError, match=rf"{name}: axis 3 is out of bounds"):
        getattr(np, name)(*args, axis=3)
    with pytest.raises(ValueError, match=rf"{name}: axis=\(0, -3\) names an axis twice"):
        getattr(np, name)(*args, axis=(0, -3))
    with pytest.raises(TypeError, match=rf"{name}: axis=1.5; give an int"):
        getattr(ag, name)(*args, axis=1.5)
