"""Forward mode: carry a tangent alongside every value, through each primitive's JVP rule.

``jvp(f, primals, tangents)`` runs ``f`` once; each operation adds ``∂out/∂input · tangent``
over its inputs. One forward pass gives J·v, whatever the number of outputs: the mirror image
of the reverse sweep, which gives vᵀ·J whatever the number of inputs.

Each ``jvp`` call is one level, a ``ForwardTrace``; levels nest (``jvp`` of ``jvp``, ``jvp`` of
``grad``) and never mix. A value's tangent at a level lives on its node (``Node.tangents``),
under that level's trace. When an operation runs, each active level, outermost first, computes
the result's tangent with the JVP rule — a small program on tensors, run while only the levels
*outside* it are listening. So an outer level differentiates what an inner level's rule
computes (that is a second derivative), and no level ever sees its own rules: no perturbation
confusion (Siskind & Pearlmutter, 2005).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .apply import apply
from .errors import DtypeError, ShapeError
from .grad_mode import forward_traces, no_grad, pushed, set_grad_enabled, state, transforming
from .node import depends_on_others
from .primitives.shaping import astype, broadcast_to, identity
from .tensor import Tensor, as_values, check_differentiable

__all__ = [
    "ForwardTrace", "jvp", "ForwardStep", "record_forward", "transform_input", "own_variables",
    "result",
]


class ForwardTrace:
    """One level of forward mode: the tangents it gives to the values it perturbs."""

    def __init__(self, observer=None) -> None:
        self.observer = observer  # told (node, inputs, result, tangent) per step

    def tangent(self, x) -> Tensor | None:
        """The tangent of tensor ``x`` at this level (``None``: not perturbed by it)."""
        node = x._node if isinstance(x, Tensor) else None
        if node is None or node.tangents is None:
            return None
        return node.tangents.get(self)

    def seed(self, x: Tensor, tangent: Tensor) -> None:
        x._node.tangents = {**(x._node.tangents or {}), self: tangent}

    def propagate(self, node, inputs: tuple, result: Tensor) -> None:
        """Give ``result`` (made by ``node`` from ``inputs``) its tangent at this level."""
        tangents = [
            None if p is None or p.tangents is None else p.tangents.get(self)
            for p in node.parents
        ]
        if all(t is None for t in tangents):
            return
        n = len(inputs)
        args = tuple(
            x if isinstance(x, Tensor) and x._node is not None else a
            for x, a in zip(inputs, node.args[:n])
        ) + node.args[n:]
        outer = state.forward[: state.forward.index(self)]
        together = node.prim.jvp_together  # all inputs at once (stack, concatenate)
        with forward_traces(outer):  # this level's rules are seen by the outer levels only
            if together is not None:
                total = together(tangents, result, *args)
            else:
                total = None
                for i, t in enumerate(tangents):
                    if t is not None:
                        c = node.prim.jvp(i)(t, result, *args)
                        total = c if total is None else total + c
            total = _fit(total, result)
        self.seed(result, total)
        if self.observer is not None:
            self.observer(node, inputs, result, total)

    def __enter__(self) -> ForwardTrace:
        self._context = pushed("forward", self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)


def _fit(tangent, like: Tensor) -> Tensor:
    """A rule's result as a tensor of ``like``'s shape and dtype (rules may return scalars)."""
    if not isinstance(tangent, Tensor):
        tangent = Tensor._wrap(np.asarray(tangent), None)
    if tangent.shape != like.shape:
        tangent = broadcast_to(tangent, like.shape)
    if tangent.dtype != like.dtype:
        tangent = astype(tangent, like.dtype)
    return tangent


def transform_input(value, who: str, position: int) -> Tensor:
    """The variable a transformation differentiates with respect to, made from ``value``.

    An outer variable (a tensor with a node) becomes a new node connected to it, so outer
    levels see through while this level differentiates along it alone; anything else becomes
    a fresh leaf. Only real floating-point values are accepted (ints become float64).
    """
    if isinstance(value, Tensor) and value._node is not None:
        return apply(identity, (value,))
    data = value.data if isinstance(value, Tensor) else as_values(
        value, f"{who}: argument {position}", complex_ok=True)
    if data.dtype.kind in "biu":
        data = data.astype(np.float64)
    check_differentiable(data, f"{who}: argument {position}")
    x = Tensor(data)
    x.requires_grad = True
    return x


def _tangent_for(x: Tensor, t, position: int) -> Tensor:
    if not isinstance(t, Tensor):
        data = np.asarray(t)
        if data.dtype.kind == "c" or data.dtype.kind not in "biuf":
            check_differentiable(data, f"jvp: tangent {position}")
        t = Tensor._wrap(data.astype(x.dtype, copy=False), None)
    if t.shape != x.shape:
        if t.size != 1:
            raise ShapeError(
                f"jvp: a tangent of shape {t.shape} for primal {position} of shape {x.shape}; "
                f"each tangent must have its primal's shape"
            )
        t = broadcast_to(t, x.shape)
    if t.dtype != x.dtype:
        t = astype(t, x.dtype)
    return t


def output_tensor(out, who: str, f) -> Tensor:
    """``f``'s result as a tensor, or a clear error when it is not a number or an array."""
    if isinstance(out, Tensor):
        return out
    name = getattr(f, "__name__", "f")
    if isinstance(out, (tuple, list)):
        raise TypeError(
            f"{who}: {name} returned a {type(out).__name__} of {len(out)} values; return one "
            f"tensor (join several with ag.stack, or transform a function per output)"
        )
    if out is None:
        raise TypeError(
            f"{who}: {name} returned None; return the value to differentiate (a tensor or a "
            f"number), e.g. `return loss` at the end of the function"
        )
    data = np.asarray(out)
    if data.dtype.kind in "biu":
        raise DtypeError(
            f"{who}: {name} returned {data.dtype} values (shape {data.shape}); integers and "
            f"booleans (positions, counts, tests such as np.argmax or x > 0) carry no gradient; "
            f"return the floating-point value to differentiate"
        )
    check_differentiable(data, f"{who}: the result of {name}")
    return Tensor._wrap(data, None)


def independent_warning(who: str, f) -> None:
    warnings.warn(
        f"{who}: the output of {getattr(f, '__name__', 'f')} does not depend on the inputs "
        f"being differentiated, so the derivative is 0; if that is unexpected, look for a "
        f"value that left the graph (.detach(), .numpy(), .item(), float())",
        stacklevel=3,
    )


def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), J·tangents)`` in one pass through ``f``.

    ``primals`` and ``tangents`` are sequences of the same length (one tangent per argument,
    each of its argument's shape). Results are arrays, or tensors when a primal or tangent is
    a tensor; inside other transformations they stay differentiable.
    """
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: {len(primals)} primals but {len(tangents)} tangents; give one tangent per argument"
        )
    trace = ForwardTrace()
    with set_grad_enabled(True), transforming():
        xs = [transform_input(p, "jvp", i) for i, p in enumerate(primals)]
        own = own_variables(xs)
        with trace:
            for i, (x, t) in enumerate(zip(xs, tangents)):
                trace.seed(x, _tangent_for(x, t, i))
            out = output_tensor(f(*xs), "jvp", f)
    tangent = trace.tangent(out)
    if tangent is None:
        independent_warning("jvp", f)
        tangent = Tensor._wrap(np.zeros_like(out.data), None)
    as_tensors = any(isinstance(a, Tensor) for a in primals + tangents)
    return result(out, own, as_tensors), result(tangent, own, as_tensors)


def own_variables(xs) -> set:
    """The fresh leaves a transformation made for its arguments (not outer variables)."""
    return {x._node for x in xs if isinstance(x, Tensor) and x._node is not None
            and x._node.prim is None}


def result(t: Tensor, own: set, as_tensor: bool):
    """A transformation's result: still connected to the outside variables it depends on,
    detached from the transformation's own; an array when the caller gave arrays."""
    if t._node is not None and depends_on_others(t._node, own):
        return t
    return Tensor._wrap(t.data, None) if as_tensor else np.array(t.data)


@dataclass(frozen=True)
class ForwardStep:
    """One step of forward mode, as plain data (the mirror of ``backward.SweepStep``).

    kind    "seed": input ``node`` starts with tangent ``tangent``;
            "op": operation ``node`` gets ``tangent``, the sum of ``terms``, one
            ``(position, parent, local, contribution)`` per input that carries a tangent, with
            ``contribution = ∂node/∂input · (that input's tangent)``
    node, parent    tape indexes (``Node.index``), as in ``SweepStep``
    local   ∂node/∂input per element where that is a diagonal or a scalar, else ``None``
    """

    kind: str
    node: int
    op: str
    tangent: np.ndarray
    terms: tuple = ()


def record_forward(f, primals, tangents) -> tuple[Tensor, list[ForwardStep]]:
    """Run ``f`` once in forward mode and record each step, for tables and pictures.

    The primals become leaves that require grad (keeping their names), so the output's graph is
    recorded too and can be drawn with the steps. Returns ``(output, steps)``; the output's
    tangent is the last step's (J·tangents, as ``jvp`` gives).
    """
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(
            f"record_forward: {len(primals)} primals but {len(tangents)} tangents; give one "
            f"tangent per argument"
        )
    steps: list[ForwardStep] = []
    trace = ForwardTrace()

    def observe(node, inputs, result, total) -> None:
        terms = []
        with no_grad():
            for i, x in enumerate(inputs):
                t = trace.tangent(x)
                if t is None:
                    continue
                rule = node.prim.jvp(i)
                c = np.asarray(rule(t.data, result.data, *node.args))
                local = None
                if node.prim.elementwise or (t.size == 1 and result.data.size == 1):
                    local = np.asarray(rule(np.ones_like(t.data), result.data, *node.args))
                terms.append((i, x._node.index, local, c))
        steps.append(ForwardStep("op", node.index, node.prim.name, np.array(total.data),
                                 tuple(terms)))

    trace.observer = observe
    with set_grad_enabled(True), trace:
        xs = []
        for i, (p, t) in enumerate(zip(primals, tangents)):
            x = Tensor(np.array(p.data if isinstance(p, Tensor) else p, dtype=float),
                       requires_grad=True, name=p.name if isinstance(p, Tensor) else None)
            trace.seed(x, _tangent_for(x, t, i))
            steps.append(ForwardStep("seed", x._node.index, "leaf", np.array(trace.tangent(x).data)))
            xs.append(x)
        out = f(*xs)
    return out, steps
