"""Players that animate the chain rule: ``BackwardPlayer`` (reverse) and ``ForwardPlayer``.

Both are ipywidgets over a ``Recording`` (frames of the engine's own sweep, see
``recording.py``): play/pause, step back and forward, a slider over the steps and a speed; the
graph drawn by ``svg.render`` with the current node and edges highlighted; beside it the
equation of the step, the trace table with the current row marked and the full values.
The state that matters (``step``, ``highlighted_nodes``, ``highlighted_edges``, ``equation``)
lives in traitlets, so it can be checked without a browser. Where no kernel runs, the output
still shows the final graph with every gradient and the trace; ``save("x.html")`` writes a page
that plays offline.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as widgets
import traitlets

from .html_export import STYLE, page, trace_table
from .layout import Layout
from .recording import Frame, Recording, number, record_backward, record_forward_mode
from .svg import CHAR_WIDTH, PAD, layout_for, render

__all__ = ["BackwardPlayer", "ForwardPlayer", "SweepPlayer"]

TABLE_WINDOW = 5  # rows of the trace shown before and after the current one

# Play's interval (ms between steps) for each speed the dropdown offers.
SPEEDS = (("0.5×", 1600), ("1×", 800), ("2×", 400), ("4×", 200), ("8×", 100))


class SweepPlayer(widgets.VBox):
    """An ipywidget that plays the frames of ``recording`` (use the two players below)."""

    step = traitlets.Int(0, help="index of the frame shown")
    highlighted_nodes = traitlets.Tuple(help="graph node ids highlighted in this frame")
    highlighted_edges = traitlets.Tuple(help="(src, dst, position) of the highlighted edges")
    equation = traitlets.Unicode(help="the current step as one line with its numbers")
    note = traitlets.Unicode(help="what the current step does, in words")

    def __init__(self, recording: Recording, title: str) -> None:
        if not recording.frames:
            raise ValueError(f"{type(self).__name__}: the sweep has no steps to show")
        self.recording = recording
        self.title = title
        forward = recording.direction == "forward"
        self._graph_layout = layout_for(recording.graph, show_grads=not forward,
                                  grad_lines=not forward, note_lines=1)
        self._svgs: list[str | None] = [None] * len(recording.frames)
        n = len(recording.frames)
        # Play and slider count steps from 1, as the picture's title and the table do;
        # ``step`` indexes ``frames`` from 0.
        self._play = widgets.Play(value=1, min=1, max=n, step=1, interval=800,
                                  show_repeat=False, description="play",
                                  layout=widgets.Layout(width="auto"))
        self._slider = widgets.IntSlider(value=1, min=1, max=n, description="step",
                                         continuous_update=True,
                                         layout=widgets.Layout(width="320px"))
        self._count = widgets.Label(f"of {n}")
        self._speed = widgets.Dropdown(options=SPEEDS, value=800, description="speed",
                                       layout=widgets.Layout(width="150px"))
        self._back = widgets.Button(description="◀", tooltip="step back",
                                    layout=widgets.Layout(width="40px"))
        self._forward = widgets.Button(description="▶", tooltip="step forward",
                                       layout=widgets.Layout(width="40px"))
        self._graph = widgets.HTML(layout=widgets.Layout(flex="1 1 480px", max_width="900px"))
        self._equation = widgets.HTML()
        # a wide trace scrolls sideways inside its panel instead of being cut off at the edge
        self._table = widgets.HTML(layout=widgets.Layout(overflow="auto hidden", max_width="100%"))
        self._detail = widgets.HTML()
        widgets.link((self._play, "value"), (self._slider, "value"))
        widgets.link((self._speed, "value"), (self._play, "interval"))
        self._slider.observe(self._slider_moved, names="value")
        self._back.on_click(lambda _: self.step_back())
        self._forward.on_click(lambda _: self.step_forward())
        controls = widgets.HBox([self._play, self._back, self._forward, self._slider,
                                 self._count, self._speed])
        # An Accordion keeps its open/closed state while the values inside change each step.
        values = widgets.Accordion(children=[self._detail], titles=("values",),
                                   selected_index=None)
        side = widgets.VBox([self._equation, self._table, values],
                            layout=widgets.Layout(min_width="340px", flex="1 1 340px",
                                                  overflow="auto hidden"))
        body = widgets.HBox([self._graph, side], layout=widgets.Layout(flex_flow="row wrap"))
        style = widgets.HTML(f"<style>{STYLE}</style>")
        super().__init__([style, controls, body])
        self.observe(self._show, names="step")
        self._show()

    # ------------------------------------------------------------------ moving
    @traitlets.validate("step")
    def _valid_step(self, proposal) -> int:
        step = proposal["value"]
        if not 0 <= step < len(self.recording.frames):
            raise traitlets.TraitError(
                f"step {step} is outside the recording: 0 to {len(self.recording.frames) - 1}")
        return step

    def _slider_moved(self, change) -> None:
        self.step = change["new"] - 1

    def step_forward(self) -> None:
        """Show the next frame (stays on the last)."""
        self.step = min(self.step + 1, len(self.recording.frames) - 1)

    def step_back(self) -> None:
        """Show the previous frame (stays on the first)."""
        self.step = max(self.step - 1, 0)

    def go(self, step: int) -> None:
        """Show frame ``step`` (negative counts from the end, as in a list)."""
        self.step = range(len(self.recording.frames))[step]

    @property
    def frames(self) -> tuple[Frame, ...]:
        return self.recording.frames

    @property
    def frame(self) -> Frame:
        """The frame shown now."""
        return self.recording.frames[self.step]

    # ------------------------------------------------------------------ pictures
    def frame_svg(self, step: int) -> str:
        """SVG text of frame ``step`` (cached: frames never change)."""
        svg = self._svgs[step]
        if svg is None:
            svg = self._svgs[step] = self._render(self.recording.frames[step])
        return svg

    def _render(self, frame: Frame) -> str:
        n = len(self.recording.frames)
        heading = f"{self.title} — step {frame.index + 1} of {n}"
        if self.recording.direction == "forward":
            notes = _forward_notes(self.recording, frame, self._graph_layout)
            return render(self.recording.graph, show_grads=False,
                          highlight_nodes=frame.nodes, highlight_edges=frame.edges,
                          node_notes=notes,
                          layout=self._graph_layout, title=heading)
        return render(self.recording.graph, show_grads=True, grads=frame.values,
                      highlight_nodes=frame.nodes, highlight_edges=frame.edges,
                      node_notes=_reverse_notes(frame, self._graph_layout),
                      layout=self._graph_layout, title=heading)

    def final_svg(self) -> str:
        """The graph after the whole sweep: every gradient (or tangent), nothing highlighted."""
        last = self.recording.frames[-1]
        if self.recording.direction == "forward":
            notes = _forward_notes(self.recording, last, self._graph_layout)
            return render(self.recording.graph, show_grads=False, node_notes=notes,
                          layout=self._graph_layout, title=f"{self.title} — result")
        return render(self.recording.graph, show_grads=True, grads=last.values,
                      layout=self._graph_layout, title=f"{self.title} — result")

    def _show(self, change=None) -> None:
        frame = self.frame
        self.highlighted_nodes = frame.nodes
        self.highlighted_edges = frame.edges
        self.equation = frame.equation
        self.note = frame.note
        self._slider.value = frame.index + 1
        self._graph.value = f'<div class="agnb-stage">{self.frame_svg(frame.index)}</div>'
        self._equation.value = (
            f'<div class="agnb-player"><div class="agnb-equation">{html.escape(frame.equation)}'
            f'</div><div class="agnb-note">{html.escape(frame.note)}</div></div>'
        )
        self._table.value = (
            f'<div class="agnb-player"><div class="agnb-trace">'
            f"{trace_table(self.recording, frame.index, window=TABLE_WINDOW)}</div></div>"
        )
        self._detail.value = (
            f'<div class="agnb-player"><pre class="agnb-detail">{html.escape(frame.detail)}'
            f"</pre></div>"
        )

    # ------------------------------------------------------------------ outputs
    def static_html(self) -> str:
        """What shows where no kernel runs: the final graph and the whole trace."""
        return (
            f'<div class="agnb-player"><style>{STYLE}</style>{self.final_svg()}'
            f'<div class="agnb-trace" style="max-height:none">{trace_table(self.recording)}'
            f"</div></div>"
        )

    def to_html(self) -> str:
        """One self-contained HTML page that plays every frame offline."""
        svgs = [self.frame_svg(i) for i in range(len(self.recording.frames))]
        return page(self.recording, svgs, self.title)

    def save(self, path: str | Path) -> Path:
        """Write ``to_html()`` to ``path`` (e.g. ``"sweep.html"``); returns the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_mimebundle_(self, **kwargs) -> dict:
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = repr(self)
        data["text/html"] = self.static_html()
        return data

    def __repr__(self) -> str:
        n = len(self.recording.frames)
        return f"{type(self).__name__}({self.title}: {n} step{'' if n == 1 else 's'})"


def _fit(options: Sequence[str], width: float) -> str:
    """The longest of ``options`` (longest first) that fits a box ``width`` pixels wide, so a
    note never widens its box past the layout (boxes would overlap their edges' labels)."""
    room = int((width - 2 * PAD) / CHAR_WIDTH)
    for text in options:
        if len(text) <= room:
            return text
    return options[-1][: max(room - 1, 1)] + "…"


def _reverse_notes(frame: Frame, layout: Layout) -> dict[int, str]:
    """One short line in the box the step writes to."""
    if frame.kind == "edge":
        target = frame.nodes[1]
        term = number(frame.term.value)
        options = (f"+= {term} (term {len(frame.terms)})", f"+= {term}", "+= term")
    elif frame.kind == "visit":
        target = frame.node
        options = ("complete: pass it on", "complete", "done")
    else:
        target = frame.node
        options = ("final: to .grad", "final")
    return {target: _fit(options, layout.sizes[target][0])}


def _forward_notes(recording: Recording, frame: Frame, layout: Layout) -> dict[int, str]:
    """Each reached node's tangent, ``dv = …``, as a line in its box."""
    labels = recording.graph.nodes
    return {
        i: _fit((f"d{labels[i].label} = {number(v)}", f"d{labels[i].label} ="),
                layout.sizes[i][0])
        for i, v in frame.values.items()
    }


class BackwardPlayer(SweepPlayer):
    """The reverse sweep from ``tensor``, step by step, as the engine runs it.

    Each step is one event of the real sweep: a node taken with its complete gradient, one
    chain term ``upstream × local`` sent along an edge and added (``+=``) into its input's
    running sum, or a leaf's final gradient. No ``.grad`` is written. ``grad`` is the seed
    for a non-scalar ``tensor``, as in ``backward(grad)``. ``viz.BackwardPlayer(d)`` as the
    last line of a cell shows the widget; ``.save("sweep.html")`` writes a page that plays
    offline.
    """

    def __init__(self, tensor, grad=None, title: str | None = None) -> None:
        recording = record_backward(tensor, grad, caller="BackwardPlayer")
        out = recording.graph.nodes[recording.output].label
        super().__init__(recording, title or f"backward from {out}")


class ForwardPlayer(SweepPlayer):
    """Forward mode (``jvp``) through ``f``: tangents carried from the inputs to the output.

    ``primals`` are ``f``'s arguments (tensors keep their names) and ``tangents`` the
    direction, one per argument: ``(1, 0, 0)`` carries ∂/∂(first argument). Each step is one
    operation: its tangent ``d v = Σ ∂v/∂u · d u`` over its inputs ``u``.
    """

    def __init__(self, f: Callable, primals: Sequence, tangents: Sequence,
                 title: str | None = None) -> None:
        recording = record_forward_mode(f, primals, tangents)
        out = recording.graph.nodes[recording.output].label
        super().__init__(recording, title or f"forward mode to {out}")
