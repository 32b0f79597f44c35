"""A plain description of a recorded computation: the only thing pictures and tables read.

``describe(tensor)`` walks the nodes that produced ``tensor`` and returns a ``Graph`` of
``GraphNode``s and ``GraphEdge``s holding NumPy arrays, strings and ints, nothing of the
engine. Ids and default labels follow the tape order, so the same computation always gives
the same description (no ``id()``, no global counters). ``describe(t, names=locals())``
labels every tensor found under a name in that dict with the name.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .grad_mode import no_grad
from .node import Node
from .scopes import Scope, scopes_of
from .tensor import Tensor

__all__ = ["GraphNode", "GraphEdge", "GraphGroup", "Graph", "describe", "local_derivative"]


@dataclass(frozen=True)
class GraphNode:
    """One value of the computation.

    kind   "leaf" (an input that requires grad), "const" (an input that needs none) or "op"
    label  its name in ``describe``'s ``names``, else the tensor's ``name`` when set, else
           x1, x2... (leaves), c1... (constants) and v1, v2... (operations) in tape order
    params the operation's parameters (axis, shape, index...) by name
    """

    id: int
    kind: str
    label: str
    op: str | None
    name: str | None
    shape: tuple
    dtype: str
    value: np.ndarray | None
    grad: np.ndarray | None
    is_output: bool = False
    params: dict = field(default_factory=dict)
    inputs: tuple[int, ...] = ()


@dataclass(frozen=True)
class GraphEdge:
    """``src`` is input number ``position`` of the operation ``dst``; ``local`` is ∂dst/∂src per
    element where that is diagonal or a scalar (``None`` where it is not, or was released)."""

    src: int
    dst: int
    position: int
    local: np.ndarray | None


@dataclass(frozen=True)
class GraphGroup:
    """The boxes one call of an ``nn.Module`` made: its operations, its own parameters and the
    constants only they use. ``label`` is the module's path (``layers.0``) or class name,
    ``kind`` its class; ``parent`` is the group of the calling module; ``nodes`` holds every
    node id inside, those of nested groups too."""

    id: int
    label: str
    kind: str
    parent: int | None
    nodes: tuple[int, ...]


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    outputs: tuple[int, ...]
    keys: dict = field(default_factory=dict, repr=False)  # engine node index -> node id
    groups: tuple[GraphGroup, ...] = ()

    def node_for_key(self, key: int) -> GraphNode:
        return self.nodes[self.keys[key]]

    def __len__(self) -> int:
        return len(self.nodes)


@cache
def _param_names(prim) -> tuple[str, ...]:
    names = [
        p.name for p in inspect.signature(prim.forward).parameters.values()
        if p.kind is not p.VAR_POSITIONAL
    ]
    return tuple(names[prim.nin:]) if prim.nin is not None else ("axis",)


def _ancestors(roots: list[Node]) -> list[Node]:
    """All nodes that lead to ``roots``, in tape order (iteratively: deep graphs are fine)."""
    seen = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen[node] = None
        stack.extend(p for p in node.parents if p is not None and p not in seen)
    return sorted(seen, key=lambda n: n.index)


def local_derivative(node: Node, position: int) -> np.ndarray | None:
    """∂node/∂input ``position`` per element, when elementwise or scalar and still saved."""
    args = node.args
    prim = node.prim
    if args is None or prim is None:
        return None
    arg = args[position]
    if not (prim.elementwise or (np.size(node.value) == 1 and np.size(arg) == 1)):
        return None
    try:
        rule = prim.vjps[position]
    except IndexError:
        return None
    if rule is None:
        return None
    with no_grad():
        local = np.asarray(rule(np.ones_like(node.value), node.value, *args))
    return local


def _values(x):
    return x.data if isinstance(x, Tensor) else x


def _labels_from(names: Mapping | None) -> tuple[dict, dict]:
    """Labels from a dict of names to tensors (``locals()``): {node: name}, {id(tensor): name}.

    The second dict is for tensors without a node (constants). Names starting with ``_`` are
    skipped: in a notebook they hold IPython's output history (``_``, ``_3``), not the
    learner's variables. A tensor bound to several names gets the first one.
    """
    if names is None:
        return {}, {}
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a dict of names to tensors, such as locals(), got "
                        f"{type(names).__name__}")
    by_node: dict[Node, str] = {}
    by_tensor: dict[int, str] = {}  # id() only within this call: the dict keeps them alive
    for name, value in names.items():
        if not isinstance(name, str) or name.startswith("_") or not isinstance(value, Tensor):
            continue
        if value._node is not None:
            by_node.setdefault(value._node, name)
        else:
            by_tensor.setdefault(id(value), name)
    return by_node, by_tensor


def describe(*tensors: Tensor, names: Mapping | None = None) -> Graph:
    """The graph that produced ``tensors`` (usually one: the output), as plain data.

    ``names`` maps names to tensors (``locals()`` will do): every tensor of the graph found
    there is labelled with its name, before its own ``.name``.
    """
    node_names, constant_names = _labels_from(names)
    roots = [t._node for t in tensors if isinstance(t, Tensor) and t._node is not None]
    order = _ancestors(roots)
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    keys: dict[int, int] = {}
    counters = {"leaf": 0, "const": 0, "op": 0}
    prefixes = {"leaf": "x", "const": "c", "op": "v"}
    output_keys = {t._node.index for t in tensors if isinstance(t, Tensor) and t._node is not None}
    constants: dict[int, int] = {}  # id of a constant's input object -> node id (no duplicates)

    def add(kind, name, value, grad, op=None, params=None, inputs=(), is_output=False,
            shape=None, dtype=None):
        counters[kind] += 1
        label = name or f"{prefixes[kind]}{counters[kind]}"
        value = None if value is None else np.asarray(value)
        node = GraphNode(
            id=len(nodes), kind=kind, label=label, op=op, name=name,
            shape=tuple(value.shape) if value is not None else tuple(shape or ()),
            dtype=str(value.dtype) if value is not None else str(dtype or ""),
            value=value, grad=None if grad is None else np.asarray(_values(grad)),
            is_output=is_output, params=params or {}, inputs=tuple(inputs),
        )
        nodes.append(node)
        return node.id

    for node in order:
        if node.prim is None:
            keys[node.index] = add("leaf", node_names.get(node, node.name), node.leaf_value(),
                                   node.grad, is_output=node.index in output_keys)
            continue
        n_in = len(node.parents)
        in_ids = []
        for position, parent in enumerate(node.parents):
            if parent is not None:
                in_ids.append(keys[parent.index])
                continue
            original = node.inputs[position] if node.inputs is not None else None
            value = node.args[position] if node.args is not None else _values(original)
            ident = id(original) if original is not None else None
            if ident is not None and ident in constants:
                in_ids.append(constants[ident])
                continue
            name = None
            if isinstance(original, Tensor):
                name = constant_names.get(ident, original.name)
            cid = add("const", name, value, None)
            if ident is not None:
                constants[ident] = cid
            in_ids.append(cid)
        params = {}
        if node.args is not None:
            params = dict(zip(_param_names(node.prim), node.args[n_in:]))
        my_id = add("op", node_names.get(node, node.name), node.value, node.grad if node.inspected else None,
                    op=node.prim.name, params=params, inputs=in_ids,
                    is_output=node.index in output_keys)
        keys[node.index] = my_id
        for position, src in enumerate(in_ids):
            local = local_derivative(node, position) if node.parents[position] is not None else None
            edges.append(GraphEdge(src, my_id, position, local))
    outputs = tuple(keys[k] for k in sorted(output_keys))
    groups = _module_groups(order, keys, nodes, edges)
    return Graph(tuple(nodes), tuple(edges), outputs, keys, groups)


def _module_groups(order: list[Node], keys: dict[int, int], nodes: list[GraphNode],
                   edges: list[GraphEdge]) -> tuple[GraphGroup, ...]:
    """Group the nodes by the module calls that made them (see ``scopes.py``).

    A node recorded during a call belongs to its innermost call; a parameter to the call of
    the module that holds it (when that module was called once); an unnamed constant that is
    one number to the innermost call that all its users share (data given to a module, and
    named constants, stay outside). Calls of fewer than two nodes, and calls that hold exactly
    what the call around them holds (``MLP`` → ``Sequential``), make no group of their own.
    """
    scopes = sorted({s for node in order for s in scopes_of(node)}, key=lambda s: (s.start, -s.end))
    if not scopes:
        return ()
    parent: dict[Scope, Scope | None] = {}
    inner: dict[int, Scope] = {}  # node id -> innermost call
    stack: list[Scope] = []
    upcoming = iter(scopes)
    following = next(upcoming, None)
    for node in order:  # tape order: calls open and close around the nodes they made
        while following is not None and following.start < node.index:
            while stack and stack[-1].end < following.start:
                stack.pop()
            parent[following] = stack[-1] if stack else None
            stack.append(following)
            following = next(upcoming, None)
        while stack and stack[-1].end < node.index:
            stack.pop()
        if stack:
            inner[keys[node.index]] = stack[-1]
    calls_of: dict[int, list[Scope]] = {}  # id of a module -> its calls in this graph
    for scope in scopes:
        calls_of.setdefault(id(scope.module), []).append(scope)
    for scope in scopes:
        module = scope.module
        if len(calls_of[id(module)]) != 1:
            continue  # a module called twice shares its parameters between the calls
        for p in module.own_parameters():
            if p._node is not None and p._node.index in keys:
                inner.setdefault(keys[p._node.index], scope)

    def chain(scope: Scope | None) -> list[Scope]:
        out = []
        while scope is not None:
            out.append(scope)
            scope = parent[scope]
        return out

    users: dict[int, list[int]] = {}
    for e in edges:
        users.setdefault(e.src, []).append(e.dst)
    for node in nodes:  # a number written in a module's code goes where all its users are
        if (node.kind != "const" or node.name or node.id not in users
                or np.size(node.value) != 1):
            continue
        shared = None
        for user in users[node.id]:
            path = chain(inner.get(user))
            shared = path if shared is None else [s for s in shared if s in path]
        if shared:
            inner[node.id] = shared[0]

    members: dict[Scope, list[int]] = {s: [] for s in scopes}
    for node_id, scope in inner.items():
        for s in chain(scope):
            members[s].append(node_id)
    kept = [s for s in scopes if len(members[s]) >= 2 and not (
        parent[s] is not None and len(members[s]) == len(members[parent[s]]))]
    named: dict[str, list[Scope]] = {}
    for s in kept:
        named.setdefault(s.name, []).append(s)
    seen: dict[str, int] = {}
    group_id: dict[Scope, int] = {}
    groups = []
    for s in kept:
        label = s.name
        if len(named[s.name]) > 1:  # the same module called again, or two of the same path
            seen[s.name] = seen.get(s.name, 0) + 1
            again = len({id(t.module) for t in named[s.name]}) == 1
            label = f"{s.name} (call {seen[s.name]})" if again else f"{s.name} #{seen[s.name]}"
        up = next((group_id[p] for p in chain(parent[s]) if p in group_id), None)
        group_id[s] = len(groups)
        groups.append(GraphGroup(len(groups), label, s.kind, up, tuple(sorted(members[s]))))
    return tuple(groups)
