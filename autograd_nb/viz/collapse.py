"""Make a big graph drawable: merge parts of it into boxes, and say what was merged.

``collapse(graph, max_nodes)`` returns a smaller ``Graph`` of the same kind, in four steps,
each taken only while the graph is still too big:

0. module calls (``graph.groups``): each call of the deepest level that makes the graph fit
   (a learner's ``Neuron``, else the ``Layer`` around them) becomes one box named by its path;
1. chains: runs of three or more operations, each feeding only the next one (a loop of
   ``x = tanh(w * x)``), become one box "tanh ×N" or "N operations";
2. unnamed constants that are one number (or whose value a backward pass released) disappear
   as boxes (a saved number is written in the formula that uses it, e.g. ``v7 = v6 · 0.5``);
3. the earliest part of the computation becomes one box, keeping the last operations before
   the output (and the inputs they alone use); drawn graphs stay acyclic because node ids
   follow the tape order.

A merged box is an "op" node whose ``params`` hold ``collapsed`` (a sentence) and whose
formula is kept in ``params["formula"]``, so labels stay those of the full graph.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from ..graph import Graph, GraphEdge, GraphNode
from .svg import node_title

__all__ = ["Collapsed", "collapse", "single_step_chains", "ops_summary", "plain_number"]


@dataclass(frozen=True)
class Collapsed:
    """The drawable graph, the sentences saying what was merged, and which ids each box holds."""

    graph: Graph
    notes: tuple[str, ...]
    members: dict[int, tuple[int, ...]]


def _ops_of(node: GraphNode) -> tuple[str, ...]:
    """The operations a box stands for, in tape order (a merged box keeps its members')."""
    if "ops" in node.params:
        return node.params["ops"]
    return (node.op,) if node.kind == "op" else ()


def ops_summary(ops: list[str]) -> str:
    """``tanh ×300``, ``(mul → add → tanh) ×300`` for a repeated step, else the commonest ops."""
    for period in range(1, 5):
        if len(ops) % period == 0 and len(ops) >= 2 * period and ops == ops[:period] * (
                len(ops) // period):
            step = ops[0] if period == 1 else "(" + " → ".join(ops[:period]) + ")"
            return f"{step} ×{len(ops) // period}"
    counts = Counter(ops)
    common = ", ".join(op for op, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    return f"{len(ops)} ops ({common}{', …' if len(counts) > 3 else ''})"


def _rebuild(graph: Graph, group_of: dict[int, int], hidden: set[int],
             groups: dict[int, list[int]], sentences: dict[int, str],
             labels: dict[int, str] | None = None) -> tuple[Graph, dict]:
    """A new graph where each member is replaced by its group (numbered by its last member);
    ``labels`` names groups (a module's path), else a group is called "v1…v9"."""
    def rep(i: int) -> int:
        return group_of.get(i, i)

    reps = sorted({rep(n.id) for n in graph.nodes if n.id not in hidden})
    new_id = {r: k for k, r in enumerate(reps)}
    nodes, edges, seen = [], [], set()
    positions: dict[int, int] = {}
    for e in graph.edges:
        if e.src in hidden:
            continue
        s, d = new_id[rep(e.src)], new_id[rep(e.dst)]
        if s == d:
            continue
        into_group = rep(e.dst) in groups
        if into_group and (s, d) in seen:
            continue  # a weight used by every step of a chain: one arrow into the box
        seen.add((s, d))
        pos = positions.get(d, 0) if into_group else e.position
        positions[d] = pos + 1
        # a local derivative stays only on arrows whose source box *is* the value it is of
        exact = not into_group and group_of.get(e.src, e.src) == e.src
        edges.append(GraphEdge(s, d, pos, e.local if exact else None))
    inputs: dict[int, list[int]] = {}
    for e in sorted(edges, key=lambda e: (e.dst, e.position)):
        inputs.setdefault(e.dst, []).append(e.src)
    for r in reps:
        old = graph.nodes[r] if r not in groups else graph.nodes[groups[r][-1]]
        if r in groups:
            members = [graph.nodes[i] for i in groups[r]]
            ops = [m for m in members if m.kind == "op"]
            first = min(m.id for m in ops) if ops else members[0].id
            # a box may swallow earlier boxes: keep only the outer names, "v1…v9"
            label = (labels or {}).get(r) or (
                f"{graph.nodes[first].label.split('…')[0]}…{old.label.split('…')[-1]}")
            op_names = [op for m in members for op in _ops_of(m)]
            summary = ops_summary(op_names) if op_names else "inputs"
            params = {"collapsed": sentences[r], "formula": f"= {summary}",
                      "ops": tuple(op_names)}
            node = replace(old, id=new_id[r], kind="op", label=label, name=None,
                           op=summary, params=params,
                           inputs=tuple(inputs.get(new_id[r], ())))
            if old.kind != "op":  # the box ends with an input: it has no value of its own
                node = replace(node, value=None, grad=None)
        else:
            params = dict(old.params)
            if old.kind == "op":
                params.setdefault("formula", node_title(graph, old)[1])
            node = replace(old, id=new_id[r], params=params,
                           inputs=tuple(inputs.get(new_id[r], ())))
        nodes.append(node)
    keys = {k: new_id[rep(v)] for k, v in graph.keys.items() if v not in hidden}
    outputs = tuple(sorted({new_id[rep(o)] for o in graph.outputs if o not in hidden}))
    return Graph(tuple(nodes), tuple(edges), outputs, keys), new_id


def plain_number(node: GraphNode) -> bool:
    """An unnamed constant that is one number (or whose value a backward pass released): a
    big picture leaves its box out, since the formulas that use it show the number."""
    return node.kind == "const" and not node.name and (node.value is None or node.value.size == 1)


def single_step_chains(graph: Graph) -> list[list[int]]:
    """Runs of three or more operations, each passing its value to the next one alone (ids in
    order): ``x = tanh(w * x)`` in a loop."""
    consumers: dict[int, list[int]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        consumers[e.src].append(e.dst)
    nodes = graph.nodes

    def links_on(u: int) -> bool:  # u passes its value to exactly one operation, nowhere else
        n = nodes[u]
        return n.kind == "op" and not n.is_output and len(consumers[u]) == 1

    prev: dict[int, int] = {}
    for n in nodes:
        if n.kind != "op":
            continue
        linked = [u for u in dict.fromkeys(n.inputs) if links_on(u)]
        if len(linked) == 1:
            prev[n.id] = linked[0]
    nxt = {u: v for v, u in prev.items()}
    chains = []
    for n in nodes:
        if n.id in nxt and n.id not in prev:
            chain = [n.id]
            while chain[-1] in nxt:
                chain.append(nxt[chain[-1]])
            if len(chain) >= 3:
                chains.append(chain)
    return chains


def collapse(graph: Graph, max_nodes: int) -> Collapsed:
    """``graph`` with at most ``max_nodes`` boxes (at least 2), and notes on what was merged."""
    max_nodes = max(2, int(max_nodes))
    members = {n.id: (n.id,) for n in graph.nodes}
    notes: list[str] = []
    if len(graph) <= max_nodes:
        return Collapsed(graph, (), members)

    def merge(g: Graph, group_of, hidden, groups, sentences, labels=None):
        nonlocal members
        new, new_id = _rebuild(g, group_of, hidden, groups, sentences, labels)
        merged: dict[int, tuple[int, ...]] = {}
        for old_id in range(len(g.nodes)):
            if old_id in hidden:
                continue
            k = new_id[group_of.get(old_id, old_id)]
            merged[k] = merged.get(k, ()) + members[old_id]
        members = merged
        return new

    modules = _module_level(graph, max_nodes)
    if modules:
        group_of, groups, sentences, labels = {}, {}, {}, {}
        for g in modules:
            key = max(g.nodes)  # the module's result
            groups[key] = sorted(g.nodes)
            sentences[key] = f"{g.kind}: {len(g.nodes)} nodes in one box"
            labels[key] = g.label
            group_of.update({i: key for i in g.nodes})
        notes.append(f"drew {len(modules):,} module call{'s' if len(modules) > 1 else ''} "
                     f"({', '.join(sorted({g.kind for g in modules}))}) as one box each")
        graph = merge(graph, group_of, set(), groups, sentences, labels)

    chains = single_step_chains(graph)
    if chains:
        group_of, groups, sentences = {}, {}, {}
        for chain in chains:
            groups[chain[-1]] = chain
            sentences[chain[-1]] = f"{len(chain)} operations in one box"
            group_of.update({i: chain[-1] for i in chain})
        n_ops = sum(len(c) for c in chains)
        notes.append(f"collapsed {n_ops:,} operations in {len(chains):,} chain"
                     f"{'s' if len(chains) > 1 else ''} of single steps into "
                     f"{'one box' if len(chains) == 1 else 'one box each'} (×N: repeats)")
        graph = merge(graph, group_of, set(), groups, sentences)

    if len(graph) > max_nodes:
        hidden = {n.id for n in graph.nodes if plain_number(n)}
        if hidden:
            notes.append(f"left out {len(hidden):,} unnamed constants")
            graph = merge(graph, {}, hidden, {}, {})

    if len(graph) > max_nodes:
        graph = _keep_last(graph, max_nodes, notes, merge, members)
    return Collapsed(graph, tuple(notes), members)


def _module_level(graph: Graph, max_nodes: int) -> list:
    """The module calls to draw as one box each: the innermost calls (no call inside them)
    when that brings the graph within ``max_nodes``, else all the calls of the deepest level
    of nesting that does (the outermost level when none does)."""
    if not graph.groups:
        return []
    depth: dict[int, int] = {}
    for g in graph.groups:  # a call comes after the call around it
        depth[g.id] = 0 if g.parent is None else depth[g.parent] + 1
    outer = {g.parent for g in graph.groups}
    options = [[g for g in graph.groups if g.id not in outer]]
    options += [[g for g in graph.groups if depth[g.id] == level]
                for level in sorted(set(depth.values()), reverse=True)]
    for calls in options:
        if len(graph) - sum(len(g.nodes) - 1 for g in calls) <= max_nodes:
            return calls
    return options[-1]


def _keep_last(graph: Graph, max_nodes: int, notes: list[str], merge, members) -> Graph:
    """Merge everything before a cut into one box; keep the operations after it (ids are in
    tape order, so nothing kept feeds the box) and the inputs only they use."""
    consumers: dict[int, list[int]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        consumers[e.src].append(e.dst)
    ops = [n.id for n in graph.nodes if n.inputs]
    sources = sorted(min(consumers[n.id]) for n in graph.nodes
                     if not n.inputs and consumers[n.id])
    lonely = sum(1 for n in graph.nodes if not n.inputs and not consumers[n.id])
    budget = max_nodes - 1 - lonely
    cut = ops[-1] if ops else 0
    for t in reversed(ops):  # the earliest cut that still fits the budget
        kept = len(ops) - bisect_left(ops, t) + len(sources) - bisect_left(sources, t)
        if kept > budget:
            break
        cut = t
    early = [n.id for n in graph.nodes
             if (n.inputs and n.id < cut) or (not n.inputs and consumers[n.id]
                                               and min(consumers[n.id]) < cut)]
    if not early:
        return graph
    last = max(early)
    count = sum(len(members[i]) for i in early)  # nodes of the full graph
    notes.append(f"merged the first {count:,} nodes into one box, "
                 f"to draw at most {max_nodes} boxes")
    sentence = f"{count} earlier nodes in one box"
    return merge(graph, {i: last for i in early}, set(), {last: early}, {last: sentence})
