"""One record of the graph: an operation's output, how it was made, and what it saved.

A ``Node`` is an entry of the Wengert list. ``index`` is its position in the global order of
recording, so a sweep that visits nodes by decreasing index walks the tape backwards.
A node never refers to the tensor it produced (no reference cycles): tensors point to nodes,
nodes point to the nodes of their inputs.

This module also keeps the one record of in-place changes: which memory was written, and when
(``mark_written`` / ``written_since``), so that a sweep never reads a saved value that changed.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np
from numpy.lib.array_utils import byte_bounds

__all__ = [
    "Node", "leaf_node", "next_index", "current_epoch", "new_epoch", "mark_written",
    "written_since", "depends_on_others",
]

_counter = itertools.count()
next_index = _counter.__next__

# ----------------------------------------------------------------------------- in-place changes
# Every in-place change of a tensor's memory takes a new epoch and remembers it under the array
# that owns the memory. A node remembers the epoch at which it was recorded; the sweep looks
# closer only at nodes recorded before the latest change. Views, reshapes and detach() share
# their owner's memory, so a change through any of them is seen (as PyTorch's version counter
# shared by views).

_epoch = [0]
# id of the array owning the memory -> {(first byte, end byte) written: epoch}, with the key
# None for the whole buffer (an optimizer's update needs no byte arithmetic). Byte ranges let
# a change of one part of a buffer leave alone a graph that saved another part.
_written: dict[int, dict] = {}


def current_epoch() -> int:
    return _epoch[0]


def new_epoch() -> int:
    _epoch[0] += 1
    return _epoch[0]


def _owner(array: np.ndarray) -> np.ndarray:
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def mark_written(array: np.ndarray, epoch: int) -> None:
    """Remember that the memory of ``array`` was written in place at ``epoch``."""
    owner = _owner(array)
    regions = _written.get(id(owner))
    if regions is None:
        regions = _written[id(owner)] = {}
        weakref.finalize(owner, _written.pop, id(owner), None)  # forget it with the memory
    regions[None if array is owner else byte_bounds(array)] = epoch


def written_since(array, epoch: int) -> bool:
    """Whether memory of ``array`` was written in place after ``epoch``."""
    if type(array) is not np.ndarray:
        return False
    regions = _written.get(id(_owner(array)))
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


# ------------------------------------------------------------------------------------- nodes


class Node:
    """An operation's output in the graph.

    prim     the Primitive that made it (``None`` for a leaf that requires grad)
    parents  per input: that input's Node, or ``None`` when it needs no gradient
    args     the arrays and parameters the forward received (kept for the pictures' local
             derivatives: the arrays are the inputs' own values, which the graph holds anyway)
    saved    values the forward kept for its VJP rules (``Primitive`` ``saves``), or ``None``
    released set by a sweep without ``retain_graph``: a second sweep through it is refused
    value    the output array
    inputs   the input objects as given (tensors, arrays, numbers), for drawings
    epoch    the in-place epoch when it was recorded
    grad     its gradient, kept after a sweep when ``inspected`` (a Tape, ``retain_grad()``)
    tangents forward mode: {trace: tangent tensor} for each active ``jvp`` that perturbs it
    scopes   set only on a module's output: the calls of ``nn.Module``s that made it
             (``scopes.py``; pictures group their boxes by them)
    """

    __slots__ = (
        "prim", "parents", "args", "saved", "value", "inputs", "index", "epoch",
        "name", "grad", "inspected", "tensor_ref", "tangents", "released", "scopes",
    )

    def __init__(self, prim, parents, args, value, inputs, epoch, saved=None):
        self.prim = prim
        self.parents = parents
        self.args = args
        self.saved = saved
        self.value = value
        self.inputs = inputs
        self.index = next_index()
        self.epoch = epoch
        self.name = None
        self.grad = None
        self.inspected = False
        self.tangents = None
        self.released = False

    @property
    def op(self) -> str:
        return "leaf" if self.prim is None else self.prim.name

    @property
    def is_leaf(self) -> bool:
        return self.prim is None

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


def depends_on_others(root: Node, own: set) -> bool:
    """Whether a leaf other than the nodes in ``own`` leads to ``root``.

    A transformation differentiates with respect to its own fresh variables (``own``); any
    other leaf behind its result is a value from outside (an outer transformation's variable,
    a tensor the function closes over, a cotangent that requires grad), whose derivative the
    result must keep.
    """
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.prim is None and node not in own:
            return True
        for parent in node.parents:
            if parent is not None and id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return False
