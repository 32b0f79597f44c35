"""The registry of primitives: a named forward computation with its derivative rules beside it.

A primitive's rules, for each input ``i``:

- ``vjps[i](g, ans, *args)``: the vector-Jacobian product, ``g · ∂ans/∂args[i]`` (reverse mode);
- ``jvps[i](t, ans, *args)``: the Jacobian-vector product, ``∂ans/∂args[i] · t`` (forward mode).

``args`` are the forward's arguments: the inputs first, then any parameters (axis, shape...).
Rules are ordinary programs written with NumPy operators and functions, so the same rule runs
on arrays (a plain backward pass) and on tensors (``create_graph=True``, or inside another
transformation), where its own operations are recorded and can be differentiated again: that
is what makes every derivative of a derivative right without second-order rules. Rules return
gradients in the broadcast shape; the sweep sums them back to each input's shape in one place
(``unbroadcast``).

A primitive registered with ``saves=True`` also keeps values its VJP would otherwise recompute
(cross-entropy's softmax): its VJP rules receive them as ``saved=`` in a plain backward pass,
and recompute when ``saved`` is ``None`` (a recorded sweep, a forward-mode or picture call).

A registration also names what the primitive stands for — ``numpy`` (NumPy's functions and
ufuncs dispatched to it), ``function`` (the ``ag.`` function), ``method`` (the ``Tensor``
method), ``operator`` — from which ``methods.py``, ``functions.py`` and ``numpy_interop.py``
derive those entries: adding an operation is one block in one file.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial

import numpy as np

from ..apply import apply
from ..errors import MissingRuleError
from ..tensor import Tensor

__all__ = [
    "Primitive", "REGISTRY", "primitive", "defvjp", "defjvp", "unbroadcast", "value_of",
    "on_register", "Composite", "COMPOSITES", "composite",
]

REGISTRY: dict[str, Primitive] = {}
COMPOSITES: dict[str, Composite] = {}  # operations written with primitives (no rules)
_LISTENERS: list[Callable] = []


def on_register(listener: Callable) -> None:
    """Call ``listener(op)`` for every primitive and composite registered so far and from now
    on: how ``methods.py``, ``functions.py`` and ``numpy_interop.py`` derive their entries."""
    _LISTENERS.append(listener)
    for op in [*REGISTRY.values(), *COMPOSITES.values()]:
        listener(op)


def _announce(op) -> None:
    for listener in _LISTENERS:
        listener(op)


class _PerInput:
    """Rules of a primitive with any number of inputs: ``rule(i, g, ans, *args)`` for input ``i``."""

    def __init__(self, rule: Callable) -> None:
        self.rule = rule

    def __getitem__(self, i: int) -> Callable:
        return partial(self.rule, i)

    def __len__(self) -> int:  # any input has a rule
        return 1 << 30


class Primitive:
    """A named operation the engine records: forward, and its VJP and JVP rules per input.

    ``nin`` is the number of inputs (``None``: every positional argument is an input, as for
    a user's primitive or ``concatenate``); ``elementwise`` says the Jacobian is diagonal, so
    ``vjp(ones)`` is the local derivative that pictures show on an edge.
    """

    __slots__ = (
        "name", "forward", "forward_saving", "nin", "elementwise", "vjps", "jvps",
        "numpy", "function", "method", "operator", "__wrapped__", "_positional",
        "vjp_together", "jvp_together",
    )

    def __init__(self, name: str, forward: Callable, nin: int | None, elementwise: bool,
                 forward_saving: Callable | None = None) -> None:
        self.name = name
        self.forward = forward  # the output alone
        self.forward_saving = forward_saving  # (output, saved), for primitives that save
        self.nin = nin
        self.elementwise = elementwise
        self.vjps: tuple | _PerInput = ()
        self.jvps: tuple | _PerInput = ()
        self.vjp_together: Callable | None = None  # every input's VJP in one call (see defvjp)
        self.jvp_together: Callable | None = None  # the JVP of all inputs in one call
        self.numpy: tuple = ()
        self.function: str | None = None
        self.method: str | None = None
        self.operator: str | None = None
        self.__wrapped__ = forward
        self._positional: int | None = None  # the forward's positional parameters (None: *args)  # inspect.signature and getsource find the forward

    def vjp(self, i: int) -> Callable:
        """The VJP rule for input ``i``, or a ``MissingRuleError`` naming the primitive."""
        return _rule(self, self.vjps, i, "VJP (reverse mode)")

    def jvp(self, i: int) -> Callable:
        """The JVP rule for input ``i``, or a ``MissingRuleError`` naming the primitive."""
        return _rule(self, self.jvps, i, "JVP (forward mode)")

    def __call__(self, *args, **kwargs):
        """Apply to arrays (plain NumPy) or to tensors (recorded); rules call this too.
        Parameters left out take the forward's defaults, so the node (and its rules) see
        every argument."""
        if kwargs or len(args) < self._positional_count():
            bound = inspect.signature(self.__wrapped__).bind(*args, **kwargs)
            bound.apply_defaults()
            args = bound.args
        n = len(args) if self.nin is None else self.nin
        if any(isinstance(a, Tensor) for a in args[:n]):
            return apply(self, args[:n], args[n:])
        return self.forward(*args)

    def _positional_count(self) -> int:
        if self._positional is None:
            kinds = [p.kind for p in inspect.signature(self.__wrapped__).parameters.values()]
            variadic = inspect.Parameter.VAR_POSITIONAL in kinds
            self._positional = 0 if variadic else sum(
                k in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                for k in kinds)
        return self._positional

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def _rule(prim: Primitive, rules, i: int, kind: str) -> Callable:
    rule = rules[i] if i < len(rules) else None
    if rule is None:
        raise MissingRuleError(
            f"primitive '{prim.name}' has no {kind} rule for its input {i}; register one with "
            f"ag.{'defvjp' if kind.startswith('VJP') else 'defjvp'}({prim.name}, ...) next to "
            f"its forward, or do not differentiate through input {i}"
        )
    return rule


def primitive(fn: Callable | str | None = None, name: str | None = None, *,
              nin: int | None = None, elementwise: bool = False, saves: bool = False,
              numpy=(), function: str | None = None, method: str | None = None,
              operator: str | None = None):
    """Turn a NumPy function into a recorded operation: ``@ag.primitive`` or
    ``@ag.primitive(name="softplus", elementwise=True)``.

    Its positional arguments are its inputs (tensors, arrays or numbers); give its derivative
    rules with ``ag.defvjp`` and ``ag.defjvp``. With ``saves`` the function returns
    ``(output, saved)`` (see the module's docstring). ``numpy``, ``function``, ``method`` and
    ``operator`` name what the primitive stands for, for the engine's own operations.
    """
    if isinstance(fn, str):  # primitive("exp", ...) as a decorator factory
        fn, name = None, fn

    def register(forward: Callable) -> Primitive:
        label = name or forward.__name__
        taken = REGISTRY.get(label)
        if taken is not None and _is_engines(taken) and not _is_engines_module(forward):
            raise ValueError(
                f"primitive '{label}' is one of the engine's own; give yours another name "
                f"(@ag.primitive(name=...))"
            )
        if saves:
            prim = Primitive(label, lambda *args: forward(*args)[0], nin, elementwise, forward)
        else:
            prim = Primitive(label, forward, nin, elementwise)
        prim.__wrapped__ = forward  # the function as written (also when it saves values)
        prim.numpy = numpy if isinstance(numpy, tuple) else (numpy,)
        prim.function, prim.method, prim.operator = function, method, operator
        REGISTRY[label] = prim  # a notebook cell run again replaces its primitive
        _announce(prim)
        return prim

    return register if fn is None else register(fn)


class Composite:
    """An operation written with primitives (``var`` is a mean of squared deviations): it has
    no rules of its own, its derivative comes from theirs. Like a primitive's registration,
    it names the NumPy functions, ``ag.`` function, method and operator it stands for."""

    def __init__(self, fn: Callable, name: str) -> None:
        self.fn = fn
        self.name = name
        self.numpy: tuple = ()
        self.function: str | None = None
        self.method: str | None = None
        self.operator: str | None = None
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<composite {self.name}>"


def composite(fn: Callable | str | None = None, name: str | None = None, *, numpy=(),
              function: str | None = None, method: str | None = None,
              operator: str | None = None):
    """Register an operation written with primitives: ``@composite("var", numpy=np.var,
    function="var", method="var")`` above a function with NumPy's signature."""
    if isinstance(fn, str):
        fn, name = None, fn

    def register(body: Callable) -> Composite:
        op = Composite(body, name or body.__name__)
        op.numpy = numpy if isinstance(numpy, tuple) else (numpy,)
        op.function, op.method, op.operator = function, method, operator
        COMPOSITES[op.name] = op
        _announce(op)
        return op

    return register if fn is None else register(fn)


def _is_engines_module(forward: Callable) -> bool:
    return forward.__module__.startswith(__package__ + ".")


def _is_engines(prim: Primitive) -> bool:
    """Whether ``prim`` is one of the engine's own primitives (not a user's)."""
    return _is_engines_module(prim.__wrapped__)


def defvjp(prim: Primitive, *rules: Callable | None, per_input: Callable | None = None,
           together: Callable | None = None) -> None:
    """Register the VJP rule of each input, ``rule(g, ans, *args) -> g · ∂ans/∂input``
    (``None`` where the input is not differentiable).

    A primitive with any number of inputs gives ``per_input(i, g, ans, *args)``, or
    ``together(g, ans, *args)`` returning every input's share at once: asked input by input,
    a sweep through n inputs would cost O(n²) (each call unpacks n arguments).
    """
    _check_primitive(prim, "defvjp")
    prim.vjp_together = together
    if together is not None:
        prim.vjps = _PerInput(partial(_one_of, together))
    else:
        prim.vjps = _PerInput(per_input) if per_input is not None else tuple(rules)


def _one_of(together: Callable, i: int, g, ans, *args):
    return together(g, ans, *args)[i]


def defjvp(prim: Primitive, *rules: Callable | None, per_input: Callable | None = None,
           together: Callable | None = None) -> None:
    """Register the JVP rule of each input, ``rule(t, ans, *args) -> ∂ans/∂input · t``
    (``None`` where the input is not differentiable).

    A primitive with any number of inputs gives ``per_input(i, t, ans, *args)``, and may add
    ``together(tangents, ans, *args)``: the output's tangent from every input's tangent at once
    (``None`` where an input has none), which forward mode then uses instead.
    """
    _check_primitive(prim, "defjvp")
    prim.jvp_together = together
    prim.jvps = _PerInput(per_input) if per_input is not None else tuple(rules)


def _check_primitive(prim, who: str) -> None:
    if not isinstance(prim, Primitive):
        raise TypeError(
            f"{who}: {prim!r} is not a primitive; decorate its forward with @ag.primitive first"
        )


def value_of(x) -> np.ndarray:
    """The plain values of ``x``, for masks and conditions inside rules: constants, never
    differentiated (the sign of x in ``abs``'s rule, the positive part in ``relu``'s)."""
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def unbroadcast(g, shape: tuple):
    """Sum ``g`` over the axes that broadcasting added or stretched, giving it ``shape``.

    The one place where broadcasting is undone: ``x + b`` with ``x`` (4, 3) and ``b`` (3,)
    sends each row's gradient to ``b``, so ``b``'s gradient is the sum over rows.
    """
    extra = g.ndim - len(shape)
    if extra > 0:
        g = g.sum(axis=0 if extra == 1 else tuple(range(extra)))
        if g.shape == shape:  # the usual case: a bias added to every row
            return g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g
