"""Named parts of a computation: which records each call of an ``nn.Module`` made.

A ``Scope`` is one call: the module's path (``layers.0``) and class (``Linear``), the range of
tape indices its ``forward`` recorded, and the module itself, whose own parameters belong to
the call too (held as long as the graph is, like the parameters themselves).
``Module.__call__`` leaves the scope on its output's node, and ``graph.describe`` reads the
scopes it finds to group the boxes of a picture (a ``Linear`` layer as one box). The engine's
sweeps never read them.
"""

from __future__ import annotations

from .node import Node, next_index

__all__ = ["Scope", "open_scope", "close_scope", "scopes_of"]


class Scope:
    """One call of a module: the records with ``start < index < end`` are its work."""

    __slots__ = ("name", "kind", "start", "end", "module")

    def __init__(self, name: str, kind: str, start: int, end: int, module) -> None:
        self.name = name
        self.kind = kind  # the module's class name
        self.start = start
        self.end = end
        self.module = module  # the nn.Module called

    def __repr__(self) -> str:
        return f"Scope({self.name}: {self.kind}, records {self.start}…{self.end})"


def open_scope() -> int:
    """The tape position before a call: every record the call makes comes after it."""
    return next_index()


def close_scope(output, start: int, module, name: str) -> None:
    """Remember on the nodes of ``output`` (a tensor, or a list or tuple of them) that
    ``module`` (called ``name``) made the records since ``start``; constants, and tensors the
    call did not make, keep nothing."""
    outputs = output if isinstance(output, (list, tuple)) else (output,)
    scope = None
    for out in outputs:
        node = getattr(out, "_node", None)
        # only a node the call made: one it passes through (its input, a parameter it
        # returns) belongs to graphs before and after it, and would gather a mark per call
        if isinstance(node, Node) and node.index > start:
            scope = scope or Scope(name, type(module).__name__, start, next_index(), module)
            node.scopes = (*scopes_of(node), scope)


def scopes_of(node: Node) -> tuple[Scope, ...]:
    """The module calls whose output ``node`` is (outermost last), or ``()``."""
    return getattr(node, "scopes", ())
