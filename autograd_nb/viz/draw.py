"""``draw(tensor)``: the computation graph as a picture that shows itself in a notebook.

``draw`` describes the graph (``graph.describe``), collapses it when it is too big to read
(``collapse``), lays it out and renders SVG (``svg``). The returned ``GraphPicture`` displays
inline as ``image/svg+xml`` in JupyterLab, Notebook 7 and VS Code, gives its SVG text with
``to_svg()`` and writes ``.svg`` or ``.png`` files with ``save``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..graph import Graph, describe
from ..tape import Tape
from ..tensor import Tensor, got, need_tensor, whole_number
from .collapse import collapse
from .svg import layout_for, scene, to_svg

__all__ = ["draw", "GraphPicture", "side_by_side"]


class GraphPicture:
    """A drawn graph: displays as SVG; ``to_svg()``, ``save(path)``.

    ``graph`` is the drawn (possibly collapsed) description, ``notes`` say what was collapsed
    and ``members`` map each drawn node id to the ids of the full graph it stands for.
    """

    def __init__(self, graph: Graph, *, show_grads: bool = True, title: str | None = None,
                 notes: Sequence[str] = (), members: dict | None = None) -> None:
        self.graph = graph
        self.show_grads = show_grads
        self.title = title
        self.notes = tuple(notes)
        self.members = members or {n.id: (n.id,) for n in graph.nodes}
        self._svg: str | None = None

    def _scene(self):
        has_grads = self.show_grads and any(n.grad is not None for n in self.graph.nodes)
        layout = layout_for(self.graph, show_grads=self.show_grads, grad_lines=has_grads)
        footer = self.notes or (("nothing recorded: this tensor was not computed from tensors "
                                 "that require grad",) if not self.graph.nodes else ())
        return scene(self.graph, show_grads=self.show_grads, layout=layout, title=self.title,
                     footer=footer)

    def to_svg(self) -> str:
        """The picture as standalone SVG text (the same bytes for the same computation)."""
        if self._svg is None:
            self._svg = to_svg(self._scene())
        return self._svg

    def save(self, path: str | Path, scale: float = 2.0) -> Path:
        """Write ``path`` as SVG or PNG (by its suffix); PNG at ``scale`` pixels per unit."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.to_svg(), encoding="utf-8")
        elif suffix == ".png":
            from .png import save_png  # matplotlib only when a PNG is asked for

            save_png(self._scene(), path, scale=scale)
        else:
            raise ValueError(f"GraphPicture.save: cannot write {path.name!r}; "
                             f"use a name ending in .svg or .png")
        return path

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"image/svg+xml": self.to_svg(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        labels = ", ".join(n.label for n in self.graph.nodes[:8])
        more = ", …" if len(self.graph.nodes) > 8 else ""
        note = f"; {'; '.join(self.notes)}" if self.notes else ""
        return (f"GraphPicture: {len(self.graph.nodes)} nodes ({labels}{more}), "
                f"{len(self.graph.edges)} edges{note}")


def _tape_outputs(tape: Tape) -> list[Tensor]:
    """The outputs of records that no later record uses: drawing them draws the whole tape."""
    used = {id(x) for r in tape.records for x in r.inputs}  # identity within this call only
    return [r.output for r in tape.records if id(r.output) not in used]


def draw(
    target: Tensor | Tape | Sequence[Tensor],
    show_grads: bool = True,
    max_nodes: int | None = 100,
    title: str | None = None,
    names: Mapping | None = None,
) -> GraphPicture:
    """The computation graph that produced ``target``, as a picture.

    ``target`` is a tensor, several tensors, or a ``Tape`` (all its records). Leaves are blue,
    constants grey, operations amber, the output green; edges carry local derivatives where
    they are one number or a few; gradients show (in orange) once a backward pass set them
    and ``show_grads`` is true. A graph with more than ``max_nodes`` nodes is collapsed
    (each call of an ``nn.Module`` into one box named by its path, chains into "×N" boxes,
    then the earliest part into one box) and the picture says so; ``max_nodes=None`` draws
    every node.

    ``names`` labels the boxes with your own variable names: ``draw(d, names=locals())``
    finds each tensor of the graph among the values of that dict and writes its name in its
    box (and on its edges: ∂d/∂h), before any ``.name`` it has; names starting with ``_``
    are skipped (IPython's ``_``, ``_3``), and a tensor bound to two names gets the first.
    Tensors found nowhere keep ``.name`` or x1, c1, v1… in tape order.

    After ``d.backward()`` the picture needs no ``Tape``: the inputs show the gradients that
    ``backward`` left in their ``.grad``, and every edge its local derivative (the engine
    keeps the inputs of each operation). Intermediate boxes show a gradient when it was kept
    (``t.retain_grad()``, or recorded inside ``with ag.Tape()``).
    """
    if isinstance(target, Tape):
        tensors = _tape_outputs(target)
    elif isinstance(target, Tensor):
        tensors = [target]
    elif isinstance(target, (list, tuple)):
        tensors = list(target)
        for i, t in enumerate(tensors):
            need_tensor(t, f"draw: target[{i}]")
    else:
        raise TypeError(f"draw: target must be a tensor, a list of tensors or an ag.Tape, got "
                        f"{got(target)}")
    if max_nodes is not None:
        whole_number(max_nodes, "draw: max_nodes", low=1)
    if names is not None and not isinstance(names, Mapping):
        raise TypeError(f"draw: names must be a dict of names to tensors, such as locals(), "
                        f"got {got(names)}")
    full = describe(*tensors, names=names)
    small = collapse(full, len(full) if max_nodes is None else max_nodes)
    return GraphPicture(small.graph, show_grads=show_grads, title=title, notes=small.notes,
                        members=small.members)


class _SideBySide:
    def __init__(self, items: Sequence, gap: int) -> None:
        self.items = list(items)
        self.gap = gap

    def _repr_html_(self) -> str:
        cells = []
        for item in self.items:
            if hasattr(item, "_repr_svg_"):  # inline SVG: the picture, not an <img> of it
                inner = item._repr_svg_()
            elif hasattr(item, "_repr_html_"):
                inner = item._repr_html_()
            else:
                inner = f"<pre>{html.escape(str(item))}</pre>"
            cells.append(f'<div style="flex:0 0 auto">{inner}</div>')
        return (f'<div style="display:flex;flex-wrap:wrap;align-items:flex-start;'
                f'gap:{self.gap}px">{"".join(cells)}</div>')

    def __repr__(self) -> str:
        return "\n\n".join(repr(item) for item in self.items)


def side_by_side(*items, gap: int = 24):
    """Show pictures and tables next to each other in one notebook output (HTML)."""
    return _SideBySide(items, gap)
