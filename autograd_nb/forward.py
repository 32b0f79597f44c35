"""Forward mode: carry a tangent alongside every value, through each primitive's JVP rule.

``jvp(f, primals, tangents)`` runs ``f`` once; each operation adds ``∂out/∂input · tangent``
over its inputs. One forward pass gives J·v, whatever the number of outputs: the mirror image
of the reverse sweep, which gives vᵀ·J whatever the number of inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import AutogradError
from .grad_mode import is_grad_enabled, pushed, set_grad_enabled
from .tensor import Tensor

__all__ = ["ForwardTrace", "jvp", "ForwardStep", "record_forward"]


class ForwardTrace:
    """The tangents of the tensors computed while it is active (keyed by tensor identity)."""

    def __init__(self, observer=None) -> None:
        self._tangents: dict[int, tuple[Tensor, np.ndarray]] = {}
        self.observer = observer  # told (prim name, input tensors, result, tangent) per step

    def seed(self, x: Tensor, tangent) -> None:
        tangent = np.broadcast_to(np.asarray(tangent, dtype=x.dtype), x.shape)
        self._tangents[id(x)] = (x, tangent)

    def tangent(self, x) -> np.ndarray | None:
        entry = self._tangents.get(id(x)) if isinstance(x, Tensor) else None
        return None if entry is None else entry[1]

    def moved(self, old: Tensor, new: Tensor) -> None:
        """``new`` took ``old``'s value in place (``t += x``, ``t[i] = v``): and its tangent."""
        entry = self._tangents.get(id(old))
        if entry is None:
            self._tangents.pop(id(new), None)
        else:
            self._tangents[id(new)] = (new, entry[1])

    def propagate(self, prim, inputs: tuple, args: tuple, result: Tensor) -> None:
        total = None
        for i, x in enumerate(inputs):
            t = self.tangent(x)
            if t is None:
                continue
            c = prim.jvp(i)(t, result.data, *args)
            total = c if total is None else total + c
        if total is None:
            return
        total = np.asarray(total, dtype=result.dtype)
        if total.shape != result.shape:
            total = np.broadcast_to(total, result.shape)
        self._tangents[id(result)] = (result, total)
        if self.observer is not None:
            self.observer(prim.name, inputs, result, total)

    def __enter__(self) -> ForwardTrace:
        self._context = pushed("forward", self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)


def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), J·tangents)`` in one pass through ``f``.

    ``primals`` and ``tangents`` are sequences of the same length (one tangent per argument,
    each of its argument's shape). Results are arrays (tensors if the primals were tensors).
    """
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: {len(primals)} primals but {len(tangents)} tangents; give one tangent per argument"
        )
    from .transforms import inside_transform

    if inside_transform() and is_grad_enabled():
        raise AutogradError(
            "ag.jvp inside ag.grad/jacobian/hessian (reverse over forward) is not supported: "
            "jvp returns plain values outside the graph, so their derivative would be 0; "
            "differentiate twice in reverse mode instead (ag.grad of ag.grad)"
        )
    as_tensors = any(isinstance(p, Tensor) for p in primals)
    trace = ForwardTrace()
    with trace:
        xs = []
        for p, t in zip(primals, tangents):
            x = Tensor._wrap(_float_array(p), None)
            if np.shape(t) != x.shape:
                raise ValueError(
                    f"jvp: a tangent of shape {np.shape(t)} for a primal of shape {x.shape}; "
                    f"each tangent must have its primal's shape"
                )
            trace.seed(x, t)
            xs.append(x)
        out = f(*xs)
    value = out.data if isinstance(out, Tensor) else np.asarray(out)
    tangent = trace.tangent(out)
    if tangent is None:
        tangent = np.zeros_like(value)
    if as_tensors:
        return Tensor._wrap(value, None), Tensor._wrap(np.array(tangent), None)
    return value, np.array(tangent)


def _float_array(x) -> np.ndarray:
    x = np.asarray(x.data if isinstance(x, Tensor) else x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


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

    def observe(name, inputs, result, total) -> None:
        node = result._node
        terms = []
        for i, x in enumerate(inputs):
            t = trace.tangent(x)
            if t is None or node is None:
                continue
            rule = node.prim.jvp(i)
            c = np.asarray(rule(t, result.data, *node.args))
            local = None
            if node.prim.elementwise or (np.size(t) == 1 and result.data.size == 1):
                local = np.asarray(rule(np.ones_like(t), result.data, *node.args))
            terms.append((i, x._node.index if x._node is not None else None, local, c))
        if node is not None:
            steps.append(ForwardStep("op", node.index, name, np.array(total), tuple(terms)))

    trace.observer = observe
    with set_grad_enabled(True), trace:
        xs = []
        for p, t in zip(primals, tangents):
            x = Tensor(_float_array(p).copy(), requires_grad=True,
                       name=p.name if isinstance(p, Tensor) else None)
            trace.seed(x, t)
            steps.append(ForwardStep("seed", x._node.index, "leaf", np.array(trace.tangent(x))))
            xs.append(x)
        out = f(*xs)
    return out, steps
