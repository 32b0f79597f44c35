"""Reductions and scans beyond sum and mean: prod, cumsum, cumprod, var, std, average, diff,
trace, ptp, and as composites NumPy 2's cumulative_sum and cumulative_prod, ediff1d and
trapezoid.

Zeros are exact in every product rule: the gradient of a product is the product of the *other*
elements, computed from running products on each side (never by dividing by the element) as
soon as a zero is present, so one zero gives the product of the rest and two zeros give 0.
Every rule is a NumPy program on the values, so second and higher derivatives come out of
differentiating the rules themselves.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..apply import apply
from ..errors import ShapeError
from ..tensor import Tensor
from .reductions import _expand, amax, amin, mean, sum_
from .registry import composite, defjvp, defvjp, primitive, value_of
from .shaping import astype, broadcast_to, concatenate

__all__ = [
    "prod", "cumsum", "cumprod", "var", "std", "average", "diff", "trace", "ptp",
    "cumulative_sum", "cumulative_prod", "ediff1d", "trapezoid", "diff_primitive",
]


def _rev(a, axis: int):
    """``a`` reversed along ``axis`` (a basic index, so a tensor records one getitem)."""
    axis = normalize_axis_index(axis, np.ndim(a))
    return a[(slice(None),) * axis + (slice(None, None, -1),)]


def _along(x, axis):
    """The array a scan runs on (flattened when ``axis`` is None, as NumPy does) and its axis."""
    if axis is None:
        return np.reshape(x, (-1,)), 0
    return x, normalize_axis_index(axis, np.ndim(x))


def _exclusive(x):
    """Running products along the last axis that leave out the current element: 1, x₀, x₀x₁..."""
    ones = np.ones(np.shape(x)[:-1] + (1,), dtype=np.result_type(x))
    return cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), -1)


def _count(shape: tuple, axis) -> int:
    """How many elements each reduced slice has."""
    axes = range(len(shape)) if axis is None else normalize_axis_tuple(axis, len(shape))
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


def _operand(a):
    return a if isinstance(a, Tensor) else np.asarray(a)


# ---------------------------------------------------------------------------------------- prod


@primitive("prod", nin=1, numpy=np.prod, function="prod", method="prod")
def prod(a, axis=None, keepdims=False):
    """Product over ``axis``; ∂/∂xᵢ = the product of the other elements (at a single zero, the product of the rest; with two or more zeros, 0)."""
    return np.prod(a, axis=axis, keepdims=keepdims)


def _others(x, ans, axis, keepdims):
    """For each element, the product of the other elements of its reduced slice."""
    if (value_of(x) != 0).all():  # ans / x is then exactly that product, as a function of x
        return _expand(ans, x.ndim, axis, keepdims) / x
    axes = tuple(range(x.ndim)) if axis is None else normalize_axis_tuple(axis, x.ndim)
    kept = [i for i in range(x.ndim) if i not in axes]
    perm = kept + list(axes)
    moved = x if perm == sorted(perm) else np.transpose(x, perm)
    lead = moved.shape[:len(kept)]
    flat = np.reshape(moved, lead + (_count(x.shape, axes),))  # reduced axes as the last
    others = _exclusive(flat) * _rev(_exclusive(_rev(flat, -1)), -1)
    others = np.reshape(others, moved.shape)
    return others if perm == sorted(perm) else np.transpose(others, np.argsort(perm))


def prod_vjp(g, ans, x, axis, keepdims):
    return _expand(g, x.ndim, axis, keepdims) * _others(x, ans, axis, keepdims)


def prod_jvp(t, ans, x, axis, keepdims):
    return np.sum(t * _others(x, ans, axis, keepdims), axis=axis, keepdims=keepdims)


defvjp(prod, prod_vjp)
defjvp(prod, prod_jvp)

# -------------------------------------------------------------------------------------- cumsum


@primitive("cumsum", nin=1, numpy=np.cumsum, function="cumsum", method="cumsum")
def cumsum(a, axis=None):
    """Running sums along ``axis`` (flattened when ``None``); the gradient is g's running sum taken from the end."""
    return np.cumsum(a, axis=axis)


def cumsum_vjp(g, ans, x, axis):
    ax = 0 if axis is None else normalize_axis_index(axis, x.ndim)
    return np.reshape(_rev(cumsum(_rev(g, ax), ax), ax), x.shape)


def cumsum_jvp(t, ans, x, axis):
    return cumsum(t, axis)


defvjp(cumsum, cumsum_vjp)
defjvp(cumsum, cumsum_jvp)

# ------------------------------------------------------------------------------------- cumprod
# Without zeros, ∂ansᵢ/∂xⱼ = ansᵢ/xⱼ (j ≤ i). With a zero at z (the first of its slice), only
# the elements up to z have a gradient: j < z as without zeros, j = z through the running
# product with x_z taken as 1. That rule is right in value but not as a function of x (it is
# 0 beyond z, where the second derivative is not), so when x itself is differentiated (a
# recorded sweep: x is a Tensor) the rule takes the form exact at any zeros: the products of
# the elements strictly between j and i (a triangle of running products, n² per scanned
# slice) times the running product before j, a program of cumprod again.


@primitive("cumprod", nin=1, numpy=np.cumprod, function="cumprod", method="cumprod")
def cumprod(a, axis=None):
    """Running products along ``axis`` (flattened when ``None``); ∂ansᵢ/∂xⱼ = ∏ of x₀..xᵢ but xⱼ, for j ≤ i (zeros included)."""
    return np.cumprod(a, axis=axis)


def _between(x):
    """T[..., j, i] = ∏ x_k over j < k ≤ i for i ≥ j, else 0 (the scan along the last axis)."""
    k = np.arange(np.shape(x)[-1])
    after = k[None, :] > k[:, None]  # [j, k]: k > j
    upper = k[None, :] >= k[:, None]  # [j, i]: i ≥ j
    return np.where(upper, cumprod(np.where(after, x[..., None, :], 1), -1), 0)


def _first_zero(x):
    """For constant ``x`` (last axis scanned): where each element stands against the slice's
    first zero (-1 before, 0 at, 1 after), x with 1 at zeros, and the running product with
    that first zero taken as 1."""
    zero = x == 0
    n = x.shape[-1]
    z = np.where(zero.any(axis=-1), zero.argmax(axis=-1), n)[..., None]
    place = np.sign(np.arange(n) - z)
    return place, np.where(zero, 1, x), np.cumprod(np.where(place == 0, 1, x), axis=-1)


def _cumprod_vjp_last(g, ans, x):
    if isinstance(x, Tensor):  # exact as a function of x: L_j · Σ_i T[j, i] g_i
        return _exclusive(x) * np.sum(_between(x) * g[..., None, :], axis=-1)
    place, safe, skip = _first_zero(x)
    before = _rev(cumsum(_rev(g * ans, -1), -1), -1) / safe
    at = _rev(cumsum(_rev(g * skip, -1), -1), -1)
    return np.where(place < 0, before, np.where(place == 0, at, 0))


def _cumprod_jvp_last(t, ans, x):
    if isinstance(x, Tensor):  # Σ_j t_j L_j T[j, i]
        return np.sum(_between(x) * (t * _exclusive(x))[..., :, None], axis=-2)
    place, safe, skip = _first_zero(x)
    before = ans * cumsum(np.where(place < 0, t, 0) / safe, -1)
    at = np.sum(np.where(place == 0, t, 0), axis=-1, keepdims=True) * skip
    return np.where(place < 0, before, at)


def cumprod_vjp(g, ans, x, axis):
    xs, ax = _along(x, axis)
    if (value_of(xs) != 0).all():
        out = _rev(cumsum(_rev(g * ans, ax), ax), ax) / xs
    else:  # along the last axis
        out = np.swapaxes(_cumprod_vjp_last(np.swapaxes(g, ax, -1), np.swapaxes(ans, ax, -1),
                                            np.swapaxes(xs, ax, -1)), ax, -1)
    return np.reshape(out, x.shape)


def cumprod_jvp(t, ans, x, axis):
    xs, ax = _along(x, axis)
    ts = np.reshape(t, xs.shape)
    if (value_of(xs) != 0).all():
        return ans * cumsum(ts / xs, ax)
    return np.swapaxes(_cumprod_jvp_last(np.swapaxes(ts, ax, -1), np.swapaxes(ans, ax, -1),
                                         np.swapaxes(xs, ax, -1)), ax, -1)


defvjp(cumprod, cumprod_vjp)
defjvp(cumprod, cumprod_jvp)

# ------------------------------------------------------------------------------------ var, std


@composite("var", numpy=np.var, function="var", method="var")
def var(a, axis=None, ddof=0, keepdims=False):
    """Σ(x - mean)² / (n - ddof) over ``axis``; ∂/∂xᵢ = 2(xᵢ - mean)/(n - ddof)."""
    a = _operand(a)
    d = a - mean(a, axis, True)
    return sum_(d * d, axis, keepdims) / max(_count(np.shape(a), axis) - ddof, 0)


@primitive("std", nin=1, numpy=np.std, function="std", method="std")
def std(a, axis=None, ddof=0, keepdims=False):
    """√var over ``axis``; ∂/∂xᵢ = (xᵢ - mean)/((n - ddof)·std), taken as 0 where std = 0 (all values equal), as in PyTorch."""
    return np.std(a, axis=axis, ddof=ddof, keepdims=keepdims)


def _std_slope(ans, x, axis, ddof, keepdims):
    s = _expand(ans, x.ndim, axis, keepdims)
    flat = value_of(s) == 0  # no spread: PyTorch's gradient is 0 there (not 0/0)
    n = max(_count(x.shape, axis) - ddof, 0)
    return np.where(flat, 0, (x - mean(x, axis, True)) / (np.where(flat, 1, s) * n))


def std_vjp(g, ans, x, axis, ddof, keepdims):
    return _expand(g, x.ndim, axis, keepdims) * _std_slope(ans, x, axis, ddof, keepdims)


def std_jvp(t, ans, x, axis, ddof, keepdims):
    return np.sum(t * _std_slope(ans, x, axis, ddof, keepdims), axis=axis, keepdims=keepdims)


defvjp(std, std_vjp)
defjvp(std, std_jvp)

# ------------------------------------------------------------------------------------- average


@composite("average", numpy=np.average, function="average")
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Σ wᵢxᵢ / Σ wᵢ over ``axis`` (the mean without weights; ``returned=True`` adds Σ wᵢ, a tensor when the weights are one); ∂/∂xᵢ = wᵢ/Σw, ∂/∂wᵢ = (xᵢ - average)/Σw."""
    a = _operand(a)
    if axis is not None:  # out-of-range axes raise NumPy's AxisError (0-d arrays included)
        normalize_axis_tuple(axis, np.ndim(a))
    if weights is None:
        avg = mean(a, axis, keepdims)
        if not returned:
            return avg
        if np.size(avg) == 0:
            raise ZeroDivisionError(
                f"average(..., returned=True): the average of shape {np.shape(avg)} is empty, so "
                f"the count of elements per average (NumPy divides a.size by it) is undefined")
        dtype = np.result_type(avg)  # NumPy: the count in the average's dtype, broadcast
        count = dtype.type(np.size(a) / np.size(avg))
        return avg, count if np.shape(avg) == () else np.full(np.shape(avg), count, dtype)
    w = _operand(weights)
    if np.issubdtype(np.result_type(a), np.integer) or np.result_type(a) == np.bool_:
        dtype = np.result_type(np.result_type(a), np.result_type(w), np.float64)
    else:
        dtype = np.result_type(np.result_type(a), np.result_type(w))
    if np.shape(w) != np.shape(a):
        if axis is None:
            raise TypeError(
                f"average: weights of shape {np.shape(w)} for a of shape {np.shape(a)} need an "
                f"axis: give axis=, or weights of a's shape"
            )
        axes = normalize_axis_tuple(axis, np.ndim(a))
        along = tuple(np.shape(a)[ax] for ax in axes)
        if np.shape(w) != along:
            raise ShapeError(
                f"average: weights of shape {np.shape(w)} do not fit a of shape {np.shape(a)} "
                f"along axis {axis}: they must have shape {along} (or a's shape)"
            )
        if len(axes) > 1:
            w = np.transpose(w, np.argsort(axes))
        w = np.reshape(w, tuple(n if ax in axes else 1 for ax, n in enumerate(np.shape(a))))
    if np.result_type(w) != dtype:  # NumPy sums the weights in the result's dtype
        w = astype(w, dtype) if isinstance(w, Tensor) else np.asarray(w, dtype=dtype)
    total = sum_(w, axis, keepdims)
    if (value_of(total) == 0).any():
        raise ZeroDivisionError(
            f"average: the weights sum to zero along axis {axis}, so the average is undefined; "
            f"give weights with a non-zero sum"
        )
    avg = sum_(a * w, axis, keepdims) / total
    if not returned:
        return avg
    if isinstance(total, Tensor) and total.requires_grad:  # the sum of the weights, recorded
        return avg, total if np.shape(total) == np.shape(avg) else broadcast_to(
            total, np.shape(avg))
    total = value_of(total)[()]  # a NumPy scalar when the sum is 0-d, as NumPy gives it
    return avg, total if np.shape(total) == np.shape(avg) else np.broadcast_to(
        total, np.shape(avg)).copy()


# ---------------------------------------------------------------------------------------- diff
# diff is linear: its transpose is a diff of g padded with n zeros at each end, with sign (-1)ⁿ.
# The primitive takes no prepend/append: the composite ``diff`` joins them to ``a`` first (with
# ``concatenate``, so a prepend or append given as a tensor gets its gradient too).


@primitive("diff", nin=1)
def diff_primitive(a, n=1, axis=-1):
    """n-th differences along ``axis`` (x[i+1] - x[i], n times); the gradient is (-1)ⁿ times the n-th differences of g padded with n zeros at each end."""
    return np.array(np.diff(a, n, axis), copy=n == 0)


def diff_vjp(g, ans, x, n, axis):
    ax = normalize_axis_index(axis, x.ndim)
    if n == 0:
        return g
    if x.shape[ax] <= n:  # the result is empty: nothing depends on x
        return np.zeros(x.shape, dtype=np.result_type(g))
    pad = np.zeros(g.shape[:ax] + (n,) + g.shape[ax + 1:], dtype=np.result_type(g))
    out = diff_primitive(np.concatenate([pad, g, pad], axis=ax), n, ax)
    return -out if n % 2 else out


def diff_jvp(t, ans, x, n, axis):
    return diff_primitive(t, n, axis)


defvjp(diff_primitive, diff_vjp)
defjvp(diff_primitive, diff_jvp)


def _joined(name: str, v, x, ax: int):
    """``prepend``/``append`` as a block to join to ``x`` along ``ax``: a 0-d value broadcast to
    ``x``'s shape with length 1 along ``ax`` (as NumPy does), else as given, checked to fit."""
    v = _operand(v)
    shape = np.shape(x)
    if np.ndim(v) == 0:
        return broadcast_to(v, shape[:ax] + (1,) + shape[ax + 1:])
    others = shape[:ax] + shape[ax + 1:]
    if np.ndim(v) != len(shape) or np.shape(v)[:ax] + np.shape(v)[ax + 1:] != others:
        raise ShapeError(
            f"diff: {name}= of shape {np.shape(v)} does not fit a of shape {shape} along axis "
            f"{ax}: give a scalar, or an array of a's shape but for axis {ax} (its own length "
            f"there, e.g. {shape[:ax] + (1,) + shape[ax + 1:]})"
        )
    return v


@composite("diff", numpy=np.diff, function="diff", method="diff")
def diff(a, n=1, axis=-1, prepend=None, append=None):
    """n-th differences along ``axis`` after joining ``prepend``/``append`` (a scalar is broadcast; a tensor gets its gradient); the gradient is the primitive diff's, split back to a, prepend and append."""
    if n == 0:  # NumPy returns a itself, before looking at prepend and append
        return diff_primitive(_operand(a), 0, axis)
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n!r}")
    x = _operand(a)
    if np.ndim(x) == 0:
        raise ValueError("diff: a is 0-d, it has no axis to take differences along (NumPy: "
                         "diff requires input that is at least one dimensional); give an array "
                         "of at least one dimension")
    ax = normalize_axis_index(axis, np.ndim(x))
    parts = [x]
    if prepend is not None:
        parts.insert(0, _joined("prepend", prepend, x, ax))
    if append is not None:
        parts.append(_joined("append", append, x, ax))
    if len(parts) > 1:
        x = (apply(concatenate, tuple(parts), (ax,)) if any(isinstance(p, Tensor) for p in parts)
             else np.concatenate(parts, ax))
    return diff_primitive(x, n, ax)


# --------------------------------------------------------------------------------------- trace


@primitive("trace", nin=1, numpy=np.trace, function="trace", method="trace")
def trace(a, offset=0, axis1=0, axis2=1):
    """Sum of the diagonal at ``offset`` of the (axis1, axis2) planes; the gradient is g on that diagonal, 0 elsewhere."""
    return np.trace(a, offset, axis1, axis2)


def trace_vjp(g, ans, x, offset, axis1, axis2):
    a1, a2 = normalize_axis_index(axis1, x.ndim), normalize_axis_index(axis2, x.ndim)
    eye = np.eye(x.shape[a1], x.shape[a2], offset, dtype=bool)
    if a1 > a2:
        eye = eye.T
    mask = np.reshape(eye, tuple(n if i in (a1, a2) else 1 for i, n in enumerate(x.shape)))
    shape = list(g.shape)
    for a in sorted((a1, a2)):
        shape.insert(a, 1)
    return np.where(mask, np.reshape(g, tuple(shape)), 0)


def trace_jvp(t, ans, x, offset, axis1, axis2):
    return trace(t, offset, axis1, axis2)


defvjp(trace, trace_vjp)
defjvp(trace, trace_jvp)

# ----------------------------------------------------------------------------------------- ptp


@composite("ptp", numpy=np.ptp, function="ptp", method="ptp")
def ptp(a, axis=None, keepdims=False):
    """max - min over ``axis``; the gradient is +g at the maximum, -g at the minimum (split evenly on ties, as max and min)."""
    return amax(a, axis, keepdims) - amin(a, axis, keepdims)


# ------------------------------------------------------------- cumulative_sum, cumulative_prod
# NumPy 2's array-API scans: an axis is required beyond 1-D, and include_initial prepends the
# identity (0 or 1).


def _cumulative(name, scan, identity, x, axis, include_initial):
    x = _operand(x)
    if np.ndim(x) == 0 or (axis is None and np.ndim(x) > 1):
        raise ShapeError(
            f"{name}: a of shape {np.shape(x)}: give axis= for an array of more than one "
            f"axis (a 0-d array has none to scan; use {scan.name} for the flattened scan)"
        )
    ax = normalize_axis_index(0 if axis is None else axis, np.ndim(x))
    out = scan(x, ax)
    if not include_initial:
        return out
    first = np.full(np.shape(x)[:ax] + (1,) + np.shape(x)[ax + 1:], identity,
                    dtype=np.result_type(x))
    return np.concatenate([first, out], axis=ax)


@composite("cumulative_sum", numpy=np.cumulative_sum, function="cumulative_sum")
def cumulative_sum(x, /, *, axis=None, include_initial=False):
    """cumsum along ``axis`` (required beyond 1-D), with a leading 0 if ``include_initial``; the gradient is cumsum's."""
    return _cumulative("cumulative_sum", cumsum, 0, x, axis, include_initial)


@composite("cumulative_prod", numpy=np.cumulative_prod, function="cumulative_prod")
def cumulative_prod(x, /, *, axis=None, include_initial=False):
    """cumprod along ``axis`` (required beyond 1-D), with a leading 1 if ``include_initial``; the gradient is cumprod's."""
    return _cumulative("cumulative_prod", cumprod, 1, x, axis, include_initial)


# ---------------------------------------------------------------------------- ediff1d, trapezoid


def _flat(v, dtype):
    """``v`` as a 1-D operand: a tensor keeps its graph, anything else takes ``dtype``."""
    return np.reshape(v if isinstance(v, Tensor) else np.asarray(v, dtype=dtype), (-1,))


@composite("ediff1d", numpy=np.ediff1d, function="ediff1d")
def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of the flattened ``ary``, with ``to_begin``/``to_end`` joined at the ends (they may be tensors); the gradient is diff's."""
    x = _flat(_operand(ary), None)
    dtype = np.result_type(x)
    parts = [diff_primitive(x, 1, 0)]
    if to_begin is not None:
        parts.insert(0, _flat(to_begin, dtype))
    if to_end is not None:
        parts.append(_flat(to_end, dtype))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


@composite("trapezoid", numpy=np.trapezoid, function="trapezoid")
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Σ Δx·(yᵢ + yᵢ₊₁)/2 along ``axis`` (x, dx may be tensors); ∂/∂y and ∂/∂x follow from diff and sum."""
    y = _operand(y)
    ax = normalize_axis_index(axis, np.ndim(y))
    if x is None:
        d = dx
    else:
        x = _operand(x)
        if np.ndim(x) == 1:
            d = diff_primitive(x, 1, 0)
            d = np.reshape(d, tuple(np.shape(d)[0] if i == ax else 1 for i in range(np.ndim(y))))
        else:
            d = diff_primitive(x, 1, ax)
    head = (slice(None),) * ax + (slice(1, None),)
    tail = (slice(None),) * ax + (slice(None, -1),)
    return sum_(d * (y[head] + y[tail]) / 2.0, ax, False)
