"""``np.linalg``: norms, determinants, inverses and solves, factorisations (Cholesky, QR,
eigh, SVD), matrix powers and chained products."""

from __future__ import annotations

import numpy as np  # noqa: F401

from .registry import composite, defjvp, defvjp, primitive, value_of  # noqa: F401

__all__: list[str] = []
