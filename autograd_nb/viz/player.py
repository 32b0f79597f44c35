"""Players that animate the chain rule: ``BackwardPlayer`` (reverse) and ``ForwardPlayer``.

Both are widgets over a ``Recording`` (frames of the engine's own sweep, see
``recording.py``). The picture is drawn and played in the browser by one front-end module,
``static/sweep_player.js``: the graph is sent once as data (``sweep_data.py``) and each step
changes only what it changes, so playing needs no kernel round trip and a graph of a thousand
nodes plays as smoothly as the seed's. The widget is an ``anywidget.AnyWidget`` (an
``ipywidgets.DOMWidget`` that runs one ES module in JupyterLab, Notebook 7, VS Code and Colab);
``save("x.html")`` writes a page that runs the same module on the same data, offline.

The state that matters (``step``, ``highlighted_nodes``, ``highlighted_edges``, ``equation``)
lives in traitlets, so it can be checked without a browser; ``step`` is synced both ways (the
page tells the kernel where playing stopped). Where no JavaScript runs, the output still shows
the final graph with every gradient and the whole trace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import anywidget
import traitlets

from .collapse import collapse
from .html_export import STYLE, page, player_script, trace_table
from .layout import Layout
from .recording import Frame, Recording, number, record_backward, record_forward_mode
from .svg import render
from .sweep_data import MAX_BOXES, fit, graph_layout, reverse_note, sweep_data

__all__ = ["BackwardPlayer", "ForwardPlayer", "SweepPlayer"]


class SweepPlayer(anywidget.AnyWidget):
    """A widget that plays the frames of ``recording`` (use the two players below)."""

    _esm = player_script()
    data = traitlets.Dict(help="the graph and every step, as sweep_data writes them").tag(sync=True)
    step = traitlets.Int(0, help="index of the frame shown").tag(sync=True)
    highlighted_nodes = traitlets.Tuple(help="graph node ids highlighted in this frame")
    highlighted_edges = traitlets.Tuple(help="(src, dst, position) of the highlighted edges")
    equation = traitlets.Unicode(help="the current step as one line with its numbers")
    note = traitlets.Unicode(help="what the current step does, in words")

    def __init__(self, recording: Recording, title: str) -> None:
        if not recording.frames:
            raise ValueError(f"{type(self).__name__}: the sweep has no steps to show")
        self.recording = recording
        self.title = title
        self._sizes: Layout = graph_layout(recording, placed=False)  # the page places boxes
        self._placed: Layout | None = None
        super().__init__(data=sweep_data(recording, title, self._sizes))
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

    def node_id(self, label: str) -> int:
        """The id of the box labelled ``label`` (as ``frame.nodes`` names boxes)."""
        for node in self.recording.graph.nodes:
            if node.label == label:
                return node.id
        labels = ", ".join(n.label for n in self.recording.graph.nodes)
        raise KeyError(f"no box labelled {label!r} in this player's graph; the labels are {labels}")

    def final_value(self, label: str):
        """The gradient (reverse sweep) or tangent (forward pass) the last frame shows at the
        box labelled ``label``."""
        return self.recording.final_values[self.node_id(label)]

    # ------------------------------------------------------------------ pictures
    @property
    def _graph_layout(self) -> Layout:
        """The whole graph laid out in Python, for still pictures (made on first use)."""
        if self._placed is None:
            self._placed = graph_layout(self.recording)
        return self._placed

    def frame_svg(self, step: int) -> str:
        """A still picture of frame ``step`` as SVG text (for documents; the player draws its
        frames in the browser)."""
        return self._render(self.recording.frames[step])

    def _render(self, frame: Frame) -> str:
        n = len(self.recording.frames)
        heading = f"{self.title} — step {frame.index + 1} of {n}"
        if self.recording.direction == "forward":
            notes = _forward_notes(self.recording, frame, self._sizes)
            return render(self.recording.graph, show_grads=False,
                          highlight_nodes=frame.nodes, highlight_edges=frame.edges,
                          node_notes=notes,
                          layout=self._graph_layout, title=heading)
        return render(self.recording.graph, show_grads=True, grads=frame.values,
                      highlight_nodes=frame.nodes, highlight_edges=frame.edges,
                      node_notes=_reverse_notes(frame, self._sizes),
                      layout=self._graph_layout, title=heading)

    def final_svg(self) -> str:
        """The graph after the whole sweep: every gradient (or tangent), nothing highlighted;
        a graph of more than ``MAX_BOXES`` boxes collapsed as ``draw`` collapses it."""
        last = self.recording.frames[-1]
        graph = self.recording.graph
        if len(graph) > MAX_BOXES:
            small = collapse(graph, MAX_BOXES)
            # a merged box shows the value of the node it ends with (a module's result)
            written = last.values
            values = {box: written[max(members)]
                      for box, members in small.members.items() if max(members) in written}
            forward = self.recording.direction == "forward"
            notes = {box: f"d{small.graph.nodes[box].label} = {number(v)}"
                     for box, v in values.items()} if forward else None
            return render(small.graph, show_grads=not forward,
                          grads=None if forward else values, node_notes=notes,
                          title=f"{self.title} — result", footer=small.notes)
        if self.recording.direction == "forward":
            notes = _forward_notes(self.recording, last, self._sizes)
            return render(self.recording.graph, show_grads=False, node_notes=notes,
                          layout=self._graph_layout, title=f"{self.title} — result")
        return render(self.recording.graph, show_grads=True, grads=last.values,
                      layout=self._graph_layout, title=f"{self.title} — result")

    def _show(self, change=None) -> None:
        """Mirror the frame at ``step`` into the state traitlets (the page draws it)."""
        frame = self.frame
        self.highlighted_nodes = frame.nodes
        self.highlighted_edges = frame.edges
        self.equation = frame.equation
        self.note = frame.note

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
        return page(self.data)

    def save(self, path: str | Path) -> Path:
        """Write ``to_html()`` to ``path`` (e.g. ``"sweep.html"``); returns the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget view, plus the final graph and trace for outputs read without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data = dict(bundle[0] if isinstance(bundle, tuple) else bundle or {})
        data["text/plain"] = repr(self)
        data["text/html"] = self.static_html()
        return data

    def __repr__(self) -> str:
        n = len(self.recording.frames)
        return f"{type(self).__name__}({self.title}: {n} step{'' if n == 1 else 's'})"


def _reverse_notes(frame: Frame, layout: Layout) -> dict[int, str]:
    """One short line in the box the step writes to (the same line the page shows)."""
    target = frame.nodes[1] if frame.kind == "edge" else frame.node
    return {target: fit(reverse_note(frame), layout.sizes[target][0])}


def _forward_notes(recording: Recording, frame: Frame, layout: Layout) -> dict[int, str]:
    """Each reached node's tangent, ``dv = …``, as a line in its box."""
    labels = recording.graph.nodes
    return {
        i: fit((f"d{labels[i].label} = {number(v)}", f"d{labels[i].label} ="),
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
