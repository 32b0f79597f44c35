"""The registry of primitives: a named forward computation with its derivative rules beside it.

A primitive's rules, for each array input ``i``:

- ``vjps[i](g, ans, *args)``: the vector-Jacobian product, ``g · ∂ans/∂args[i]`` (reverse mode);
- ``jvps[i](t, ans, *args)``: the Jacobian-vector product, ``∂ans/∂args[i] · t`` (forward mode).

``args`` are the forward's arguments: the arrays first, then any parameters (axis, shape...).
A primitive registered with ``saves=True`` also keeps values its VJP would otherwise recompute
(cross-entropy's softmax): its VJP rules receive them as ``saved=`` in a plain backward pass,
and recompute when ``saved`` is ``None`` (a recorded sweep, a forward-mode or picture call).
Rules are written with NumPy operators and functions, so the same rule runs on arrays (a plain
backward pass) and on tensors (``create_graph=True``, where the rule's own operations are
recorded and can be differentiated again). Rules return gradients in the broadcast shape;
the sweep sums them back to each input's shape in one place (``unbroadcast``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ..errors import MissingRuleError

__all__ = ["Primitive", "REGISTRY", "primitive", "defvjp", "defjvp", "unbroadcast"]

REGISTRY: dict[str, Primitive] = {}


class _engine:
    """``Tensor`` and ``apply``, filled in by ``tensor.py`` (which imports this module)."""

    Tensor: type = type(None)
    apply = None


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

    ``nin`` is the number of array inputs (``None``: any number, as in ``concatenate``);
    ``elementwise`` says the Jacobian is diagonal, so ``vjp(ones)`` is the local derivative
    that pictures show on an edge.
    """

    __slots__ = ("name", "forward", "forward_saving", "nin", "elementwise", "vjps", "jvps")

    def __init__(self, name: str, forward: Callable, nin: int | None, elementwise: bool,
                 forward_saving: Callable | None = None) -> None:
        self.name = name
        self.forward = forward  # the output alone
        self.forward_saving = forward_saving  # (output, saved), for primitives that save
        self.nin = nin
        self.elementwise = elementwise
        self.vjps: tuple | _PerInput = ()
        self.jvps: tuple | _PerInput = ()

    def vjp(self, i: int) -> Callable:
        """The VJP rule for input ``i``, or a ``MissingRuleError`` naming the primitive."""
        return _rule(self, self.vjps, i, "VJP (reverse mode)")

    def jvp(self, i: int) -> Callable:
        """The JVP rule for input ``i``, or a ``MissingRuleError`` naming the primitive."""
        return _rule(self, self.jvps, i, "JVP (forward mode)")

    def __call__(self, *args):
        """Apply to arrays (plain NumPy) or to tensors (recorded); derivative rules call this."""
        n = len(args) if self.nin is None else self.nin
        if any(isinstance(a, _engine.Tensor) for a in args[:n]):
            return _engine.apply(self, args[:n], args[n:])
        return self.forward(*args)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def _rule(prim: Primitive, rules, i: int, kind: str) -> Callable:
    rule = rules[i] if i < len(rules) else None
    if rule is None:
        raise MissingRuleError(
            f"primitive '{prim.name}' has no {kind} rule for its input {i}; register one with "
            f"{'defvjp' if kind.startswith('VJP') else 'defjvp'}({prim.name}, ...) next to its "
            f"forward, or do not differentiate through input {i}"
        )
    return rule


def primitive(name: str, nin: int | None = 1, elementwise: bool = False, saves: bool = False):
    """Decorator: register ``forward`` as the primitive ``name`` and return the Primitive.

    With ``saves`` the function returns ``(output, saved)`` (see the module's docstring).
    """

    def register(forward: Callable) -> Primitive:
        if name in REGISTRY:
            raise ValueError(f"primitive '{name}' is already registered")
        if saves:
            prim = Primitive(name, lambda *args: forward(*args)[0], nin, elementwise, forward)
        else:
            prim = Primitive(name, forward, nin, elementwise)
        REGISTRY[name] = prim
        return prim

    return register


def defvjp(prim: Primitive, *rules: Callable | None, per_input: Callable | None = None) -> None:
    """Register the VJP rule of each input (``None`` where the input is not differentiable)."""
    prim.vjps = _PerInput(per_input) if per_input is not None else tuple(rules)


def defjvp(prim: Primitive, *rules: Callable | None, per_input: Callable | None = None) -> None:
    """Register the JVP rule of each input (``None`` where the input is not differentiable)."""
    prim.jvps = _PerInput(per_input) if per_input is not None else tuple(rules)


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
