"""The cases of the ufuncs primitives and composites (see tests/primitive_table.py)."""

from __future__ import annotations

CASES: list = []
