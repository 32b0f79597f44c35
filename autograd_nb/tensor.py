"""``Tensor``: a NumPy array that remembers, on the tape, the operation that made it.

This module says what a tensor *is*: its array, its node in the graph, its gradient, and the
ways out of the graph. What you can *do* with one (``+``, ``@``, ``t.sum()``, ``np.exp(t)``,
``backward()``) comes from the registry of primitives and is attached in ``methods.py``;
running one operation and recording it is ``apply.py``.
"""

from __future__ import annotations

import linecache
import os
import sys
from collections.abc import Iterator

import numpy as np

from .errors import AutogradError, DtypeError, ShapeError
from .grad_mode import state
from .node import Node, leaf_node, mark_written, new_epoch

__all__ = [
    "Tensor", "tensor", "as_tensor", "zeros", "ones", "zeros_like", "ones_like",
    "as_values", "real_number", "whole_number", "need_tensor", "got",
]


class Tensor:
    """An n-dimensional array of numbers that can record how it was computed.

    ``data`` is the NumPy array itself (never a hidden copy). When ``requires_grad`` is set on
    a leaf, every operation using it is recorded, and ``backward()`` fills ``.grad``.
    """

    __slots__ = ("data", "_node", "_name", "__weakref__")
    __array_priority__ = 1000  # NumPy scalars and arrays defer to Tensor's operators

    def __init__(self, data, requires_grad: bool = False, dtype=None, name: str | None = None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"tensor(name=...) must be a str or None, got {got(name)}")
        self.data = _as_array(data, dtype)
        self._node = None
        self._name = name
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _wrap(cls, data: np.ndarray, node: Node | None) -> Tensor:
        """A tensor for ``data`` produced by ``node`` (no checks: used by the engine)."""
        t = object.__new__(cls)
        t.data = data
        t._node = node
        t._name = None
        return t

    # ----------------------------------------------------------------------- attributes
    @property
    def requires_grad(self) -> bool:
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value:
            if self._node is not None:
                return
            check_differentiable(self.data, "requires_grad=True")
            self._node = leaf_node(self)
            self._node.name = self._name
        elif self._node is not None:
            if not self._node.is_leaf:
                raise AutogradError(
                    f"requires_grad=False on a tensor computed by '{self._node.op}': only a "
                    f"leaf can stop requiring grad; use .detach() to get a copy outside the graph"
                )
            self._node = None

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor (as in PyTorch)."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True unless the tensor was computed by a recorded operation."""
        return self._node is None or self._node.prim is None

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (a leaf's, or a non-leaf's after ``retain_grad()``)."""
        node = self._node
        return None if node is None else node.grad

    @grad.setter
    def grad(self, value) -> None:
        if self._node is None:
            if value is None:
                return
            raise AutogradError("cannot set .grad on a tensor that does not require grad")
        if value is not None:
            value = value if isinstance(value, Tensor) else Tensor(value, dtype=self.dtype)
            if value.shape != self.shape:
                raise ShapeError(f".grad must have the tensor's shape {self.shape}, got {value.shape}")
        self._node.grad = value

    def retain_grad(self) -> Tensor:
        """Keep this non-leaf tensor's gradient in ``.grad`` after ``backward()``."""
        if self._node is not None:
            self._node.inspected = True
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad`` becomes ``None``)."""
        if self._node is not None:
            self._node.grad = None

    @property
    def name(self) -> str | None:
        """The label drawings and tape tables show for this tensor."""
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value
        if self._node is not None:
            self._node.name = value

    @property
    def op(self) -> str | None:
        """Name of the operation that produced this tensor (``None`` for a leaf)."""
        node = self._node
        return None if node is None or node.prim is None else node.prim.name

    shape = property(lambda self: self.data.shape, doc="The array's shape.")
    ndim = property(lambda self: self.data.ndim, doc="Number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="The array's dtype.")
    size = property(lambda self: self.data.size, doc="Number of elements.")

    # ------------------------------------------------------------------ leaving the graph
    def detach(self) -> Tensor:
        """The same values (sharing memory) outside the graph."""
        return Tensor._wrap(self.data, None)

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (the same memory as ``.data``), outside the graph."""
        return self.data

    def item(self) -> float:
        """The single value of a one-element tensor as a Python number, outside the graph."""
        if self.data.size != 1:
            raise ValueError(f"item(): the tensor has {self.data.size} elements (shape {self.shape}); only one-element tensors convert to a number")
        return self.data.item()

    def __array__(self, dtype=None, copy=None):
        if self._node is not None and state.transforms:
            raise TypeError(_silent_constant_message(
                self, "np.array/np.asarray of it or of a list holding it, np.mean([...]), "
                      "np.r_[...]"))
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __float__(self) -> float:
        if self._node is not None and state.transforms:
            raise TypeError(_silent_constant_message(self, "float() of it (math.*, a[i] = t...)"))
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        return bool(self.data)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor (a single number): it has no axis to count; "
                            "use .item() for its value or .size for its number of elements")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    __hash__ = object.__hash__  # identity, although == compares elementwise

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = []
        if self._name:
            extras.append(f"name={self._name!r}")
        if self.data.dtype not in (np.float64, np.int64, np.bool_):
            extras.append(f"dtype={self.data.dtype}")
        node = self._node
        if node is not None:
            extras.append("requires_grad=True" if node.prim is None else f"grad_fn=<{node.prim.name}>")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ---------------------------------------------------------------------- comparisons
    # Plain boolean tensors, outside the graph (a comparison has no derivative).
    def _compare(self, ufunc, other) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        if ufunc not in (np.equal, np.not_equal) and not isinstance(other, (int, float)):
            # an order needs numbers (== and != keep NumPy's answer: x == None is all False)
            other = as_values(other, f"{ufunc.__name__}: the other operand", complex_ok=True)
        try:
            return Tensor._wrap(np.asarray(ufunc(self.data, other)), None)
        except TypeError:  # == / != with a string: no element is equal to it
            return Tensor._wrap(np.full(self.shape, ufunc is np.not_equal), None)
        except ValueError as err:
            raise ShapeError(
                f"{ufunc.__name__} on {self.shape} and {np.shape(other)}: {err}"
            ) from err

    def __lt__(self, other):
        return self._compare(np.less, other)

    def __le__(self, other):
        return self._compare(np.less_equal, other)

    def __gt__(self, other):
        return self._compare(np.greater, other)

    def __ge__(self, other):
        return self._compare(np.greater_equal, other)

    def __eq__(self, other):
        return self._compare(np.equal, other)

    def __ne__(self, other):
        return self._compare(np.not_equal, other)

    # ------------------------------------------------------------------ in-place changes
    def _changed(self, epoch: int | None = None) -> None:
        """Mark the array as changed in place, so graphs that saved it refuse to sweep; ``epoch``
        lets several tensors share one change (an optimizer's step), else a new one is taken."""
        mark_written(self.data, new_epoch() if epoch is None else epoch)


def _silent_constant_message(t: Tensor, how: str) -> str:
    """Why a traced tensor refuses to become a plain value, naming the user's line."""
    line = ""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
        frame = frame.f_back
    if frame is not None:
        code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
        line = f" in `{code}`" if code else ""
    return (
        f"a tensor of shape {t.shape} that carries a derivative was turned into a plain value"
        f"{line} ({how}); inside ag.grad/jvp/jacobian... that would make it a constant and "
        f"its derivative silently 0. Build arrays of tensors with ag.stack(...) or "
        f"ag.concatenate(...), compute with ag./np. functions on the tensor itself, or take "
        f"its value on purpose with .item(), .detach() or .numpy()"
    )


# frames skipped when naming the user's line: this package's and NumPy's own
_LIBRARY_DIRS = (os.path.dirname(__file__), os.path.dirname(np.__file__))


def check_differentiable(data: np.ndarray, what: str) -> None:
    """Refuse data that cannot carry a derivative: only real floating-point values can."""
    if data.dtype.kind == "f":
        return
    if data.dtype.kind == "c":
        raise DtypeError(
            f"{what}: the values are complex ({data.dtype}, shape {data.shape}); autograd_nb "
            f"differentiates real functions only and never casts a complex value; pass the real "
            f"and imaginary parts as two real inputs (z.real, z.imag)"
        )
    raise DtypeError(
        f"{what}: only floating-point tensors have gradients, but this one is {data.dtype} with "
        f"shape {data.shape}; create it with dtype=np.float64 (or float values)"
    )


def _as_array(data, dtype) -> np.ndarray:
    if isinstance(data, Tensor):
        if data._node is not None and state.transforms:
            raise TypeError(_silent_constant_message(data, "ag.tensor(t) copies its values "
                                                           "into a new leaf"))
        data = data.data
    array = as_values(data, "tensor(data)", dtype=dtype, complex_ok=dtype is not None)
    if dtype is not None or array.dtype.kind == "f":
        return array
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    raise TypeError(
        f"tensor(): cannot make a tensor from {array.dtype} data (shape {array.shape}); "
        f"give real numbers (float, int or bool), or pass dtype= to keep complex values"
    )


# --------------------------------------------------------------------------- input checks
# The one policy for what public functions accept (docs/bad-input.md): every argument is
# checked before any work is done, and a refusal names the argument, what it got and what it
# needs, as a TypeError (wrong kind of value), a ValueError (right kind, wrong value), or one of
# the library's own errors (ShapeError is a ValueError, DtypeError a TypeError).


def got(value) -> str:
    """What a refused argument was, for messages: ``None``, ``str 'abc'``, ``(3,) float64``."""
    if value is None:
        return "None"
    if isinstance(value, (Tensor, np.ndarray)):
        kind = "a tensor" if isinstance(value, Tensor) else "a NumPy array"
        return f"{kind} of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{type(value).__name__} {text}"


_NUMBERS = (int, float, complex, np.number, np.bool_)


def _first_non_number(array: np.ndarray) -> str | None:
    """What the first element of an object array that is not a number is, if one is not."""
    for item in array.flat:
        if not isinstance(item, _NUMBERS):
            return got(item)
    return None


def as_values(data, what: str, dtype=None, complex_ok: bool = False) -> np.ndarray:
    """``data`` as an array of numbers, or a ``TypeError`` / ``ValueError`` naming ``what``.

    Refused: ``None`` (NumPy would make it NaN), strings, objects, ragged nested lists,
    complex values (unless ``complex_ok``) and a ``dtype`` that is not a number type. Nothing
    is converted until ``data`` is known to hold numbers only.
    """
    if data is None:
        raise TypeError(f"{what}: got None; it needs numbers (a number, a list of numbers, "
                        f"a NumPy array or a tensor)")
    if dtype is not None:
        try:
            dtype = np.dtype(dtype)
        except TypeError as err:
            raise TypeError(f"{what}: dtype={dtype!r} is not a NumPy dtype ({err}); give e.g. "
                            f"np.float64 or np.float32") from None
        if dtype.kind not in "biufc":
            raise TypeError(f"{what}: dtype={dtype} is not a number type; give e.g. "
                            f"np.float64 or np.float32")
    if isinstance(data, Tensor):
        data = data.data
    try:
        array = np.asarray(data)
    except ValueError as err:  # ragged nested lists
        raise ShapeError(f"{what}: the nested lists have different lengths ({err}); give "
                         f"a rectangular list of numbers") from None
    kind = array.dtype.kind
    if kind == "O":
        bad = _first_non_number(array)
        raise TypeError(f"{what}: holds {bad} (an object array of shape {array.shape}); "
                        f"it needs numbers only" if bad is not None else
                        f"{what}: an object array of shape {array.shape}; give numbers in a "
                        f"numeric dtype (e.g. np.asarray(x, dtype=np.float64))")
    if kind not in "biufc":
        raise TypeError(f"{what}: got {got(data)} ({array.dtype} values); it needs numbers")
    if kind == "c" and not complex_ok and (dtype is None or dtype.kind != "c"):
        raise DtypeError(f"{what}: the values are complex ({array.dtype}, shape {array.shape}); "
                         f"autograd_nb differentiates real functions only and never drops an "
                         f"imaginary part; pass the real and imaginary parts as two real inputs")
    if dtype is not None and dtype != array.dtype:
        if kind == "c" and dtype.kind != "c":
            raise DtypeError(f"{what}: complex values cannot become {dtype} without losing "
                             f"their imaginary part; pass z.real and z.imag separately")
        array = array.astype(dtype)
    return array


def real_number(value, what: str, *, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite real ``float`` in the given range, or an error naming ``what``."""
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)):
        raise TypeError(f"{what} must be a real number, got {got(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {number}")
    if low is not None and (number < low or (low_open and number == low)):
        raise ValueError(f"{what} must be {'>' if low_open else '>='} {low:g}, got {number:g}")
    if high is not None and (number > high or (high_open and number == high)):
        raise ValueError(f"{what} must be {'<' if high_open else '<='} {high:g}, got {number:g}")
    return number


def whole_number(value, what: str, *, low: int | None = None) -> int:
    """``value`` as an ``int`` (not a bool, not a float) >= ``low``, or an error naming ``what``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an integer, got {got(value)}")
    if low is not None and value < low:
        raise ValueError(f"{what} must be >= {low}, got {value}")
    return int(value)


def need_tensor(value, what: str, fix: str = "") -> Tensor:
    """``value`` itself if it is a ``Tensor``, else a ``TypeError`` naming ``what``."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{what} must be a tensor, got {got(value)}"
                        + (f"; {fix}" if fix else ""))
    return value


def tensor(data, requires_grad: bool = False, dtype=None, name: str | None = None) -> Tensor:
    """A new leaf tensor from anything ``np.asarray`` takes.

    float64 unless ``data`` is already a floating-point array or ``dtype`` is given.
    ``requires_grad=True`` makes every operation on it recorded, for ``backward()``.
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def as_tensor(x) -> Tensor:
    """``x`` itself if it is a Tensor, else a constant tensor (no gradient) holding it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _shape_arg(shape, who: str) -> tuple:
    parts = shape if isinstance(shape, (tuple, list)) else (shape,)
    for n in parts:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
            raise TypeError(f"{who}: shape must be an integer >= 0 or a tuple of them, got "
                            f"{got(shape)}")
    return tuple(int(n) for n in parts)


def zeros(shape, dtype=np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros(_shape_arg(shape, "zeros"), dtype=dtype), requires_grad=requires_grad)


def ones(shape, dtype=np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(_shape_arg(shape, "ones"), dtype=dtype), requires_grad=requires_grad)


def zeros_like(t, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(t.data if isinstance(t, Tensor) else t), requires_grad=requires_grad)


def ones_like(t, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(t.data if isinstance(t, Tensor) else t), requires_grad=requires_grad)
