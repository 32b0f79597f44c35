"""The tape as tables: the forward primal trace and the reverse adjoint trace.

Rows use the labels of ``graph.describe`` (x1, v1, ... or the tensors' names), so a table and
a drawing of the same computation can be read side by side. Plain HTML and text, no display
libraries.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np

from .backward import SweepStep, seed_for, sweep
from .graph import Graph, describe

__all__ = ["Table", "primal_table", "adjoint_table", "format_value"]


def format_value(x, digits: int = 4) -> str:
    """A short text for a value: the number for scalars, else shape and a few numbers."""
    if x is None:
        return ""
    a = np.asarray(x)
    if a.size == 1:
        v = a.item()
        return f"{v:.{digits}g}" if isinstance(v, float) else str(v)
    flat = ", ".join(f"{v:.3g}" for v in a.ravel()[:3])
    more = ", …" if a.size > 3 else ""
    return f"{a.shape} [{flat}{more}]"


# "v2" + combining macron puts the bar on the "2" only; in HTML the whole name gets the bar
_ADJOINT = re.compile("([^\\s·=+∂/]+)\u0304")


def _cell_html(text: str) -> str:
    return _ADJOINT.sub(r'<span style="text-decoration:overline">\1</span>', html.escape(text))


# the colours and font of the graph pictures (autograd_nb.viz.svg), for reading side by side
_HTML = {
    "background": "#ffffff", "text": "#1f2328", "head": "#f6f8fa", "rule": "#d0d7de",
    "frame": "#d0d7de", "highlight": "#fde68a",
    "font": "'DejaVu Sans Mono', Menlo, Consolas, monospace",
}


@dataclass(frozen=True)
class Table:
    """A small table that shows as HTML in a notebook and as aligned text elsewhere."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    highlight: int | None = None

    def _repr_html_(self) -> str:
        # Every cell carries its own colours (as the graph pictures do), so the table reads
        # the same on light and dark notebook themes whatever the page's table styles are.
        cell = f"padding:2px 10px;text-align:left;border-bottom:1px solid {_HTML['rule']};"
        head = "".join(
            f'<th style="{cell}background:{_HTML["head"]};color:{_HTML["text"]}">'
            f"{html.escape(c)}</th>"
            for c in self.columns
        )
        body = []
        for i, row in enumerate(self.rows):
            fill = _HTML["highlight"] if i == self.highlight else _HTML["background"]
            cells = "".join(
                f'<td style="{cell}background:{fill};color:{_HTML["text"]}'
                f'{";font-weight:bold" if j == 0 else ""}">{_cell_html(c)}</td>'
                for j, c in enumerate(row)
            )
            body.append(f"<tr>{cells}</tr>")
        return (
            f'<div class="autograd-nb-table" style="display:inline-block;'
            f'background:{_HTML["background"]};color:{_HTML["text"]};padding:8px 10px;'
            f'border:1px solid {_HTML["frame"]};border-radius:8px;font-family:{_HTML["font"]};'
            f'font-size:12px">'
            f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(self.title)}</div>'
            f'<table style="border-collapse:collapse;margin:0;font-family:{_HTML["font"]};'
            f'font-size:12px">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        widths = [len(c) for c in self.columns]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
        lines = [self.title, "  ".join(c.ljust(w) for c, w in zip(self.columns, widths))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in self.rows]
        return "\n".join(line.rstrip() for line in lines)


def _call(graph: Graph, node) -> str:
    args = ", ".join(graph.nodes[i].label for i in node.inputs)
    symbols = {"add": "+", "sub": "-", "mul": "·", "div": "/", "matmul": "@", "pow": "**"}
    if node.op in symbols and len(node.inputs) == 2:
        a, b = (graph.nodes[i] for i in node.inputs)
        return f"{_operand(a)} {symbols[node.op]} {_operand(b)}"
    if node.op == "neg":
        return f"-{args}"
    return f"{node.op}({args})"


def _operand(n) -> str:
    return n.label if n.kind != "const" or n.name or n.value is None or n.value.size != 1 \
        else format_value(n.value)


def primal_table(tape) -> Table:
    """Forward primal trace: inputs, then each recorded operation with its value."""
    graph = describe(*[r.output for r in tape.records])
    rows = []
    for node in graph.nodes:
        if node.kind == "op":
            continue
        if node.kind == "const" and (node.value is not None and node.value.size == 1) and not node.name:
            continue  # numbers written inline
        rows.append((node.label, "input" if node.kind == "leaf" else "constant", "",
                     format_value(node.value)))
    for node in graph.nodes:
        if node.kind == "op":
            rows.append((node.label, node.op, _call(graph, node), format_value(node.value)))
    return Table("forward primal trace", ("var", "op", "computation", "value"), tuple(rows))


def adjoint_table(target, tape=None) -> Table:
    """Reverse adjoint trace from ``target``: each edge of the real sweep, in sweep order.

    ``v̄`` is the adjoint ∂target/∂v; each row adds one chain term ``v̄_out · ∂out/∂v`` into the
    adjoint of an input, and the last column is that input's running sum.
    """
    graph = describe(target)
    steps: list[SweepStep] = []
    sweep(target._node, seed_for(target, None, False, "adjoint_table"), retain_graph=True,
          accumulate=False, observer=steps.append)
    rows = [("", f"{graph.node_for_key(target._node.index).label}̄ = 1", "", "", "seed")]
    for s in steps:
        if s.kind != "edge":
            continue
        out = graph.node_for_key(s.node)
        inp = graph.node_for_key(s.parent)
        local = "" if s.local is None else format_value(s.local)
        rows.append((
            f"{inp.label}̄ += {out.label}̄ · ∂{out.label}/∂{inp.label}",
            f"{format_value(s.grad)} · {local or '(vjp)'}",
            format_value(s.contribution),
            format_value(s.total),
            f"term {s.terms}",
        ))
    return Table("reverse adjoint trace", ("adjoint", "numbers", "chain term", "running sum", ""),
                 tuple(rows))
