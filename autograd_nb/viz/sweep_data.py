"""A recorded sweep as plain data for the front-end player (``static/sweep_player.js``).

The graph travels once: each box and arrow as the scene that ``svg.render`` draws has them
(sizes, colours, lines of text, edge labels), and the groups a learner can close into one box
and open again (module calls, chains of single steps: ``grouping.py``), with the box each shows
when closed. The page lays the graph out itself (``static/layout.js``, the same layered layout
as ``layout.py``), since what is shown changes as groups open and close. Then each step travels
as what it changes: the nodes and edges it lights up, the equation, the note, its row of the
trace table, the full values, and the one running sum (reverse) or tangent (forward) it writes.
So the data grows with nodes + steps, never nodes × steps.

Everything here is read from a ``Recording`` (the engine's own sweep, see ``recording.py``);
nothing is computed again. The live widget and the saved page send the same dictionary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..tables import format_value
from .collapse import plain_number
from .grouping import Group, innermost_groups, player_groups
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
    scene,
    sized_layout,
)

__all__ = ["sweep_data", "sweep_json", "graph_layout", "reverse_note", "fit"]

# bump when the shape of the data changes, so the script can refuse data it does not read
DATA_VERSION = 2

# a graph of more boxes than this starts with groups closed, as ``draw`` collapses at 100
MAX_BOXES = 100


def graph_layout(recording: Recording, placed: bool = True) -> Layout:
    """A layout with room in every box for the lines any frame writes (gradient, note);
    ``placed=False`` gives the sizes alone (the page places the boxes itself)."""
    forward = recording.direction == "forward"
    return (layout_for if placed else sized_layout)(
        recording.graph, show_grads=not forward, grad_lines=not forward, note_lines=1)


def sweep_data(recording: Recording, title: str, layout: Layout | None = None,
               max_boxes: int = MAX_BOXES) -> dict:
    """The graph (once) and every step of ``recording`` (what it changes), as JSON-ready data.

    Groups start closed as ``player_groups`` decides for ``max_boxes``."""
    layout = layout or graph_layout(recording, placed=False)
    forward = recording.direction == "forward"
    base = scene(recording.graph, show_grads=not forward, grads={}, layout=layout)
    edge_index = {arrow.key: k for k, arrow in enumerate(base.arrows)}
    groups = player_groups(recording.graph, max_boxes)
    inner = innermost_groups(groups, len(recording.graph.nodes))
    # as draw does for a big graph: numbers written in the code need no box (the formulas
    # that use them show them), and one used all along a long loop would stretch arrows
    # across the whole picture
    hidden = set() if len(recording.graph) <= max_boxes else {
        n.id for n in recording.graph.nodes if plain_number(n)}
    steps = [_step(recording, frame, edge_index, layout) for frame in recording.frames]
    # every box as wide as the longest running sum (or tangent) any step writes into it
    width = {box.id: box.w for box in base.boxes}
    for step in steps:
        node, text = step["set"]
        width[node] = max(width[node], len(text) * CHAR_WIDTH + 2 * PAD)
    return {
        "version": DATA_VERSION,
        "title": title,
        "direction": recording.direction,
        "columns": list(recording.columns),
        "font": {"family": FONT, "size": FONT_SIZE, "line": LINE_HEIGHT, "pad": PAD,
                 "char": CHAR_WIDTH},
        "palette": {k: v for k, v in PALETTE.items() if isinstance(v, str)},
        "legend": list(base.footer),
        "nodes": [_node(box, width[box.id], inner[box.id], box.id in hidden)
                  for box in base.boxes],
        "edges": [_edge(arrow) for arrow in base.arrows],
        "groups": [_group(group, width[max(group.nodes)]) for group in groups],
        "steps": steps,
    }


def sweep_json(data: dict) -> str:
    """``data`` as compact JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _node(box, width: float, group: int | None, hidden: bool) -> dict:
    """One box: size, colours, its fixed lines of text (label, formula, value), the smallest
    group it is in, and whether the page leaves it out (a number in a big graph)."""
    out = {
        "id": box.id, "cls": box.classes, "w": round(width, 1), "h": round(box.h, 1),
        "fill": box.fill, "stroke": box.stroke, "sw": box.stroke_width, "dashed": box.dashed,
        "tip": box.tooltip, "lines": [[line.lead, line.text, line.color] for line in box.lines],
    }
    if group is not None:
        out["g"] = group
    if hidden:
        out["hide"] = True
    return out


def _edge(arrow) -> dict:
    """One arrow: its key and its label (the page routes it)."""
    src, dst, position = arrow.key
    out = {"src": src, "dst": dst, "pos": position, "tip": arrow.tooltip}
    if arrow.label:
        out["label"] = arrow.label
    return out


def _group(group: Group, result_width: float) -> dict:
    """One group and the box it shows when closed: its name, its class, what it computes,
    and room for its result's running sum or tangent (as wide as the result's own box)."""
    what = {"chain": "a chain of single steps",
            "earlier part": "the earliest part of the graph"}.get(group.kind, "a module call")
    kind = "" if group.kind in ("chain", group.label) else f" {group.kind}"
    lines = [[group.label, kind, "text"],
             ["", f"{len(group.nodes)} boxes · {group.summary}", "note"]]
    width = max(len(lead) + len(text) for lead, text, _ in lines) * CHAR_WIDTH + 2 * PAD
    fill, stroke = PALETTE["collapsed"]
    return {
        "id": group.id, "label": group.label, "kind": group.kind, "parent": group.parent,
        "closed": group.closed,
        "out": max(group.nodes),  # its result: a closed box shows that node's sum or tangent
        "w": round(max(160.0, width, result_width), 1),
        "h": 4 * LINE_HEIGHT + PAD,  # its two lines, then the running sum and the note
        "fill": fill, "stroke": stroke,
        "tip": f"{group.label}: {what}, {len(group.nodes)} boxes; click to open",
        "lines": lines,
    }


def _step(recording: Recording, frame: Frame, edge_index: dict, layout: Layout) -> dict:
    """What ``frame`` changes: highlights, texts, its table row and the one value it writes."""
    target = frame.nodes[1] if frame.kind == "edge" else frame.node
    step = {
        "kind": frame.kind, "nodes": list(frame.nodes),
        "edges": [edge_index[key] for key in frame.edges],
        "eq": frame.equation, "note": frame.note, "row": list(frame.row),
        "detail": frame.detail,
    }
    value = frame.value  # what the step writes into target
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
