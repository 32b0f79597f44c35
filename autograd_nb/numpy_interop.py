"""NumPy calls on tensors: ``np.exp(t)``, ``array * t``, ``np.sum(t, axis=0)`` are recorded.

NumPy hands any call involving a Tensor to ``Tensor.__array_ufunc__`` / ``__array_function__``,
which land here. The tables come from the registry (each primitive names the NumPy functions
it stands for); below them, the few calls that are compositions or read values only. This is
also what lets derivative rules, written in NumPy, run on tensors inside transformations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import functions as F
from .apply import apply
from .primitives.registry import Composite, on_register
from .tensor import Tensor

__all__ = ["handle_ufunc", "handle_function", "UFUNCS", "FUNCTIONS"]


def _values(x):
    return x.data if isinstance(x, Tensor) else x


# NumPy keywords that tensors accept only at their default value (the result is a new tensor
# in the inputs' dtype): anything else is refused rather than ignored.
_IGNORED_AT_DEFAULT = {"dtype": None, "out": None, "subok": True, "order": "C", "where": True}


def _numpy_function(name: str, function: Callable) -> Callable:
    """``np.<name>`` on tensors: the ag function, after NumPy's extra keywords are checked."""

    def call(*args, **kwargs):
        for key in [k for k in kwargs if k in _IGNORED_AT_DEFAULT]:
            value = kwargs.pop(key)
            if value is not _IGNORED_AT_DEFAULT[key] and not (key == "subok" and value is False):
                raise TypeError(
                    f"np.{name}(..., {key}={value!r}) on a tensor: autograd_nb records "
                    f"np.{name} without {key}=; leave it out (cast with .astype on the values, "
                    f"or assign the result)"
                )
        return function(*args, **kwargs)

    return call


UFUNCS: dict[np.ufunc, Callable] = {}  # NumPy ufunc -> what runs it on tensors
FUNCTIONS: dict[Callable, Callable] = {}  # NumPy function -> what runs it on tensors


def _add_dispatch(op) -> None:
    """The NumPy entries of a primitive's (or composite's) registration."""
    for target in op.numpy:
        if isinstance(target, np.ufunc):
            UFUNCS[target] = op.fn if isinstance(op, Composite) else _applying(op)
        else:
            function = F.PUBLIC.get(op.function) or F.function_of(op, target.__name__)
            FUNCTIONS[target] = _numpy_function(target.__name__, function)


def _applying(prim) -> Callable:
    def run(*inputs):
        return apply(prim, inputs)

    return run


on_register(_add_dispatch)

# ufuncs whose result has no useful derivative: computed on the values, outside the graph
_CONSTANT_UFUNCS = {
    np.sign, np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf, np.floor, np.ceil, np.rint, np.logical_and,
    np.logical_or, np.logical_not,
}


def _on_values(func):
    """A NumPy function that only reads values (shapes, comparisons): never recorded."""

    def plain(*args, **kwargs):
        return func(*(_values(a) for a in args), **kwargs)

    return plain


FUNCTIONS.update({
    np.concatenate: _numpy_function("concatenate", F.concatenate),
    np.stack: _numpy_function("stack", F.stack),
})
# Functions that give shapes, positions, counts or tests: computed on the values, never
# recorded. Their results are integers or booleans, which carry no gradient.
VALUE_ONLY = [
    np.shape, np.ndim, np.size, np.result_type, np.zeros_like, np.ones_like, np.empty_like,
    np.full_like, np.allclose, np.isclose, np.array_equal, np.argmax, np.argmin, np.argsort,
    np.argpartition, np.nonzero, np.flatnonzero, np.argwhere, np.count_nonzero,
    np.searchsorted, np.digitize, np.bincount, np.any, np.all, np.isreal, np.iscomplex,
]
FUNCTIONS.update({func: _on_values(func) for func in VALUE_ONLY if func not in FUNCTIONS})


def _numpy_name(func) -> str:
    module = getattr(func, "__module__", None) or "numpy"
    module = "np" + module[len("numpy"):] if module.startswith("numpy") else module
    module = module.replace("._core", "").replace(".core", "")
    if module.startswith("np.") and module.count(".") > 1:
        module = "np"
    return f"{module}.{getattr(func, '__name__', repr(func))}"


def handle_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__":
        run = UFUNCS.get(ufunc)
        if run is not None:
            if kwargs:
                return _numpy_function(ufunc.__name__, run)(*inputs, **kwargs)
            return run(*inputs)
        if ufunc in _CONSTANT_UFUNCS:
            return Tensor._wrap(np.asarray(ufunc(*(_values(x) for x in inputs), **kwargs)), None)
    raise TypeError(
        f"np.{ufunc.__name__}{'.' + method if method != '__call__' else ''} is not differentiable "
        f"by autograd_nb; use the ag.* function if there is one, or t.detach() to compute on "
        f"the values outside the graph"
    )


def handle_function(func, args, kwargs):
    handler = FUNCTIONS.get(func)
    if handler is None:
        raise TypeError(
            f"{_numpy_name(func)} is not differentiable by autograd_nb (no rule is registered "
            f"for it); compute on the values outside the graph with t.detach(), or add it: "
            f"wrap a NumPy function with @ag.primitive and give its rules with ag.defvjp / "
            f"ag.defjvp (see 'How the engine works' in the docs)"
        )
    return handler(*args, **kwargs)
