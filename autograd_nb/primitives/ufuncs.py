"""NumPy's other elementwise functions: trigonometry, logarithms and powers, rounding (zero
gradient), remainders, each with its VJP and JVP beside it."""

from __future__ import annotations

import numpy as np  # noqa: F401

from .registry import composite, defjvp, defvjp, primitive, value_of  # noqa: F401

__all__: list[str] = []
