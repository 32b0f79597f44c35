"""Shapes and assembly: ravel, squeeze, flips, rolls, pads, triangles and diagonals, splits and
stacks, take and sort, and the products (outer, inner, kron, cross, tensordot, einsum)."""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from .arithmetic import matmul, mul
from .registry import composite, defjvp, defvjp, primitive, value_of  # noqa: F401

__all__ = ["dot"]

# ----------------------------------------------------------------------------------------- dot


@composite("dot", numpy=np.dot, function="dot", method="dot")
def dot(x, y):
    """``np.dot`` for 1-D and 2-D operands (inner product, matrix-vector, matrix product)."""
    if np.ndim(x) > 2 or np.ndim(y) > 2:
        raise ShapeError(
            f"dot: operands of shapes {np.shape(x)} and {np.shape(y)}; dot supports 1-D and "
            f"2-D operands, use matmul (@) for stacks of matrices"
        )
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return mul(x, y)
    return matmul(x, y)
