"""What a ``Tensor`` can do: its operators, its NumPy-named methods, NumPy's protocol and
``backward()``, attached to the class from the registry of primitives.

A primitive registered with ``operator="+"`` gives ``__add__`` and ``__radd__``; one with
``method="exp"`` gives ``t.exp()`` (the same function as ``ag.exp``). Written out below are
only the methods that are not one primitive: ``reshape(*shape)``, ``T``, indexing, in-place
arithmetic and ``backward``.
"""

from __future__ import annotations

import numpy as np

from . import numpy_interop
from .apply import apply
from .backward import seed_for, sweep
from .errors import AutogradError, DtypeError, InplaceError, ShapeError
from .functions import PUBLIC, function_of
from .grad_mode import state
from .primitives import arithmetic as ar
from .primitives import shaping as sh
from .primitives.registry import Composite, on_register
from .tensor import Tensor, as_values

__all__ = ["attach"]

# operator symbol -> (method, reflected method or None)
_OPERATORS = {
    "+": ("__add__", "__radd__"), "-": ("__sub__", "__rsub__"), "*": ("__mul__", "__rmul__"),
    "/": ("__truediv__", "__rtruediv__"), "**": ("__pow__", "__rpow__"),
    "@": ("__matmul__", "__rmatmul__"), "%": ("__mod__", "__rmod__"),
    "//": ("__floordiv__", "__rfloordiv__"), "unary -": ("__neg__", None),
    "abs": ("__abs__", None),
}


def _binary(op):
    if isinstance(op, Composite):
        return (lambda self, other: op.fn(self, other)), (lambda self, other: op.fn(other, self))

    def method(self, other):
        return apply(op, (self, other))

    def reflected(self, other):
        return apply(op, (other, self))

    return method, reflected


def _unary(op):
    if isinstance(op, Composite):
        return lambda self: op.fn(self)

    def method(self):
        return apply(op, (self,))

    return method


# --------------------------------------------------------------------------- shape methods


def reshape(self, *shape) -> Tensor:
    """The same elements in a new shape (``t.reshape(2, 3)`` or ``t.reshape((2, 3))``)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return apply(sh.reshape, (self,), (shape,))


def transpose(self, *axes) -> Tensor:
    """Axes permuted (reversed when none are given), as ``np.transpose``."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return apply(sh.transpose, (self,), (axes or None,))


def flatten(self) -> Tensor:
    """The elements as one axis."""
    return reshape(self, -1)


def astype(self, dtype, copy: bool = True) -> Tensor:
    """The values in ``dtype``: to a floating-point dtype the conversion is recorded (the
    gradient goes back in the tensor's own precision); to an integer or boolean dtype the
    result is values only, outside the graph (integers carry no gradient)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return apply(sh.astype, (self,), (dtype,))
    return Tensor._wrap(self.data.astype(dtype, copy=copy), None)


def _values_method(func):
    """A method that reads values only (``t.argmax()``): its result carries no gradient."""

    def method(self, *args, **kwargs):
        return func(self.data, *args, **kwargs)

    method.__name__ = func.__name__
    method.__doc__ = f"``np.{func.__name__}`` of the values: integers or booleans, no gradient."
    return method


def _plain_index(index):
    """An index with any tensors in it replaced by their arrays (indexes are never differentiated)."""
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index.data if isinstance(index, Tensor) else index


def getitem(self, index) -> Tensor:
    return apply(sh.getitem, (self,), (_plain_index(index),))


# ---------------------------------------------------------------------------- in place


def _needs_graph(self, other) -> bool:
    """Whether an in-place change must be recorded: recording is on and a gradient (or a
    forward-mode tangent, which lives on the node) is involved."""
    involved = self._node is not None or (isinstance(other, Tensor) and other._node is not None)
    return involved and state.grad_enabled


# An in-place change happens whole, or not at all: the other operand is checked first (numbers
# only, real unless the tensor is complex, a shape that broadcasts to the tensor's own without
# changing it), and only then is anything computed or written. The tensor keeps its shape and
# its dtype (a float64 operand is rounded into a float32 tensor, as NumPy and PyTorch do).


def _operand(self, other, what: str):
    """``other`` checked for an in-place change of ``self``: a tensor as it is, a Python number
    as it is, anything else as an array of numbers."""
    if isinstance(other, Tensor):
        values = other.data
    elif isinstance(other, (int, float)) and not isinstance(other, bool):
        return other
    else:
        values = other = as_values(other, f"{what}: the value", complex_ok=True)
    if values.dtype.kind == "c" and self.dtype.kind != "c":
        raise DtypeError(
            f"{what}: the value is complex ({values.dtype}) but the tensor is {self.dtype}; "
            f"NumPy would drop the imaginary part; keep real and imaginary parts as two tensors"
        )
    return other


def _check_shape(self, other, what: str) -> None:
    """The in-place result must have the tensor's own shape."""
    shape = np.shape(other.data if isinstance(other, Tensor) else other)
    try:
        result = np.broadcast_shapes(self.shape, shape)
    except ValueError:
        result = None
    if result != self.shape:
        raise ShapeError(
            f"{what}: the tensor has shape {self.shape} and the value shape {shape}, which "
            + ("do not broadcast" if result is None else f"would give shape {result}")
            + "; an in-place change keeps the tensor's shape, so write t = t op x instead"
        )


def _check_kept_dtype(self, other, what: str) -> None:
    """A recorded in-place change keeps a floating-point tensor floating-point."""
    values = other.data if isinstance(other, Tensor) else other
    result = np.result_type(self.data, values)
    if self.dtype.kind != "f" or result.kind != "f":
        raise DtypeError(
            f"{what}: the tensor is {self.dtype} and the value {np.result_type(values)}; "
            f"a change recorded for gradients needs a floating-point tensor and real values"
        )


def _rebind(self, compute, what: str) -> None:
    """Take the value and node of ``compute()``, in the tensor's own dtype; a leaf that requires
    grad is refused before anything is computed. The old array stays as the graph saved it,
    so ``c += c + 1`` differentiates correctly."""
    if self._node is not None and self._node.prim is None:
        raise InplaceError(
            f"{what}: this tensor (shape {self.shape}) is a leaf that requires grad; "
            f"changing it in place would lose the value its gradient is taken at; update it "
            f"under `with ag.no_grad():` (as optimizers do) or compute a new tensor instead"
        )
    result = compute()
    if result.dtype != self.dtype:  # float64 into float32: rounded, and the rounding recorded
        result = apply(sh.astype, (result,), (self.dtype,))
    self.data = result.data
    self._node = result._node
    if self._node is not None and self._name:
        self._node.name = self._name


def _inplace_error(self, op: str, err: Exception) -> Exception:
    # NumPy's own subclasses of these errors take other arguments: raise the base class
    return (ValueError if isinstance(err, ValueError) else TypeError)(
        f"{op} in place on a tensor of shape {self.shape} and dtype {self.dtype}: {err}; "
        f"the result must keep the tensor's shape and dtype, so write t = t {op} x instead"
    )


def _inplace(prim, ufunc):
    """``t op= other``: recorded when gradients are involved, else a true in-place update
    (an optimizer under ``no_grad``), after which any graph that saved the array refuses to
    sweep."""
    what = f"{prim.name} in place"

    def method(self, other):
        other = _operand(self, other, what)
        _check_shape(self, other, what)
        if _needs_graph(self, other):
            _check_kept_dtype(self, other, what)
            _rebind(self, lambda: apply(prim, (self, other)), what)
            return self
        try:
            ufunc(self.data, other.data if isinstance(other, Tensor) else other, out=self.data)
        except (ValueError, TypeError) as err:  # refused before any element is written
            raise _inplace_error(self, prim.name, err) from err
        self._changed()
        return self

    return method


def setitem(self, index, value) -> None:
    index = _plain_index(index)
    what = "t[index] = value"
    value = _operand(self, value, what)  # all of it checked before any element is written
    if _needs_graph(self, value):
        _check_kept_dtype(self, value, what)
        _rebind(self, lambda: apply(sh.setitem, (self, value), (index,)), what)
        return
    try:
        self.data[index] = value.data if isinstance(value, Tensor) else value
    except (ValueError, TypeError) as err:
        raise _inplace_error(self, "setitem", err) from err
    except IndexError as err:  # the index does not fit the tensor: as for a list, IndexError
        raise IndexError(f"t[index] = value on a tensor of shape {self.shape}: {err}") from err
    self._changed()


# ---------------------------------------------------------------------------- backward


def backward(self, grad=None, retain_graph: bool = False, create_graph: bool = False) -> None:
    """Reverse sweep from this tensor: add d(self)/d(leaf) to the ``.grad`` of every leaf.

    ``grad`` is the gradient of some scalar with respect to this tensor (the seed); it may
    be left out only when the tensor has one element. ``retain_graph`` keeps the saved
    values for another sweep; ``create_graph`` records the sweep for higher derivatives
    (always, inside ``ag.jvp``: the gradient then carries its tangent).
    """
    if self._node is None:
        raise AutogradError(
            f"backward(): this tensor (shape {self.shape}) does not require grad: no input "
            f"of the computation had requires_grad=True, or it ran under no_grad(); create "
            f"the inputs with ag.tensor(..., requires_grad=True)"
        )
    if grad is not None and not isinstance(grad, Tensor):
        grad = as_values(grad, "backward(grad=...)")  # None, strings, objects never become NaN
    if grad is not None and grad.dtype.kind not in "biuf":
        raise DtypeError(f"backward(grad=...): the gradient is {grad.dtype}; it needs real "
                         f"numbers, in the output's dtype {self.dtype}")
    create_graph = create_graph or bool(state.forward)
    sweep(self._node, seed_for(self, grad, create_graph, "backward()"),
          retain_graph=retain_graph, create_graph=create_graph)


# ----------------------------------------------------------------------- NumPy protocol


def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
    return numpy_interop.handle_ufunc(ufunc, method, inputs, kwargs)


def __array_function__(self, func, types, args, kwargs):
    return numpy_interop.handle_function(func, args, kwargs)


def _attach_primitive(prim) -> None:
    """The operators and the method that a primitive's registration names."""
    if prim.operator is not None:
        name, reflected_name = _OPERATORS[prim.operator]
        if reflected_name is None:
            setattr(Tensor, name, _unary(prim))
        else:
            method, reflected = _binary(prim)
            setattr(Tensor, name, method)
            setattr(Tensor, reflected_name, reflected)
    if prim.method is not None:
        setattr(Tensor, prim.method, PUBLIC.get(prim.function) or function_of(prim, prim.method))


def __round__(self, ndigits=None) -> Tensor:
    """``round(t)`` and ``round(t, 2)``: a tensor, as NumPy arrays and PyTorch give (halves to
    even; derivative 0)."""
    return self.round(0 if ndigits is None else ndigits)


def attach() -> None:
    """Give ``Tensor`` its operators and methods from the registry, and the ones above."""
    on_register(_attach_primitive)
    for name, ufunc, prim in [("__iadd__", np.add, ar.add), ("__isub__", np.subtract, ar.sub),
                              ("__imul__", np.multiply, ar.mul),
                              ("__itruediv__", np.true_divide, ar.div),
                              ("__ipow__", np.power, ar.power)]:
        setattr(Tensor, name, _inplace(prim, ufunc))
    Tensor.__pos__ = lambda self: self
    Tensor.__round__ = __round__
    Tensor.astype = astype
    for func in (np.argmax, np.argmin, np.argsort, np.nonzero, np.any, np.all):
        setattr(Tensor, func.__name__, _values_method(func))
    Tensor.reshape = reshape
    Tensor.transpose = transpose
    Tensor.T = property(lambda self: transpose(self), doc="The axes reversed.")
    Tensor.flatten = flatten
    Tensor.ravel = flatten
    Tensor.__getitem__ = getitem
    Tensor.__setitem__ = setitem
    Tensor.backward = backward
    Tensor.__array_ufunc__ = __array_ufunc__
    Tensor.__array_function__ = __array_function__


attach()
