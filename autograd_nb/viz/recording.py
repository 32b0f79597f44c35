"""Frames of the chain rule at work, recorded from the engine's own sweeps.

``record_backward(tensor)`` runs the real reverse sweep once (``backward.record_sweep``:
``retain_graph=True``, ``accumulate=False``, an observer) and turns each ``SweepStep`` into one
``Frame``: the node being processed, the edges in play, the equation of the step with its
numbers and the running sum of every node. ``record_forward_mode(f, primals, tangents)`` does
the same for forward mode from ``forward.record_forward``. Frames hold strings, ints and NumPy
arrays only; players and the HTML export read nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..backward import SweepStep, record_sweep
from ..forward import ForwardStep, record_forward
from ..graph import Graph, describe
from ..tables import format_value
from ..tensor import Tensor, as_values, got, need_tensor
from .svg import node_title

__all__ = [
    "Term", "Frame", "History", "Recording", "record_backward", "record_forward_mode",
    "frames_from_sweep", "frames_from_forward", "number",
]

EdgeKey = tuple[int, int, int]  # (src, dst, position), as GraphEdge and the SVG ids


@dataclass(frozen=True)
class Term:
    """One chain term: ``symbol`` (e.g. ``∂d/∂i·∂i/∂a``), its ``numbers`` (``(-1)·10``),
    its ``value``; ``via`` is the node id the chain comes through (reverse: the operation whose
    gradient flows back; forward: the input whose tangent flows in)."""

    via: int
    symbol: str
    numbers: str
    value: np.ndarray


class History:
    """What each step of a sweep writes, in order: the node, its new value (a running sum,
    a final gradient, a tangent) and whether that value is now complete. The frames of a
    recording share it and replay it up to their step, so a recording holds one value per
    step (nodes + steps), never a copy of every value per frame (nodes × steps)."""

    __slots__ = ("writes",)

    def __init__(self) -> None:
        self.writes: list[tuple[int, np.ndarray, bool]] = []

    def write(self, node: int, value, final: bool) -> None:
        self.writes.append((node, np.array(value), final))

    def values_at(self, step: int) -> dict[int, np.ndarray]:
        values = {}
        for node, value, _ in self.writes[: step + 1]:
            values[node] = value
        return values

    def final_at(self, step: int) -> frozenset[int]:
        return frozenset(node for node, _, final in self.writes[: step + 1] if final)


@dataclass(frozen=True)
class Frame:
    """One step of a sweep, as a picture shows it.

    kind        reverse: "visit", "edge", "leaf"; forward: "seed", "op"
    node        the graph node id being processed
    nodes       node ids to highlight (``node`` first; for an edge, then the input it feeds)
    edges       edges to highlight, as ``(src, dst, position)``
    equation    the step as one line with its numbers
    note        what happens, in words
    terms       the chain terms summed so far into the node the step writes to
    history     what every step writes (shared by the frames; read ``value``, ``values``
                and ``final``)
    row         this step as a row of the trace table
    detail      the full values of the step, for tensors
    term        the chain term this step adds (reverse "edge" frames)
    """

    index: int
    kind: str
    node: int
    nodes: tuple[int, ...]
    edges: tuple[EdgeKey, ...]
    equation: str
    note: str
    terms: tuple[Term, ...]
    history: History = field(repr=False, compare=False)
    row: tuple[str, ...] = ()
    detail: str = ""
    term: Term | None = None

    @property
    def value(self) -> np.ndarray:
        """The value this step writes: the running sum of the input an edge feeds, a node's
        complete gradient, or a tangent."""
        return self.history.writes[self.index][1]

    @property
    def values(self) -> dict[int, np.ndarray]:
        """Gradient (reverse) or tangent (forward) of every node reached so far, by id."""
        return self.history.values_at(self.index)

    @property
    def final(self) -> frozenset[int]:
        """Ids of the nodes whose value is complete."""
        return self.history.final_at(self.index)


@dataclass(frozen=True)
class Recording:
    """All frames of one sweep over ``graph``; ``direction`` is "reverse" or "forward"."""

    direction: str
    graph: Graph
    frames: tuple[Frame, ...]
    output: int
    columns: tuple[str, ...]

    @property
    def final_values(self) -> dict[int, np.ndarray]:
        """Gradient (reverse) or tangent (forward) of each node at the end of the sweep."""
        return self.frames[-1].values if self.frames else {}

    def __len__(self) -> int:
        return len(self.frames)


def number(x) -> str:
    """A value in an equation: the number for a scalar, else its shape and norm
    (``[3×2 ‖1.5‖]``)."""
    a = np.asarray(x)
    if a.size == 1:
        return format_value(a)
    return f"[{'×'.join(map(str, a.shape))} ‖{np.linalg.norm(a):.3g}‖]"


def _shape(x) -> str:
    return f"[{'×'.join(map(str, np.shape(x)))}]"


def _factor(x) -> str:
    """``number(x)`` as a factor of a product: negatives in parentheses, ``(-1)·10``."""
    text = number(x)
    return f"({text})" if text.startswith("-") else text


def _full(x) -> str:
    a = np.asarray(x)
    if a.size == 1:
        return format_value(a)
    return np.array2string(a, precision=4, threshold=60, edgeitems=3)


def _sum_line(lhs: str, terms: Sequence[Term], total) -> str:
    if not terms:
        return f"{lhs} = {number(total)}"
    symbols = " + ".join(t.symbol for t in terms)
    numbers = " + ".join(t.numbers for t in terms)
    if len(terms) == 1 and terms[0].numbers == number(total):
        return f"{lhs} = {symbols} = {numbers}"
    return f"{lhs} = {symbols} = {numbers} = {number(total)}"


# ---------------------------------------------------------------- reverse mode


def _chains(node: int, root: int, terms: dict) -> str:
    if node == root:
        return "the seed"
    count = len(terms.get(node, ()))
    return f"{count} chain{'s' if count != 1 else ''} summed"


def record_backward(tensor, grad=None, caller: str = "record_backward") -> Recording:
    """The reverse sweep from ``tensor`` as frames (no ``.grad`` is written)."""
    need_tensor(tensor, f"{caller}: tensor", "pass the output of a computation on tensors "
                                            "that require grad")
    if grad is not None and not isinstance(grad, Tensor):
        grad = as_values(grad, f"{caller}: grad")
    steps = record_sweep(tensor, grad, caller)
    graph = describe(tensor)
    return Recording("reverse", graph, frames_from_sweep(graph, steps),
                     graph.outputs[0], ("#", "step", "numbers", "running sum"))


def frames_from_sweep(graph: Graph, steps: Sequence[SweepStep]) -> tuple[Frame, ...]:
    """One frame per step of the reverse sweep over ``graph`` (steps of ``record_sweep``)."""
    labels = [n.label for n in graph.nodes]
    root = graph.keys[steps[0].node] if steps else 0
    top = labels[root]

    def adj(i: int) -> str:
        return f"∂{top}/∂{labels[i]}"

    history = History()
    terms: dict[int, list[Term]] = {}
    frames: list[Frame] = []
    for index, s in enumerate(steps):
        node = graph.keys[s.node]
        if s.kind == "visit":
            history.write(node, s.grad, final=True)
            if node == root:
                equation = f"{adj(node)} = {number(s.grad)}"
                note = f"the seed: the sweep starts from {top} itself"
            else:
                equation = _sum_line(adj(node), terms.get(node, ()), s.grad)
                count = len(terms.get(node, ()))
                note = (f"every chain from {top} to {labels[node]} is in ({count} term"
                        f"{'s' if count != 1 else ''}); pass {adj(node)} on to "
                        f"{labels[node]}'s inputs")
            frames.append(Frame(
                index, "visit", node, (node,), (), equation, note, tuple(terms.get(node, ())),
                history,
                row=(str(index + 1), f"visit {labels[node]}", _chains(node, root, terms),
                     number(s.grad)),
                detail=f"{adj(node)} =\n{_full(s.grad)}",
            ))
        elif s.kind == "edge":
            parent = graph.keys[s.parent]
            key = (parent, node, s.input)
            local = f"∂{labels[node]}/∂{labels[parent]}"
            if s.local is not None and np.size(s.local) == 1 and np.size(s.grad) == 1:
                numbers = f"{_factor(s.grad)}·{_factor(s.local)}"
            elif s.local is not None:
                numbers = f"{number(s.grad)} ⊙ {number(s.local)}"
                if np.shape(s.contribution) != np.broadcast_shapes(np.shape(s.grad),
                                                                   np.shape(s.local)):
                    # broadcasting copied the input: its copies' terms are added back up
                    numbers = f"({numbers}) summed to {_shape(s.contribution)}"
            else:
                numbers = f"vjp({number(s.grad)})"
            term = Term(node, f"{adj(node)}·{local}", numbers, np.array(s.contribution))
            chain = terms.setdefault(parent, [])
            chain.append(term)
            chain.sort(key=lambda t: t.via)  # terms read in tape order, as the graph does
            history.write(parent, s.total, final=False)
            equation = _sum_line(adj(parent), chain, s.total)
            so_far = "" if s.terms == 1 else f"; {s.terms} chains summed so far"
            note = (f"{adj(parent)} += {term.symbol} = {numbers} = {number(s.contribution)}"
                    f"{so_far}")
            shown = "(not diagonal: the vjp rule)" if s.local is None else _full(s.local)
            frames.append(Frame(
                index, "edge", node, (node, parent), (key,), equation, note, tuple(chain),
                history,
                row=(str(index + 1), f"{adj(parent)} += {term.symbol}",
                     f"{numbers} = {number(s.contribution)}", number(s.total)),
                detail=(f"upstream {adj(node)} =\n{_full(s.grad)}\n"
                        f"local {local} =\n{shown}\n"
                        f"term {term.symbol} =\n{_full(s.contribution)}\n"
                        f"running sum {adj(parent)} =\n{_full(s.total)}"),
                term=term,
            ))
        else:  # leaf
            history.write(node, s.grad, final=True)
            equation = _sum_line(adj(node), terms.get(node, ()), s.grad)
            note = (f"{labels[node]} is an input: {adj(node)} is final and goes to "
                    f"{labels[node]}.grad")
            frames.append(Frame(
                index, "leaf", node, (node,), (), equation, note, tuple(terms.get(node, ())),
                history,
                row=(str(index + 1), f"{labels[node]}.grad = {adj(node)}", "", number(s.grad)),
                detail=f"{labels[node]}.grad =\n{_full(s.grad)}",
            ))
    return tuple(frames)


# ---------------------------------------------------------------- forward mode


def record_forward_mode(f: Callable, primals: Sequence, tangents: Sequence) -> Recording:
    """Forward mode through ``f`` as frames: each input's tangent carried to the output."""
    if not callable(f):
        raise TypeError(f"ForwardPlayer: f must be a function of the primals, got {got(f)}")
    out, steps = record_forward(f, primals, tangents)
    graph = describe(out) if isinstance(out, Tensor) else None
    if graph is None or not graph.outputs:
        raise ValueError(
            f"forward mode: f returned {type(out).__name__} that does not depend on its "
            f"arguments; there is nothing to carry a tangent through (f must compute its "
            f"result from the tensors it receives, with autograd_nb operations)"
        )
    return Recording("forward", graph, frames_from_forward(graph, steps), graph.outputs[0],
                     ("#", "step", "numbers", "tangent"))


def frames_from_forward(graph: Graph, steps: Sequence[ForwardStep]) -> tuple[Frame, ...]:
    """One frame per forward-mode step that lands in ``graph`` (steps of ``record_forward``).

    Tangents are written as differentials: ``dh = ∂h/∂a·da + ∂h/∂b·db``.
    """
    labels = [n.label for n in graph.nodes]
    history = History()
    tangents: dict[int, np.ndarray] = {}
    frames: list[Frame] = []
    for s in steps:
        if s.node not in graph.keys:
            continue  # computed by f but not on the way to the output
        node = graph.keys[s.node]
        index = len(frames)
        history.write(node, s.tangent, final=True)
        tangents[node] = s.tangent
        name = labels[node]
        if s.kind == "seed":
            equation = f"d{name} = {number(s.tangent)}"
            frames.append(Frame(
                index, "seed", node, (node,), (), equation,
                f"the seed: the direction of the jvp gives input {name} the tangent "
                f"{number(s.tangent)}", (), history,
                row=(str(index + 1), f"seed d{name}", "", number(s.tangent)),
                detail=f"d{name} =\n{_full(s.tangent)}",
            ))
            continue
        inputs = graph.nodes[node].inputs
        terms, edges = [], []
        for position, _parent, local, contribution in s.terms:
            src = inputs[position]
            key = (src, node, position)
            partial = f"∂{name}/∂{labels[src]}"
            tangent = tangents.get(src, np.zeros(()))
            if local is not None and np.size(local) == 1 and np.size(tangent) == 1:
                numbers = f"{_factor(local)}·{_factor(tangent)}"
            elif local is not None:
                numbers = f"{number(local)} ⊙ {number(tangent)}"
            else:
                numbers = f"jvp({number(tangent)})"
            terms.append(Term(src, f"{partial}·d{labels[src]}", numbers, np.array(contribution)))
            edges.append(key)
        equation = _sum_line(f"d{name}", terms, s.tangent)
        frames.append(Frame(
            index, "op", node, (node, *(t.via for t in terms)), tuple(edges), equation,
            f"{name} {node_title(graph, graph.nodes[node])[1]}: its tangent d{name} is "
            + ("local derivative × input tangent" if len(terms) == 1 else
               f"the sum over its {len(terms)} inputs of local derivative × input tangent"),
            tuple(terms), history,
            row=(str(index + 1), f"d{name} = " + " + ".join(t.symbol for t in terms),
                 " + ".join(t.numbers for t in terms), number(s.tangent)),
            detail="\n".join([f"d{name} =\n{_full(s.tangent)}"] + [
                f"{t.symbol} =\n{_full(t.value)}" for t in terms]),
        ))
    return tuple(frames)
