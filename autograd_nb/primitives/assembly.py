"""Shapes and assembly: ravel, squeeze, flips, rolls, pads, triangles and diagonals, splits and
stacks, take and sort, and the products (outer, inner, kron, cross, tensordot, einsum).

Almost all of them are composites: they move elements with the shaping primitives (reshape,
transpose, getitem, scatter_add, setitem, concatenate, stack) or multiply with ``mul`` and
``matmul``, so their derivatives are those primitives' rules. ``einsum`` is one primitive,
whose VJP for each operand is another einsum.
"""

from __future__ import annotations

import os
import string
import sys
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..apply import apply
from ..errors import ShapeError
from ..tensor import Tensor
from .arithmetic import matmul, mul, sub
from .elementwise import where
from .order_stats import median
from .reductions import amax, amin, mean
from .registry import composite, defjvp, defvjp, primitive, value_of
from .shaping import (
    astype,
    broadcast_to,
    concatenate,
    getitem,
    reshape,
    scatter_add,
    setitem,
    stack,
)
from .shaping import transpose as _transpose

__all__ = [
    "ravel", "squeeze", "expand_dims", "unsqueeze", "moveaxis", "rollaxis", "swapaxes",
    "atleast_1d", "atleast_2d", "atleast_3d", "repeat", "tile", "roll", "flip", "fliplr",
    "flipud", "rot90", "pad", "tril", "triu", "diag", "diagonal", "split", "array_split",
    "hsplit", "vsplit", "dsplit", "vstack", "hstack", "dstack", "column_stack", "append",
    "take", "take_along_axis", "sort", "partition", "select", "outer", "inner", "kron",
    "cross", "dot", "tensordot", "einsum", "einsum_primitive",
]


def _arr(x):
    """A tensor stays a tensor; anything else becomes an array (lists, numbers)."""
    return x if isinstance(x, Tensor) else np.asarray(x)


def _run(prim, inputs, params=()):
    """``prim`` on ``inputs``: recorded when one is a tensor, plain NumPy otherwise (so that a
    rule running on arrays in a plain backward pass gets arrays back)."""
    inputs = tuple(inputs)
    if any(isinstance(x, Tensor) for x in inputs):
        return apply(prim, inputs, tuple(params))
    return prim.forward(*inputs, *params)


def _join(prim, arrays, axis):  # concatenate / stack take their arrays as separate inputs
    return _run(prim, arrays, (axis,))


def _along(axis: int, index) -> tuple:
    """An index that applies ``index`` to ``axis`` and keeps every other axis."""
    return (slice(None),) * axis + (index,)


# --------------------------------------------------------------------------------- reshaping


@composite("ravel", numpy=np.ravel, function="ravel")
def ravel(a, order="C"):
    """The elements as one axis (a reshape); the gradient is reshaped back."""
    a = _arr(a)
    if order == "C":
        return reshape(a, (-1,))
    if order == "F":
        return reshape(_transpose(a, None), (-1,))
    raise ValueError(f"ravel: order={order!r} is not supported on tensors; use 'C' or 'F'")


@composite("squeeze", numpy=np.squeeze, function="squeeze", method="squeeze")
def squeeze(a, axis=None):
    """``a`` without its size-1 axes (or those in ``axis``), a reshape; the gradient is reshaped back."""
    a = _arr(a)
    shape = np.shape(a)
    if axis is None:
        return reshape(a, tuple(n for n in shape if n != 1))
    axes = normalize_axis_tuple(axis, len(shape))
    for ax in axes:
        if shape[ax] != 1:
            raise ShapeError(
                f"squeeze: axis {ax} of shape {shape} has size {shape[ax]}; only axes of size "
                f"1 can be squeezed out (leave axis out to drop every size-1 axis)"
            )
    return reshape(a, tuple(n for i, n in enumerate(shape) if i not in axes))


@composite("expand_dims", numpy=np.expand_dims, function="expand_dims")
def expand_dims(a, axis):
    """``a`` with new size-1 axes at ``axis`` (a reshape); the gradient is reshaped back."""
    a = _arr(a)
    axis = axis if isinstance(axis, (tuple, list)) else (axis,)
    ndim = len(axis) + np.ndim(a)
    axes = normalize_axis_tuple(axis, ndim)
    sizes = iter(np.shape(a))
    return reshape(a, tuple(1 if i in axes else next(sizes) for i in range(ndim)))


@composite("unsqueeze", function="unsqueeze", method="unsqueeze")
def unsqueeze(x, dim):
    """PyTorch's ``unsqueeze``: a new size-1 axis at ``dim`` (-ndim-1 <= dim <= ndim), a reshape."""
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"unsqueeze: dim must be one integer, not {dim!r}; use expand_dims "
                        f"for several axes")
    return expand_dims(x, int(dim))


@composite("moveaxis", numpy=np.moveaxis, function="moveaxis")
def moveaxis(a, source, destination):
    """Axes ``source`` moved to ``destination`` (a transpose); the gradient moves them back."""
    a = _arr(a)
    ndim = np.ndim(a)
    source = normalize_axis_tuple(source, ndim, "source")
    destination = normalize_axis_tuple(destination, ndim, "destination")
    if len(source) != len(destination):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} must have the same "
            f"number of elements"
        )
    order = [n for n in range(ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return _transpose(a, tuple(order))


@composite("rollaxis", numpy=np.rollaxis, function="rollaxis")
def rollaxis(a, axis, start=0):
    """Axis ``axis`` moved to before ``start`` (a transpose); the gradient moves it back."""
    a = _arr(a)
    n = np.ndim(a)
    axis = normalize_axis_index(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(
            f"rollaxis: start={start} must be between {-n} and {n} for shape {np.shape(a)}")
    if axis < start:
        start -= 1
    axes = [i for i in range(n) if i != axis]
    axes.insert(start, axis)
    return _transpose(a, tuple(axes))


@composite("swapaxes", numpy=np.swapaxes, function="swapaxes", method="swapaxes")
def swapaxes(a, axis1, axis2):
    """Axes ``axis1`` and ``axis2`` exchanged (a transpose); the gradient exchanges them back."""
    a = _arr(a)
    axes = list(range(np.ndim(a)))
    i, j = normalize_axis_index(axis1, len(axes)), normalize_axis_index(axis2, len(axes))
    axes[i], axes[j] = axes[j], axes[i]
    return _transpose(a, tuple(axes))


def _at_least(arys, ndim: int, place):
    out = []
    for x in arys:
        x = _arr(x)
        out.append(x if np.ndim(x) >= ndim else reshape(x, place(np.shape(x))))
    return out[0] if len(out) == 1 else tuple(out)


@composite("atleast_1d", numpy=np.atleast_1d, function="atleast_1d")
def atleast_1d(*arys):
    """Each array with at least 1 axis (a reshape of a scalar); several give a tuple."""
    return _at_least(arys, 1, lambda s: (1,))


@composite("atleast_2d", numpy=np.atleast_2d, function="atleast_2d")
def atleast_2d(*arys):
    """Each array with at least 2 axes ((n,) -> (1, n), a reshape); several give a tuple."""
    return _at_least(arys, 2, lambda s: (1, 1) if not s else (1, s[0]))


@composite("atleast_3d", numpy=np.atleast_3d, function="atleast_3d")
def atleast_3d(*arys):
    """Each array with at least 3 axes ((n,) -> (1, n, 1), (m, n) -> (m, n, 1)); several give a tuple."""
    return _at_least(arys, 3, lambda s: (1, 1, 1) if not s else (1, s[0], 1) if len(s) == 1
                     else (*s, 1))


# ------------------------------------------------------------------------- repeats and flips


@composite("repeat", numpy=np.repeat, function="repeat", method="repeat")
def repeat(a, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis`` (an integer index); an element's gradient sums over its copies."""
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis_index(axis, np.ndim(a))
    index = np.repeat(np.arange(np.shape(a)[axis]), value_of(repeats))
    return getitem(a, _along(axis, index))


@composite("tile", numpy=np.tile, function="tile")
def tile(A, reps):
    """``A`` repeated ``reps`` times along each axis (reshape, broadcast_to); an element's gradient sums over its copies."""
    A = _arr(A)
    reps = tuple(int(r) for r in np.atleast_1d(reps))
    shape = np.shape(A)
    nd = max(len(reps), len(shape))
    shape = (1,) * (nd - len(shape)) + shape
    reps = (1,) * (nd - len(reps)) + reps
    spread = reshape(A, sum(((1, n) for n in shape), ()))
    copies = broadcast_to(spread, sum(((r, n) for r, n in zip(reps, shape)), ()))
    return reshape(copies, tuple(r * n for r, n in zip(reps, shape)))


@composite("roll", numpy=np.roll, function="roll", method="roll")
def roll(a, shift, axis=None):
    """Elements shifted cyclically by ``shift`` along ``axis`` (an integer index); the gradient is shifted back."""
    a = _arr(a)
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), np.shape(a))
    shifts: dict[int, int] = {}
    for s, ax in np.broadcast(value_of(shift), axis):
        ax = normalize_axis_index(int(ax), np.ndim(a))
        shifts[ax] = shifts.get(ax, 0) + int(s)
    out = a
    for ax, s in shifts.items():
        n = np.shape(a)[ax]
        if n:
            out = getitem(out, _along(ax, (np.arange(n) - s) % n))
    return out


@composite("flip", numpy=np.flip, function="flip", method="flip")
def flip(m, axis=None):
    """The elements reversed along ``axis`` (all axes when ``None``), a ``::-1`` slice; the gradient is flipped back."""
    m = _arr(m)
    axes = range(np.ndim(m)) if axis is None else normalize_axis_tuple(axis, np.ndim(m))
    index = [slice(None)] * np.ndim(m)
    for ax in axes:
        index[ax] = slice(None, None, -1)
    return getitem(m, tuple(index))


@composite("fliplr", numpy=np.fliplr, function="fliplr")
def fliplr(m):
    """The columns in reverse order (axis 1); the gradient is flipped back."""
    if np.ndim(m) < 2:
        raise ValueError(f"fliplr: input of shape {np.shape(m)}; it needs at least 2 axes")
    return flip(m, 1)


@composite("flipud", numpy=np.flipud, function="flipud")
def flipud(m):
    """The rows in reverse order (axis 0); the gradient is flipped back."""
    if np.ndim(m) < 1:
        raise ValueError("flipud: input is a scalar; it needs at least 1 axis")
    return flip(m, 0)


@composite("rot90", numpy=np.rot90, function="rot90")
def rot90(m, k=1, axes=(0, 1)):
    """``m`` rotated by k·90° in the plane of ``axes`` (flip and transpose); the gradient is rotated back."""
    m = _arr(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes={axes} must name 2 axes")
    if np.ndim(m) < 2:
        raise ValueError(f"rot90: input of shape {np.shape(m)}; it needs at least 2 axes")
    a0, a1 = (normalize_axis_index(ax, np.ndim(m)) for ax in axes)
    if a0 == a1:
        raise ValueError(f"rot90: axes={axes} must be two different axes")
    k %= 4
    if k == 0:
        return getitem(m, (Ellipsis,))
    if k == 2:
        return flip(m, (a0, a1))
    order = list(range(np.ndim(m)))
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return _transpose(flip(m, a1), tuple(order))
    return flip(_transpose(m, tuple(order)), a1)


# ------------------------------------------------------------------------------------- pad


def _pad_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """Which element of an axis of length ``n`` each padded position copies."""
    i = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return i % n
    if mode == "symmetric":  # the edge is repeated: ... 1 0 | 0 1 2 | 2 1 ...
        i = i % (2 * n)
        return np.where(i >= n, 2 * n - 1 - i, i)
    if n == 1:  # reflect: the edge is not repeated: ... 2 1 | 0 1 2 | 1 0 ...
        return np.zeros_like(i)
    i = i % (2 * (n - 1))
    return np.where(i >= n, 2 * (n - 1) - i, i)


_PAD_MODES = {"constant": {"constant_values"}, "edge": set(), "wrap": set(),
              "reflect": {"reflect_type"}, "symmetric": {"reflect_type"},
              "linear_ramp": {"end_values"}, "maximum": {"stat_length"},
              "mean": {"stat_length"}, "median": {"stat_length"}, "minimum": {"stat_length"}}
_PAD_STATISTICS = {"maximum", "mean", "median", "minimum"}


def _pad_pairs(x, ndim: int, what: str, as_index: bool = False):
    """``x`` as one (before, after) pair per axis, as np.pad reads ``stat_length`` and
    ``end_values``: the same Python or NumPy scalars (they decide the dtype a linear ramp is
    computed in), or 0-d tensors taken out of ``x`` when it is a tensor (they get gradients)."""
    if x is None:
        return ((None, None),) * ndim
    given = x
    if as_index:
        x = value_of(x)  # lengths carry no gradient
    if isinstance(x, Tensor):
        shape = np.shape(x)
        flat = reshape(x, (-1,))
        if len(shape) < 3 and flat.size == 1:
            return ((getitem(flat, 0),) * 2,) * ndim
        if len(shape) < 3 and flat.size == 2 and shape != (2, 1):
            return ((getitem(flat, 0), getitem(flat, 1)),) * ndim
    values = np.array(value_of(x))
    if as_index:
        if values.dtype.kind not in "iuf":
            raise TypeError(f"pad: {what}={given!r} must be non-negative integers (or None)")
        values = np.round(values).astype(np.intp, copy=False)
        if values.size and values.min() < 0:
            raise ValueError(f"pad: {what}={given!r} must be non-negative integers")
    if values.ndim < 3 and not isinstance(x, Tensor):
        if values.size == 1:
            values = values.ravel()
            return ((values[0], values[0]),) * ndim
        if values.size == 2 and values.shape != (2, 1):
            values = values.ravel()
            return ((values[0], values[1]),) * ndim
    try:
        pairs = np.broadcast_to(values, (ndim, 2))
    except ValueError as err:
        raise ValueError(f"pad: {what}={given!r} does not fit an array of {ndim} axes: it must "
                         f"be a number, a (before, after) pair or one pair per axis") from err
    if isinstance(x, Tensor):
        full = broadcast_to(x, (ndim, 2))
        return [[getitem(full, (i, j)) for j in range(2)] for i in range(ndim)]
    return pairs.tolist()


def _pad_statistic(mode: str, chunk, axis: int):
    """The statistic of ``chunk`` along ``axis`` (kept, of length 1) that pads in ``mode``."""
    if mode == "mean":
        return mean(chunk, axis, True)
    if mode == "median":
        return median(chunk, axis=axis, keepdims=True)
    return (amax if mode == "maximum" else amin)(chunk, axis, True)


def _pad_ramp(edge, start, width: int, axis: int, reverse: bool):
    """np.linspace(start, edge, width, endpoint=False) along ``axis``, in the dtype NumPy
    computes it in and with its formula (so the values are NumPy's); reversed for the right."""
    dtype = np.result_type(edge)
    dt = np.result_type(start, dtype)
    if not np.issubdtype(dt, np.inexact):
        dt = np.result_type(dt, 0.0)
    stop = edge if dt == dtype else astype(edge, dt)
    if isinstance(start, Tensor):
        begin = start if np.result_type(start) == dt else astype(start, dt)
    else:
        begin = np.asarray(start, dtype=dt)
    steps = np.arange(width, dtype=dt)[::-1 if reverse else 1]
    steps = np.reshape(steps, (1,) * axis + (width,) + (1,) * (np.ndim(edge) - axis - 1))
    delta = stop - begin
    step = delta / width
    if (value_of(step) == 0).any():  # NumPy's route for tiny steps (gh-5437)
        ramp = steps / width * delta + begin
    else:
        ramp = steps * step + begin
    return ramp if dt == dtype else astype(ramp, dtype)


def _pad_computed(x, widths, mode: str, kwargs: dict):
    """Padding by statistics of the edges (maximum, mean, median, minimum) or by linear ramps
    to ``end_values``, one axis after the other as NumPy pads them (the corners of a later
    axis are computed from the pads of the earlier ones), joined with ``concatenate``."""
    ndim = np.ndim(x)
    if mode == "linear_ramp":
        pairs = _pad_pairs(kwargs.get("end_values", 0), ndim, "end_values")
    else:
        pairs = _pad_pairs(kwargs.get("stat_length"), ndim, "stat_length", as_index=True)
        if mode in ("maximum", "minimum") and any(k == 0 for pair in pairs for k in pair):
            raise ValueError(f"pad: stat_length={kwargs['stat_length']!r} gives a slice of 0 "
                             f"elements, which has no {mode} to pad with; give lengths of at "
                             f"least 1 (or None for the whole axis)")
    for axis, ((before, after), pair) in enumerate(zip(widths, pairs)):
        if not before and not after:
            continue
        n = np.shape(x)[axis]
        if mode == "linear_ramp":
            left = _pad_ramp(getitem(x, _along(axis, slice(0, 1))), pair[0], before, axis,
                             False) if before else None
            right = _pad_ramp(getitem(x, _along(axis, slice(n - 1, n))), pair[1], after, axis,
                              True) if after else None
        else:
            lengths = [n if k is None or k > n else int(k) for k in pair]
            stats = [None, None]
            if before or lengths[0] == lengths[1] == n:
                stats[0] = _pad_statistic(mode, getitem(x, _along(axis, slice(0, lengths[0]))),
                                          axis)
            if after:
                stats[1] = stats[0] if lengths[0] == lengths[1] == n else _pad_statistic(
                    mode, getitem(x, _along(axis, slice(n - lengths[1], n))), axis)
            size = list(np.shape(x))
            left = right = None
            if before:
                size[axis] = before
                left = broadcast_to(stats[0], tuple(size))
            if after:
                size[axis] = after
                right = broadcast_to(stats[1], tuple(size))
        x = _join(concatenate, [b for b in (left, x, right) if b is not None], axis)
    return x


@composite("pad", numpy=np.pad, function="pad")
def pad(array, pad_width, mode="constant", **kwargs):
    """``array`` padded (modes constant, edge, reflect, symmetric, wrap, linear_ramp, maximum, mean, median, minimum); an element's gradient sums over its copies and through the ramps and statistics it enters."""
    x = _arr(array)
    shape = np.shape(x)
    if not isinstance(mode, str) or mode not in _PAD_MODES:
        kind = "a callable mode fills the padded array in place, which the graph cannot record"
        if isinstance(mode, str):
            kind = ("mode='empty' leaves the padded values uninitialized" if mode == "empty"
                    else "NumPy has no such mode")
        raise ValueError(
            f"pad: mode={mode!r} is not differentiable by autograd_nb ({kind}); use one of "
            f"{', '.join(_PAD_MODES)}, or pad the values outside the graph (t.detach())"
        )
    unknown = set(kwargs) - _PAD_MODES[mode]
    if unknown:
        raise ValueError(f"pad: keyword arguments {sorted(unknown)} are not used by "
                         f"mode={mode!r}")
    if kwargs.get("reflect_type", "even") != "even":
        raise ValueError(f"pad: reflect_type={kwargs['reflect_type']!r} is not supported; "
                         f"only 'even' (the default)")
    try:
        widths = np.broadcast_to(np.asarray(value_of(pad_width)), (len(shape), 2))
    except ValueError as err:
        raise ValueError(f"pad: pad_width={pad_width!r} does not fit shape {shape}: it must be "
                         f"an int, a (before, after) pair or one pair per axis") from err
    if widths.size and (not np.issubdtype(widths.dtype, np.integer) or (widths < 0).any()):
        raise ValueError(f"pad: pad_width={pad_width!r} must be non-negative integers")
    widths = [(int(b), int(e)) for b, e in widths]
    if mode == "constant":
        background = np.pad(np.zeros(shape, dtype=value_of(x).dtype), widths,
                            constant_values=value_of(kwargs.get("constant_values", 0)))
        inside = tuple(slice(b, b + n) for (b, _), n in zip(widths, shape))
        return setitem(background, x, inside)
    for n, (b, e) in zip(shape, widths):
        if n == 0 and b + e > 0:
            raise ValueError(f"pad: cannot pad an empty axis of shape {shape} in mode {mode!r}; "
                             f"use mode='constant'")
    if mode in _PAD_STATISTICS or mode == "linear_ramp":
        if not np.issubdtype(value_of(x).dtype, np.floating):  # no gradient: NumPy's padding
            values = {k: value_of(v) for k, v in kwargs.items()}
            out = np.pad(value_of(x), widths, mode=mode, **values)
            return Tensor._wrap(out, None) if isinstance(x, Tensor) else out
        if not value_of(x).size:  # nothing to compute: NumPy's padded array is empty too
            return pad(x, widths)
        return _pad_computed(x, widths, mode, kwargs)
    index = [_pad_index(n, b, e, mode) for n, (b, e) in zip(shape, widths)]
    return getitem(x, np.ix_(*index))


# -------------------------------------------------------------------- triangles, diagonals


@composite("tril", numpy=np.tril, function="tril")
def tril(m, k=0):
    """The lower triangle (on and below diagonal ``k``), zeros above; the gradient passes in the triangle only."""
    m = _arr(m)
    mask = np.tri(*np.shape(m)[-2:], k=k, dtype=bool)
    return where(mask, m, np.zeros(1, dtype=value_of(m).dtype))


@composite("triu", numpy=np.triu, function="triu")
def triu(m, k=0):
    """The upper triangle (on and above diagonal ``k``), zeros below; the gradient passes in the triangle only."""
    m = _arr(m)
    mask = ~np.tri(*np.shape(m)[-2:], k=k - 1, dtype=bool)
    return where(mask, m, np.zeros(1, dtype=value_of(m).dtype))


def _diagonal_index(n: int, m: int, k: int):
    """The rows and columns of diagonal ``k`` of an n × m matrix."""
    length = max(0, min(n, m - k)) if k >= 0 else max(0, min(n + k, m))
    i = np.arange(length)
    return (i, i + k) if k >= 0 else (i - k, i)


@composite("diag", numpy=np.diag, function="diag")
def diag(v, k=0):
    """1-D ``v`` on diagonal ``k`` of a matrix, or diagonal ``k`` of a matrix; the gradient is read back / scattered back."""
    v = _arr(v)
    shape = np.shape(v)
    if len(shape) == 1:
        n = shape[0] + abs(k)
        return scatter_add(v, (n, n), _diagonal_index(n, n, k))
    if len(shape) == 2:
        return getitem(v, _diagonal_index(*shape, k))
    raise ShapeError(f"diag: input of shape {shape}; diag takes a 1-D array (to make a matrix) "
                     f"or a 2-D one (to read its diagonal); use diagonal for more axes")


@composite("diagonal", numpy=np.diagonal, function="diagonal", method="diagonal")
def diagonal(a, offset=0, axis1=0, axis2=1):
    """Diagonal ``offset`` of the planes (axis1, axis2), as the last axis; the gradient is scattered back onto it."""
    a = _arr(a)
    if np.ndim(a) < 2:
        raise ShapeError(f"diagonal: input of shape {np.shape(a)}; it needs at least 2 axes")
    i, j = normalize_axis_index(axis1, np.ndim(a)), normalize_axis_index(axis2, np.ndim(a))
    if i == j:
        raise ValueError(f"diagonal: axis1 and axis2 are both axis {i}; give two different axes")
    planes = moveaxis(a, (i, j), (-2, -1))
    return getitem(planes, (Ellipsis, *_diagonal_index(*np.shape(planes)[-2:], offset)))


# ------------------------------------------------------------------------------------- splits


def _split(ary, indices_or_sections, axis, who, equal):
    a = _arr(ary)
    axis = normalize_axis_index(axis, np.ndim(a))
    n = np.shape(a)[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"{who}: the number of sections must be larger than 0")
        if equal and n % sections:
            raise ValueError(f"{who}: an axis of length {n} does not split into {sections} "
                             f"equal sections; use array_split for unequal ones")
        each, extras = divmod(n, sections)
        bounds = np.cumsum([0] + extras * [each + 1] + (sections - extras) * [each])
    else:
        bounds = [0, *(int(i) for i in indices_or_sections), n]
    return [getitem(a, _along(axis, slice(int(s), int(e)))) for s, e in zip(bounds[:-1],
                                                                             bounds[1:])]


@composite("split", numpy=np.split, function="split")
def split(ary, indices_or_sections, axis=0):
    """A list of equal sections (or cut at indices) along ``axis``; each gradient goes back to its own slice."""
    return _split(ary, indices_or_sections, axis, "split", equal=True)


@composite("array_split", numpy=np.array_split, function="array_split")
def array_split(ary, indices_or_sections, axis=0):
    """A list of sections along ``axis`` (the first ones longer when unequal); each gradient goes back to its slice."""
    return _split(ary, indices_or_sections, axis, "array_split", equal=False)


def _needs(ary, ndim, who):
    if np.ndim(ary) < ndim:
        raise ValueError(f"{who}: input of shape {np.shape(ary)}; it needs at least {ndim} "
                         f"ax{'i' if ndim == 1 else 'e'}s")


@composite("hsplit", numpy=np.hsplit, function="hsplit")
def hsplit(ary, indices_or_sections):
    """``split`` along axis 1 (axis 0 for 1-D arrays); each gradient goes back to its slice."""
    _needs(ary, 1, "hsplit")
    return _split(ary, indices_or_sections, 1 if np.ndim(ary) > 1 else 0, "hsplit", True)


@composite("vsplit", numpy=np.vsplit, function="vsplit")
def vsplit(ary, indices_or_sections):
    """``split`` along axis 0 of an array of 2 or more axes; each gradient goes back to its slice."""
    _needs(ary, 2, "vsplit")
    return _split(ary, indices_or_sections, 0, "vsplit", True)


@composite("dsplit", numpy=np.dsplit, function="dsplit")
def dsplit(ary, indices_or_sections):
    """``split`` along axis 2 of an array of 3 or more axes; each gradient goes back to its slice."""
    _needs(ary, 3, "dsplit")
    return _split(ary, indices_or_sections, 2, "dsplit", True)


# ------------------------------------------------------------------------------------- stacks


def _check_dtype(dtype, who):
    if dtype is not None:
        raise TypeError(f"np.{who}(..., dtype={dtype!r}) on tensors: leave dtype out and cast "
                        f"the inputs first")


def _arrays(tup, who):
    arrays = [_arr(x) for x in tup]
    if not arrays:
        raise ValueError(f"{who}: needs at least one array to join")
    return arrays


@composite("vstack", numpy=np.vstack, function="vstack")
def vstack(tup, *, dtype=None, casting="same_kind"):
    """The arrays (1-D ones as rows) joined along axis 0; each gradient goes back to its own rows."""
    _check_dtype(dtype, "vstack")
    return _join(concatenate, [atleast_2d(x) for x in _arrays(tup, "vstack")], 0)


@composite("hstack", numpy=np.hstack, function="hstack")
def hstack(tup, *, dtype=None, casting="same_kind"):
    """The arrays joined along axis 1 (axis 0 for 1-D ones); each gradient goes back to its own columns."""
    _check_dtype(dtype, "hstack")
    arrays = [atleast_1d(x) for x in _arrays(tup, "hstack")]
    return _join(concatenate, arrays, 0 if np.ndim(arrays[0]) == 1 else 1)


@composite("dstack", numpy=np.dstack, function="dstack")
def dstack(tup):
    """The arrays joined along axis 2 (after atleast_3d); each gradient goes back to its own slice."""
    return _join(concatenate, [atleast_3d(x) for x in _arrays(tup, "dstack")], 2)


@composite("column_stack", numpy=np.column_stack, function="column_stack")
def column_stack(tup):
    """1-D arrays as columns, 2-D ones as they are, joined along axis 1; each gradient goes back to its columns."""
    arrays = [reshape(x, (-1, 1)) if np.ndim(x) < 2 else x
              for x in _arrays(tup, "column_stack")]
    return _join(concatenate, arrays, 1)


@composite("append", numpy=np.append, function="append")
def append(arr, values, axis=None):
    """``values`` joined after ``arr`` along ``axis`` (flattened when ``None``); each gradient goes back to its part."""
    arr, values = _arr(arr), _arr(values)
    if axis is None:
        return _join(concatenate, [ravel(arr), ravel(values)], 0)
    return _join(concatenate, [arr, values], axis)


# -------------------------------------------------------------------------- take and sort


@composite("take", numpy=np.take, function="take", method="take")
def take(a, indices, axis=None, out=None, mode="raise"):
    """The elements at ``indices`` along ``axis`` (of the flattened array when ``None``); repeated indices add up."""
    if out is not None:
        raise TypeError("take(..., out=...) on a tensor: leave out= out and assign the result")
    a = _arr(a)
    index = np.asarray(value_of(indices))
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis_index(axis, np.ndim(a))
    n = np.shape(a)[axis]
    if mode == "wrap":
        index = index % n
    elif mode == "clip":
        index = np.clip(index, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"take: mode={mode!r}; use 'raise', 'wrap' or 'clip'")
    return getitem(a, _along(axis, index))


@composite("take_along_axis", numpy=np.take_along_axis, function="take_along_axis")
def take_along_axis(arr, indices, axis=-1):
    """``arr`` picked by ``indices`` along ``axis`` (as argsort gives them); repeated indices add up."""
    a = _arr(arr)
    index = np.asarray(value_of(indices))
    if axis is None:
        a, axis = ravel(a), 0
    if index.ndim != np.ndim(a):
        raise ShapeError(f"take_along_axis: indices of shape {index.shape} and an array of "
                         f"shape {np.shape(a)} must have the same number of axes")
    axis = normalize_axis_index(axis, np.ndim(a))
    shape = np.shape(a)
    full = tuple(
        index if d == axis else np.arange(shape[d]).reshape(
            (1,) * d + (-1,) + (1,) * (len(shape) - d - 1))
        for d in range(len(shape))
    )
    return getitem(a, full)


@composite("sort", numpy=np.sort, function="sort", method="sort")
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The values sorted along ``axis`` (a permutation by argsort); the gradient goes back through it (ties: argsort's order)."""
    if order is not None:
        raise ValueError("sort: order= sorts structured arrays, which tensors are not")
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), -1
    perm = np.argsort(value_of(a), axis=axis, kind=kind, stable=stable)
    return take_along_axis(a, perm, axis)


@composite("partition", numpy=np.partition, function="partition")
def partition(a, kth, axis=-1, kind="introselect", order=None):
    """The values partitioned around ``kth`` (a permutation by argpartition); the gradient goes back through it."""
    if order is not None:
        raise ValueError("partition: order= partitions structured arrays, which tensors are not")
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), -1
    perm = np.argpartition(value_of(a), kth, axis=axis, kind=kind)
    return take_along_axis(a, perm, axis)


@composite("select", numpy=np.select, function="select")
def select(condlist, choicelist, default=0):
    """The first choice whose condition holds, else ``default`` (nested wheres); the conditions are constants."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: {len(condlist)} conditions and {len(choicelist)} choices; "
                         f"give one choice per condition")
    if not len(condlist):
        raise ValueError("select: needs at least one condition")
    out = default
    for cond, choice in zip(reversed(list(condlist)), reversed(list(choicelist))):
        out = where(np.asarray(value_of(cond), dtype=bool), choice, out)
    return out


# ------------------------------------------------------------------------------------ products


@composite("outer", numpy=np.outer, function="outer")
def outer(a, b, out=None):
    """a_i · b_j of the flattened inputs (a broadcast mul); ∂/∂a_i = Σ_j g_ij b_j."""
    if out is not None:
        raise TypeError("outer(..., out=...) on tensors: leave out= out and assign the result")
    return mul(reshape(_arr(a), (-1, 1)), reshape(_arr(b), (1, -1)))


@composite("inner", numpy=np.inner, function="inner")
def inner(a, b):
    """Sum over the last axes of ``a`` and ``b`` (a tensordot; a product with a scalar)."""
    a, b = _arr(a), _arr(b)
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return mul(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


@composite("kron", numpy=np.kron, function="kron")
def kron(a, b):
    """The Kronecker product: blocks a_i·b (a broadcast mul between reshapes)."""
    a, b = _arr(a), _arr(b)
    nd = max(np.ndim(a), np.ndim(b))
    if nd == 0:
        return mul(a, b)
    sa = (1,) * (nd - np.ndim(a)) + np.shape(a)
    sb = (1,) * (nd - np.ndim(b)) + np.shape(b)
    blocks = mul(reshape(a, sum(((n, 1) for n in sa), ())),
                 reshape(b, sum(((1, n) for n in sb), ())))
    return reshape(blocks, tuple(p * q for p, q in zip(sa, sb)))


_CROSS_2D = ("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional "
             "vectors instead. (deprecated in NumPy 2.0)")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _warn_at_caller(message: str, category: type[Warning]) -> None:
    """Warn as NumPy does, at the line that called into autograd_nb (so a DeprecationWarning
    shows in a notebook or script as NumPy's own would), not at the engine's frames."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


@composite("cross", numpy=np.cross, function="cross")
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors along ``axis`` (2-vectors: the z-component a₀b₁ - a₁b₀, or a zero third component, as NumPy, with its DeprecationWarning); ∂(a×b)/∂a · t = t×b, ∂(a×b)/∂b · t = a×t."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _arr(a), _arr(b)
    if np.ndim(a) < 1 or np.ndim(b) < 1:
        raise ShapeError(
            f"cross: a of shape {np.shape(a)} and b of shape {np.shape(b)}: both need an axis "
            f"of vectors (NumPy: at least one array has zero dimension); give 2- or 3-vectors"
        )
    if normalize_axis_index(axisa, np.ndim(a), "axisa") != np.ndim(a) - 1:
        a = moveaxis(a, axisa, -1)
    if normalize_axis_index(axisb, np.ndim(b), "axisb") != np.ndim(b) - 1:
        b = moveaxis(b, axisb, -1)
    na, nb = np.shape(a)[-1], np.shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ShapeError(
            f"cross: vectors of lengths {na} and {nb} (shapes {np.shape(a)} and "
            f"{np.shape(b)} with the vector axis last); the cross product takes 3-vectors (or "
            f"2-vectors, deprecated by NumPy): give axisa=/axisb= (or axis=) naming the axis "
            f"of length 3"
        )
    if na == 2 or nb == 2:  # NumPy warns first, then checks the shapes
        _warn_at_caller(_CROSS_2D, DeprecationWarning)
    try:
        np.broadcast_shapes(np.shape(a)[:-1], np.shape(b)[:-1])
    except ValueError as err:
        raise ShapeError(
            f"cross: the vectors of shapes {np.shape(a)} and {np.shape(b)} (the vector axis "
            f"last) do not broadcast together; the other axes must be equal or 1 (give "
            f"axisa=/axisb= naming the vector axes)"
        ) from err
    dtype = np.promote_types(np.result_type(a), np.result_type(b))
    if np.result_type(a) != dtype:  # NumPy computes in the promoted dtype
        a = astype(a, dtype) if isinstance(a, Tensor) else np.asarray(a, dtype=dtype)
    if np.result_type(b) != dtype:
        b = astype(b, dtype) if isinstance(b, Tensor) else np.asarray(b, dtype=dtype)
    a0, a1, *a2 = (getitem(a, (Ellipsis, i)) for i in range(na))
    b0, b1, *b2 = (getitem(b, (Ellipsis, i)) for i in range(nb))
    z = sub(mul(a0, b1), mul(a1, b0))
    if na == nb == 2:  # one number per pair of vectors: no axis for axisc
        return z
    if na == 2:  # NumPy's formulas with a₂ = 0: (a₁b₂, -a₀b₂, z)
        c = [mul(a1, b2[0]), -mul(a0, b2[0]), z]
    elif nb == 2:  # with b₂ = 0: (-a₂b₁, a₂b₀, z)
        c = [-mul(a2[0], b1), mul(a2[0], b0), z]
    else:
        c = [sub(mul(a1, b2[0]), mul(a2[0], b1)), sub(mul(a2[0], b0), mul(a0, b2[0])), z]
    c = _join(stack, c, -1)  # each component has the vectors' broadcast shape
    if normalize_axis_index(axisc, np.ndim(c), "axisc") == np.ndim(c) - 1:
        return c
    return moveaxis(c, -1, axisc)


@composite("tensordot", numpy=np.tensordot, function="tensordot")
def tensordot(a, b, axes=2):
    """Sum of products over ``axes`` (transposes and reshapes around one matmul); its gradient is matmul's."""
    a, b = _arr(a), _arr(b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        axes_a, axes_b = list(range(-n, 0)), list(range(n))
    else:
        try:
            axes_a, axes_b = axes
        except (TypeError, ValueError) as err:
            raise ValueError(f"tensordot: axes={axes!r}; give an int or a pair (axes of a, "
                             f"axes of b)") from err
        axes_a = [axes_a] if np.ndim(axes_a) == 0 else list(axes_a)
        axes_b = [axes_b] if np.ndim(axes_b) == 0 else list(axes_b)
    sa, sb = np.shape(a), np.shape(b)
    if len(axes_a) != len(axes_b):
        raise ShapeError(f"tensordot: axes {axes_a} of a and {axes_b} of b must pair up")
    axes_a = [normalize_axis_index(int(i), len(sa)) for i in axes_a]
    axes_b = [normalize_axis_index(int(i), len(sb)) for i in axes_b]
    for i, j in zip(axes_a, axes_b):
        if sa[i] != sb[j]:
            raise ShapeError(f"tensordot: axis {i} of a (shape {sa}) and axis {j} of b (shape "
                             f"{sb}) are summed together but have lengths {sa[i]} and {sb[j]}")
    free_a = [k for k in range(len(sa)) if k not in axes_a]
    free_b = [k for k in range(len(sb)) if k not in axes_b]
    summed = int(np.prod([sa[i] for i in axes_a]))

    def arrange(x, order, shape):
        if order != sorted(order):
            x = _transpose(x, tuple(order))
        return reshape(x, shape)

    left = arrange(a, free_a + axes_a, (int(np.prod([sa[k] for k in free_a])), summed))
    right = arrange(b, axes_b + free_b, (summed, int(np.prod([sb[k] for k in free_b]))))
    return reshape(matmul(left, right), tuple(sa[k] for k in free_a) + tuple(sb[k] for k in free_b))


@composite("dot", numpy=np.dot, function="dot", method="dot")
def dot(a, b, out=None):
    """``np.dot``: scalar product, matmul for 1-D/2-D, else sum over a's last and b's second-to-last axis (tensordot)."""
    if out is not None:
        raise TypeError("dot(..., out=...) on tensors: leave out= out and assign the result")
    a, b = _arr(a), _arr(b)
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return mul(a, b)
    if np.ndim(a) <= 2 and np.ndim(b) <= 2 or np.ndim(a) == 1 or np.ndim(b) == 1:
        return matmul(a, b)
    return tensordot(a, b, axes=([-1], [-2]))


# -------------------------------------------------------------------------------------- einsum
# The primitive takes its operands as separate inputs and, last, an explicit specification
# in letters only ("ij,jk->ik"): the composite ``einsum`` writes NumPy's subscripts that way
# (the implicit output made explicit, each '...' spelled out as letters).


@primitive("einsum")
def einsum_primitive(*operands_and_spec):
    """Σ of the operands' product over the letters missing from the output; ∂/∂ operand i is an einsum of g with the others."""
    *operands, spec = operands_and_spec
    return np.einsum(spec, *operands)


def _fresh(used: set[str]):
    for letter in string.ascii_letters:
        if letter not in used:
            used.add(letter)
            yield letter
    raise ValueError("einsum: more than 52 distinct indices")


def einsum_vjp(i, g, ans, *operands_and_spec):
    """g contracted with the other operands, onto operand i's letters. A letter repeated in
    operand i (a diagonal) gets a fresh name linked to it by an identity matrix; a letter only
    operand i has (summed over in the forward) is spread by a vector of ones."""
    *operands, spec = operands_and_spec
    inputs, output = spec.split("->")
    subscripts = inputs.split(",")
    mine = subscripts[i]
    fresh = _fresh(set(spec))
    dtype = value_of(g).dtype
    shape = np.shape(operands[i])
    terms = [output, *(s for j, s in enumerate(subscripts) if j != i)]
    args = [g, *(x for j, x in enumerate(operands) if j != i)]
    target = ""
    for pos, letter in enumerate(mine):
        if letter in target:  # a repeated letter: the gradient lives on the diagonal
            new = next(fresh)
            terms.append(letter + new)
            args.append(np.eye(shape[pos], dtype=dtype))
            letter = new
        target += letter
    present = set("".join(terms))
    for pos, letter in enumerate(target):
        if letter not in present:
            terms.append(letter)
            args.append(np.ones(shape[pos], dtype=dtype))
            present.add(letter)
    return _run(einsum_primitive, args, (",".join(terms) + "->" + target,))


def einsum_jvp(i, t, ans, *operands_and_spec):  # linear in each operand: t in its place
    *operands, spec = operands_and_spec
    return _run(einsum_primitive, [*operands[:i], t, *operands[i + 1:]], (spec,))


defvjp(einsum_primitive, per_input=einsum_vjp)
defjvp(einsum_primitive, per_input=einsum_jvp)


def _einsum_spec(subscripts: str, shapes: list[tuple]) -> str:
    """NumPy's subscripts as an explicit specification in letters only."""
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operands, "
                         f"{len(shapes)} were given")
    for term in [*terms, output]:
        letters = term.replace("...", "")
        if "." in letters or not all(c in string.ascii_letters for c in letters):
            raise ValueError(f"einsum: subscripts {subscripts!r}: use letters and '...' only")
    if not arrow:  # implicit output: '...' then the letters used once, in alphabetical order
        counts = {c: inputs.count(c) for c in set(inputs.replace("...", "").replace(",", ""))}
        output = ("..." if "..." in inputs else "") + "".join(
            sorted(c for c, n in counts.items() if n == 1))
    widths = []
    for term, shape in zip(terms, shapes):
        named = len(term.replace("...", ""))
        if ("..." not in term and named != len(shape)) or named > len(shape):
            raise ShapeError(f"einsum: subscripts {term!r} do not fit an operand of shape "
                             f"{shape}")
        widths.append(len(shape) - named)
    fresh = _fresh(set(subscripts))
    broadcast = "".join(next(fresh) for _ in range(max(widths, default=0)))
    terms = [t.replace("...", broadcast[len(broadcast) - w:] if w else "")
             for t, w in zip(terms, widths)]
    return ",".join(terms) + "->" + output.replace("...", broadcast)


def _sublist_letters(sublist, what: str) -> str:
    """One sublist of the interleaved form as subscripts: the integers 0-25 as 'A'-'Z' and
    26-51 as 'a'-'z' (NumPy's own letters, so the implicit output keeps their order), and
    Ellipsis as '...'."""
    if isinstance(sublist, (str, bytes, Tensor)) or not hasattr(sublist, "__iter__"):
        raise TypeError(f"einsum: {what} is {sublist!r}; in the interleaved form "
                        f"np.einsum(a, [0, 1], b, [1, 2], [0, 2]) each sublist is a list or "
                        f"tuple of integers in [0, 52) and at most one Ellipsis")
    letters = ""
    for label in sublist:
        if label is Ellipsis:
            if "..." in letters:
                raise ValueError(f"einsum: {what} {list(sublist)!r} has more than one Ellipsis; "
                                 f"give at most one per sublist")
            letters += "..."
            continue
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
            raise TypeError(f"einsum: {what} {list(sublist)!r} holds {label!r}; each subscript "
                            f"is an integer in [0, 52) or Ellipsis")
        if not 0 <= label < 52:
            raise ValueError(f"einsum: {what} {list(sublist)!r} holds {label}, outside the "
                             f"valid range [0, 52); number the axes from 0 to 51")
        letters += chr(ord("A") + label) if label < 26 else chr(ord("a") + label - 26)
    return letters


def _interleaved(args: tuple) -> tuple[str, list]:
    """``(a, [0, 1], b, [1, 2], [0, 2])`` as ``("AB,BC->AC", [a, b])``; the output sublist is
    optional (implicit output, as for subscripts without '->')."""
    operands = list(args[0::2][:len(args) // 2])
    terms = [_sublist_letters(sub, f"the sublist of operand {i}")
             for i, sub in enumerate(args[1::2])]
    subscripts = ",".join(terms)
    if len(args) % 2:
        subscripts += "->" + _sublist_letters(args[-1], "the output sublist")
    return subscripts, operands


@composite("einsum", numpy=np.einsum, function="einsum")
def einsum(subscripts, *operands, optimize=False):
    """``np.einsum`` (string subscripts, '...', implicit output, or the interleaved form ``(a, [0, 1], b, [1, 2])``) as one primitive; ∂/∂ operand i is an einsum of g with the others."""
    if not isinstance(subscripts, str):  # the interleaved form: operand, sublist, ..., output
        subscripts, operands = _interleaved((subscripts, *operands))
    operands = [x if isinstance(x, Tensor) else np.asarray(x) for x in operands]
    spec = _einsum_spec(subscripts, [np.shape(x) for x in operands])
    return _run(einsum_primitive, operands, (spec,))
