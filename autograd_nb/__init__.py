"""autograd_nb: automatic differentiation you can read, run and watch in Jupyter.

NumPy-backed tensors record every operation on a tape; a reverse sweep over the tape gives
exact gradients. ``autograd_nb.viz`` (loaded on first use) draws the graph and animates the
sweep.
"""

from __future__ import annotations

from . import numpy_interop as _numpy_interop  # noqa: E402,F401  (NumPy calls on tensors)
from .backward import SweepStep
from .errors import (
    AutogradError,
    GradcheckError,
    InplaceError,
    MissingRuleError,
    ReleasedGraphError,
    ShapeError,
)
from .forward import jvp
from .functions import (
    abs,
    broadcast_to,
    clip,
    concatenate,
    cos,
    dot,
    exp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    stack,
    sum,
    tanh,
    transpose,
    where,
)
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck
from .serialization import load, save
from .tape import Record, Tape
from .tensor import Tensor, as_tensor, ones, ones_like, tensor, zeros, zeros_like
from .transforms import grad, hessian, jacobian, value_and_grad, vjp

__version__ = "0.1.0"

__all__ = [
    "Tensor", "tensor", "as_tensor", "zeros", "ones", "zeros_like", "ones_like",
    "Tape", "Record", "SweepStep",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "grad", "value_and_grad", "jacobian", "hessian", "jvp", "vjp", "gradcheck",
    "AutogradError", "ShapeError", "MissingRuleError", "ReleasedGraphError", "InplaceError",
    "GradcheckError",
    "save", "load",
    "abs", "broadcast_to", "clip", "concatenate", "cos", "dot", "exp", "log", "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "relu", "reshape", "sigmoid", "sin", "softmax", "sqrt", "stack", "sum", "tanh", "transpose", "where",
]

_LAZY = {"viz", "nn", "optim", "data"}


def __getattr__(name: str):
    """``ag.viz``, ``ag.nn``, ``ag.optim``, ``ag.data`` load on first use (import stays light)."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'autograd_nb' has no attribute {name!r}")
