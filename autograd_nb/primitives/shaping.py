"""Primitives that move values around without arithmetic: reshape, transpose, broadcast_to,
indexing (and its adjoint, scatter_add), setitem, concatenate and stack."""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..apply import apply
from .registry import defjvp, defvjp, primitive, unbroadcast, value_of

__all__ = [
    "reshape", "transpose", "broadcast_to", "getitem", "scatter_add", "setitem",
    "concatenate", "stack", "is_basic_index", "astype", "identity",
]

# ------------------------------------------------------------------------------------- reshape


@primitive("reshape", nin=1, numpy=np.reshape, function="reshape")
def reshape(x, shape):
    """The same elements in ``shape`` (one entry may be -1)."""
    return np.reshape(x, shape)


def reshape_vjp(g, ans, x, shape):
    return g.reshape(x.shape)


def reshape_jvp(t, ans, x, shape):
    return t.reshape(ans.shape)


defvjp(reshape, reshape_vjp)
defjvp(reshape, reshape_jvp)

# ----------------------------------------------------------------------------------- transpose


@primitive("transpose", nin=1, numpy=np.transpose, function="transpose")
def transpose(x, axes=None):
    """Axes permuted by ``axes`` (reversed when ``None``)."""
    return np.transpose(x, axes)


def transpose_vjp(g, ans, x, axes):  # the inverse permutation (axes may be negative)
    return np.transpose(g, None if axes is None else np.argsort(np.mod(axes, np.ndim(x))))


def transpose_jvp(t, ans, x, axes):
    return np.transpose(t, axes)


defvjp(transpose, transpose_vjp)
defjvp(transpose, transpose_jvp)

# -------------------------------------------------------------------------------- broadcast_to


@primitive("broadcast_to", nin=1, numpy=np.broadcast_to, function="broadcast_to")
def broadcast_to(x, shape):
    """``x`` repeated along new or size-1 axes to ``shape``; the gradient is summed back."""
    return np.broadcast_to(x, shape)


def broadcast_to_vjp(g, ans, x, shape):
    return unbroadcast(g, x.shape)


def broadcast_to_jvp(t, ans, x, shape):
    return np.broadcast_to(t, shape)


defvjp(broadcast_to, broadcast_to_vjp)
defjvp(broadcast_to, broadcast_to_jvp)

# ------------------------------------------------------------------------------------ identity
# The value itself, as a new node: a transformation's input made from an outer variable, so
# that the outer levels see through it while the inner one differentiates with respect to it.


@primitive("identity", nin=1, elementwise=True)
def identity(x):
    """x itself, as a new node; d/dx = 1."""
    return x


def identity_vjp(g, ans, x):
    return g


def identity_jvp(t, ans, x):
    return t


defvjp(identity, identity_vjp)
defjvp(identity, identity_jvp)

# -------------------------------------------------------------------------------------- astype
# A change of floating-point precision: the gradient goes back in the input's precision (the
# sweep uses it to give a float32 leaf a float32 gradient when create_graph=True).


@primitive("astype", nin=1, elementwise=True)
def astype(x, dtype):
    """x in another floating-point precision; the gradient goes back in x's precision."""
    return np.asarray(x).astype(dtype, copy=False)


def astype_vjp(g, ans, x, dtype):
    return astype(g, np.result_type(x))


def astype_jvp(t, ans, x, dtype):
    return astype(t, dtype)


defvjp(astype, astype_vjp)
defjvp(astype, astype_jvp)

# ----------------------------------------------------------------------- getitem, scatter_add


def is_basic_index(index) -> bool:
    """True for indexes made of ints, slices, ``...`` and ``None``: no element is picked twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


@primitive("getitem", nin=1)
def getitem(x, index):
    """x[index]; the gradient is scattered back to the picked elements (repeats add up)."""
    return x[index]


def getitem_vjp(g, ans, x, index):
    return scatter_add(g, x.shape, index)


def getitem_jvp(t, ans, x, index):
    return t[index]


defvjp(getitem, getitem_vjp)
defjvp(getitem, getitem_jvp)


@primitive("scatter_add", nin=1)
def scatter_add(g, shape, index):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeats add up); its VJP gathers: g[index]."""
    out = np.zeros(shape, dtype=np.result_type(g))
    if is_basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def scatter_add_vjp(g, ans, x, shape, index):  # the transpose of scattering is gathering
    return g[index]


def scatter_add_jvp(t, ans, x, shape, index):  # linear in x: the JVP is the map itself
    return scatter_add(t, shape, index)


defvjp(scatter_add, scatter_add_vjp)
defjvp(scatter_add, scatter_add_jvp)

# ------------------------------------------------------------------------------------- setitem
# out = x with out[index] = v: the functional form of ``t[index] = v`` on a tensor in a graph.


@primitive("setitem", nin=2)
def setitem(x, v, index):
    """x with x[index] = v; the gradient of x is g with zeros at index, that of v is g[index]."""
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    out[index] = v
    return out


def _overwritten(x, index):
    mask = np.ones(np.shape(x), dtype=bool)
    mask[index] = False
    return mask


def setitem_vjp_x(g, ans, x, v, index):
    return np.where(_overwritten(x, index), g, 0)


def _written(ans, index):
    """Which elements of ``v`` (broadcast to ``ans[index]``) ended up in ``ans``: with a
    repeated integer index only the last assignment to an element stays, as in NumPy."""
    picked = np.shape(value_of(ans)[index])
    order = np.arange(int(np.prod(picked))).reshape(picked)
    last = np.full(np.shape(ans), -1)
    last[index] = order
    return last[index] == order


def setitem_vjp_v(g, ans, x, v, index):
    if is_basic_index(index):  # no element is written twice
        return g[index]
    return np.where(_written(ans, index), g[index], 0)


def setitem_jvp_x(t, ans, x, v, index):
    return np.where(_overwritten(x, index), t, 0)


def setitem_jvp_v(t, ans, x, v, index):  # the tangent of v, written where v was
    return setitem(np.zeros(np.shape(ans), dtype=np.result_type(t)), t, index)


defvjp(setitem, setitem_vjp_x, setitem_vjp_v)
defjvp(setitem, setitem_jvp_x, setitem_jvp_v)

# -------------------------------------------------------------------------- concatenate, stack
# Any number of inputs; input i's gradient is its own slice of the output's gradient.
#
# Their VJP rules are given ``together`` (see ``defvjp``): one call cuts g into every input's
# share, with the offsets computed once.


def _offsets(lengths) -> np.ndarray:
    """[0, l0, l0 + l1, ...]: where each input's block starts (and the last one ends)."""
    return np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))


@primitive("concatenate")
def concatenate(*arrays_and_axis):
    """The inputs joined along an existing axis; each input gets its own slice of g."""
    *arrays, axis = arrays_and_axis
    return np.concatenate(arrays, axis=axis)


def _blocks(ans, arrays, axis) -> list:
    """The index of every input's block inside the concatenated output (offsets summed once)."""
    if axis is None:  # the inputs were flattened first
        starts = _offsets([np.size(a) for a in arrays]).tolist()
        return [(slice(s, e),) for s, e in zip(starts[:-1], starts[1:])]
    axis = normalize_axis_index(axis, np.ndim(ans))
    starts = _offsets([np.shape(a)[axis] for a in arrays]).tolist()
    before = (slice(None),) * axis
    return [before + (slice(s, e),) for s, e in zip(starts[:-1], starts[1:])]


def concatenate_vjps(g, ans, *arrays_and_axis):
    *arrays, axis = arrays_and_axis
    shares = [g[block] for block in _blocks(ans, arrays, axis)]
    if axis is None:
        return [c.reshape(np.shape(a)) for c, a in zip(shares, arrays)]
    return shares


def concatenate_jvp(i, t, ans, *arrays_and_axis):
    *arrays, axis = arrays_and_axis
    block = _blocks(ans, arrays, axis)[i]
    if axis is None:
        return scatter_add(t.reshape(-1), ans.shape, block)
    return scatter_add(t, ans.shape, block)


def concatenate_jvps(tangents, ans, *arrays_and_axis):  # the inputs' tangents, concatenated
    *arrays, axis = arrays_and_axis
    return apply(concatenate, tuple(_or_zeros(tangents, arrays)), (axis,))


def _or_zeros(tangents, arrays) -> list:
    return [np.zeros(np.shape(a), dtype=np.result_type(a)) if t is None else t
            for t, a in zip(tangents, arrays)]


defvjp(concatenate, together=concatenate_vjps)
defjvp(concatenate, per_input=concatenate_jvp, together=concatenate_jvps)


@primitive("stack")
def stack(*arrays_and_axis):
    """The inputs joined along a new axis; each input gets its own layer of g."""
    *arrays, axis = arrays_and_axis
    return np.stack(arrays, axis=axis)


def _layer(i, ans, axis):
    return (slice(None),) * normalize_axis_index(axis, ans.ndim) + (i,)


def stack_vjps(g, ans, *arrays_and_axis):
    before = (slice(None),) * normalize_axis_index(arrays_and_axis[-1], np.ndim(ans))
    return [g[before + (i,)] for i in range(len(arrays_and_axis) - 1)]


def stack_jvp(i, t, ans, *arrays_and_axis):
    return scatter_add(t, ans.shape, _layer(i, ans, arrays_and_axis[-1]))


def stack_jvps(tangents, ans, *arrays_and_axis):  # the inputs' tangents, stacked
    *arrays, axis = arrays_and_axis
    return apply(stack, tuple(_or_zeros(tangents, arrays)), (axis,))


defvjp(stack, together=stack_vjps)
defjvp(stack, per_input=stack_jvp, together=stack_jvps)
