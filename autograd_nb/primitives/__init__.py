"""Every primitive of the engine, registered in ``REGISTRY`` by name.

The modules group them: ``arithmetic`` (+ - * / ** @), ``elementwise`` (exp, tanh, relu...),
``ufuncs`` (NumPy's other elementwise functions), ``reductions`` (sum, max, softmax...),
``scans`` (prod, cumsum, var...), ``shaping`` (reshape, indexing...), ``assembly`` (flips,
splits, einsum...), ``linalg`` (np.linalg), ``losses``, ``order_stats`` (median,
quantiles, the reductions that skip NaN). Operations written with primitives are registered as
composites (``COMPOSITES``).
"""

from . import (
    arithmetic,
    assembly,
    elementwise,
    linalg,
    losses,
    order_stats,
    reductions,
    scans,
    shaping,
    ufuncs,
)
from .registry import (
    COMPOSITES,
    REGISTRY,
    Composite,
    Primitive,
    composite,
    defjvp,
    defvjp,
    primitive,
    unbroadcast,
)

__all__ = [
    "REGISTRY", "COMPOSITES", "Primitive", "Composite", "primitive", "composite", "defvjp",
    "defjvp", "unbroadcast", "arithmetic", "elementwise", "ufuncs", "reductions", "scans",
    "shaping", "assembly", "linalg", "losses", "order_stats",
]
