"""``chains(output, x)``: every chain of the chain rule from ``x`` to ``output``, drawn and summed.

The chain rule says ∂z/∂x = Σᵢ ∂z/∂yᵢ · ∂yᵢ/∂x: add up, over every path from ``x`` to ``z``,
the product of the local derivatives along it. ``chains`` reads the plain graph description
(``graph.describe``), lists those paths with their products, and sets their sum beside the
gradient the engine's own reverse sweep computes (``backward.record_sweep``), so the two can
be compared, never assumed equal.

Paths are counted by dynamic programming (the number of paths into a node is the sum over its
inputs, one addition per edge), never by listing them: a ladder of n rungs has 2ⁿ paths and
``count`` stays instant. When there are more than ``max_listed``, only the ``top`` largest are
found (a k-best search over the DAG, again one pass over the edges) and the picture says how
many it did not list. That sum at every node is exactly what the sweep does with gradients.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..backward import record_sweep
from ..errors import ReleasedGraphError
from ..graph import Graph, describe
from ..tables import format_value
from ..tensor import Tensor, need_tensor, whole_number
from .svg import FONT, PALETTE, Scene, layout_for, scene, to_svg

__all__ = ["chains", "Chains", "Chain", "count_paths", "sweep_cost"]

EdgeKey = tuple[int, int, int]  # (src, dst, position), as GraphEdge and the SVG ids

MAX_WIDTH = 860.0  # a picture wider than a notebook's output area would be shrunk, text too
MAX_DRAWN_NODES = 40  # bigger graphs get the chains as text, not one graph per chain
GAP = 16.0
TEXT_SIZE = 13.0
TEXT_CHAR = 7.9  # a monospace glyph at TEXT_SIZE, rounded up
HEAD = 36.0


@dataclass(frozen=True)
class Chain:
    """One path from ``x`` to the output: its node ids and edges, the local derivative on each
    edge (at the element the chain carries), and their product (its term in the sum)."""

    nodes: tuple[int, ...]
    edges: tuple[EdgeKey, ...]
    labels: tuple[str, ...]
    factors: tuple[float | None, ...]  # None where the chain carries several elements
    product: float

    @property
    def symbol(self) -> str:
        """``∂d/∂h·∂h/∂a``: the chain's product in symbols, from the output back."""
        pairs = zip(self.labels[1:], self.labels[:-1])
        return "·".join(f"∂{top}/∂{low}" for top, low in reversed(list(pairs))) or "1"

    @property
    def numbers(self) -> str:
        """``20·1``: the same product with its numbers (negatives in parentheses)."""
        if not self.factors:
            return "1"
        if any(f is None for f in self.factors):
            return format_value(self.product)
        return "·".join(_factor_text(f) for f in reversed(self.factors))


def _factor_text(value: float) -> str:
    text = format_value(value)
    return f"({text})" if text.startswith("-") else text


# ---------------------------------------------------------------------------- counting
def _successors(graph: Graph) -> dict[int, list[EdgeKey]]:
    """Outgoing edges of every node, one entry per edge (``a * a`` gives two)."""
    out: dict[int, list[EdgeKey]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        out[e.src].append((e.src, e.dst, e.position))
    return out


def count_paths(graph: Graph, source: int, target: int) -> int:
    """How many paths lead from ``source`` to ``target``, by dynamic programming in tape order.

    count(source) = 1 and count(v) = Σ count(u) over the edges u → v: one addition per edge,
    as the sweep adds one chain term per edge. An exact Python integer (2⁶⁰ stays exact).
    """
    count = {source: 1}
    incoming: dict[int, list[int]] = {}
    for e in graph.edges:
        incoming.setdefault(e.dst, []).append(e.src)
    for node in graph.nodes:  # node ids are in tape order: inputs before their users
        if node.id > source:
            count[node.id] = sum(count.get(u, 0) for u in incoming.get(node.id, ()))
    return count.get(target, 0)


def sweep_cost(graph: Graph) -> int:
    """Edges the reverse sweep sends a gradient along: each once, whatever the path count."""
    return len(graph.edges)


def _reaches(graph: Graph, target: int) -> set[int]:
    """Node ids with at least one path to ``target`` (``target`` included)."""
    found = {target}
    for e in sorted(graph.edges, key=lambda e: -e.dst):  # users before their inputs
        if e.dst in found:
            found.add(e.src)
    return found


# ---------------------------------------------------------------------------- one edge
class _Edges:
    """The local derivative of each edge as a map from input tangent to output tangent.

    Elementwise and scalar edges carry ``GraphEdge.local``; an edge into a one-number result
    without one (``sum``, ``dot``) gets its row ∂dst/∂src from the engine's own sweep step on
    that edge: the sweep sent ``contribution = grad · row`` along it, and the row is linear."""

    def __init__(self, graph: Graph, steps) -> None:
        self.graph = graph
        self.local = {(e.src, e.dst, e.position): e.local for e in graph.edges}
        self.rows: dict[EdgeKey, np.ndarray] = {}
        for s in steps:
            if s.kind != "edge" or s.local is not None or np.size(s.grad) != 1:
                continue
            key = (graph.keys[s.parent], graph.keys[s.node], s.input)
            g = float(np.asarray(s.grad).reshape(()))
            if g != 0.0:
                self.rows[key] = np.asarray(s.contribution) / g

    def push(self, tangent: np.ndarray, key: EdgeKey) -> np.ndarray:
        """The input tangent carried along edge ``key``: local derivative × tangent."""
        src, dst, _ = key
        shape = self.graph.nodes[dst].shape
        local = self.local[key]
        if local is not None:
            return np.broadcast_to(local, shape) * np.broadcast_to(tangent, shape)
        if key in self.rows:
            return np.asarray(np.sum(self.rows[key] * tangent)).reshape(shape)
        node = self.graph.nodes[dst]
        raise ValueError(
            f"chains: the edge {self.graph.nodes[src].label} → {node.label} ('{node.op}') is "
            f"not elementwise, so its local derivative is a matrix, not one number per element; "
            f"chains follows elements through elementwise operations and through operations "
            f"that end in one number (sum, mean, dot). Draw a smaller piece of the graph")

    def factor(self, tangent: np.ndarray, key: EdgeKey, element: int | None) -> float | None:
        """The number written on the edge: the local derivative at the carried element."""
        local = self.local[key]
        if local is None:
            row = self.rows.get(key)
            if row is None or element is None:
                return None
            return float(np.asarray(row).ravel()[element] if np.size(row) > 1 else row)
        if np.size(local) == 1:
            return float(np.asarray(local).reshape(()))
        if element is None:
            return None
        return float(np.broadcast_to(local, self.graph.nodes[key[1]].shape).ravel()[element])


def _element(mask: np.ndarray) -> int | None:
    """The flat index of the one element a chain carries, or None when it carries several."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size == 1 else None


def _spread(mask: np.ndarray, key: EdgeKey, graph: Graph) -> np.ndarray:
    """Which elements of the edge's output the carried input elements reach."""
    shape = graph.nodes[key[1]].shape
    if int(np.prod(shape)) == 1:
        return np.ones(shape, dtype=bool)
    return np.broadcast_to(mask, shape).copy() if np.size(mask) > 1 else np.ones(shape, bool)


def _build_chain(graph: Graph, edges_of: _Edges, seed: np.ndarray, source: int,
                 keys: Sequence[EdgeKey], source_label: str) -> Chain:
    """A ``Chain`` from its edges: the seed tangent pushed along them, factors written down."""
    tangent, mask = seed, seed != 0
    nodes, labels, factors = [source], [source_label], []
    for key in keys:
        element = _element(mask)
        factors.append(edges_of.factor(tangent, key, element))
        tangent = edges_of.push(tangent, key)
        mask = _spread(mask, key, graph)
        nodes.append(key[1])
        node = graph.nodes[key[1]]
        where = _element(mask)
        labels.append(node.label if np.size(mask) == 1 or where is None
                      else f"{node.label}[{_index_text(node.shape, where)}]")
    return Chain(tuple(nodes), tuple(keys), tuple(labels), tuple(factors),
                 float(np.asarray(tangent).reshape(())))


def _index_text(shape: tuple, flat: int) -> str:
    return ", ".join(str(int(i)) for i in np.unravel_index(flat, shape))


def _all_paths(graph: Graph, source: int, target: int) -> list[tuple[EdgeKey, ...]]:
    """Every path from ``source`` to ``target`` as a tuple of edges (iteratively)."""
    succ, live = _successors(graph), _reaches(graph, target)
    found, stack = [], [(source, ())]
    while stack:
        node, path = stack.pop()
        if node == target:
            found.append(path)
            continue
        stack.extend((k[1], path + (k,)) for k in succ[node] if k[1] in live)
    return found


def _best_paths(graph: Graph, edges_of: _Edges, seed: np.ndarray, source: int, target: int,
                k: int) -> list[tuple[EdgeKey, ...]]:
    """The ``k`` paths with the largest |product|, one pass over the edges in tape order.

    Each node keeps the k largest partial products that reach it (a product's size only
    grows with the sizes of its factors, so nothing dropped could come back): O(edges·k)."""
    live = _reaches(graph, target)
    best: dict[int, list[tuple[float, np.ndarray, tuple]]] = {source: [(1.0, seed, ())]}
    incoming: dict[int, list[EdgeKey]] = {}
    for e in graph.edges:
        incoming.setdefault(e.dst, []).append((e.src, e.dst, e.position))
    for node in graph.nodes:
        if node.id <= source or node.id not in live:
            continue
        here = [(float(np.max(np.abs(t))), t, path + (key,))
                for key in incoming.get(node.id, ()) for _, tangent, path in best.get(key[0], ())
                for t in (edges_of.push(tangent, key),)]
        here.sort(key=lambda item: -item[0])
        best[node.id] = here[:k]
    return [path for _, _, path in best.get(target, [])]


# ---------------------------------------------------------------------------- the engine
def _locate(output: Tensor, x: Tensor) -> tuple[Graph, int | None]:
    """The graph of ``output`` and the id of ``x`` in it (None when ``x`` is not in it)."""
    graph = describe(output)
    both = describe(output, x)  # x is marked as an output there: that is how it is found
    if len(both) != len(graph):
        return graph, None
    ids = [i for i in both.outputs if i != graph.outputs[0]]
    return graph, ids[0] if ids else graph.outputs[0]


def _engine_gradient(output: Tensor, x: Tensor, graph: Graph, x_id: int | None):
    """(∂output/∂x from the engine's reverse sweep, its steps, where it came from)."""
    try:
        steps = record_sweep(output, caller="chains")
    except ReleasedGraphError:
        if x.is_leaf and x.grad is not None:
            return np.asarray(x.grad.data), [], "x.grad, from your backward()"
        raise ReleasedGraphError(
            "chains: backward() already ran through this graph and released it; call "
            "viz.chains before backward(), or backward(retain_graph=True)") from None
    grads = {graph.keys[s.node]: s.grad for s in steps if s.kind in ("visit", "leaf")}
    value = grads.get(x_id, np.zeros(x.shape)) if x_id is not None else np.zeros(x.shape)
    return np.asarray(value), steps, "the engine's reverse sweep"


def _flat_index(x: Tensor, index) -> int | None:
    """``index`` as a flat position in ``x`` (None for a one-number ``x``), checked."""
    if index is None:
        if x.size != 1:
            raise ValueError(
                f"chains: x has shape {x.shape}; pick the element whose chains to draw with "
                f"index=..., e.g. chains(y, x, index=0)")
        return None
    try:
        return int(np.arange(x.size).reshape(x.shape)[index])
    except (IndexError, TypeError, ValueError):
        raise IndexError(f"chains: index {index!r} does not pick one element of x (shape "
                         f"{x.shape})") from None


# ---------------------------------------------------------------------------- the result
class Chains:
    """Every chain from ``x`` to ``output``: plain data, and a picture (SVG inline, ``save``).

    Attributes
    ----------
    paths : tuple of tuples of node labels, one per listed chain (``("a", "h", "d")``)
    products : the product of the local derivatives along each listed chain
    total : ∂output/∂x computed by the engine (not by adding ``products``)
    count : how many chains there are, counted without listing them
    complete : True when every chain is listed (``count <= max_listed``)
    chains : the listed ``Chain`` records (nodes, edges, factors, product)
    """

    def __init__(self, graph: Graph, source: int | None, target: int, listed: Sequence[Chain],
                 count: int, total: float, total_from: str, x_name: str, edges: int) -> None:
        self.graph, self.source, self.target = graph, source, target
        self.chains = tuple(listed)
        self.count, self.total, self.total_from = count, total, total_from
        self.x_name = x_name
        self.sweep_edges = edges
        self.complete = len(self.chains) == count

    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        return tuple(c.labels for c in self.chains)

    @property
    def products(self) -> tuple[float, ...]:
        return tuple(c.product for c in self.chains)

    def formula(self) -> list[str]:
        """The seed's formula with the numbers filled in, one line per step of the sum."""
        top = self.graph.nodes[self.target].label
        lhs = f"∂{top}/∂{self.x_name}"
        y = "u" if "y" in (top[:1], self.x_name[:1]) else "y"  # the seed's yᵢ, unless taken
        lines = [f"{lhs} = Σᵢ ∂{top}/∂{y}ᵢ·∂{y}ᵢ/∂{self.x_name}: over every chain, the product "
                 f"of its local derivatives"]
        if not self.chains:
            lines.append("  = 0 (no chain: an empty sum)")
        elif self.complete:
            lines += _wrapped("  = ", [c.symbol for c in self.chains])
            lines += _wrapped("  = ", [c.numbers for c in self.chains])
            lines += _wrapped("  = ", [format_value(self.products[0])]
                              + [_factor_text(p) for p in self.products[1:]])
            lines.append(f"  = {format_value(sum(self.products))}")
        else:
            lines.append(f"  = {_count_text(self.count)} terms: too many to list, so the "
                         f"{len(self.chains)} largest are shown")
            shown = " + ".join(_factor_text(p) for p in self.products)
            lines.append(f"  = {shown} + … (the other {self.count - len(self.chains):,})")
        return lines

    def summary(self) -> list[str]:
        """The engine's gradient, and the two costs: listing the chains against one sweep."""
        top = self.graph.nodes[self.target].label
        check = ""
        if self.complete:
            same = math.isclose(sum(self.products), self.total, rel_tol=1e-9, abs_tol=1e-12)
            check = "  ✓ the same" if same else "  ✗ NOT the same"
        lines = [f"engine: ∂{top}/∂{self.x_name} = {format_value(self.total)} ({self.total_from}){check}"]
        longest = max((len(c.edges) for c in self.chains), default=0)
        lines.append(f"listing the chains: {_count_text(self.count)} chains"
                     + (f" of up to {longest} factors" if longest else ""))
        lines.append(f"the sweep: {self.sweep_edges} edges, each used once: chains that meet "
                     f"at a node are summed there")
        return lines

    # ------------------------------------------------------------------------ picture
    def _panels(self) -> list[Scene]:
        """One graph per listed chain, the chain highlighted and its factors on its edges."""
        if self.source is None or len(self.graph) > MAX_DRAWN_NODES:
            return []
        layout = layout_for(self.graph, show_grads=False, grad_lines=False)
        out = []
        for k, chain in enumerate(self.chains):
            labels = {(e.src, e.dst, e.position): "" for e in self.graph.edges}
            for key, f, top, low in zip(chain.edges, chain.factors, chain.labels[1:],
                                        chain.labels[:-1]):
                number = format_value(f) if f is not None else "…"
                labels[key] = f"∂{top}/∂{low} = {number}"
            product = f"{chain.symbol} = {chain.numbers}"
            if chain.numbers != format_value(chain.product):
                product += f" = {format_value(chain.product)}"
            title = f"chain {k + 1}: {' → '.join(chain.labels)},  {product}"
            s = scene(self.graph, show_grads=False, highlight_nodes=chain.nodes,
                      highlight_edges=chain.edges, edge_labels=labels, layout=layout,
                      title=title)
            out.append(replace(s, footer=(), height=s.top + layout.height + 4))
        return out

    def _lines(self) -> list[tuple[str, str]]:
        """The text under the panels as (text, colour): chains as text when not drawn."""
        lines: list[tuple[str, str]] = []
        if self.source is None:
            lines.append((f"{self.x_name} does not reach this output: no chain, so the "
                          f"gradient is 0", "note"))
        elif not self._panels():
            for k, c in enumerate(self.chains):
                lines.append((f"chain {k + 1}: {_short(c.labels)}   product "
                              f"{format_value(c.product)}", "text"))
        lines += [(t, "text") for t in self.formula()]
        lines += [(t, "grad" if i == 0 else "muted") for i, t in enumerate(self.summary())]
        return lines

    def _placed(self):
        """Where the panels and the text lines go: (panels with offsets, lines, size)."""
        panels = self._panels()
        cell_w = max((p.width for p in panels), default=0.0)
        cols = max(1, min(len(panels), int((MAX_WIDTH - GAP) // (cell_w + GAP)) or 1))
        placed, y = [], HEAD
        for row in range(0, len(panels), cols):
            group = panels[row:row + cols]
            for i, p in enumerate(group):
                placed.append((GAP + i * (cell_w + GAP), y, p))
            y += max(p.height for p in group) + GAP
        lines = self._lines()
        width = max(GAP + cols * (cell_w + GAP) if panels else 0.0,
                    max(len(t) for t, _ in lines) * TEXT_CHAR + 2 * GAP, 420.0)
        height = y + len(lines) * (TEXT_SIZE + 6) + GAP
        return placed, lines, y, width, height

    def _heading(self) -> str:
        top = self.graph.nodes[self.target].label
        many = "chain" if self.count == 1 else "chains"
        return f"∂{top}/∂{self.x_name}: {_count_text(self.count)} {many} from {self.x_name} to {top}"

    def to_svg(self) -> str:
        """The picture as standalone SVG text: one graph per chain, then the sum."""
        placed, lines, y0, width, height = self._placed()
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}" height="{height:.1f}" '
            f'viewBox="0 0 {width:.1f} {height:.1f}" font-family="{FONT}" class="ag-chains">',
            f'<rect x="0.5" y="0.5" width="{width - 1:.1f}" height="{height - 1:.1f}" rx="8" '
            f'fill="{PALETTE["background"]}" stroke="{PALETTE["frame"]}"/>',
            f'<text x="{GAP:.1f}" y="24.0" font-family="DejaVu Sans, Helvetica, Arial, '
            f'sans-serif" font-size="16" font-weight="bold" fill="{PALETTE["text"]}">'
            f'{_escape(self._heading())}</text>',
        ]
        for k, (px, py, panel) in enumerate(placed):
            svg = to_svg(panel).replace('id="node-', f'id="chain{k + 1}-node-').replace(
                'id="edge-', f'id="chain{k + 1}-edge-')
            out.append(f'<g class="ag-chain" id="chain-{k + 1}" '
                       f'transform="translate({px:.1f},{py:.1f})">{svg}</g>')
        for i, (text, color) in enumerate(lines):
            out.append(f'<text class="ag-chains-sum" x="{GAP:.1f}" '
                       f'y="{y0 + (i + 1) * (TEXT_SIZE + 6) - 4:.1f}" font-size="{TEXT_SIZE:.0f}" '
                       f'fill="{PALETTE[color]}" xml:space="preserve">{_escape(text)}</text>')
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def save(self, path: str | Path, scale: float = 2.0) -> Path:
        """Write ``path`` as SVG or PNG (by its suffix); PNG at ``scale`` pixels per unit."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.to_svg(), encoding="utf-8")
        elif suffix == ".png":
            self._save_png(path, scale)
        else:
            raise ValueError(f"Chains.save: cannot write {path.name!r}; use a name ending in "
                             f".svg or .png")
        return path

    def _save_png(self, path: Path, scale: float) -> None:
        """The same picture with matplotlib: each panel drawn by ``png.save_png``, then placed."""
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.image import imread
        from matplotlib.patches import FancyBboxPatch

        from .png import save_png

        placed, lines, y0, width, height = self._placed()
        fig = Figure(figsize=(width / 100, height / 100), dpi=100 * scale)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.axis("off")
        ax.add_patch(FancyBboxPatch((0.5, 0.5), width - 1, height - 1,
                                    boxstyle="round,pad=0,rounding_size=8",
                                    facecolor=PALETTE["background"], edgecolor=PALETTE["frame"]))
        ax.text(GAP, 24, self._heading(), fontsize=16 * 0.72, fontweight="bold",
                color=PALETTE["text"], va="baseline")
        for px, py, panel in placed:
            buffer = io.BytesIO()
            save_png(panel, buffer, scale=scale)
            buffer.seek(0)
            ax.imshow(imread(buffer), extent=(px, px + panel.width, py + panel.height, py),
                      interpolation="antialiased", zorder=2)
        for i, (text, color) in enumerate(lines):
            ax.text(GAP, y0 + (i + 1) * (TEXT_SIZE + 6) - 4, text, fontsize=TEXT_SIZE * 0.72,
                    family="DejaVu Sans Mono", va="baseline", color=PALETTE[color])
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        fig.savefig(path, format="png", dpi=100 * scale)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"image/svg+xml": self.to_svg(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        shown = ", ".join(f"{_short(c.labels)}: {format_value(c.product)}"
                          for c in self.chains[:4])
        more = ", …" if len(self.chains) > 4 else ""
        return (f"Chains: {_count_text(self.count)} from {self.x_name} to "
                f"{self.graph.nodes[self.target].label} ({shown}{more}); "
                f"engine gradient {format_value(self.total)}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(labels: Sequence[str]) -> str:
    if len(labels) <= 7:
        return " → ".join(labels)
    return " → ".join([*labels[:3], "…", *labels[-3:]]) + f" ({len(labels)} nodes)"


def _count_text(count: int) -> str:
    """``2``, ``1,048,576 = 2²⁰``: powers of two say so, as the ladder's counts are."""
    text = f"{count:,}"
    if count > 8 and count & (count - 1) == 0:
        exponent = str(count.bit_length() - 1).translate(str.maketrans("0123456789",
                                                                       "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        text += f" = 2{exponent}"
    return text


def _wrapped(lead: str, terms: Sequence[str], width: int = 96) -> list[str]:
    """``lead`` + terms joined by `` + ``, broken into lines of at most ``width`` characters."""
    lines, current = [], lead
    for i, term in enumerate(terms):
        piece = term if i == 0 else f" + {term}"
        if i and len(current) + len(piece) > width:
            lines.append(current)
            current = " " * len(lead) + "+ " + term
        else:
            current += piece
    lines.append(current)
    return lines


# ---------------------------------------------------------------------------- entry point
def chains(output: Tensor, x: Tensor, index=None, *, top: int = 4,
           max_listed: int = 8) -> Chains:
    """Every chain from ``x`` to ``output``: ∂output/∂x = Σ over chains of Π local derivatives.

    Parameters
    ----------
    output : a one-number tensor computed from ``x`` (pick an element, ``y[0]``, or ``y.sum()``)
    x : a tensor ``output`` was computed from (an input or an intermediate result)
    index : for a tensor ``x``, the element whose chains to follow (``index=1``,
        ``index=(0, 2)``); each chain then carries that element through elementwise
        operations and into reductions to one number
    top : how many of the largest chains to list when there are more than ``max_listed``
    max_listed : list every chain up to this many; beyond, count them and show the ``top``
        largest (never listing them all: a ladder of 60 rungs has 2⁶⁰)

    Returns a ``Chains``: ``.paths``, ``.products``, ``.total`` (the engine's gradient),
    ``.count``; it displays as SVG in a notebook and ``.save(path)`` writes ``.svg``/``.png``.
    The engine's gradient comes from its own reverse sweep, run without writing ``.grad``.
    """
    need_tensor(output, "chains: output", "pass the result of a computation on tensors")
    need_tensor(x, "chains: x", "pass a tensor that output was computed from")
    if output.size != 1:
        raise ValueError(f"chains: output has shape {output.shape}; chains lead to one number, "
                         f"so pick an element (y[0]) or reduce it (y.sum())")
    if not x.requires_grad:
        raise ValueError("chains: x does not require grad, so the engine records no chain "
                         "from it; create it with requires_grad=True")
    top = whole_number(top, "chains: top", low=1)
    max_listed = whole_number(max_listed, "chains: max_listed", low=1)
    element = _flat_index(x, index)
    graph, source = _locate(output, x)
    target = graph.outputs[0]
    gradient, steps, total_from = _engine_gradient(output, x, graph, source)
    total = float(gradient.reshape(-1)[element or 0])
    name = x.name or (graph.nodes[source].label if source is not None else "x")
    x_name = name if element is None else f"{name}[{_index_text(x.shape, element)}]"
    if source is None:
        return Chains(graph, None, target, (), 0, total, total_from, x_name, sweep_cost(graph))
    seed = np.zeros(x.shape)
    seed.reshape(-1)[element or 0] = 1.0
    edges_of = _Edges(graph, steps)
    count = count_paths(graph, source, target)
    if count <= max_listed:
        paths = _all_paths(graph, source, target)
        paths.sort(key=lambda p: [-k[1] for k in p])  # as the sweep reaches x through them
    else:
        paths = _best_paths(graph, edges_of, seed, source, target, top)
    listed = [_build_chain(graph, edges_of, seed, source, p, x_name) for p in paths]
    return Chains(graph, source, target, listed, count, total, total_from, x_name,
                  sweep_cost(graph))
