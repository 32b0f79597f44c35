"""Primitives that move values around without arithmetic: reshape, transpose, broadcast_to,
indexing (and its adjoint, scatter_add), setitem, concatenate and stack."""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

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


@primitive("concatenate")
def concatenate(*arrays_and_axis):
    """The inputs joined along an existing axis; each input gets its own slice of g."""
    *arrays, axis = arrays_and_axis
    return np.concatenate(arrays, axis=axis)


def _slot(i, ans, arrays, axis):
    """The index of input ``i``'s block inside the concatenated output."""
    axis = normalize_axis_index(axis, ans.ndim)
    start = sum(a.shape[axis] for a in arrays[:i])
    return (slice(None),) * axis + (slice(start, start + arrays[i].shape[axis]),)


def concatenate_vjp(i, g, ans, *arrays_and_axis):
    *arrays, axis = arrays_and_axis
    if axis is None:  # the inputs were flattened first
        start = sum(np.size(a) for a in arrays[:i])
        return g[start:start + np.size(arrays[i])].reshape(np.shape(arrays[i]))
    return g[_slot(i, ans, arrays, axis)]


def concatenate_jvp(i, t, ans, *arrays_and_axis):
    *arrays, axis = arrays_and_axis
    if axis is None:
        start = sum(np.size(a) for a in arrays[:i])
        return scatter_add(t.reshape(-1), ans.shape, (slice(start, start + np.size(t)),))
    return scatter_add(t, ans.shape, _slot(i, ans, arrays, axis))


defvjp(concatenate, per_input=concatenate_vjp)
defjvp(concatenate, per_input=concatenate_jvp)


@primitive("stack")
def stack(*arrays_and_axis):
    """The inputs joined along a new axis; each input gets its own layer of g."""
    *arrays, axis = arrays_and_axis
    return np.stack(arrays, axis=axis)


def _layer(i, ans, axis):
    return (slice(None),) * normalize_axis_index(axis, ans.ndim) + (i,)


def stack_vjp(i, g, ans, *arrays_and_axis):
    return g[_layer(i, ans, arrays_and_axis[-1])]


def stack_jvp(i, t, ans, *arrays_and_axis):
    return scatter_add(t, ans.shape, _layer(i, ans, arrays_and_axis[-1]))


defvjp(stack, per_input=stack_vjp)
defjvp(stack, per_input=stack_jvp)
