"""Order statistics and the reductions that skip NaN: median, quantile, percentile and their
nan- versions (nanmedian, nanquantile, nanpercentile), nansum, nanmean, nanmax, nanmin.

All are composites. A median or quantile sorts each reduced slice (a stable argsort of the
values: a constant permutation) and gathers the one or two elements at the chosen sorted
positions with ``getitem``, interpolated as NumPy does for ``method="linear"`` (NumPy's formula
and rounding, so the values equal NumPy's). The gradient therefore goes to those elements only:
(1 - γ) and γ for a quantile between sorted positions k and k + 1 (γ the fractional part of
q·(n - 1)), ½ and ½ for the median of an even count (NumPy averages the two middle values:
the gradient is that of ``torch.quantile(x, 0.5)``, not of ``torch.median``, which returns the
lower one). With q given as a tensor, ∂/∂q = (n - 1)·(upper - lower), taken as 0 where
q·(n - 1) is a whole number (as torch.quantile: the one-sided derivatives differ there).

Ties: when several elements equal the value at a chosen sorted position, the gradient goes to
the one the stable sort puts there (equal values keep the order they have in the slice; the
reduced axes are merged in their order, as NumPy merges them). That is the element
``torch.quantile`` picks for slices of up to 16 elements, which its sort keeps stable; beyond
16 its order among equal values is unspecified. (``torch.median`` without ``dim`` splits the
gradient among all equal elements instead.)

NaN: ``median``/``quantile`` of a slice holding NaN is NaN, as in NumPy; the gradient (1) goes
to the slice's last NaN, the element sorted last, as in ``torch.quantile``. The nan- versions
skip NaN: NaN elements get gradient 0, as in ``torch.nansum``/``torch.nanmean``; a slice of
NaN only gives NaN (NumPy's "All-NaN slice" warning) with gradient 0 everywhere. ``nanmax`` and
``nanmin`` are ``max``/``min`` of the other elements, with the gradient split evenly among ties.
"""

from __future__ import annotations

import operator
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..tensor import Tensor, got
from .elementwise import where as _where
from .reductions import amax, amin, mean, sum_
from .registry import composite, value_of
from .shaping import astype, getitem, reshape
from .shaping import transpose as _transpose

__all__ = [
    "median", "quantile", "percentile", "nanmedian", "nanquantile", "nanpercentile", "nansum",
    "nanmean", "nanmax", "nanmin",
]


def _operand(a):
    return a if isinstance(a, Tensor) else np.asarray(a)


def _axes(name: str, axis, ndim: int) -> tuple | None:
    """``axis`` as a tuple of axes in [0, ndim), or an error naming the operation."""
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    try:
        axes = tuple(normalize_axis_index(operator.index(ax), ndim, name) for ax in items)
    except TypeError as err:
        raise TypeError(f"{name}: axis={axis!r}; give an int, a tuple of ints or None") from err
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}: axis={axis!r} names an axis twice; name each axis once")
    return axes


def _refuse(name: str, out=None, overwrite_input=False, **others) -> None:
    """The NumPy arguments a tensor operation takes only at their default."""
    if out is not None:
        raise TypeError(f"{name}(..., out=...) on tensors: autograd_nb makes a new tensor; leave "
                        f"out= out and assign the result")
    if overwrite_input:
        raise TypeError(f"{name}(..., overwrite_input={overwrite_input!r}) on tensors: a "
                        f"tensor's values are never overwritten; leave overwrite_input out")
    for key, (value, default, fix) in others.items():
        if value is not default:
            shown = repr(value) if np.ndim(value) == 0 else "..."
            raise TypeError(f"{name}(..., {key}={shown}) is not supported on tensors (got "
                            f"{got(value)}); {fix}")


# ----------------------------------------------------------------------------- sorted slices


class _Slices:
    """``x`` with its reduced axes merged into axis 0 (``rows``: shape (n, *kept)), and the
    stable sort of each slice: ``take`` gathers the elements at given sorted positions."""

    def __init__(self, name: str, a, axis) -> None:
        x = _operand(a)
        if not np.issubdtype(np.result_type(x), np.inexact):
            x = astype(x, np.float64)  # NumPy's medians and quantiles of integers are floats
        self.shape = shape = np.shape(x)
        self.axes = axes = _axes(name, axis, len(shape))
        if axes is None:
            self.kept, rows = (), reshape(x, (-1,))
        else:
            kept = [d for d in range(len(shape)) if d not in axes]
            order = sorted(axes) + kept  # the reduced axes merged in their order, as NumPy does
            moved = x if order == list(range(len(shape))) else _transpose(x, tuple(order))
            self.kept = tuple(shape[d] for d in kept)
            n = int(np.prod([shape[d] for d in axes], dtype=np.int64))
            rows = moved if len(axes) == 1 else reshape(moved, (n,) + self.kept)
        self.rows = rows
        self.n = np.shape(rows)[0]
        self.dtype = np.result_type(rows)
        values = value_of(rows)
        self.nan = np.isnan(values)
        self.perm = np.argsort(values, axis=0, kind="stable")  # NaN last

    def take(self, positions):
        """The elements at sorted ``positions`` (integers of shape lead + kept, broadcast)."""
        positions = np.asarray(positions, dtype=np.intp)
        k = len(self.kept)
        lead = positions.ndim - k
        grids = tuple(np.arange(size).reshape((1,) * (lead + i) + (size,) + (1,) * (k - i - 1))
                      for i, size in enumerate(self.kept))
        index = (self.perm[(positions, *grids)], *grids)
        return getitem(self.rows, index)

    def counts(self):
        """How many elements of each slice are not NaN (shape kept)."""
        return (~self.nan).sum(axis=0)

    def finish(self, out, lead: tuple, keepdims: bool):
        """The result (shape lead + kept) with the reduced axes kept as 1 if ``keepdims``."""
        if not keepdims:
            return out
        reduced = range(len(self.shape)) if self.axes is None else self.axes
        return reshape(out, lead + tuple(1 if d in reduced else size
                                         for d, size in enumerate(self.shape)))

    def nan_where(self, out, bad, lead: tuple):
        """``out`` with NaN in the slices marked by ``bad`` (shape kept), their gradient 0."""
        if not bad.any():
            return out
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)
        return _where(bad, np.full(lead + self.kept, np.nan, dtype=np.result_type(out)), out)

    def last_nan(self, out):
        """``out`` with each slice that holds NaN given its last element in sorted order (a NaN,
        NumPy's and torch.quantile's result there; the gradient goes to it)."""
        has_nan = self.nan.any(axis=0)
        if not has_nan.any():
            return out
        return _where(has_nan, self.take(np.full(self.kept, self.n - 1)), out)


# ------------------------------------------------------------------------------------ median


def _median(name: str, a, axis, keepdims: bool, skipnan: bool):
    s = _Slices(name, a, axis)
    if s.n == 0:  # NumPy: the mean of an empty slice, NaN with its warning
        return s.finish(mean(s.rows, 0, False), (), keepdims)
    if skipnan:
        count = s.counts()
        half = count // 2
        low = np.maximum(np.where(count % 2 == 1, half, half - 1), 0)
        lower = s.take(low)
        if (count % 2 == 1).all():
            out = lower
        else:  # an odd count takes its middle twice: (x + x) / 2, NumPy's sum of the pair
            out = (lower + s.take(half)) / 2
        return s.finish(s.nan_where(out, count == 0, ()), (), keepdims)
    low, high = (s.n - 1) // 2, s.n // 2
    out = s.take(np.full(s.kept, low))
    if high != low:
        out = (out + s.take(np.full(s.kept, high))) / 2
    return s.finish(s.last_nan(out), (), keepdims)


@composite("median", numpy=np.median, function="median")
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Middle value over ``axis`` (mean of the two middle ones for an even count), NaN if any is; ∂/∂xᵢ = 1 at the middle element, ½ at each of the two (ties: a stable sort's order)."""
    _refuse("median", out, overwrite_input)
    return _median("median", a, axis, keepdims, False)


@composite("nanmedian", numpy=np.nanmedian, function="nanmedian")
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """median over ``axis`` of the elements that are not NaN; ∂/∂xᵢ as median's, 0 at NaN."""
    _refuse("nanmedian", out, overwrite_input)
    return _median("nanmedian", a, axis, keepdims, True)


# ---------------------------------------------------------------------------------- quantile


def _holds_tensor(q) -> bool:
    return isinstance(q, (list, tuple)) and any(
        isinstance(v, Tensor) or _holds_tensor(v) for v in q)


def _check_q(name: str, q, percent: bool):
    """``q`` as quantiles in [0, 1] (a tensor stays a tensor, divided by 100 for a percentile)
    and whether NumPy takes it as a weak scalar (a Python number: the result keeps the
    input's dtype)."""
    weak = type(q) in (int, float)
    if _holds_tensor(q):
        raise TypeError(f"{name}: q is a list holding tensors; give q as one tensor "
                        f"(ag.stack(...)) or as numbers")
    try:
        values = np.asarray(value_of(q))
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name}: q must be real numbers, got {got(q)}") from err
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{name}: q must be real numbers, got {got(q)}")
    if values.ndim > 1:
        raise ValueError(f"{name}: q of shape {values.shape}; give a scalar or a 1-d array of "
                         f"{'percentiles' if percent else 'quantiles'}, and stack the results "
                         f"for more")
    given = values.tolist()
    if percent:
        values = np.true_divide(values, 100)
        if isinstance(q, Tensor):
            q = q / 100
    if values.size and not ((values >= 0) & (values <= 1)).all():
        span, what = ("[0, 100]", "Percentiles") if percent else ("[0, 1]", "Quantiles")
        raise ValueError(f"{name}: q={given}; {what} must be in the range {span}")
    return (q if isinstance(q, Tensor) else values), weak


def _quantile(name: str, a, q, axis, method, keepdims: bool, weights, skipnan: bool,
              percent: bool):
    if weights is not None:
        raise TypeError(f"{name}(..., weights=...) is not supported on tensors (NumPy uses "
                        f"weights with method='inverted_cdf' only, a step function); leave "
                        f"weights out")
    if method != "linear":
        raise ValueError(f"{name}: method={method!r} is not differentiable by autograd_nb; "
                         f"only method='linear' (NumPy's default) is supported")
    q, weak = _check_q(name, q, percent)
    s = _Slices(name, a, axis)
    if s.n == 0:
        raise ValueError(f"{name}: the reduced axes of shape {s.shape} hold no element, so "
                         f"there is no {name} to take; reduce over axes that are not empty")
    q_values = np.asarray(value_of(q))
    if q_values.dtype.kind != "f":  # integer quantiles (0 or 1): no interpolation
        q = q_values = q_values.astype(s.dtype)
    lead = q_values.shape
    k = len(s.kept)
    if skipnan:  # per slice, as NumPy's count of a slice without its NaN (a number of q's type)
        count = s.counts().reshape((1,) * len(lead) + s.kept).astype(q_values.dtype)
        q = reshape(q, lead + (1,) * k) if isinstance(q, Tensor) else q.reshape(lead + (1,) * k)
    else:
        count = s.n
    virtual = (count - 1) * q  # NumPy's virtual index for method 'linear', with its rounding
    v = np.asarray(value_of(virtual))
    above, below = v >= np.subtract(count, 1), v < 0
    floor = np.floor(v)
    low = np.where(above, np.subtract(count, 1), np.where(below, 0, floor))
    high = np.where(above, np.subtract(count, 1), np.where(below, 0, floor + 1))
    # γ from NumPy's "previous index" (-1 for the last element, which also gives γ)
    previous = np.where(above, -1, np.where(below, 0, floor)).astype(v.dtype)
    gamma = virtual - previous
    g = np.asarray(value_of(gamma))
    if isinstance(gamma, Tensor) and (g == 0).any():  # q·(n-1) whole: ∂/∂q taken as 0 there,
        gamma = _where(g == 0, np.zeros((), g.dtype), gamma)  # as torch (the sides differ)
    if not skipnan:  # one γ per q: broadcast over the kept axes
        shaped = lead + (1,) * k
        gamma, g = reshape(gamma, shaped), g.reshape(shaped)
        low, high = (np.broadcast_to(p.reshape(shaped), lead + s.kept) for p in (low, high))
    low, high = (np.clip(p, 0, s.n - 1) for p in (low, high))  # in range for all-NaN slices
    if weak and not isinstance(gamma, Tensor):  # NumPy's float(γ): the input's dtype
        t, one_minus_t = g.astype(s.dtype), (1 - g).astype(s.dtype)
    else:
        t, one_minus_t = gamma, 1 - gamma
    lower, upper = s.take(low), s.take(high)
    diff = upper - lower
    upward = g >= 0.5  # NumPy's lerp: from the nearer end, b - (b - a)(1 - γ) from γ = ½ on
    if upward.all():
        out = upper - diff * one_minus_t
    elif not upward.any():
        out = lower + diff * t
    else:
        out = _where(upward, upper - diff * one_minus_t, lower + diff * t)
    out = s.nan_where(out, s.counts() == 0, lead) if skipnan else s.last_nan(out)
    return s.finish(out, lead, keepdims)


@composite("quantile", numpy=np.quantile, function="quantile")
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False,
             *, weights=None):
    """q-th quantile over ``axis`` (method 'linear'; q may be a tensor); ∂/∂x = 1 - γ and γ at the two sorted neighbours (γ: the fraction of q·(n-1)), ∂/∂q = (n-1)·their difference (0 where γ = 0)."""
    _refuse("quantile", out, overwrite_input)
    return _quantile("quantile", a, q, axis, method, keepdims, weights, False, False)


@composite("percentile", numpy=np.percentile, function="percentile")
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None):
    """quantile at q/100 over ``axis`` (method 'linear'); ∂/∂x = 1 - γ and γ at the two sorted neighbours, ∂/∂q = (n-1)/100·their difference (0 where γ = 0)."""
    _refuse("percentile", out, overwrite_input)
    return _quantile("percentile", a, q, axis, method, keepdims, weights, False, True)


@composite("nanquantile", numpy=np.nanquantile, function="nanquantile")
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):
    """quantile over ``axis`` of the elements that are not NaN (n counts them); ∂/∂x as quantile's, 0 at NaN."""
    _refuse("nanquantile", out, overwrite_input)
    return _quantile("nanquantile", a, q, axis, method, keepdims, weights, True, False)


@composite("nanpercentile", numpy=np.nanpercentile, function="nanpercentile")
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None):
    """percentile over ``axis`` of the elements that are not NaN; ∂/∂x as percentile's, 0 at NaN."""
    _refuse("nanpercentile", out, overwrite_input)
    return _quantile("nanpercentile", a, q, axis, method, keepdims, weights, True, True)


# ------------------------------------------------------------------- nansum, nanmean, nanmax


def _skipping(name: str, a, axis):
    """``a`` (an operand), its NaN mask (``None`` for integers, which hold none) and ``axis``
    checked against it."""
    x = _operand(a)
    axes = _axes(name, axis, np.ndim(x))
    if not np.issubdtype(np.result_type(x), np.inexact):
        return x, None, axes
    return x, np.isnan(value_of(x)), axes


def _without_nan(x, nan, fill):
    """``x`` with ``fill`` at its NaN (a where: gradient 0 there)."""
    if nan is None or not nan.any():
        return x
    return _where(nan, np.array(fill, dtype=np.result_type(x)), x)


_NO_DTYPE = "compute in the input's dtype (cast the values first with .astype)"
_NO_WHERE = "select the elements first (np.where(mask, x, 0) for a sum)"


@composite("nansum", numpy=np.nansum, function="nansum")
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """Σ over ``axis`` of the elements that are not NaN (NaN counted as 0); ∂/∂xᵢ = 1, 0 at NaN."""
    _refuse("nansum", out, dtype=(dtype, None, _NO_DTYPE), where=(where, True, _NO_WHERE),
            initial=(initial, None, "add it to the result: np.nansum(x) + initial"))
    x, nan, axes = _skipping("nansum", a, axis)
    return sum_(_without_nan(x, nan, 0), axes, keepdims)


@composite("nanmean", numpy=np.nanmean, function="nanmean")
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """Mean over ``axis`` of the elements that are not NaN; ∂/∂xᵢ = 1/(their count), 0 at NaN (and for a slice of NaN only, whose mean is NaN)."""
    _refuse("nanmean", out, dtype=(dtype, None, _NO_DTYPE), where=(where, True, _NO_WHERE))
    x, nan, axes = _skipping("nanmean", a, axis)
    if nan is None or not nan.any():
        return mean(x, axes, keepdims)
    total = sum_(_without_nan(x, nan, 0), axes, keepdims)
    count = np.sum(~nan, axis=axes, keepdims=keepdims)
    empty = count == 0
    # NumPy divides in the input's dtype; a count of 0 divides 0 by 1, then NaN goes there
    out = total / np.where(empty, 1, count).astype(np.result_type(x))
    if not empty.any():
        return out
    warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=3)
    return _where(empty, np.full(np.shape(count), np.nan, np.result_type(x)), out)


def _nan_extreme(name: str, reduce, fill, compare: str, a, axis, out, keepdims, initial,
                 where_):
    _refuse(name, out, where=(where_, True, _NO_WHERE),
            initial=(initial, None, f"compare with it after: np.{compare}(np.{name}(x), initial)"))
    x, nan, axes = _skipping(name, a, axis)
    result = reduce(_without_nan(x, nan, fill), axes, keepdims)
    if nan is None:
        return result
    empty = np.all(nan, axis=axes, keepdims=keepdims)
    if not empty.any():
        return result
    warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)
    return _where(empty, np.full(np.shape(empty), np.nan, np.result_type(x)), result)


@composite("nanmax", numpy=np.nanmax, function="nanmax")
def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    """Largest element over ``axis`` that is not NaN; the gradient goes to the maximal elements (split on ties), 0 at NaN."""
    return _nan_extreme("nanmax", amax, -np.inf, "maximum", a, axis, out, keepdims, initial, where)


@composite("nanmin", numpy=np.nanmin, function="nanmin")
def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    """Smallest element over ``axis`` that is not NaN; the gradient goes to the minimal elements (split on ties), 0 at NaN."""
    return _nan_extreme("nanmin", amin, np.inf, "minimum", a, axis, out, keepdims, initial, where)
