"""Live loss curves: one figure that redraws in place in its notebook cell while training runs.

``LossPlot`` keeps every value it is given, but redraws at most every ``min_interval`` seconds
and every ``every`` updates, so calling it on each training step costs little. In a notebook the
picture is a PNG shown through an IPython display handle and replaced in place (``display_id``),
which JupyterLab, Notebook 7 and VS Code all support, and which leaves the last picture in the
saved notebook for readers without a kernel.
"""

from __future__ import annotations

import io
import math
import re
import time
from collections.abc import Callable, Mapping

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..tensor import Tensor, got, whole_number

__all__ = ["LossPlot", "plot_losses", "render_png", "render_svg", "curves_of", "follow_data",
           "thin"]

# One colour per curve, in order of appearance; training loss first, validation second.
_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]


def render_png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (Agg, no pyplot: nothing is shown or kept behind the scenes)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def render_svg(fig: Figure, css_class: str = "agnb-figure", fill_width: bool = False) -> str:
    """The figure as inline SVG text for a web page: text kept as ``<text>`` (so a browser lays
    it out and a test can read and measure it), no date, ids that do not change between
    runs, and matplotlib's page-wide ``*{...}`` style rule scoped to this picture. With
    ``fill_width`` it takes the width of its container (its height follows), else its size
    in points."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": css_class}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # A block, not an inline box: no line-height gap under the picture.
    text = text.replace("<svg ", f'<svg class="{css_class}" style="display: block" ', 1)
    if fill_width:
        text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', text,
                      count=1)
    return re.sub(r"(<style[^>]*>)\s*\*\s*\{", rf"\1.{css_class} * {{", text, count=1)


def follow_data(ax: Axes, steps, *curves, min_steps: int = 10) -> None:
    """Set ``ax``'s limits to the data, at every frame: x from 0 to the last step, y from 0 to
    a little above the largest finite value. Explicit limits, set each time: a limit set once
    (``set_xlim``) turns matplotlib's autoscaling off for good, and the panel freezes."""
    last = max((int(s[-1]) for s in [steps] if len(s)), default=0)
    ax.set_xlim(0, max(last, min_steps))
    values = np.concatenate([np.asarray(c, dtype=float).ravel() for c in curves] or [[]])
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 1.0
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    span = max(top - low, 1e-3)
    ax.set_ylim(low, top + 0.05 * span)


def thin(steps, values, most: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """At most ``most`` evenly spread points of a curve, always keeping the last one: a long
    run draws as fast, and weighs as little in a page, as a short one."""
    steps, values = np.asarray(steps), np.asarray(values)
    if len(steps) <= most:
        return steps, values
    keep = np.unique(np.append(np.linspace(0, len(steps) - 1, most).astype(int), len(steps) - 1))
    return steps[keep], values[keep]


def curves_of(history) -> dict[str, tuple[list[int], list[float]]]:
    """``{name: (steps, values)}`` from a training history: ``nn.fit``'s ``History``, a
    ``LossPlot``, a mapping ``{name: values}`` or a plain sequence of loss values."""
    if isinstance(history, LossPlot):
        return {name: (history.steps[name], values) for name, values in history.history.items()}
    if hasattr(history, "loss") and hasattr(history, "steps"):  # nn.History
        steps = list(history.steps)
        out = {"loss": (steps, list(history.loss))}
        for name, values in getattr(history, "metrics", {}).items():
            out[name] = (steps[: len(values)], list(values))
        return out
    if isinstance(history, Mapping):
        return {name: (list(range(1, len(v) + 1)), list(v)) for name, v in history.items()}
    values = [float(v) for v in history]
    return {"loss": (list(range(1, len(values) + 1)), values)}


def plot_losses(history, ax: Axes | None = None, *, logy: bool = False,
                title: str | None = None) -> Axes:
    """Draw the curves of a finished ``history`` (see ``curves_of``) on ``ax``; the static
    counterpart of ``LossPlot``. Returns the ``Axes``."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 3.2))
    other = None  # metrics that are not losses (accuracy...) get their own y axis
    for i, (name, (steps, values)) in enumerate(curves_of(history).items()):
        target = ax
        if "loss" not in name.lower():
            other = other or ax.twinx()
            target = other
        target.plot(steps, values, color=_COLORS[i % len(_COLORS)], lw=1.6, label=name,
                    linestyle="-" if target is ax else "--")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("loss")
    ax.grid(True, alpha=0.3)
    lines = ax.lines + (other.lines if other is not None else [])
    if other is not None:
        other.set_ylabel("metric")
    if lines:
        ax.legend(lines, [line.get_label() for line in lines], loc="center right",
                  fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _kernel_shell():
    """The IPython shell when running inside a Jupyter kernel, else ``None``."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if getattr(shell, "kernel", None) is not None else None


def _number(value, what: str) -> float:
    """A loss as a float: a number, or the value of a one-element tensor or array."""
    if isinstance(value, (Tensor, np.ndarray)):
        if value.size != 1 or value.dtype.kind not in "biuf":
            raise TypeError(f"{what} must be a number, got {got(value)}")
        value = value.reshape(()).item() if isinstance(value, np.ndarray) else value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)):
        raise TypeError(f"{what} must be a number (or None), got {got(value)}")
    return float(value)  # NaN and inf are drawn as they are: a diverging loss must show


class LossPlot:
    """A live training curve: ``update(step, loss, **metrics)`` redraws one figure in place.

    Every keyword metric becomes its own curve (``val_loss=...``, ``accuracy=...``); names
    containing ``"loss"`` share the loss panel, the others share a second panel beside it.
    A ``LossPlot`` is also a callable ``(step, loss, **metrics)``, so it plugs straight into
    ``nn.fit(..., callback=plot)``.

    Parameters
    ----------
    logy : plot the loss panel on a log scale.
    min_interval : seconds between redraws at least, and at least four times what the last
        redraw took (the last values always get drawn by ``finish()``, or when the cell ends).
    every : updates between redraws at least.
    title : text before the latest values in the title.
    show : display in the notebook cell (default: when running in a Jupyter kernel).
    dpi : dots per inch of the figure as shown (≥ 100 reads well); with ``retina`` the PNG
        has twice as many pixels a side and is shown at the same size, sharp on a HiDPI screen.

    Attributes
    ----------
    history : ``{name: [values]}``, every value given, in order.
    steps : ``{name: [steps]}``, the step of each value.
    renders : how many times the figure was drawn (the throttle bounds it).
    """

    def __init__(
        self,
        *,
        logy: bool = False,
        min_interval: float = 0.25,
        every: int = 1,
        title: str = "",
        figsize: tuple[float, float] = (6.0, 3.2),
        dpi: float = 100,
        retina: bool = True,
        show: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logy = logy
        self.min_interval = float(min_interval)
        self.every = max(int(every), 1)
        self.title = title
        self.dpi = dpi
        self.retina = retina
        self.history: dict[str, list[float]] = {}
        self.steps: dict[str, list[int]] = {}
        self.renders = 0
        self.png: bytes | None = None
        self._figsize = figsize
        self._clock = clock  # replaceable so that a test can check the throttle without time
        self._show = show
        self._fig = Figure(figsize=figsize)
        FigureCanvasAgg(self._fig)
        self._panels: dict[str, object] = {}
        self._lines: dict[str, object] = {}
        self._pending = 0
        self._last_render = -math.inf
        self._cost = 0.0  # seconds the last drawing took
        self._handle = None
        self._handle_cell = None
        self._hooked = None

    # ---------------------------------------------------------------------------- feeding
    def update(self, step: int, loss: float | None = None, **metrics: float | None) -> None:
        """Record ``loss`` and any ``metrics`` at ``step``; redraw if the throttle allows.

        ``step`` is an integer and ``loss`` a number (or a one-element tensor, or ``None``);
        anything else is refused before anything is recorded. A metric that is not a number
        (a label, a list) is not a curve and is left out."""
        step = whole_number(step, "LossPlot.update: step")
        if loss is not None:
            loss = _number(loss, "LossPlot.update: loss")
        values = {"loss": loss, **metrics}
        for name, value in values.items():
            if value is None:
                continue
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue  # a non-numeric extra (a label, a list) is not a curve
            self.history.setdefault(name, []).append(value)
            self.steps.setdefault(name, []).append(step)
        self._pending += 1
        now = self._clock()
        # Wait at least min_interval, and four times as long as the last drawing took, so
        # drawing never takes more than a fifth of the training time.
        wait = max(self.min_interval, 4 * self._cost)
        if self._pending >= self.every and now - self._last_render >= wait:
            self.draw()

    __call__ = update

    def draw(self) -> None:
        """Redraw now, whatever the throttle says, and show the result in the cell."""
        self._pending = 0
        start = self._clock()
        self._sync_artists()
        self.png = render_png(self._fig, self._pixel_dpi())
        self.renders += 1
        self._display()
        self._last_render = self._clock()
        self._cost = self._last_render - start

    def finish(self) -> None:
        """Draw the last values if the throttle held them back (call when training ends)."""
        if self._pending or self.png is None:
            self.draw()
        self._unhook()

    close = finish

    def __enter__(self) -> LossPlot:
        return self

    def __exit__(self, *exc) -> None:
        self.finish()

    def set_logy(self, logy: bool = True) -> None:
        """Switch the loss panel between linear and log scale, and redraw."""
        self.logy = logy
        self.draw()

    @property
    def figure(self) -> Figure:
        """The matplotlib figure (up to date after ``draw()``)."""
        self._sync_artists()
        return self._fig

    def savefig(self, path, **kwargs) -> None:
        """Write the current curves to ``path`` (PNG, SVG or PDF, by its suffix)."""
        self._sync_artists()
        kwargs.setdefault("dpi", self.dpi)
        self._fig.savefig(path, **kwargs)

    # ---------------------------------------------------------------------------- drawing
    def _panel_of(self, name: str) -> str:
        return "loss" if "loss" in name.lower() else "metrics"

    def _sync_artists(self) -> None:
        wanted = sorted({self._panel_of(n) for n in self.history} or {"loss"}, key=_panel_order)
        if list(self._panels) != wanted:
            self._build(wanted)
        for name, values in self.history.items():
            line = self._lines.get(name)
            if line is None:
                ax = self._panels[self._panel_of(name)]
                color = _COLORS[len(self._lines) % len(_COLORS)]
                (line,) = ax.plot([], [], color=color, lw=1.6, label=name)
                self._lines[name] = line
                ax.legend(loc="upper right" if ax is self._panels.get("loss") else "lower right",
                          fontsize=8, frameon=False)
            line.set_data(self.steps[name], values)
        for panel, ax in self._panels.items():
            ax.set_yscale("log" if panel == "loss" and self.logy else "linear")
            ax.relim()
            ax.autoscale_view()
        self._fig.suptitle(self._caption(), fontsize=10)

    def _build(self, panels: list[str]) -> None:
        """(Re)make the axes: one panel for losses, one more for other metrics if any."""
        self._fig.clear()
        width, height = self._figsize
        self._fig.set_size_inches(width * (1 + 0.6 * (len(panels) - 1)), height)
        # Fixed margins in inches: a layout engine would double the cost of every redraw.
        width = width * (1 + 0.6 * (len(panels) - 1))
        self._fig.subplots_adjust(
            left=0.65 / width, right=1 - 0.15 / width, bottom=0.5 / height,
            top=1 - 0.35 / height, wspace=0.9 / (width / len(panels)),
        )
        axes = self._fig.subplots(1, len(panels), squeeze=False)[0]
        self._panels = dict(zip(panels, axes))
        self._lines = {}
        for panel, ax in self._panels.items():
            ax.set_xlabel("step")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel("loss" if panel == "loss" else "metric")
            ax.grid(True, alpha=0.3)

    def _caption(self) -> str:
        parts = [self.title] if self.title else []
        if self.steps:
            parts.append(f"step {max(s[-1] for s in self.steps.values())}")
        parts += [f"{name} {values[-1]:.4g}" for name, values in self.history.items()]
        return " · ".join(parts)

    # ---------------------------------------------------------------------------- notebook
    def _display(self) -> None:
        """Show the PNG in the current cell: one display per cell, replaced in place."""
        shell = _kernel_shell() if self._show is not False else None
        if shell is None:
            return
        from IPython.display import Image, display

        image = Image(data=self.png, format="png", retina=self.retina)
        cell = shell.execution_count
        if self._handle is None or self._handle_cell != cell:
            # A new cell gets its own picture; the earlier one keeps its last state.
            self._handle = display(image, display_id=True)
            self._handle_cell = cell
            self._hook(shell)
        else:
            self._handle.update(image)

    def _hook(self, shell) -> None:
        """Draw the last values when the cell finishes, even if ``finish()`` was not called."""
        if self._hooked is None:
            self._hooked = shell
            shell.events.register("post_run_cell", self._on_cell_end)

    def _unhook(self) -> None:
        if self._hooked is not None:
            self._hooked.events.unregister("post_run_cell", self._on_cell_end)
            self._hooked = None

    def _on_cell_end(self, result=None) -> None:
        if self._pending:
            self.draw()
        self._unhook()

    def _pixel_dpi(self) -> float:
        """Pixels per inch of the PNG: twice ``dpi`` on retina, shown at half its size."""
        return self.dpi * (2 if self.retina else 1)

    def _repr_png_(self) -> tuple[bytes, dict]:
        """The PNG and the size to show it at (half its pixels on retina)."""
        if self.png is None or self._pending:
            self._sync_artists()
            png = render_png(self._fig, self._pixel_dpi())
        else:
            png = self.png
        width, height = (round(side * self.dpi) for side in self._fig.get_size_inches())
        return png, {"width": width, "height": height}

    def __repr__(self) -> str:
        points = {name: len(v) for name, v in self.history.items()}
        return f"LossPlot({points}, renders={self.renders})"


def _panel_order(panel: str) -> int:
    return 0 if panel == "loss" else 1
