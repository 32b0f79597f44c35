"""Running one operation: the primitive's NumPy forward, then a ``Node`` for the result when an
input requires a gradient and recording is on. That is all a forward pass does; gradients come
from the reverse sweep in ``backward.py``.

``apply`` is the general entry; ``_binary`` and ``_unary`` are the same steps without the loop,
for the operators a training loop runs most. ``Tensor`` is filled in by ``tensor.py``.
"""

from __future__ import annotations

import numpy as np

from .errors import AutogradError, ShapeError, describe
from .grad_mode import HOOKS, state
from .node import Node, _epoch
from .primitives.registry import Primitive

__all__ = ["apply"]

Tensor: type = type(None)  # autograd_nb.tensor.Tensor, bound when tensor.py is imported
_new = object.__new__

_ndarray = np.ndarray


def _constant(x):
    """An operand that needs no gradient: Python numbers stay as they are (so a float32 tensor
    times 2.0 stays float32, as in NumPy), anything else becomes an array."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    return np.asarray(x)


def apply(prim: Primitive, inputs: tuple, params: tuple = ()) -> Tensor:
    """Run ``prim`` on ``inputs`` (tensors or array-likes) with ``params``; record it if needed."""
    arrays = []
    parents = []
    tracked = False
    for x in inputs:
        if isinstance(x, Tensor):
            arrays.append(x.data)
            node = x._node
            parents.append(node)
            tracked = tracked or node is not None
        else:
            arrays.append(_constant(x))
            parents.append(None)
    args = (*arrays, *params)
    saved = None
    try:
        if prim.forward_saving is None:
            out = prim.forward(*args)
        else:
            out, saved = prim.forward_saving(*args)
    except Exception as err:
        raise _forward_error(prim, arrays, err) from err
    if type(out) is not _ndarray:
        out = np.asarray(out)
    mode = state.mode
    if mode == HOOKS:
        return _apply_hooked(prim, inputs, args, tuple(parents), out, tracked)
    result = _new(Tensor)
    result.data = out
    result._name = None
    result._version = 0
    if tracked and mode:
        result._node = node = Node(prim, tuple(parents), args, out, inputs, _epoch[0])
        node.saved = saved
    else:
        result._node = None
    return result


def _binary(prim: Primitive, x: Tensor, y) -> Tensor:
    """``apply`` for a two-input primitive whose first operand is a Tensor: the hot path of
    ``+ - * /`` in a training loop, so it skips the generic loop."""
    xd = x.data
    xn = x._node
    if isinstance(y, Tensor):
        yd = y.data
        yn = y._node
    else:
        yd = y = _constant(y)
        yn = None
    try:
        out = prim.forward(xd, yd)
    except Exception as err:
        raise _forward_error(prim, (xd, yd), err) from err
    if type(out) is not _ndarray:
        out = np.asarray(out)
    mode = state.mode
    if mode == HOOKS:
        return _apply_hooked(prim, (x, y), (xd, yd), (xn, yn), out, xn is not None or yn is not None)
    result = _new(Tensor)
    result.data = out
    result._name = None
    result._version = 0
    if mode and (xn is not None or yn is not None):
        result._node = Node(prim, (xn, yn), (xd, yd), out, (x, y), _epoch[0])
    else:
        result._node = None
    return result


def _unary(prim: Primitive, x: Tensor) -> Tensor:
    """``apply`` for a one-input primitive without parameters (exp, tanh, relu...)."""
    xd = x.data
    try:
        out = prim.forward(xd)
    except Exception as err:
        raise _forward_error(prim, (xd,), err) from err
    if type(out) is not _ndarray:
        out = np.asarray(out)
    xn = x._node
    mode = state.mode
    if mode == HOOKS:
        return _apply_hooked(prim, (x,), (xd,), (xn,), out, xn is not None)
    result = _new(Tensor)
    result.data = out
    result._name = None
    result._version = 0
    if mode and xn is not None:
        result._node = Node(prim, (xn,), (xd,), out, (x,), _epoch[0])
    else:
        result._node = None
    return result


def _reflected(prim: Primitive, y, x: Tensor) -> Tensor:
    """``y <op> x`` where only ``x`` is a Tensor (``2 * t``, ``1 - t``)."""
    return apply(prim, (_constant(y), x))


def _apply_hooked(prim, inputs, args, parents, out, tracked) -> Tensor:
    """The slow path: anomaly detection, tapes and forward-mode traces are listening."""
    if state.anomaly:
        _check_finite_forward(prim, args[: len(parents)], out)
    node = None
    if tracked and state.grad_enabled:
        node = Node(prim, parents, args, out, tuple(inputs), _epoch[0])
    result = Tensor._wrap(out, node)
    if node is not None:
        for tape in state.tapes:
            tape._record(node, tuple(inputs), result)
    for trace in state.forward:
        trace.propagate(prim, tuple(inputs), args, result)
    return result


def _check_finite_forward(prim, arrays, out) -> None:
    if np.issubdtype(out.dtype, np.inexact) and not np.all(np.isfinite(out)):
        inputs_finite = all(
            not np.issubdtype(np.result_type(a), np.inexact) or np.all(np.isfinite(a))
            for a in arrays
        )
        if inputs_finite:
            bad = "NaN" if np.isnan(out).any() else "inf"
            shapes = ", ".join(describe(np.asarray(a)) for a in arrays)
            raise FloatingPointError(
                f"detect_anomaly: the forward of '{prim.name}' produced {bad} from finite "
                f"inputs ({shapes}); check the values reaching '{prim.name}' (log of <= 0, "
                f"division by zero, overflow in exp...)"
            )


def _forward_error(prim: Primitive, arrays, err: Exception) -> Exception:
    """Rewrite a NumPy error so that it names the operation, the operands' shapes and a fix."""
    shapes = " and ".join(describe(np.asarray(a)) for a in arrays)
    text = str(err)
    if prim.name == "matmul" and ("mismatch" in text or "matmul" in text):
        a, b = (np.shape(a) for a in arrays)
        inner = (a[-1] if a else None, b[-2] if len(b) > 1 else (b[0] if b else None))
        return ShapeError(
            f"matmul (@): shapes {a} and {b} do not fit: the last axis of the left operand "
            f"({inner[0]}) must equal the {'first' if len(b) < 2 else 'second-to-last'} axis of "
            f"the right one ({inner[1]}); transpose one operand (.T) or fix the layer sizes"
        )
    if "broadcast" in text:
        return ShapeError(
            f"{prim.name}: cannot broadcast shapes {shapes}: NumPy broadcasting needs each "
            f"axis, counted from the right, to be equal or 1; reshape one operand "
            f"(e.g. x.reshape(-1, 1)) so the axes line up"
        )
    kind = type(err) if isinstance(err, (ValueError, TypeError, IndexError)) else AutogradError
    return kind(f"{prim.name} on {shapes}: {text}")
