"""SVG text of a computation graph, from ``graph.describe``'s plain description and a layout.

``scene`` decides what is shown (boxes with lines of text, arrows with labels, colours);
``render`` writes that scene as SVG. The PNG export draws the same scene with matplotlib, so
both pictures always agree.

Every node is ``<g id="node-{id}" class="ag-node ag-leaf|ag-const|ag-op ...">`` and every edge
``<g id="edge-{src}-{dst}-{position}" class="ag-edge">``, so a page can find and highlight
them. The text is deterministic: coordinates with one decimal, numbers formatted by
``format_value``, no ids from ``id()``, no timestamps; the same computation gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from ..graph import Graph, GraphEdge, GraphNode
from ..tables import format_value
from .layout import Layout, layered_layout

__all__ = [
    "render", "layout_for", "sized_layout", "box_sizes", "scene", "to_svg", "path_data", "Scene", "Box", "Arrow", "Line",
    "node_title", "edge_text", "PALETTE", "FONT", "FONT_SIZE", "CHAR_WIDTH", "LINE_HEIGHT", "PAD",
]

FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
FONT_SIZE = 12.0
CHAR_WIDTH = 7.3  # a monospace glyph at FONT_SIZE, rounded up: widths are known without a font
LINE_HEIGHT = 16.0
FOOTER_CHAR = 6.7  # a glyph of the 11-pixel footer
PAD = 8.0

# Explicit colours everywhere (and a white card behind), so the picture reads the same on a
# white or a dark notebook theme.
PALETTE = {
    "background": "#ffffff", "frame": "#d0d7de", "text": "#1f2328", "muted": "#57606a",
    "grad": "#c2410c", "note": "#6f42c1",
    "leaf": ("#dbeafe", "#1d4ed8"), "const": ("#f3f4f6", "#6b7280"),
    "op": ("#fffbeb", "#92400e"), "output": ("#dcfce7", "#15803d"),
    "collapsed": ("#ede9fe", "#6d28d9"),
    "edge": "#57606a", "label_fill": "#f6f8fa", "label_stroke": "#afb8c1",
    "highlight": "#f59e0b",
}

_SYMBOLS = {"add": "+", "sub": "-", "mul": "·", "div": "/", "matmul": "@", "pow": "**"}


@dataclass(frozen=True)
class Line:
    """One line of text in a box: ``lead`` in bold, then ``text``; ``color`` a PALETTE key."""

    lead: str
    text: str
    color: str = "text"


@dataclass(frozen=True)
class Box:
    id: int
    classes: str
    x: float  # centre
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    stroke_width: float
    dashed: bool
    lines: tuple[Line, ...]
    tooltip: str


@dataclass(frozen=True)
class Arrow:
    key: tuple[int, int, int]
    points: tuple[tuple[float, float], ...]
    color: str
    width: float
    label: str | None
    label_at: tuple[float, float] | None
    tooltip: str


@dataclass(frozen=True)
class Scene:
    width: float
    height: float
    title: str | None
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    footer: tuple[str, ...]
    top: float  # where the graph starts (below the title)


def _operand(node: GraphNode) -> str:
    if node.kind == "const" and not node.name and node.value is not None and node.value.size == 1:
        return format_value(node.value)
    return node.label


def node_title(graph: Graph, node: GraphNode) -> tuple[str, str]:
    """(label, what it is): ``("e", "= a + b")``, ``("a", "input")``, ``("c1", "constant")``."""
    if node.kind == "leaf":
        return node.label, "input"
    if node.kind == "const":
        return node.label, "constant"
    if "formula" in node.params:  # a collapsed graph keeps the formulas of the full one
        return node.label, node.params["formula"]
    args = [_operand(graph.nodes[i]) for i in node.inputs]
    if node.op in _SYMBOLS and len(args) == 2:
        return node.label, f"= {args[0]} {_SYMBOLS[node.op]} {args[1]}"
    if node.op == "neg" and len(args) == 1:
        return node.label, f"= -{args[0]}"
    if node.op == "getitem" and len(args) == 1 and "index" in node.params:
        text = f"= {args[0]}[{_index_text(node.params['index'])}]"
        return node.label, text if len(text) <= 28 else f"= {args[0]}[…]"
    params = [f"{k}={v!r}" for k, v in node.params.items() if v is not None and v is not False
              and isinstance(v, (int, float, tuple, str))]
    for text in (f"= {node.op}({', '.join(args + params)})", f"= {node.op}({', '.join(args)})"):
        if len(text) <= 28:
            return node.label, text
    return node.label, f"= {node.op}(…)"


def _index_text(index) -> str:
    """``0``, ``:, 1``, ``1:3``: an index as it was written."""
    parts = index if isinstance(index, tuple) else (index,)
    out = []
    for part in parts:
        if isinstance(part, slice):
            ends = [part.start, part.stop] + ([] if part.step is None else [part.step])
            out.append(":".join("" if v is None else str(v) for v in ends))
        elif part is Ellipsis:
            out.append("...")
        elif part is None:
            out.append("None")
        elif isinstance(part, (int, np.integer)):
            out.append(str(int(part)))
        else:
            out.append("…")
    return ", ".join(out)


def edge_text(graph: Graph, edge: GraphEdge) -> str | None:
    """The local derivative on an edge, when it is one number or a few."""
    if edge.local is None:
        return None
    local = np.asarray(edge.local)
    if local.size == 1:
        number = format_value(local)
    elif local.size and np.all(local == local.flat[0]):
        number = f"{format_value(local.flat[0])} each"
    elif local.size <= 3:
        number = "[" + ", ".join(format_value(v) for v in local.ravel()) + "]"
    else:
        return None
    dst, src = graph.nodes[edge.dst].label, graph.nodes[edge.src].label
    full = f"∂{dst}/∂{src} = {number}"
    return full if len(full) <= 20 else number


def _kind(node: GraphNode) -> str:
    if node.is_output:  # the output stays green, even when it ends a merged box
        return "output"
    if "collapsed" in node.params:
        return "collapsed"
    return node.kind


def _lines(graph: Graph, node: GraphNode, show_grads: bool, grad, note: str | None,
           reserve_grad: bool) -> list[Line]:
    label, what = node_title(graph, node)
    lines = [Line(label, " " + what)]
    if "collapsed" in node.params:
        lines.append(Line("", str(node.params["collapsed"]), "note"))
    if node.value is not None or "collapsed" not in node.params:
        value = format_value(node.value) if node.value is not None else "(released)"
        lines.append(Line("", "value " + value))
    if show_grads and grad is not None:
        lines.append(Line("", "grad  " + format_value(grad), "grad"))
    elif show_grads and reserve_grad:
        lines.append(Line("", ""))
    if note:
        lines.append(Line("", note, "note"))
    return lines


def _text_width(lines: Sequence[Line]) -> float:
    return max(len(line.lead) + len(line.text) for line in lines) * CHAR_WIDTH + 2 * PAD


def _box_size(lines: Sequence[Line]) -> tuple[float, float]:
    return max(72.0, _text_width(lines)), len(lines) * LINE_HEIGHT + PAD


def layout_for(graph: Graph, *, show_grads: bool = True, grad_lines: bool = True,
               note_lines: int = 0) -> Layout:
    """A layout that fits every frame of ``graph``: room for a gradient line on every node
    (``grad_lines``) and ``note_lines`` extra lines, so frames can change text, not places."""
    sizes, labels = box_sizes(graph, show_grads=show_grads, grad_lines=grad_lines,
                              note_lines=note_lines)
    return layered_layout(
        [n.id for n in graph.nodes],
        [(e.src, e.dst, e.position) for e in graph.edges],
        sizes, label_sizes=labels,
    )


def sized_layout(graph: Graph, **room) -> Layout:
    """``layout_for``'s box sizes with every box at the origin, for a front end that places
    the boxes itself (the player's page does, with ``static/layout.js``); ``room`` as there."""
    sizes, _ = box_sizes(graph, **room)
    origin = (0.0, 0.0)
    routes = {(e.src, e.dst, e.position): (origin, origin) for e in graph.edges}
    return Layout({i: origin for i in sizes}, sizes, {i: 0 for i in sizes}, routes,
                  dict.fromkeys(routes, origin), 0.0, 0.0)


def box_sizes(graph: Graph, *, show_grads: bool = True, grad_lines: bool = True,
              note_lines: int = 0) -> tuple[dict, dict]:
    """Each box's (width, height), with the room ``layout_for`` describes, and each edge
    label's size."""
    sizes = {}
    for node in graph.nodes:
        grad = node.grad
        if grad is None and grad_lines:  # a stand-in of the same shape, for the width
            grad = node.value if node.value is not None else np.zeros(node.shape)
        lines = _lines(graph, node, show_grads, grad, None, False)
        w, h = _box_size(lines)
        sizes[node.id] = (w, h + note_lines * LINE_HEIGHT)
    labels = {}
    for edge in graph.edges:
        text = edge_text(graph, edge)
        if text:
            labels[(edge.src, edge.dst, edge.position)] = (len(text) * CHAR_WIDTH + 8, 16.0)
    return sizes, labels


def scene(
    graph: Graph,
    *,
    show_grads: bool = True,
    grads: Mapping[int, np.ndarray] | None = None,
    highlight_nodes: Sequence[int] = (),
    highlight_edges: Sequence[tuple[int, int, int]] = (),
    edge_labels: Mapping[tuple[int, int, int], str] | None = None,
    node_notes: Mapping[int, str] | None = None,
    layout: Layout | None = None,
    title: str | None = None,
    footer: Sequence[str] = (),
) -> Scene:
    """What the picture shows, placed; see ``render`` for the arguments."""
    node_notes = node_notes or {}
    edge_labels = edge_labels or {}
    has_grads = grads is not None or any(n.grad is not None for n in graph.nodes)
    if layout is None:
        layout = layout_for(graph, show_grads=show_grads, grad_lines=has_grads,
                            note_lines=1 if node_notes else 0)
    top = 30.0 if title else 0.0
    hl_nodes, hl_edges = set(highlight_nodes), set(highlight_edges)

    boxes = []
    for node in graph.nodes:
        grad = grads.get(node.id) if grads is not None else node.grad
        lines = _lines(graph, node, show_grads, grad, node_notes.get(node.id), False)
        x, y = layout.positions[node.id]
        w, h = layout.sizes[node.id]
        need_w, need_h = _box_size(lines)
        w, h = max(w, need_w), max(h, need_h)  # text never spills out of its box
        kind = _kind(node)
        fill, stroke = PALETTE[kind]
        classes = ["ag-node", f"ag-{node.kind}"]
        if node.is_output:
            classes.append("ag-output")
        if kind == "collapsed":
            classes.append("ag-collapsed")
        if node.id in hl_nodes:
            classes.append("ag-highlight")
        tip = f"{node.label}: {node.op or node.kind}, shape {node.shape}, {node.dtype}"
        boxes.append(Box(
            node.id, " ".join(classes), x, y + top, w, h, fill, stroke,
            2.5 if node.is_output or kind == "collapsed" else 1.5, node.kind == "const",
            tuple(lines), tip,
        ))

    arrows = []
    for edge in graph.edges:
        key = (edge.src, edge.dst, edge.position)
        text = edge_labels.get(key, edge_text(graph, edge))
        points = tuple((px, py + top) for px, py in layout.routes[key])
        lx, ly = layout.label_points[key]
        hl = key in hl_edges
        src, dst = graph.nodes[edge.src].label, graph.nodes[edge.dst].label
        arrows.append(Arrow(
            key, points, PALETTE["highlight"] if hl else PALETTE["edge"], 3.0 if hl else 1.3,
            text, (lx, ly + top),
            f"{src} → {dst} (input {edge.position})" + (f": {text}" if text else ""),
        ))

    legend = ["blue: input", "grey: constant", "amber: operation", "green: output"]
    if any("ag-collapsed" in b.classes.split() for b in boxes):
        legend.append("violet: collapsed")
    if graph.edges:
        legend.append("on edges: local derivative ∂out/∂in")
    notes_width = max((len(f) * FOOTER_CHAR + 32 for f in footer), default=0.0)
    footer = tuple(footer) + _wrap(legend, max(layout.width, notes_width, 380.0))
    width = max(layout.width, max(len(f) for f in footer) * FOOTER_CHAR + 32)
    if title:
        width = max(width, len(title) * 8.0 + 32)
    height = top + layout.height + 8 + LINE_HEIGHT * len(footer)
    return Scene(width, height, title, tuple(boxes), tuple(arrows), footer, top)


def _wrap(parts: Sequence[str], width: float) -> tuple[str, ...]:
    """Legend entries joined with wide spaces, in as many lines as ``width`` needs."""
    lines: list[str] = []
    for part in parts:
        if lines and (len(lines[-1]) + 3 + len(part)) * FOOTER_CHAR + 32 <= width:
            lines[-1] += "   " + part
        else:
            lines.append(part)
    return tuple(lines)


def _f(v: float) -> str:
    """Fixed formatting: the same float always gives the same text (and no "-0.0")."""
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


def path_data(points: Sequence[tuple[float, float]]) -> str:
    """Smooth curve through ``points`` with horizontal tangents (a cubic per segment)."""
    (x0, y0), parts = points[0], [f"M{_f(points[0][0])},{_f(points[0][1])}"]
    for x1, y1 in points[1:]:
        mid = (x1 - x0) / 2
        parts.append(f"C{_f(x0 + mid)},{_f(y0)} {_f(x1 - mid)},{_f(y1)} {_f(x1)},{_f(y1)}")
        x0, y0 = x1, y1
    return " ".join(parts)


def _arrow_svg(a: Arrow) -> str:
    x, y = a.points[-1]
    head = f"{_f(x)},{_f(y)} {_f(x - 8)},{_f(y - 4)} {_f(x - 8)},{_f(y + 4)}"
    out = [
        f'<g id="edge-{a.key[0]}-{a.key[1]}-{a.key[2]}" class="ag-edge">',
        f"<title>{escape(a.tooltip)}</title>",
        f'<path d="{path_data(a.points)}" fill="none" stroke="{a.color}" '
        f'stroke-width="{_f(a.width)}"/>',
        f'<polygon points="{head}" fill="{a.color}"/>',
    ]
    if a.label:
        lx, ly = a.label_at
        w = len(a.label) * CHAR_WIDTH + 8
        out.append(
            f'<rect x="{_f(lx - w / 2)}" y="{_f(ly - 8)}" width="{_f(w)}" height="16" rx="4" '
            f'fill="{PALETTE["label_fill"]}" stroke="{PALETTE["label_stroke"]}"/>'
        )
        out.append(
            f'<text x="{_f(lx)}" y="{_f(ly + 4)}" text-anchor="middle" '
            f'fill="{PALETTE["text"]}">{escape(a.label)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _box_svg(b: Box) -> str:
    left, top = b.x - b.w / 2, b.y - b.h / 2
    dash = ' stroke-dasharray="4 3"' if b.dashed else ""
    out = [
        f'<g id="node-{b.id}" class="{b.classes}">',
        f"<title>{escape(b.tooltip)}</title>",
    ]
    if "ag-highlight" in b.classes:
        out.append(
            f'<rect x="{_f(left - 4)}" y="{_f(top - 4)}" width="{_f(b.w + 8)}" '
            f'height="{_f(b.h + 8)}" rx="9" fill="none" stroke="{PALETTE["highlight"]}" '
            f'stroke-width="4"/>'
        )
    out.append(
        f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(b.w)}" height="{_f(b.h)}" rx="6" '
        f'fill="{b.fill}" stroke="{b.stroke}" stroke-width="{_f(b.stroke_width)}"{dash}/>'
    )
    for i, line in enumerate(b.lines):
        if not (line.lead or line.text):
            continue
        y = top + PAD / 2 + LINE_HEIGHT * (i + 1) - 4
        lead = f'<tspan font-weight="bold">{escape(line.lead)}</tspan>' if line.lead else ""
        out.append(
            f'<text x="{_f(left + PAD)}" y="{_f(y)}" fill="{PALETTE[line.color]}" '
            f'xml:space="preserve">{lead}{escape(line.text)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def to_svg(s: Scene) -> str:
    """The scene as a standalone SVG document (UTF-8 text)."""
    w, h = _f(s.width), _f(s.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="{_f(FONT_SIZE)}" '
        f'class="ag-graph">',
        f'<rect class="ag-background" x="0.5" y="0.5" width="{_f(s.width - 1)}" '
        f'height="{_f(s.height - 1)}" rx="8" fill="{PALETTE["background"]}" '
        f'stroke="{PALETTE["frame"]}"/>',
    ]
    if s.title:
        out.append(
            f'<text x="16.0" y="22.0" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" '
            f'font-size="15" font-weight="bold" fill="{PALETTE["text"]}">{escape(s.title)}</text>'
        )
    out += [_arrow_svg(a) for a in s.arrows]
    out += [_box_svg(b) for b in s.boxes]
    y = s.height - 8 - LINE_HEIGHT * (len(s.footer) - 1)
    for i, line in enumerate(s.footer):
        out.append(
            f'<text class="ag-footer" x="16.0" y="{_f(y + i * LINE_HEIGHT - 4)}" font-size="11" '
            f'fill="{PALETTE["muted"]}" xml:space="preserve">{escape(line)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render(
    graph: Graph,
    *,
    show_grads: bool = True,
    grads: Mapping[int, np.ndarray] | None = None,
    highlight_nodes: Sequence[int] = (),
    highlight_edges: Sequence[tuple[int, int, int]] = (),
    edge_labels: Mapping[tuple[int, int, int], str] | None = None,
    node_notes: Mapping[int, str] | None = None,
    layout: Layout | None = None,
    title: str | None = None,
    footer: Sequence[str] = (),
) -> str:
    """SVG text of ``graph``.

    show_grads       show each node's gradient line (``grads`` overrides ``node.grad`` per id,
                     e.g. the running sums of a frame of the backward sweep)
    highlight_nodes  node ids drawn with an amber ring (class ``ag-highlight``)
    highlight_edges  ``(src, dst, position)`` triples drawn thick and amber
    edge_labels      ``(src, dst, position)`` -> text replacing the local derivative on an edge
    node_notes       node id -> one extra line of text in the box
    layout           a ``layout_for(graph)`` to reuse, so frames keep their positions
    title, footer    a heading, and extra lines under the picture (e.g. what was collapsed)
    """
    return to_svg(scene(
        graph, show_grads=show_grads, grads=grads, highlight_nodes=highlight_nodes,
        highlight_edges=highlight_edges, edge_labels=edge_labels, node_notes=node_notes,
        layout=layout, title=title, footer=footer,
    ))
