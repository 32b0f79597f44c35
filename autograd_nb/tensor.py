"""``Tensor``: a NumPy array that remembers, on the tape, the operation that made it.

Every operation goes through ``apply`` (``apply.py``), which runs the primitive's NumPy forward
and records a ``Node`` for the result when a gradient will be needed.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import apply as _apply_module
from .apply import _binary, _forward_error, _reflected, _unary, apply
from .errors import AutogradError, InplaceError, ShapeError
from .grad_mode import state
from .node import Node, bump_epoch, leaf_node, mark_changed
from .primitives import arithmetic as ar
from .primitives import elementwise as el
from .primitives import reductions as rd
from .primitives import shaping as sh
from .primitives.registry import _engine

__all__ = ["Tensor", "tensor", "apply", "as_tensor", "zeros", "ones", "zeros_like", "ones_like"]

_new = object.__new__


class Tensor:
    """An n-dimensional array of numbers that can record how it was computed.

    ``data`` is the NumPy array itself (never a hidden copy). When ``requires_grad`` is set on
    a leaf, every operation using it is recorded, and ``backward()`` fills ``.grad``.
    """

    __slots__ = ("data", "_node", "_name", "_version", "__weakref__")
    __array_priority__ = 1000  # NumPy scalars and arrays defer to Tensor's operators

    def __init__(self, data, requires_grad: bool = False, dtype=None, name: str | None = None):
        self.data = _as_array(data, dtype)
        self._node = None
        self._name = name
        self._version = 0
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _wrap(cls, data: np.ndarray, node: Node | None) -> Tensor:
        """A tensor for ``data`` produced by ``node`` (no checks: used by the engine)."""
        t = _new(cls)
        t.data = data
        t._node = node
        t._name = None
        t._version = 0
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
            if not np.issubdtype(self.data.dtype, np.floating):
                raise AutogradError(
                    f"requires_grad=True needs a floating-point tensor, but this one is "
                    f"{self.data.dtype} with shape {self.data.shape}: only floats have "
                    f"gradients; create it with dtype=np.float64 (or float values)"
                )
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

    @property
    def T(self) -> Tensor:
        return self.transpose()

    # ------------------------------------------------------------------ leaving the graph
    def detach(self) -> Tensor:
        """The same values (sharing memory) outside the graph."""
        return Tensor._wrap(self.data, None)

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (the same memory as ``.data``)."""
        return self.data

    def item(self) -> float:
        """The single value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item(): the tensor has {self.data.size} elements (shape {self.shape}); only one-element tensors convert to a number")
        return self.data.item()

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        return bool(self.data)

    def __len__(self) -> int:
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

    # ------------------------------------------------------------------------ backward
    def backward(self, grad=None, retain_graph: bool = False, create_graph: bool = False) -> None:
        """Reverse sweep from this tensor: add d(self)/d(leaf) to the ``.grad`` of every leaf.

        ``grad`` is the gradient of some scalar with respect to this tensor (the seed); it may
        be left out only when the tensor has one element. ``retain_graph`` keeps the saved
        values for another sweep; ``create_graph`` records the sweep for higher derivatives.
        """
        if self._node is None:
            raise AutogradError(
                f"backward(): this tensor (shape {self.shape}) does not require grad: no input "
                f"of the computation had requires_grad=True, or it ran under no_grad(); create "
                f"the inputs with ag.tensor(..., requires_grad=True)"
            )
        sweep(self._node, seed_for(self, grad, create_graph, "backward()"),
              retain_graph=retain_graph, create_graph=create_graph)

    # ----------------------------------------------------------------------- operators
    def __add__(self, other):
        return _binary(ar.add, self, other)

    def __radd__(self, other):
        return _reflected(ar.add, other, self)

    def __sub__(self, other):
        return _binary(ar.sub, self, other)

    def __rsub__(self, other):
        return _reflected(ar.sub, other, self)

    def __mul__(self, other):
        return _binary(ar.mul, self, other)

    def __rmul__(self, other):
        return _reflected(ar.mul, other, self)

    def __truediv__(self, other):
        return _binary(ar.div, self, other)

    def __rtruediv__(self, other):
        return _reflected(ar.div, other, self)

    def __pow__(self, other):
        return _binary(ar.power, self, other)

    def __rpow__(self, other):
        return _reflected(ar.power, other, self)

    def __matmul__(self, other):
        return _binary(ar.matmul, self, other)

    def __rmatmul__(self, other):
        return _reflected(ar.matmul, other, self)

    def __neg__(self):
        return _unary(ar.neg, self)

    def __pos__(self):
        return self

    def __abs__(self):
        return apply(el.absolute, (self,))

    # comparisons: plain boolean tensors, outside the graph
    def _compare(self, ufunc, other) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        try:
            return Tensor._wrap(np.asarray(ufunc(self.data, other)), None)
        except ValueError as err:
            raise _forward_error(_ComparisonName(ufunc.__name__), (self.data, other), err) from err

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

    # --------------------------------------------------------------------- indexing
    def __getitem__(self, index) -> Tensor:
        return apply(sh.getitem, (self,), (_plain_index(index),))

    def __setitem__(self, index, value) -> None:
        index = _plain_index(index)
        if self._needs_graph(value):
            self._rebind(lambda: apply(sh.setitem, (self, value), (index,)), "t[index] = value")
        else:
            self._modify("setitem", lambda: self.data.__setitem__(index, _plain(value)))

    # -------------------------------------------------------------- in-place arithmetic
    def __iadd__(self, other):
        return self._inplace(ar.add, np.add, other)

    def __isub__(self, other):
        return self._inplace(ar.sub, np.subtract, other)

    def __imul__(self, other):
        return self._inplace(ar.mul, np.multiply, other)

    def __itruediv__(self, other):
        return self._inplace(ar.div, np.true_divide, other)

    def __ipow__(self, other):
        return self._inplace(ar.power, np.power, other)

    def _needs_graph(self, other) -> bool:
        """Whether an in-place change must be recorded (recording on, a gradient involved),
        or must carry a tangent (forward mode is running)."""
        involved = self._node is not None or (isinstance(other, Tensor) and other._node is not None)
        return (involved and state.grad_enabled) or bool(state.forward)

    def _inplace(self, prim, ufunc, other) -> Tensor:
        """``t op= other``: recorded when gradients are involved, else a true in-place update.

        Recorded, the tensor takes the new value and node while the old array stays as saved,
        so ``c += c + 1`` differentiates correctly. Unrecorded (an optimizer under ``no_grad``),
        the array is updated in place and any graph that saved it will refuse to sweep.
        """
        if self._needs_graph(other):
            self._rebind(lambda: _binary(prim, self, other), f"{prim.name} in place")
            return self
        try:  # the optimizers' path: no closures, it runs for every parameter at every step
            ufunc(self.data, _plain(other), out=self.data)
        except (ValueError, TypeError) as err:
            raise self._inplace_error(prim.name, err) from err
        self._changed()
        return self

    def _rebind(self, compute, what: str) -> None:
        """Take the value and node of ``compute()``; a leaf that requires grad is refused before
        anything is computed (or recorded on a tape)."""
        if self._node is not None and self._node.prim is None:
            raise InplaceError(
                f"{what}: this tensor (shape {self.shape}) is a leaf that requires grad; "
                f"changing it in place would lose the value its gradient is taken at; update it "
                f"under `with ag.no_grad():` (as optimizers do) or compute a new tensor instead"
            )
        result = compute()
        self.data = result.data
        self._node = result._node
        if self._node is not None and self._name:
            self._node.name = self._name
        for trace in state.forward:  # forward mode: the new value's tangent comes along
            trace.moved(result, self)

    def _modify(self, op: str, change) -> None:
        try:
            change()
        except (ValueError, TypeError) as err:
            raise self._inplace_error(op, err) from err
        self._changed()

    def _inplace_error(self, op: str, err: Exception) -> Exception:
        # NumPy's own subclasses of these errors take other arguments: raise the base class
        return (ValueError if isinstance(err, ValueError) else TypeError)(
            f"{op} in place on a tensor of shape {self.shape} and dtype {self.dtype}: {err}; "
            f"the result must keep the tensor's shape and dtype, so write t = t {op} x instead"
        )

    def _changed(self, epoch: int | None = None) -> None:
        """Mark the array as changed in place, so graphs that saved it refuse to sweep; ``epoch``
        lets several tensors share one change (an optimizer's step), else a new one is taken."""
        self._version = bump_epoch() if epoch is None else epoch
        mark_changed(self.data, self._version)  # seen through views and detach() too
        node = self._node
        if node is not None and node.prim is not None:  # the value its rules read has changed
            node.changed = self._version

    # ------------------------------------------------------------------ methods
    def sum(self, axis=None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes when ``None``); the gradient is spread back to every summed element."""
        return apply(rd.sum_, (self,), (axis, keepdims))

    def mean(self, axis=None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes when ``None``)."""
        return apply(rd.mean, (self,), (axis, keepdims))

    def max(self, axis=None, keepdims: bool = False) -> Tensor:
        """Largest element over ``axis``; the gradient goes to the maximal elements (split on ties)."""
        return apply(rd.amax, (self,), (axis, keepdims))

    def min(self, axis=None, keepdims: bool = False) -> Tensor:
        """Smallest element over ``axis``; the gradient goes to the minimal elements."""
        return apply(rd.amin, (self,), (axis, keepdims))

    def exp(self) -> Tensor:
        """eˣ elementwise; d/dx = eˣ."""
        return _unary(el.exp, self)

    def log(self) -> Tensor:
        """Natural logarithm elementwise; d/dx = 1/x."""
        return _unary(el.log, self)

    def sqrt(self) -> Tensor:
        """√x elementwise; d/dx = 1/(2√x)."""
        return _unary(el.sqrt, self)

    def sin(self) -> Tensor:
        """sin x elementwise; d/dx = cos x."""
        return _unary(el.sin, self)

    def cos(self) -> Tensor:
        """cos x elementwise; d/dx = -sin x."""
        return _unary(el.cos, self)

    def tanh(self) -> Tensor:
        """tanh x elementwise; d/dx = 1 - tanh² x."""
        return _unary(el.tanh, self)

    def sigmoid(self) -> Tensor:
        """σ(x) = 1/(1 + e⁻ˣ) elementwise; d/dx = σ(x)(1 - σ(x))."""
        return _unary(el.sigmoid, self)

    def relu(self) -> Tensor:
        """max(x, 0) elementwise; d/dx = 1 where x > 0, else 0."""
        return _unary(el.relu, self)

    def abs(self) -> Tensor:
        """Absolute value elementwise; d/dx = sign(x)."""
        return _unary(el.absolute, self)

    def clip(self, lo=None, hi=None) -> Tensor:
        """Values limited to [lo, hi]; the gradient passes only inside the bounds."""
        return apply(el.clip, (self,), (lo, hi))

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x) / Σ exp(x) along ``axis`` (stable for large inputs)."""
        return apply(rd.softmax, (self,), (axis,))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - logsumexp(x) along ``axis``: log-probabilities, stable for large inputs."""
        return apply(rd.log_softmax, (self,), (axis,))

    def logsumexp(self, axis=None, keepdims: bool = False) -> Tensor:
        """log Σ exp(x) over ``axis``, shifted by the maximum so it never overflows."""
        return apply(rd.logsumexp, (self,), (axis, keepdims))

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
        return self.reshape(-1)

    # --------------------------------------------------------------- NumPy protocol
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from .numpy_interop import handle_ufunc

        return handle_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from .numpy_interop import handle_function

        return handle_function(func, args, kwargs)


class _ComparisonName:
    """Stands in for a primitive in error messages about comparisons (which are not recorded)."""

    def __init__(self, name: str) -> None:
        self.name = name


def _plain(x):
    return x.data if isinstance(x, Tensor) else x


def _plain_index(index):
    """An index with any tensors in it replaced by their arrays (indexes are never differentiated)."""
    if isinstance(index, tuple):
        return tuple(_plain(i) for i in index)
    return _plain(index)


def _as_array(data, dtype) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return array
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    raise TypeError(
        f"tensor(): cannot make a tensor from {array.dtype} data (shape {array.shape}); "
        f"give numbers (float, int or bool) or pass dtype="
    )


def tensor(data, requires_grad: bool = False, dtype=None, name: str | None = None) -> Tensor:
    """A new leaf tensor from anything ``np.asarray`` takes.

    float64 unless ``data`` is already a floating-point array or ``dtype`` is given.
    ``requires_grad=True`` makes every operation on it recorded, for ``backward()``.
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def as_tensor(x) -> Tensor:
    """``x`` itself if it is a Tensor, else a constant tensor (no gradient) holding it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def zeros(shape, dtype=np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros(shape, dtype=dtype), requires_grad=requires_grad)


def ones(shape, dtype=np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(shape, dtype=dtype), requires_grad=requires_grad)


def zeros_like(t, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(_plain(t)), requires_grad=requires_grad)


def ones_like(t, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(_plain(t)), requires_grad=requires_grad)


_apply_module.Tensor = Tensor
# The sweep needs Tensor, so it is imported once Tensor exists (not inside backward(): that
# import statement would run at every call).
from .backward import seed_for, sweep  # noqa: E402

_engine.Tensor = Tensor
_engine.apply = staticmethod(apply)
