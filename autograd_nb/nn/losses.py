"""Losses with mean reduction, each one fused primitive of ``primitives/losses.py``.

One primitive per loss keeps a drawn training graph readable (one "cross_entropy" node rather
than softmax, log, indexing and mean) and computes the stable form, so logits of ±1000
neither overflow nor give NaN. These functions check and convert the inputs, then ``apply``.
"""

from __future__ import annotations

import numpy as np

from ..apply import apply
from ..errors import ShapeError
from ..primitives import losses as prim
from ..tensor import Tensor, as_values

__all__ = ["mse_loss", "binary_cross_entropy_with_logits", "cross_entropy"]


def _dtype(pred) -> np.dtype:
    dtype = pred.dtype if isinstance(pred, (Tensor, np.ndarray)) else np.result_type(pred)
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


_UNSIGNED = {size: np.dtype(f"u{size}") for size in (1, 2, 4, 8)}


def _class_indices(labels) -> np.ndarray:
    """Targets given as a list, as floats or in a foreign byte order, as a native integer array
    (floats must be whole)."""
    labels = as_values(labels, "cross_entropy: target")
    if labels.dtype.kind not in "iu":
        if labels.size and not np.array_equal(labels, np.round(labels)):
            raise TypeError(
                f"cross_entropy: targets must be integer class indices, got {labels.dtype} "
                f"values such as {labels.flat[0]}; for probabilities use your own loss"
            )
        labels = labels.astype(np.int64)
    return labels.astype(labels.dtype.newbyteorder("="), copy=False)  # e.g. read from a file


def _shape(x) -> tuple:
    return x.shape if isinstance(x, (Tensor, np.ndarray)) else np.shape(x)


def _target(name: str, pred, target):
    """The target in ``pred``'s float dtype (so float32 stays float32), shape-checked; the
    prediction and the target hold numbers (checked before anything else)."""
    if not isinstance(pred, Tensor):
        as_values(pred, f"{name}: prediction")
    if not (isinstance(target, Tensor) and target.requires_grad):  # a constant: plain array
        target = as_values(target, f"{name}: target").astype(_dtype(pred), copy=False)
    if _shape(pred) != target.shape:
        raise ShapeError(
            f"{name}: prediction of shape {_shape(pred)} and target of shape {target.shape} "
            f"differ (broadcasting them would compare every prediction with every target); "
            f"reshape one, e.g. target.reshape{_shape(pred)}"
        )
    return target


def mse_loss(pred, target) -> Tensor:
    """Mean squared error: mean((pred - target)²)."""
    return apply(prim.mse_loss, (pred, _target("mse_loss", pred, target)))


def binary_cross_entropy_with_logits(logits, target) -> Tensor:
    """Binary cross-entropy of sigmoid(logits) against targets in [0, 1], from the logits z:

    mean(max(z, 0) - z·y + log(1 + e^-|z|)) = mean(-y log σ(z) - (1 - y) log(1 - σ(z))).
    """
    return apply(prim.bce_with_logits,
                 (logits, _target("binary_cross_entropy_with_logits", logits, target)))


def cross_entropy(logits, target) -> Tensor:
    """Softmax cross-entropy: mean over samples i of -log softmax(zᵢ)[targetᵢ].

    ``logits`` is (N, C); ``target`` holds N integer class indices in [0, C).
    """
    if not isinstance(logits, Tensor):
        as_values(logits, "cross_entropy: logits")
    labels = target.data if isinstance(target, Tensor) else target
    if type(labels) is not np.ndarray or labels.dtype.kind not in "iu" or not labels.dtype.isnative:
        labels = _class_indices(labels)
    shape = _shape(logits)
    if len(shape) != 2 or labels.shape != shape[:1]:
        raise ShapeError(
            f"cross_entropy: logits of shape {shape} and targets of shape {labels.shape}; "
            f"give logits (N, C) and N integer class indices, e.g. targets of shape "
            f"({shape[0] if shape else 'N'},)"
        )
    # One pass over the labels: read as unsigned, a negative label is larger than any class.
    if labels.size and np.maximum.reduce(labels.view(_UNSIGNED[labels.dtype.itemsize]),
                                         axis=None) >= shape[1]:
        raise IndexError(
            f"cross_entropy: class indices must lie in [0, {shape[1]}) for logits of shape "
            f"{shape}, got values from {labels.min()} to {labels.max()}; give the network "
            f"{labels.max() + 1} outputs or relabel the classes from 0"
        )
    return apply(prim.cross_entropy, (logits, labels))
