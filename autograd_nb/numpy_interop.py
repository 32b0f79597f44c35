"""NumPy calls on tensors: ``np.exp(t)``, ``array * t``, ``np.sum(t, axis=0)`` are recorded.

NumPy hands any call involving a Tensor to ``Tensor.__array_ufunc__`` / ``__array_function__``,
which land here. This is also what lets derivative rules, written in NumPy, run on tensors
when ``create_graph=True``.
"""

from __future__ import annotations

import numpy as np

from . import functions as F
from .primitives import arithmetic as ar
from .primitives import elementwise as el
from .tensor import Tensor, apply

__all__ = ["handle_ufunc", "handle_function"]

_UFUNCS = {
    np.add: ar.add, np.subtract: ar.sub, np.multiply: ar.mul, np.true_divide: ar.div,
    np.negative: ar.neg, np.power: ar.power, np.matmul: ar.matmul, np.exp: el.exp,
    np.log: el.log, np.sqrt: el.sqrt, np.sin: el.sin, np.cos: el.cos, np.tanh: el.tanh,
    np.absolute: el.absolute, np.maximum: el.maximum, np.minimum: el.minimum,
}

# ufuncs whose result has no useful derivative: computed on the values, outside the graph
_CONSTANT_UFUNCS = {
    np.sign, np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf, np.floor, np.ceil, np.rint, np.logical_and,
    np.logical_or, np.logical_not,
}


def _values(x):
    return x.data if isinstance(x, Tensor) else x


def handle_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and not kwargs:
        if ufunc in _UFUNCS:
            return apply(_UFUNCS[ufunc], inputs)
        if ufunc in _CONSTANT_UFUNCS:
            return Tensor._wrap(np.asarray(ufunc(*(_values(x) for x in inputs))), None)
    raise TypeError(
        f"np.{ufunc.__name__}{'.' + method if method != '__call__' else ''} is not differentiable "
        f"by autograd_nb{' with ' + ', '.join(kwargs) if kwargs else ''}; use the ag.* function "
        f"if there is one, or t.numpy() to compute on the values outside the graph"
    )


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **_):
    return F.sum(a, axis=axis, keepdims=keepdims)


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, **_):
    return F.mean(a, axis=axis, keepdims=keepdims)


def _max(a, axis=None, out=None, keepdims=False, **_):
    return F.max(a, axis=axis, keepdims=keepdims)


def _min(a, axis=None, out=None, keepdims=False, **_):
    return F.min(a, axis=axis, keepdims=keepdims)


def _swapaxes(a, axis1, axis2):
    axes = list(range(np.ndim(a)))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return F.transpose(a, axes)


def _expand_dims(a, axis):
    return F.reshape(a, np.expand_dims(np.empty(np.shape(a), dtype=bool), axis).shape)


def _squeeze(a, axis=None):
    return F.reshape(a, np.squeeze(np.empty(np.shape(a), dtype=bool), axis).shape)


def _clip(a, a_min=None, a_max=None, **_):
    return F.clip(a, a_min, a_max)


def _constant_like(func):
    def plain(*args, **kwargs):
        return func(*(_values(a) for a in args), **kwargs)

    return plain


_FUNCTIONS = {
    np.sum: _sum, np.mean: _mean, np.max: _max, np.min: _min, np.amax: _max, np.amin: _min,
    np.reshape: lambda a, shape, **_: F.reshape(a, shape),
    np.transpose: lambda a, axes=None: F.transpose(a, axes),
    np.swapaxes: _swapaxes, np.expand_dims: _expand_dims, np.squeeze: _squeeze,
    np.broadcast_to: lambda a, shape, **_: F.broadcast_to(a, shape),
    np.where: lambda c, x, y: F.where(c, x, y), np.clip: _clip,
    np.concatenate: lambda arrays, axis=0, **_: F.concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0, **_: F.stack(arrays, axis),
    np.dot: F.dot, np.tanh: F.tanh,
    np.shape: lambda a: np.shape(_values(a)), np.ndim: lambda a: np.ndim(_values(a)),
    np.size: lambda a, axis=None: np.size(_values(a), axis),
    np.result_type: _constant_like(np.result_type),
    np.zeros_like: _constant_like(np.zeros_like), np.ones_like: _constant_like(np.ones_like),
    np.allclose: _constant_like(np.allclose), np.isclose: _constant_like(np.isclose),
    np.array_equal: _constant_like(np.array_equal),
}


def handle_function(func, args, kwargs):
    handler = _FUNCTIONS.get(func)
    if handler is None:
        raise TypeError(
            f"np.{func.__name__} is not differentiable by autograd_nb; use the ag.* function "
            f"if there is one, or t.numpy() to compute on the values outside the graph"
        )
    return handler(*args, **kwargs)
