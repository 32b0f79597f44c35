"""One record of the graph: an operation's output, how it was made, and what it saved.

A ``Node`` is an entry of the Wengert list. ``index`` is its position in the global order of
recording, so a sweep that visits nodes by decreasing index walks the tape backwards.
A node never refers to the tensor it produced (no reference cycles): tensors point to nodes,
nodes point to the nodes of their inputs.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np
from numpy.lib.array_utils import byte_bounds

__all__ = [
    "Node", "leaf_node", "next_index", "inplace_epoch", "bump_epoch", "mark_changed",
    "changed_since",
]

next_index = itertools.count().__next__

# Every in-place change of a tensor's array increments the epoch; a node remembers the epoch
# at which it saved its inputs, so a sweep only looks closer when something changed since.
_epoch = [0]


def inplace_epoch() -> int:
    return _epoch[0]


def bump_epoch() -> int:
    _epoch[0] += 1
    return _epoch[0]


# Memory written in place: id of the array that owns it -> {(first byte, end byte): epoch},
# with the key ``None`` for the whole buffer (the common case, an optimizer's update, needs
# no byte arithmetic). A change made through any tensor sharing that memory (a view from
# t[i] or reshape, a detach()) is found by comparing byte ranges, whichever tensor the graph
# saved.
_changed: dict[int, dict] = {}


def _owner(array: np.ndarray) -> np.ndarray:
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def mark_changed(array: np.ndarray, epoch: int) -> None:
    """Remember that the memory of ``array`` was written in place at ``epoch``."""
    owner = array if array.base is None else _owner(array)
    key = id(owner)
    regions = _changed.get(key)
    if regions is None:
        regions = _changed[key] = {}
        weakref.finalize(owner, _changed.pop, key, None)  # forget it with the memory
    regions[None if array is owner else byte_bounds(array)] = epoch


def changed_since(array, epoch: int) -> bool:
    """Whether memory of ``array`` was written in place after ``epoch``."""
    if type(array) is not np.ndarray:
        return False
    regions = _changed.get(id(_owner(array)))
    if not regions:
        return False
    whole = regions.get(None)
    if whole is not None and whole > epoch:
        return True
    lo, hi = byte_bounds(array)
    return any(
        e > epoch and bounds[0] < hi and lo < bounds[1]
        for bounds, e in regions.items() if bounds is not None
    )


class Node:
    """An operation's output in the graph.

    prim     the Primitive that made it (``None`` for a leaf that requires grad)
    parents  per array input: that input's Node, or ``None`` when it needs no gradient
    args     the arrays and parameters the forward received (dropped after a sweep)
    saved    values the forward kept for its VJP rules (``Primitive`` ``saves``), or ``None``
    value    the output array
    inputs   the input tensors, kept to check that nothing changed them in place
    inspected  recorded on a Tape or asked for by ``retain_grad()``: a sweep leaves it its
             gradient (``grad``) and its saved values, for tables and pictures
    changed  set (to the epoch) when the output's array is changed in place under no_grad;
             unset otherwise (only read when something changed, so it costs nothing)
    """

    __slots__ = (
        "prim", "parents", "args", "saved", "value", "inputs", "index", "epoch",
        "name", "grad", "inspected", "tensor_ref", "changed",
    )

    def __init__(self, prim, parents, args, value, inputs, epoch):
        self.prim = prim
        self.parents = parents
        self.args = args
        self.saved = None
        self.value = value
        self.inputs = inputs
        self.index = next_index()
        self.epoch = epoch
        self.name = None
        self.grad = None
        self.inspected = False

    @property
    def op(self) -> str:
        return "leaf" if self.prim is None else self.prim.name

    @property
    def is_leaf(self) -> bool:
        return self.prim is None

    @property
    def released(self) -> bool:
        return self.prim is not None and self.args is None

    def leaf_value(self):
        """The current array of a leaf's tensor (``None`` once the tensor is gone)."""
        tensor = self.tensor_ref()
        return None if tensor is None else tensor.data

    def __repr__(self) -> str:
        return f"<Node {self.index} {self.op}{' ' + self.name if self.name else ''}>"


def leaf_node(tensor) -> Node:
    """The node of a leaf tensor that requires grad: its gradient accumulates here."""
    node = Node(None, (), None, None, None, 0)
    node.tensor_ref = weakref.ref(tensor)
    return node
