"""autograd_nb: automatic differentiation you can read, run and watch in Jupyter.

NumPy-backed tensors record every operation on a tape; a reverse sweep over the tape gives
exact gradients. ``autograd_nb.viz`` (loaded on first use) draws the graph and animates the
sweep.
"""

from __future__ import annotations

from . import methods as _methods  # noqa: F401  (Tensor's operators and methods, from the registry)
from .backward import SweepStep, record_sweep
from .check_rule import check_rule
from .errors import (
    AutogradError,
    DtypeError,
    GradcheckError,
    InplaceError,
    MissingRuleError,
    ReleasedGraphError,
    ShapeError,
)
from .forward import jvp, record_forward
from .functions import PUBLIC as _PUBLIC
from .functions import concatenate, stack
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck
from .primitives.registry import defjvp, defvjp, primitive
from .serialization import load, save
from .tape import Record, Tape
from .tensor import Tensor, as_tensor, ones, ones_like, tensor, zeros, zeros_like
from .transforms import grad, hessian, jacobian, value_and_grad, vjp

globals().update(_PUBLIC)  # ag.exp, ag.sum, ag.tanh...: one per registered primitive

__version__ = "0.1.0"

__all__ = [
    "Tensor", "tensor", "as_tensor", "zeros", "ones", "zeros_like", "ones_like",
    "Tape", "Record", "SweepStep", "record_sweep", "record_forward",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "grad", "value_and_grad", "jacobian", "hessian", "jvp", "vjp", "gradcheck", "check_rule",
    "AutogradError", "ShapeError", "MissingRuleError", "ReleasedGraphError", "InplaceError",
    "GradcheckError", "DtypeError",
    "primitive", "defvjp", "defjvp",
    "save", "load",
    "concatenate", "stack", *sorted(_PUBLIC),
]

_LAZY = {"viz", "nn", "optim", "data"}


def __getattr__(name: str):
    """``ag.viz``, ``ag.nn``, ``ag.optim``, ``ag.data`` load on first use (import stays light);
    ``ag.<f>`` for a primitive registered later with ``function="f"``."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name in _PUBLIC:
        return _PUBLIC[name]
    raise AttributeError(f"module 'autograd_nb' has no attribute {name!r}")
