"""Loss primitives, each fused into one node so that a drawn training graph stays readable and
the extreme logits (±1000) never overflow. All use mean reduction."""

from __future__ import annotations

import functools
import math

import numpy as np

from .reductions import logsumexp, softmax
from .registry import defjvp, defvjp, primitive

__all__ = ["mse_loss", "bce_with_logits", "cross_entropy"]

# ------------------------------------------------------------------------------------ mse_loss


@primitive("mse_loss", nin=2)
def mse_loss(pred, target):
    """mean((pred - target)²); ∂/∂pred = 2(pred - target)/n."""
    diff = pred - target
    return np.mean(diff * diff)


def mse_loss_vjp_pred(g, ans, pred, target):
    return g * 2 * (pred - target) / _size(pred, target)


def mse_loss_vjp_target(g, ans, pred, target):
    return -g * 2 * (pred - target) / _size(pred, target)


def mse_loss_jvp_pred(t, ans, pred, target):
    return np.sum(t * 2 * (pred - target)) / _size(pred, target)


def mse_loss_jvp_target(t, ans, pred, target):
    return -np.sum(t * 2 * (pred - target)) / _size(pred, target)


def _size(pred, target) -> int:
    return max(int(np.prod(np.broadcast_shapes(np.shape(pred), np.shape(target)))), 1)


defvjp(mse_loss, mse_loss_vjp_pred, mse_loss_vjp_target)
defjvp(mse_loss, mse_loss_jvp_pred, mse_loss_jvp_target)

# ----------------------------------------------------------------------------- bce_with_logits
# mean(max(z, 0) - z·y + log(1 + exp(-|z|))): the stable form of -y·log σ(z) - (1-y)·log(1-σ(z)).


@primitive("bce_with_logits", nin=2)
def bce_with_logits(z, y):
    """Binary cross-entropy of logits z against targets y, mean; ∂/∂z = (σ(z) - y)/n."""
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def _sigmoid(z):
    return 0.5 * np.tanh(0.5 * z) + 0.5


def bce_with_logits_vjp_z(g, ans, z, y):
    return g * (_sigmoid(z) - y) / _size(z, y)


def bce_with_logits_vjp_y(g, ans, z, y):
    return -g * z / _size(z, y)


def bce_with_logits_jvp_z(t, ans, z, y):
    return np.sum(t * (_sigmoid(z) - y)) / _size(z, y)


def bce_with_logits_jvp_y(t, ans, z, y):
    return -np.sum(t * z) / _size(z, y)


defvjp(bce_with_logits, bce_with_logits_vjp_z, bce_with_logits_vjp_y)
defjvp(bce_with_logits, bce_with_logits_jvp_z, bce_with_logits_jvp_y)

# ------------------------------------------------------------------------------- cross_entropy
# mean over samples of -log softmax(z)[target]; z is (N, C) logits, target (N,) class indices.
# The target is a constant (never differentiated).


@functools.lru_cache(maxsize=8)
def _rows(n: int) -> np.ndarray:
    rows = np.arange(n)
    rows.flags.writeable = False
    return rows


def _picked(z, target):  # the index of z[i, target[i]] for every row i
    return (_rows(len(target)), target)


@primitive("cross_entropy", nin=2, saves=True)
def cross_entropy(z, target):  # mean of logsumexp(z) - z[target], row by row
    """Softmax cross-entropy of logits z (N, C) against class indices, mean; ∂/∂z = (softmax(z) - onehot)/N."""
    z = np.asarray(z)
    shifted = z - np.maximum.reduce(z, axis=-1, keepdims=True)  # exp never overflows
    e = np.exp(shifted)
    sums = np.add.reduce(e, axis=-1, keepdims=True)
    per_sample = np.log(sums[..., 0])
    per_sample -= shifted[_picked(z, target)]
    loss = np.add.reduce(per_sample) / len(target)
    if not math.isfinite(loss):  # an infinite logit: the shift above gave NaN, logsumexp copes
        return (logsumexp.forward(z, -1, False) - z[_picked(z, target)]).mean(), None
    e /= sums
    return loss, e  # saved: softmax(z), which the VJP needs


def _onehot(z, target):
    hot = np.zeros(np.shape(z), dtype=np.result_type(z))
    hot[_picked(z, target)] = 1
    return hot


def cross_entropy_vjp_z(g, ans, z, target, saved=None):  # (softmax(z) - onehot) / N
    if isinstance(z, np.ndarray):  # a plain backward: the one-hot is taken off in place
        scale = g / len(target)
        p = (softmax.forward(z, -1) if saved is None else saved) * scale
        p[_picked(z, target)] -= scale
        return p
    return g * (softmax(z, -1) - _onehot(z, target)) / len(target)


def cross_entropy_jvp_z(t, ans, z, target):
    return np.sum(t * (softmax(z, -1) - _onehot(z, target))) / len(target)


defvjp(cross_entropy, cross_entropy_vjp_z, None)
defjvp(cross_entropy, cross_entropy_jvp_z, None)
