"""Reductions and normalisations: sum, mean, max, min, logsumexp, softmax, log_softmax.

A reduction's VJP spreads the incoming gradient back over the reduced axes: ``_expand`` puts
the reduced axes back (as size 1) so that broadcasting does the rest.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .registry import defjvp, defvjp, primitive

__all__ = ["sum_", "mean", "amax", "amin", "logsumexp", "softmax", "log_softmax"]


def _expand(g, ndim: int, axis, keepdims: bool):
    """Give ``g`` (a reduction's result) back its reduced axes, with size 1."""
    if keepdims or axis is None:  # nothing removed, or a scalar that broadcasts anyway
        return g
    shape = list(g.shape)
    for a in sorted(normalize_axis_tuple(axis, ndim)):
        shape.insert(a, 1)
    return g.reshape(tuple(shape))


def _count(x, ans) -> int:
    return max(np.size(x), 1) // max(np.size(ans), 1)


# ----------------------------------------------------------------------------------------- sum


@primitive("sum")
def sum_(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


def sum_vjp(g, ans, x, axis, keepdims):
    return np.broadcast_to(_expand(g, x.ndim, axis, keepdims), x.shape)


def sum_jvp(t, ans, x, axis, keepdims):
    return np.sum(t, axis=axis, keepdims=keepdims)


defvjp(sum_, sum_vjp)
defjvp(sum_, sum_jvp)

# ---------------------------------------------------------------------------------------- mean


@primitive("mean")
def mean(x, axis, keepdims):
    return np.mean(x, axis=axis, keepdims=keepdims)


def mean_vjp(g, ans, x, axis, keepdims):
    return np.broadcast_to(_expand(g / _count(x, ans), x.ndim, axis, keepdims), x.shape)


def mean_jvp(t, ans, x, axis, keepdims):
    return np.mean(t, axis=axis, keepdims=keepdims)


defvjp(mean, mean_vjp)
defjvp(mean, mean_jvp)

# ------------------------------------------------------------------------------------ max, min
# The gradient goes to the elements equal to the result, split evenly among ties.


def _argext_weights(x, ans, axis, keepdims):
    x = np.asarray(x)
    hit = x == _expand(np.asarray(ans), x.ndim, axis, keepdims)
    return (hit / hit.sum(axis=axis, keepdims=True)).astype(x.dtype, copy=False)


@primitive("max")
def amax(x, axis, keepdims):
    return np.max(x, axis=axis, keepdims=keepdims)


def amax_vjp(g, ans, x, axis, keepdims):
    return _expand(g, x.ndim, axis, keepdims) * _argext_weights(x, ans, axis, keepdims)


def amax_jvp(t, ans, x, axis, keepdims):
    return np.sum(t * _argext_weights(x, ans, axis, keepdims), axis=axis, keepdims=keepdims)


defvjp(amax, amax_vjp)
defjvp(amax, amax_jvp)


@primitive("min")
def amin(x, axis, keepdims):
    return np.min(x, axis=axis, keepdims=keepdims)


defvjp(amin, amax_vjp)  # the same rule: weights pick the elements equal to the result
defjvp(amin, amax_jvp)

# ----------------------------------------------------------------------------------- logsumexp
# log Σ exp(x), shifted by the maximum so that exp never overflows.


@primitive("logsumexp")
def logsumexp(x, axis, keepdims):
    x = np.asarray(x)
    m = x.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():  # an axis of all -inf (or an inf): shift by 0 there instead
        m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    out += m
    return out if keepdims else np.squeeze(out, axis=axis)


def logsumexp_vjp(g, ans, x, axis, keepdims):  # the gradient is softmax(x)
    return _expand(g, x.ndim, axis, keepdims) * np.exp(x - _expand(ans, x.ndim, axis, keepdims))


def logsumexp_jvp(t, ans, x, axis, keepdims):
    weights = np.exp(x - _expand(ans, x.ndim, axis, keepdims))
    return np.sum(t * weights, axis=axis, keepdims=keepdims)


defvjp(logsumexp, logsumexp_vjp)
defjvp(logsumexp, logsumexp_jvp)

# ------------------------------------------------------------------------------------- softmax
# One primitive (not exp / sum) so the drawn graph has one readable node.


@primitive("softmax")
def softmax(x, axis):
    x = np.asarray(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def softmax_vjp(g, ans, x, axis):  # J = diag(s) - s sᵀ
    return ans * (g - np.sum(g * ans, axis=axis, keepdims=True))


defvjp(softmax, softmax_vjp)
defjvp(softmax, softmax_vjp)  # J is symmetric, so J·t has the same formula as tᵀ·J

# --------------------------------------------------------------------------------- log_softmax


@primitive("log_softmax")
def log_softmax(x, axis):
    return x - logsumexp.forward(x, axis, True)


def log_softmax_vjp(g, ans, x, axis):
    return g - np.exp(ans) * np.sum(g, axis=axis, keepdims=True)


def log_softmax_jvp(t, ans, x, axis):
    return t - np.sum(np.exp(ans) * t, axis=axis, keepdims=True)


defvjp(log_softmax, log_softmax_vjp)
defjvp(log_softmax, log_softmax_jvp)
