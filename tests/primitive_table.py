"""The table that checks every primitive: input makers and one ``Case`` per line.

``tests/test_primitives.py`` holds the engine's core cases and runs every check on them and on
the ``CASES`` of each ``tests/cases_*.py`` module (one per area of NumPy), so adding an
operation adds lines to one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Maker", "Fixed", "Case", "C", "N", "P", "Z", "U", "S", "TIES"]

# ------------------------------------------------------------------------------ input makers


@dataclass(frozen=True)
class Maker:
    """Draws one input of ``shape``: ``kind`` says which values the primitive needs there."""

    kind: str
    shape: tuple

    def __call__(self, rng: np.random.Generator) -> np.ndarray:
        n = int(np.prod(self.shape))
        if self.kind == "normal":
            values = rng.normal(size=n)
        elif self.kind == "positive":  # log, sqrt, the base of a real power
            values = rng.uniform(0.5, 2.0, size=n)
        elif self.kind == "nonzero":  # relu, abs, a divisor: away from the kink / the pole
            values = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.3, 1.5, size=n)
        elif self.kind == "unit":  # probabilities (targets of binary cross-entropy)
            values = rng.uniform(0.0, 1.0, size=n)
        elif self.kind == "spread":  # distinct, at least 0.3 apart and off the clip bounds
            values = rng.permutation(n) * 0.3 - 0.3 * n / 2 + 0.07
        else:
            raise ValueError(self.kind)
        return values.reshape(self.shape)

    def __repr__(self) -> str:
        return "x".join(map(str, self.shape)) or "scalar"


@dataclass(frozen=True)
class Fixed:
    """A fixed input: ties in max/min/maximum, which finite differences split evenly too."""

    values: tuple

    def __call__(self, rng: np.random.Generator) -> np.ndarray:
        return np.array(self.values, dtype=np.float64)

    def __repr__(self) -> str:
        return "ties"


def N(*shape):
    return Maker("normal", shape)


def P(*shape):
    return Maker("positive", shape)


def Z(*shape):
    return Maker("nonzero", shape)


def U(*shape):
    return Maker("unit", shape)


def S(*shape):
    return Maker("spread", shape)


TIES = Fixed(((1.0, 3.0, 3.0), (2.0, 2.0, 0.5)))

# ------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Case:
    op: str  # the name in REGISTRY this case exercises
    fn: Callable
    inputs: tuple
    order2: bool = False

    @property
    def id(self) -> str:
        return f"{self.op}-" + "-".join(map(repr, self.inputs))


def C(op: str, fn: Callable, *inputs, order2: bool = False) -> Case:
    return Case(op, fn, inputs, order2)
