"""Every primitive of the engine, registered in ``REGISTRY`` by name.

The modules group them: ``arithmetic`` (+ - * / ** @), ``elementwise`` (exp, tanh, relu...),
``reductions`` (sum, max, softmax...), ``shaping`` (reshape, indexing...), ``losses``.
"""

from . import arithmetic, elementwise, losses, reductions, shaping
from .registry import REGISTRY, Primitive, defjvp, defvjp, primitive, unbroadcast

__all__ = [
    "REGISTRY", "Primitive", "primitive", "defvjp", "defjvp", "unbroadcast",
    "arithmetic", "elementwise", "reductions", "shaping", "losses",
]
