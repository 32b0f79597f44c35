"""Boxes a player can close into one and open again: module calls and chains of single steps.

``player_groups(graph, max_nodes)`` lists the groups of a described graph: each call of an
``nn.Module`` (``graph.groups``: a ``Linear`` layer, a learner's ``Neuron``) and each chain of
single steps that ``draw`` merges when a graph is too big (``tanh ×300``, see ``collapse``).
Groups nest (a chain inside a layer, a layer inside a network). It also says which start
closed: every module call with no group inside (a layer is one box until it is clicked open),
then, while the graph shows more than ``max_nodes`` boxes, every group one level further out;
if it still does, the earliest part of it, as ``draw`` merges it, becomes one closed group.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import Graph
from .collapse import ops_summary, single_step_chains

__all__ = ["Group", "player_groups", "innermost_groups", "shown_as", "shown_boxes"]


@dataclass(frozen=True)
class Group:
    """Boxes shown as one: ``nodes`` are every node id inside (nested groups' too)."""

    id: int
    label: str
    kind: str  # the module's class, "chain" or "earlier part"
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


def shown_as(groups, n_nodes: int, closed: set[int]) -> list[int | None]:
    """For each node id, the outermost closed group that shows it (``None``: its own box)."""
    parent = {g.id: g.parent for g in groups}
    shown: list[int | None] = []
    for g in innermost_groups(groups, n_nodes):
        top = None
        while g is not None:
            if g in closed:
                top = g
            g = parent[g]
        shown.append(top)
    return shown


def shown_boxes(groups, n_nodes: int, closed: set[int]) -> int:
    """How many boxes a picture shows with the groups ``closed`` closed."""
    return len({("node", i) if top is None else ("group", top)
                for i, top in enumerate(shown_as(groups, n_nodes, closed))})


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
    groups = [Group(g.id, g.label, g.kind, g.parent, g.nodes, g.summary, g.id in closed)
              for g in groups]
    if shown_boxes(groups, len(graph.nodes), closed) > max_nodes:
        groups = _earlier_part(graph, groups, closed, max_nodes, summary)
    return tuple(groups)


def _earlier_part(graph: Graph, groups: list[Group], closed: set[int], max_nodes: int,
                  summary) -> list[Group]:
    """``groups`` and one more, closed: everything shown before the last ``max_nodes - 1``
    boxes, as ``draw`` merges the earliest part of a graph that is still too big. A box
    counts from its last node (a group) or from its first use (an input), so nothing kept
    feeds the merged box and the picture stays acyclic."""
    by_id = {g.id: g for g in groups}
    first_use: dict[int, int] = {}
    for e in graph.edges:
        first_use[e.src] = min(first_use.get(e.src, e.dst), e.dst)
    shown = shown_as(groups, len(graph.nodes), closed)
    units: dict[tuple, int] = {}  # a box shown -> where it comes in the tape
    for node in graph.nodes:
        top = shown[node.id]
        if top is not None:
            units[("group", top)] = max(by_id[top].nodes)
        elif node.inputs:
            units[("node", node.id)] = node.id
        elif node.id in first_use:
            units[("node", node.id)] = first_use[node.id]
    order = sorted(units, key=lambda u: units[u])
    early = order[: max(len(order) - (max_nodes - 1), 0)]
    if len(early) < 2:
        return groups
    nodes = sorted(i for kind, ref in early
                   for i in (by_id[ref].nodes if kind == "group" else (ref,)))
    new = len(groups)
    tops = {ref for kind, ref in early if kind == "group"}
    out = [Group(g.id, g.label, g.kind, new if g.id in tops else g.parent, g.nodes, g.summary,
                 g.closed) for g in groups]
    out.append(Group(new, f"first {len(nodes):,} nodes", "earlier part", None, tuple(nodes),
                     summary(nodes), True))
    return out
