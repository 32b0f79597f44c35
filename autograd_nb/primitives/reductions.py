"""Reductions and normalisations: sum, mean, max, min, logsumexp, softmax, log_softmax.

A reduction's VJP spreads the incoming gradient back over the reduced axes: ``_expand`` puts
the reduced axes back (as size 1) so that broadcasting does the rest.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .registry import defjvp, defvjp, primitive, value_of

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


@primitive("sum", nin=1, numpy=np.sum, function="sum", method="sum")
def sum_(x, axis=None, keepdims=False):
    """Sum over ``axis`` (all axes when ``None``); the gradient is spread back to every summed element."""
    return np.sum(x, axis=axis, keepdims=keepdims)


def sum_vjp(g, ans, x, axis, keepdims):
    return np.broadcast_to(_expand(g, x.ndim, axis, keepdims), x.shape)


def sum_jvp(t, ans, x, axis, keepdims):
    return np.sum(t, axis=axis, keepdims=keepdims)


defvjp(sum_, sum_vjp)
defjvp(sum_, sum_jvp)

# ---------------------------------------------------------------------------------------- mean


@primitive("mean", nin=1, numpy=np.mean, function="mean", method="mean")
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all axes when ``None``); each element gets 1/n of the gradient."""
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
    x = value_of(x)
    hit = x == _expand(value_of(ans), x.ndim, axis, keepdims)
    return (hit / hit.sum(axis=axis, keepdims=True)).astype(x.dtype, copy=False)


@primitive("max", nin=1, numpy=(np.max, np.amax), function="max", method="max")
def amax(x, axis=None, keepdims=False):
    """Largest element over ``axis``; the gradient goes to the maximal elements (split on ties)."""
    return np.max(x, axis=axis, keepdims=keepdims)


def amax_vjp(g, ans, x, axis, keepdims):
    return _expand(g, x.ndim, axis, keepdims) * _argext_weights(x, ans, axis, keepdims)


def amax_jvp(t, ans, x, axis, keepdims):
    return np.sum(t * _argext_weights(x, ans, axis, keepdims), axis=axis, keepdims=keepdims)


defvjp(amax, amax_vjp)
defjvp(amax, amax_jvp)


@primitive("min", nin=1, numpy=(np.min, np.amin), function="min", method="min")
def amin(x, axis=None, keepdims=False):
    """Smallest element over ``axis``; the gradient goes to the minimal elements (split on ties)."""
    return np.min(x, axis=axis, keepdims=keepdims)


defvjp(amin, amax_vjp)  # the same rule: weights pick the elements equal to the result
defjvp(amin, amax_jvp)

# ----------------------------------------------------------------------------------- logsumexp
# log Σ exp(x), shifted by the maximum so that exp never overflows.


@primitive("logsumexp", nin=1, function="logsumexp", method="logsumexp")
def logsumexp(x, axis=None, keepdims=False):
    """log Σ exp(x) over ``axis``, shifted by the maximum so it never overflows."""
    x = np.asarray(x)
    m = x.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():  # an axis of all -inf (or an inf): shift by 0 there instead
        m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    out += m
    return out if keepdims else np.squeeze(out, axis=axis)


# The gradient is softmax(x), computed from x - max (exact) rather than as exp(x - ans): ans is
# rounded to the precision of its own magnitude (1e-3 at 1e4 in float32), and exp would carry
# that error into every weight.


def logsumexp_vjp(g, ans, x, axis, keepdims):
    return _expand(g, np.ndim(x), axis, keepdims) * softmax(x, axis)


def logsumexp_jvp(t, ans, x, axis, keepdims):
    return np.sum(t * softmax(x, axis), axis=axis, keepdims=keepdims)


defvjp(logsumexp, logsumexp_vjp)
defjvp(logsumexp, logsumexp_jvp)

# ------------------------------------------------------------------------------------- softmax
# One primitive (not exp / sum) so the drawn graph has one readable node.


@primitive("softmax", nin=1, function="softmax", method="softmax")
def softmax(x, axis=-1):
    """exp(x) / Σ exp(x) along ``axis`` (stable for large inputs)."""
    e = np.exp(_shifted(x, axis))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def _shifted(x, axis) -> np.ndarray:
    """x - max(x) along ``axis`` (exact in floating point: no rounding of a large sum), so exp
    never overflows; where an axis holds an infinity or only -inf the shift is 0 instead."""
    x = np.asarray(x)
    m = x.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0)
    return x - m


def softmax_vjp(g, ans, x, axis):  # J = diag(s) - s sᵀ
    return ans * (g - np.sum(g * ans, axis=axis, keepdims=True))


defvjp(softmax, softmax_vjp)
defjvp(softmax, softmax_vjp)  # J is symmetric, so J·t has the same formula as tᵀ·J

# --------------------------------------------------------------------------------- log_softmax


@primitive("log_softmax", nin=1, function="log_softmax", method="log_softmax")
def log_softmax(x, axis=-1):
    """x - logsumexp(x) along ``axis``: log-probabilities, stable for large inputs.

    Computed as (x - max) - log Σ exp(x - max): both terms are small, so no digits are lost
    to a large intermediate logsumexp (float32 logits of 1e4 keep float32's accuracy)."""
    shifted = _shifted(x, axis)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# The rules use softmax(x) (from x - max, to a few ulps) rather than exp(ans): ans carries an
# absolute rounding error of its own magnitude, which exp turns into a relative one.


def log_softmax_vjp(g, ans, x, axis):
    return g - softmax(x, axis) * np.sum(g, axis=axis, keepdims=True)


def log_softmax_jvp(t, ans, x, axis):
    return t - np.sum(softmax(x, axis) * t, axis=axis, keepdims=True)


defvjp(log_softmax, log_softmax_vjp)
defjvp(log_softmax, log_softmax_jvp)
