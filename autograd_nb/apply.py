"""Running one operation: the primitive's NumPy forward, then a ``Node`` for the result when an
input requires a gradient and recording is on. That is all a forward pass does; gradients come
from the reverse sweep in ``backward.py``, tangents from the forward-mode traces of
``forward.py``, which listen here (as tapes and anomaly detection do).
"""

from __future__ import annotations

import numpy as np

from .errors import AutogradError, DtypeError, ShapeError, describe
from .grad_mode import state
from .node import Node, _epoch
from .tensor import Tensor, got

__all__ = ["apply", "constant"]


def constant(x):
    """An operand that needs no gradient: Python numbers stay as they are (so a float32 tensor
    times 2.0 stays float32, as in NumPy), anything else becomes an array."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    return np.asarray(x)


def apply(prim, inputs: tuple, params: tuple = ()) -> Tensor:
    """Run ``prim`` on ``inputs`` (tensors or array-likes) with ``params``; record it if needed."""
    arrays = []
    parents = []
    tracked = False  # does any input carry a gradient?
    for x in inputs:
        if isinstance(x, Tensor):
            node = x._node
            arrays.append(x.data)
            parents.append(node)
            tracked = tracked or node is not None
        else:
            a = constant(x)
            if type(a) is np.ndarray and a.dtype.kind not in _NUMBERS:
                _check_operand(prim, len(arrays), x, a)
            arrays.append(a)
            parents.append(None)
    args = (*arrays, *params)
    saved = None
    try:
        if prim.forward_saving is None:
            out = prim.forward(*args)
        else:
            out, saved = prim.forward_saving(*args)
    except Exception as err:
        raise forward_error(prim, arrays, err) from err
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    node = None
    if tracked and state.grad_enabled:
        if out.dtype.kind == "c":
            raise _complex_error(prim, arrays, out)
        node = Node(prim, tuple(parents), args, out, inputs, _epoch[0], saved)
    result = Tensor._wrap(out, node)
    if state.hooks:
        _run_hooks(prim, inputs, args, node, result)
    return result


_NUMBERS = "biufc"  # dtype kinds of numbers: booleans, integers, floats, complex


def _check_operand(prim, position: int, x, array: np.ndarray) -> None:
    """Refuse an operand that holds no numbers (None, strings, objects) before any work: NumPy
    would either fail inside the ufunc or carry Python objects through the computation. A
    user's primitive may take other things as inputs (a mode string): those pass."""
    if not prim.__wrapped__.__module__.startswith(__package__ + "."):
        return
    if array.dtype.kind == "O":
        from .tensor import _first_non_number

        bad = _first_non_number(array)
        what = f"holds {bad}" if bad is not None else "is an object array"
        raise TypeError(
            f"{prim.name}: operand {position} {what} (shape {array.shape}); operations take "
            f"numbers, arrays of numbers or tensors; convert it with "
            f"np.asarray(x, dtype=np.float64)"
        )
    raise TypeError(
        f"{prim.name}: operand {position} is {got(x)} ({array.dtype}); operations take "
        f"numbers, arrays of numbers or tensors"
    )


def _run_hooks(prim, inputs, args, node, result) -> None:
    """Anomaly detection checks the value; tapes record the node; forward-mode traces give the
    result its tangents, outermost level first (a level's rule may use the outer tangents)."""
    if state.anomaly:
        _check_finite_forward(prim, args[: len(inputs)], result.data)
    if node is None:
        return
    for tape in state.tapes:
        tape._record(node, inputs, result)
    for trace in state.forward:
        trace.propagate(node, inputs, result)


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


def _complex_error(prim, arrays, out) -> Exception:
    shapes = " and ".join(describe(np.asarray(a)) for a in arrays)
    return DtypeError(
        f"{prim.name} on {shapes} gives complex values ({out.dtype}) from a tensor that "
        f"carries a derivative; autograd_nb differentiates real functions only and never casts "
        f"a complex value; keep the real and imaginary parts as two real tensors"
    )


def forward_error(prim, arrays, err: Exception) -> Exception:
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
    kind = type(err) if type(err) in (ValueError, TypeError, IndexError) else (
        ValueError if isinstance(err, ValueError) else
        TypeError if isinstance(err, TypeError) else
        IndexError if isinstance(err, IndexError) else AutogradError)
    return kind(f"{prim.name} on {shapes}: {text}")
