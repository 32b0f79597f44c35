"""Boxes a player can close into one and open again: module calls and chains of single steps.

``player_groups(graph, max_nodes)`` lists the groups of a described graph: each call of an
``nn.Module`` (``graph.groups``: a ``Linear`` layer, a learner's ``Neuron``) and each chain of
single steps that ``draw`` merges when a graph is too big (``tanh ×300``, see ``collapse``).
Groups nest (a chain inside a layer, a layer inside a network). It also says which start
closed: every module call with no group inside (a layer is one box until it is clicked open),
then, while the graph shows more than ``max_nodes`` boxes, every group one level further out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import Graph
from .collapse import ops_summary, single_step_chains

__all__ = ["Group", "player_groups", "innermost_groups", "shown_boxes"]


@dataclass(frozen=True)
class Group:
    """Boxes shown as one: ``nodes`` are every node id inside (nested groups' too)."""

    id: int
    label: str
    kind: str  # the module's class, or "chain"
    parent: int | None
    nodes: tuple[int, ...]
    summary: str  # what it computes, from its operations: "linear", "(mul → add) ×16"
    closed: bool


def innermost_groups(groups, n_nodes: int) -> list[int | None]:
    """For each node id, the smallest group that holds it (``None``: none does)."""
    inner: list[int | None] = [None] * n_nodes
    for group in sorted(groups, key=lambda g: -len(g.nodes)):  # smaller groups win
        for i in group.nodes:
            inner[i] = group.id
    return inner


def shown_boxes(groups, n_nodes: int, closed: set[int]) -> int:
    """How many boxes a picture shows with the groups ``closed`` closed."""
    parent = {g.id: g.parent for g in groups}

    def outermost_closed(g: int | None) -> int | None:
        found = None
        while g is not None:
            if g in closed:
                found = g
            g = parent[g]
        return found

    inner = innermost_groups(groups, n_nodes)
    boxes = set()
    for i in range(n_nodes):
        top = outermost_closed(inner[i])
        boxes.add(("node", i) if top is None else ("group", top))
    return len(boxes)


def player_groups(graph: Graph, max_nodes: int = 100) -> tuple[Group, ...]:
    """The groups of ``graph`` and which start closed (see the module's docstring)."""
    ops_of = {n.id: n.op for n in graph.nodes if n.kind == "op"}

    def summary(nodes) -> str:
        ops = [ops_of[i] for i in sorted(nodes) if i in ops_of]
        if len(ops) <= 3:
            return " → ".join(ops) or "inputs"
        return ops_summary(ops)

    groups = [Group(g.id, g.label, g.kind, g.parent, g.nodes, summary(g.nodes), False)
              for g in graph.groups]
    inner = innermost_groups(groups, len(graph.nodes))
    sizes = {g.id: len(g.nodes) for g in groups}
    for chain in single_step_chains(graph):
        owners = {inner[i] for i in chain}
        if len(owners) != 1:
            continue  # a chain that leaves a module is not one piece of it
        owner = owners.pop()
        if owner is not None and sizes[owner] == len(chain):
            continue  # the module is the chain: one box is enough
        first, last = graph.nodes[chain[0]].label, graph.nodes[chain[-1]].label
        groups.append(Group(len(groups), f"{first}…{last}", "chain", owner, tuple(chain),
                            summary(chain), False))

    depth = {}
    for g in groups:  # parents come first: module calls in tape order, chains after
        depth[g.id] = 0 if g.parent is None else depth[g.parent] + 1
    has_inner = {g.parent for g in groups}
    closed = {g.id for g in groups if g.kind != "chain" and g.id not in has_inner}
    for level in sorted(set(depth.values()), reverse=True):
        if shown_boxes(groups, len(graph.nodes), closed) <= max_nodes:
            break
        closed |= {g.id for g in groups if depth[g.id] == level}
    return tuple(Group(g.id, g.label, g.kind, g.parent, g.nodes, g.summary, g.id in closed)
                 for g in groups)
