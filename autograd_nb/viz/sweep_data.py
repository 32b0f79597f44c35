"""A recorded sweep as plain data for the front-end player (``static/sweep_player.js``).

The graph travels once: each box and arrow placed by the same layout and scene that
``svg.render`` draws (positions, sizes, colours, lines of text, edge paths and labels). Then
each step travels as what it changes: the nodes and edges it lights up, the equation, the note,
its row of the trace table, the full values, and the one running sum (reverse) or tangent
(forward) it writes. So the data grows with nodes + steps, never nodes × steps.

Everything here is read from a ``Recording`` (the engine's own sweep, see ``recording.py``);
nothing is computed again. The live widget and the saved page send the same dictionary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..tables import format_value
from .layout import Layout
from .recording import Frame, Recording, number
from .svg import (
    CHAR_WIDTH,
    FONT,
    FONT_SIZE,
    LINE_HEIGHT,
    PAD,
    PALETTE,
    layout_for,
    path_data,
    scene,
)

__all__ = ["sweep_data", "sweep_json", "graph_layout", "reverse_note", "fit"]

# bump when the shape of the data changes, so the script can refuse data it does not read
DATA_VERSION = 1


def graph_layout(recording: Recording) -> Layout:
    """A layout with room in every box for the lines any frame writes (gradient, note)."""
    forward = recording.direction == "forward"
    return layout_for(recording.graph, show_grads=not forward, grad_lines=not forward,
                      note_lines=1)


def sweep_data(recording: Recording, title: str, layout: Layout | None = None) -> dict:
    """The graph (once) and every step of ``recording`` (what it changes), as JSON-ready data."""
    layout = layout or graph_layout(recording)
    forward = recording.direction == "forward"
    base = scene(recording.graph, show_grads=not forward, grads={}, layout=layout)
    edge_index = {arrow.key: k for k, arrow in enumerate(base.arrows)}
    return {
        "version": DATA_VERSION,
        "title": title,
        "direction": recording.direction,
        "columns": list(recording.columns),
        "font": {"family": FONT, "size": FONT_SIZE, "line": LINE_HEIGHT, "pad": PAD,
                 "char": CHAR_WIDTH},
        "palette": {k: v for k, v in PALETTE.items() if isinstance(v, str)},
        "width": round(layout.width, 1),
        "height": round(layout.height, 1),  # the legend is written under the picture
        "legend": list(base.footer),
        "nodes": [_node(box) for box in base.boxes],
        "edges": [_edge(arrow) for arrow in base.arrows],
        "steps": [_step(recording, frame, edge_index, layout) for frame in recording.frames],
    }


def sweep_json(data: dict) -> str:
    """``data`` as compact JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _node(box) -> dict:
    """One box: centre, size, colours and its fixed lines of text (label, formula, value)."""
    return {
        "id": box.id, "cls": box.classes, "x": round(box.x, 1), "y": round(box.y, 1),
        "w": round(box.w, 1), "h": round(box.h, 1), "fill": box.fill, "stroke": box.stroke,
        "sw": box.stroke_width, "dashed": box.dashed, "tip": box.tooltip,
        "lines": [[line.lead, line.text, line.color] for line in box.lines],
    }


def _edge(arrow) -> dict:
    """One arrow: its key, its path, where it ends (for the head) and its label."""
    src, dst, position = arrow.key
    out = {"src": src, "dst": dst, "pos": position, "d": path_data(arrow.points),
           "end": [round(v, 1) for v in arrow.points[-1]], "tip": arrow.tooltip}
    if arrow.label:
        out["label"] = arrow.label
        out["at"] = [round(v, 1) for v in arrow.label_at]
    return out


def _step(recording: Recording, frame: Frame, edge_index: dict, layout: Layout) -> dict:
    """What ``frame`` changes: highlights, texts, its table row and the one value it writes."""
    target = frame.nodes[1] if frame.kind == "edge" else frame.node
    step = {
        "kind": frame.kind, "nodes": list(frame.nodes),
        "edges": [edge_index[key] for key in frame.edges],
        "eq": frame.equation, "note": frame.note, "row": list(frame.row),
        "detail": frame.detail,
    }
    value = frame.values[target]
    if recording.direction == "forward":
        label = recording.graph.nodes[target].label
        step["set"] = [target, fit((f"d{label} = {number(value)}", f"d{label} ="),
                                   layout.sizes[target][0])]
    else:
        step["set"] = [target, "grad  " + format_value(value)]
        step["mark"] = [target, fit(reverse_note(frame), layout.sizes[target][0])]
    return step


def reverse_note(frame: Frame) -> tuple[str, ...]:
    """The short line the box a reverse step writes to shows, longest first."""
    if frame.kind == "edge":
        term = number(frame.term.value)
        return f"+= {term} (term {len(frame.terms)})", f"+= {term}", "+= term"
    if frame.kind == "visit":
        return "complete: pass it on", "complete", "done"
    return "final: to .grad", "final"


def fit(options: Sequence[str], width: float) -> str:
    """The longest of ``options`` (longest first) that fits a box ``width`` pixels wide, so a
    note never widens its box past the layout (boxes would overlap their edges' labels)."""
    room = int((width - 2 * PAD) / CHAR_WIDTH)
    for text in options:
        if len(text) <= room:
            return text
    return options[-1][: max(room - 1, 1)] + "…"
