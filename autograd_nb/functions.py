"""The ``ag.`` functions (``ag.exp(x)``, ``ag.sum(x, axis=0)``...), with NumPy's argument names.

Each primitive or composite that names a ``function`` in its registration gets one here, made
from its forward's signature by ``function_of``: nothing is listed twice. Below them, the two
functions that take a sequence of tensors (``stack``, ``concatenate``).
Each accepts tensors or anything ``np.asarray`` takes.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable

import numpy as np

from .apply import apply
from .primitives import Primitive
from .primitives import shaping as sh
from .primitives.registry import Composite, on_register
from .tensor import Tensor, got

__all__ = ["function_of", "PUBLIC", "stack", "concatenate"]


def function_of(prim: Primitive, name: str) -> Callable:
    """The public function of ``prim``: its inputs, then its parameters by position or name.

    ``ag.sum(x, 0)`` and ``ag.sum(x, axis=0)`` both run ``apply(sum, (x,), (0, False))``.
    A composite's function is its own body.
    """
    if isinstance(prim, Composite):
        return _tensor_results(prim.fn)
    signature = inspect.signature(prim.forward)
    parameters = list(signature.parameters.values())
    nin = prim.nin
    defaults = tuple(p.default for p in parameters[nin:])
    required = nin + len([d for d in defaults if d is inspect.Parameter.empty])
    total = len(parameters)

    if total == nin:  # no parameters: the inputs go straight to apply

        def function(*inputs):
            return apply(prim, inputs)

    else:

        def function(*args, **kwargs):
            if kwargs or not required <= len(args) <= total:
                bound = signature.bind(*args, **kwargs)  # its TypeError names the wrong argument
                bound.apply_defaults()
                args = bound.args
            elif len(args) < total:
                args = args + defaults[len(args) - nin:]
            return apply(prim, args[:nin], args[nin:])

    function.__name__ = function.__qualname__ = name
    function.__doc__ = prim.forward.__doc__
    function.__signature__ = signature
    function.__module__ = "autograd_nb"
    return function


def _tensor_results(fn: Callable) -> Callable:
    """A composite as an ``ag.`` function: given plain arrays, its array result becomes a
    tensor too, as every ``ag.`` function's does."""

    @functools.wraps(fn)
    def function(*args, **kwargs):
        out = fn(*args, **kwargs)
        if isinstance(out, (np.ndarray, np.generic)):
            return Tensor._wrap(np.asarray(out), None)
        return out

    function.__module__ = "autograd_nb"
    return function


PUBLIC: dict[str, Callable] = {}  # name -> the ag. function, for every registration naming one


def _add_function(prim: Primitive) -> None:
    if prim.function:
        PUBLIC[prim.function] = function_of(prim, prim.function)


on_register(_add_function)
globals().update(PUBLIC)


def concatenate(arrays, axis: int = 0) -> Tensor:
    """Join a sequence of tensors along an existing axis (``axis=None``: flattened first)."""
    return apply(sh.concatenate, _sequence(arrays, "concatenate"), (axis,))


def stack(arrays, axis: int = 0) -> Tensor:
    """Join a sequence of same-shaped tensors along a new axis."""
    return apply(sh.stack, _sequence(arrays, "stack"), (axis,))


def _sequence(arrays, who: str) -> tuple:
    if isinstance(arrays, (str, bytes)) or not isinstance(arrays, Iterable):
        raise TypeError(f"{who}: arrays must be a list or tuple of tensors or arrays, got "
                        f"{got(arrays)}")
    if isinstance(arrays, (Tensor, np.ndarray)):
        return tuple(arrays[i] for i in range(len(arrays)))
    arrays = tuple(arrays)
    if not arrays:
        raise ValueError(f"{who}: needs at least one array to join")
    return arrays
