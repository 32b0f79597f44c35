"""Reductions and scans beyond sum and mean: prod, cumsum, cumprod, var, std, average, diff,
trace, ptp."""

from __future__ import annotations

import numpy as np  # noqa: F401

from .registry import composite, defjvp, defvjp, primitive, value_of  # noqa: F401

__all__: list[str] = []
