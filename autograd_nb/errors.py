"""The errors the engine raises; each message names the operation, the shapes and the fix."""

from __future__ import annotations

__all__ = [
    "AutogradError",
    "ShapeError",
    "DtypeError",
    "MissingRuleError",
    "ReleasedGraphError",
    "InplaceError",
    "GradcheckError",
]


class AutogradError(RuntimeError):
    """Base class of autograd_nb's own errors."""


class ShapeError(AutogradError, ValueError):
    """Operands whose shapes do not fit the operation (broadcasting, ``@``, reshape...)."""


class DtypeError(AutogradError, TypeError):
    """Values that cannot carry a derivative: integers, booleans, complex numbers, objects."""


class MissingRuleError(AutogradError, NotImplementedError):
    """A primitive has no derivative rule (VJP or JVP) for the input being differentiated."""


class ReleasedGraphError(AutogradError):
    """A second backward pass reached values that the first one released."""


class InplaceError(AutogradError):
    """A value saved for the backward pass was changed in place, or a leaf was modified in place."""


class GradcheckError(AssertionError):
    """Analytic and finite-difference gradients disagree."""


def describe(value: object) -> str:
    """Short description of an operand for error messages: shape and dtype, or the type."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is None:
        return type(value).__name__
    return f"{tuple(shape)} {dtype}"
