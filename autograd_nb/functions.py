"""The function forms of the operations (``ag.exp(x)``, ``ag.sum(x, axis=0)``...), with NumPy's
argument names. Each accepts tensors or anything ``np.asarray`` takes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .apply import _unary
from .errors import ShapeError
from .primitives import arithmetic as ar
from .primitives import elementwise as el
from .primitives import reductions as rd
from .primitives import shaping as sh
from .tensor import Tensor, apply

__all__ = [
    "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sum", "mean",
    "max", "min", "matmul", "dot", "where", "maximum", "minimum", "clip", "reshape",
    "transpose", "concatenate", "stack", "softmax", "log_softmax", "logsumexp", "broadcast_to",
]


def _elementwise(prim, x) -> Tensor:
    """A one-input primitive on a tensor (the short path a network's activations take) or on
    anything ``np.asarray`` takes."""
    return _unary(prim, x) if isinstance(x, Tensor) else apply(prim, (x,))


def exp(x) -> Tensor:
    """eˣ elementwise; d/dx = eˣ."""
    return _elementwise(el.exp, x)


def log(x) -> Tensor:
    """Natural logarithm elementwise; d/dx = 1/x."""
    return _elementwise(el.log, x)


def sqrt(x) -> Tensor:
    """√x elementwise; d/dx = 1/(2√x)."""
    return _elementwise(el.sqrt, x)


def sin(x) -> Tensor:
    """sin x elementwise; d/dx = cos x."""
    return _elementwise(el.sin, x)


def cos(x) -> Tensor:
    """cos x elementwise; d/dx = -sin x."""
    return _elementwise(el.cos, x)


def tanh(x) -> Tensor:
    """tanh x elementwise; d/dx = 1 - tanh² x."""
    return _elementwise(el.tanh, x)


def sigmoid(x) -> Tensor:
    """σ(x) = 1/(1 + e⁻ˣ) elementwise; d/dx = σ(x)(1 - σ(x))."""
    return _elementwise(el.sigmoid, x)


def relu(x) -> Tensor:
    """max(x, 0) elementwise; d/dx = 1 where x > 0, else 0."""
    return _elementwise(el.relu, x)


def abs(x) -> Tensor:  # noqa: A001 - NumPy's name
    """|x| elementwise; d/dx = sign(x)."""
    return _elementwise(el.absolute, x)


def sum(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over ``axis`` (all axes when ``None``)."""
    return apply(rd.sum_, (x,), (axis, keepdims))


def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis`` (all axes when ``None``)."""
    return apply(rd.mean, (x,), (axis, keepdims))


def max(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Largest element over ``axis``; the gradient goes to the maximal elements (split on ties)."""
    return apply(rd.amax, (x,), (axis, keepdims))


def min(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Smallest element over ``axis``; the gradient goes to the minimal elements."""
    return apply(rd.amin, (x,), (axis, keepdims))


def matmul(x, y) -> Tensor:
    """Matrix product ``x @ y`` with NumPy's rules for 1-D operands and batch axes."""
    return apply(ar.matmul, (x, y))


def dot(x, y) -> Tensor:
    """``np.dot`` for 1-D and 2-D operands (inner product, matrix-vector, matrix product)."""
    if np.ndim(x) > 2 or np.ndim(y) > 2:
        raise ShapeError(
            f"dot: operands of shapes {np.shape(x)} and {np.shape(y)}; dot supports 1-D and "
            f"2-D operands, use matmul (@) for stacks of matrices"
        )
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return apply(ar.mul, (x, y))
    return apply(ar.matmul, (x, y))


def where(condition, x, y) -> Tensor:
    """Elements of ``x`` where ``condition`` is true, else of ``y``; the condition is constant."""
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition, dtype=bool)
    return apply(el.where, (cond, x, y))


def maximum(x, y) -> Tensor:
    """Elementwise larger of ``x`` and ``y``; ties share the gradient equally."""
    return apply(el.maximum, (x, y))


def minimum(x, y) -> Tensor:
    """Elementwise smaller of ``x`` and ``y``; ties share the gradient equally."""
    return apply(el.minimum, (x, y))


def clip(x, a_min=None, a_max=None) -> Tensor:
    """``x`` limited to [a_min, a_max]; the gradient passes only inside the bounds."""
    return apply(el.clip, (x,), (a_min, a_max))


def reshape(x, shape) -> Tensor:
    """The same elements in ``shape`` (one entry may be -1)."""
    return apply(sh.reshape, (x,), (tuple(shape) if isinstance(shape, Sequence) else shape,))


def transpose(x, axes=None) -> Tensor:
    """Axes permuted by ``axes`` (reversed when ``None``)."""
    return apply(sh.transpose, (x,), (None if axes is None else tuple(axes),))


def broadcast_to(x, shape) -> Tensor:
    """``x`` repeated along new or size-1 axes to ``shape``; the gradient is summed back."""
    return apply(sh.broadcast_to, (x,), (tuple(shape),))


def concatenate(arrays, axis: int = 0) -> Tensor:
    """Join a sequence of tensors along an existing axis."""
    return apply(sh.concatenate, tuple(arrays), (axis,))


def stack(arrays, axis: int = 0) -> Tensor:
    """Join a sequence of same-shaped tensors along a new axis."""
    return apply(sh.stack, tuple(arrays), (axis,))


def softmax(x, axis: int = -1) -> Tensor:
    """exp(x) / Σ exp(x) along ``axis`` (stable for large inputs)."""
    return apply(rd.softmax, (x,), (axis,))


def log_softmax(x, axis: int = -1) -> Tensor:
    """x - logsumexp(x) along ``axis``: log-probabilities, stable for large inputs."""
    return apply(rd.log_softmax, (x,), (axis,))


def logsumexp(x, axis=None, keepdims: bool = False) -> Tensor:
    """log Σ exp(x) over ``axis``, shifted by the maximum so it never overflows."""
    return apply(rd.logsumexp, (x,), (axis, keepdims))



