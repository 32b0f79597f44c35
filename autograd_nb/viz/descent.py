"""Optimizer paths on a 2-D function: where SGD, momentum and Adam go, step by step.

Each optimizer (``autograd_nb.optim``) moves one point tensor ``p`` of shape (2,) downhill on
``f(p)``; the paths are drawn over the contour lines of ``f`` together with the direction of
steepest descent −∇f, and beside them ``f`` against the step number. ``f`` is written with
autograd_nb operations on ``p[0]`` and ``p[1]``; when it uses only elementwise operations it is
evaluated on the whole grid at once.

Every optimizer keeps its own learning rate, momentum and start point: their good learning
rates differ about a hundredfold (SGD's is bounded by the steepest curvature, Adam's is a step
length), so one setting for all would show at least one of them at its worst.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ipywidgets as w
import numpy as np
import traitlets as T
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import optim
from ..grad_mode import no_grad
from ..tensor import Tensor
from ..transforms import value_and_grad
from .loss_plot import render_png

__all__ = ["descent", "descent_widget", "run_optimizer", "rosenbrock", "quadratic_bowl",
           "DescentResult", "DescentExplorer", "OPTIMIZERS", "PATH_STYLES"]

Bounds = tuple[tuple[float, float], tuple[float, float]]
PerOptimizer = float | Mapping[str, float]


def rosenbrock(p, a: float = 1.0, b: float = 100.0):
    """f(x, y) = (a − x)² + b·(y − x²)²: a curved valley with its minimum at (a, a²)."""
    x, y = p[0], p[1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


rosenbrock.bounds = ((-2.0, 2.0), (-1.0, 3.0))
rosenbrock.minimum = (1.0, 1.0)


def quadratic_bowl(p, a: float = 1.0, b: float = 10.0):
    """f(x, y) = (a·x² + b·y²)/2: an elongated bowl with its minimum at (0, 0); gradient
    descent converges for lr < 2/max(a, b) and diverges above it."""
    x, y = p[0], p[1]
    return 0.5 * (a * x**2 + b * y**2)


quadratic_bowl.bounds = ((-3.0, 3.0), (-2.0, 2.0))
quadratic_bowl.minimum = (0.0, 0.0)


# ----------------------------------------------------------------------------- optimizers
def sgd(params, lr: float, momentum: float = 0.0) -> optim.SGD:
    """Plain gradient descent, p ← p − lr·∇f (with ``momentum`` μ, steps along v ← μv + ∇f)."""
    return optim.SGD(params, lr=lr, momentum=momentum)


def sgd_momentum(params, lr: float, momentum: float = 0.9) -> optim.SGD:
    """SGD with momentum μ = 0.9 unless told: v ← μv + ∇f, p ← p − lr·v."""
    return optim.SGD(params, lr=lr, momentum=momentum)


def adam(params, lr: float, momentum: float = 0.9) -> optim.Adam:
    """Adam; ``momentum`` is β₁, the decay of its running mean of gradients."""
    return optim.Adam(params, lr=lr, betas=(momentum, 0.999))


# name → optimizer factory(params, lr, momentum=default); "momentum" is SGD with μ = 0.9.
OPTIMIZERS: dict[str, Callable] = {"sgd": sgd, "momentum": sgd_momentum, "adam": adam}
DEFAULT_MOMENTUM = {"sgd": 0.0, "momentum": 0.9, "adam": 0.9}


class PathStyle(NamedTuple):
    """How one optimizer's path is drawn: colour, marker and line style all differ, so paths
    stay apart in grey print and for colour-blind readers (Okabe–Ito colours)."""

    color: str
    marker: str
    linestyle: str


PATH_STYLES: dict[str, PathStyle] = {
    "sgd": PathStyle("#D55E00", "o", "-"),        # vermillion, circles, solid
    "momentum": PathStyle("#0072B2", "s", "--"),  # blue, squares, dashed
    "adam": PathStyle("#009E73", "^", "-."),      # bluish green, triangles, dash-dot
}
_OTHER_STYLES = [PathStyle("#CC79A7", "D", ":"), PathStyle("#E69F00", "v", "-"),
                 PathStyle("#56B4E9", "P", "--"), PathStyle("#000000", "X", "-.")]


@dataclass
class Run:
    """One optimizer to run: its label, factory ``make(params)``, start point and style."""

    label: str
    make: Callable
    start: tuple[float, float]
    style: PathStyle


@dataclass
class DescentResult:
    """The paths (``paths[name]`` of shape (k + 1, 2), start included), the values of ``f``
    along them, and the figure and axes they were drawn on (``loss_ax``: f against step)."""

    paths: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    fig: Figure | None = field(default=None, repr=False)
    ax: Axes | None = field(default=None, repr=False)
    loss_ax: Axes | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        lines = ["DescentResult("]
        for name, path in self.paths.items():
            end = path[-1]
            lines.append(
                f"  {name:>9}: {len(path) - 1:4d} steps → ({end[0]:.4f}, {end[1]:.4f}), "
                f"f = {self.values[name][-1]:.4g}"
            )
        return "\n".join(lines) + "\n)"


def run_optimizer(f: Callable, x0: Sequence[float], make_optimizer: Callable,
                  steps: int, limit: float = 1e6) -> tuple[np.ndarray, np.ndarray]:
    """Run ``steps`` optimizer steps on the point tensor ``p`` (from ``x0``) minimising
    ``f(p)``; ``make_optimizer([p])`` builds the optimizer. Returns ``(path, values)``.

    A path that leaves ``|p| < limit`` or becomes NaN stops there (it diverged).
    """
    p = Tensor(np.array(x0, dtype=np.float64), requires_grad=True)
    opt = make_optimizer([p])
    path = [p.data.copy()]
    values = []  # values[k] = f(path[k])
    for _ in range(steps):
        opt.zero_grad()
        loss = f(p)
        values.append(float(loss.data))
        loss.backward()
        opt.step()
        if not (np.all(np.isfinite(p.data)) and np.abs(p.data).max() < limit):
            break
        path.append(p.data.copy())
    if len(values) < len(path):
        with no_grad():
            values.append(float(_array(f(p))))
    return np.array(path), np.array(values)


def _array(x) -> np.ndarray:
    """The NumPy value of a tensor or of anything ``np.asarray`` takes."""
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _pick(setting, label: str, default):
    """One optimizer's value from a number for all, a ``{label: value}`` mapping, or None."""
    if isinstance(setting, Mapping):
        return setting.get(label, default)
    return default if setting is None else setting


def _labelled(optimizers) -> dict[str, str | Callable]:
    """``{label: name or factory}`` from one name, a sequence of names/factories, or a mapping."""
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    if isinstance(optimizers, Mapping):
        return dict(optimizers)
    return {(o if isinstance(o, str) else getattr(o, "__name__", f"opt{i}")): o
            for i, o in enumerate(optimizers)}


def _runs(optimizers, x0, lr, momentum, starts) -> list[Run]:
    """One ``Run`` per optimizer, each with its own learning rate, momentum and start point."""
    runs: list[Run] = []
    for label, spec in _labelled(optimizers).items():
        if isinstance(spec, str):
            if spec not in OPTIMIZERS:
                raise ValueError(
                    f"descent: unknown optimizer {spec!r}; use one of {sorted(OPTIMIZERS)} or "
                    f"a function params -> optimizer, e.g. lambda p: optim.SGD(p, lr=0.01)"
                )
            make = functools.partial(_named, spec, _pick(lr, label, 0.01),
                                     _pick(momentum, label, DEFAULT_MOMENTUM[spec]))
        else:
            make = spec
        start = tuple(float(v) for v in _pick(starts, label, x0))
        runs.append(Run(label, make, start, _style(label, spec, [run.style for run in runs])))
    return runs


def _style(label: str, spec, taken: list[PathStyle]) -> PathStyle:
    """The label's own style, else its optimizer's, else the next one not yet taken: no two
    paths in one picture look alike."""
    name = spec if isinstance(spec, str) else None
    for candidate in (PATH_STYLES.get(label), PATH_STYLES.get(name)):
        if candidate is not None and candidate not in taken:
            return candidate
    spare = [s for s in [*PATH_STYLES.values(), *_OTHER_STYLES] if s not in taken]
    return spare[0] if spare else _OTHER_STYLES[len(taken) % len(_OTHER_STYLES)]


def _named(name: str, lr: float, momentum: float, params) -> optim.Optimizer:
    """The optimizer called ``name`` in ``OPTIMIZERS`` with this learning rate and momentum."""
    return OPTIMIZERS[name](params, lr, momentum=momentum)


# ----------------------------------------------------------------------------- the surface
def _evaluate(f: Callable, xx: np.ndarray, yy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and ∇f on the grid: all points in one call when ``f`` is elementwise, else one by one
    (f(P) of a (2, H, W) tensor then has the wrong shape or fails)."""
    grid = np.stack([xx, yy])
    try:
        values, grads = value_and_grad(lambda P: f(P).sum())(grid)
        with no_grad():
            z = _array(f(Tensor(grid)))
        if z.shape == xx.shape:
            return z, _array(grads)
    except Exception:  # noqa: BLE001 - any failure means "not elementwise": go point by point
        pass
    vg = value_and_grad(f)
    z = np.empty(xx.shape)
    g = np.empty((2, *xx.shape))
    for idx in np.ndindex(xx.shape):
        v, d = vg(np.array([xx[idx], yy[idx]]))
        z[idx] = float(_array(v))
        g[(slice(None), *idx)] = _array(d)
    return z, g


@functools.lru_cache(maxsize=16)
def _surface(f: Callable, bounds: Bounds, resolution: int):
    """``(xx, yy, z, ∇f)`` on a grid over ``bounds``, kept so that an explorer redrawing the
    same function after each slider move does not evaluate it again (read-only arrays)."""
    (x_lo, x_hi), (y_lo, y_hi) = bounds
    xx, yy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    z, grad = _evaluate(f, xx, yy)
    for array in (xx, yy, z, grad):
        array.flags.writeable = False
    return xx, yy, z, grad


def _bounds(f, starts, paths, bounds) -> Bounds:
    """The drawn region: given, the function's own, or around the starts and the paths."""
    if bounds is None:
        bounds = getattr(f, "bounds", None)
    if bounds is not None:
        (x_lo, x_hi), (y_lo, y_hi) = bounds
        return ((float(x_lo), float(x_hi)), (float(y_lo), float(y_hi)))
    pts = np.concatenate([np.atleast_2d(starts), *paths.values()])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum(0.15 * (hi - lo), 0.5)
    return ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))


def _levels(z: np.ndarray) -> np.ndarray:
    """Contour levels spaced geometrically above the minimum, so that both the steep walls
    and the flat floor of a valley get lines."""
    lo, hi = float(np.min(z)), float(np.max(z))
    span = hi - lo
    if span <= 0:
        return np.array([lo, lo + 1.0])
    return lo + np.concatenate([[0.0], np.geomspace(span * 1e-3, span, 11)])


def _draw_surface(ax: Axes, f: Callable, bounds: Bounds, resolution: int, arrows: bool) -> None:
    """Grey filled contours (dark at the bottom) and −∇f arrows: a neutral ground on which
    every coloured path stands out."""
    xx, yy, z, grad = _surface(f, bounds, resolution)
    levels = _levels(z)
    ax.contourf(xx, yy, z, levels=levels, cmap="Greys_r", vmin=levels[0] - 0.9 * np.ptp(levels),
                vmax=levels[-1], alpha=0.55)
    ax.contour(xx, yy, z, levels=levels, colors="0.55", linewidths=0.6,
               negative_linestyles="solid")
    if arrows:
        _arrows(ax, xx, yy, grad)


def _arrows(ax: Axes, xx: np.ndarray, yy: np.ndarray, grad: np.ndarray, n: int = 12) -> None:
    """−∇f on a coarse grid, as unit arrows: the direction matters, the length would hide it."""
    step = max(xx.shape[0] // n, 1)
    gx, gy = -grad[0][::step, ::step], -grad[1][::step, ::step]
    norm = np.hypot(gx, gy)
    norm[norm == 0] = 1
    ax.quiver(xx[::step, ::step], yy[::step, ::step], gx / norm, gy / norm, color="0.45",
              angles="xy", pivot="mid", width=0.0025, headwidth=3.5, scale=n * 1.6, alpha=0.7)


# ----------------------------------------------------------------------------- the paths
def _line_kwargs(style: PathStyle, rank: int, count: int, length: int) -> dict:
    """Line and marker settings of the path drawn ``rank``-th of ``count``.

    Earlier paths are drawn wider and under the later ones, so two paths that run together
    show as a band of one colour edged by the other; markers are spread out (and offset per
    path) so that they neither hide each other nor bury a long path.
    """
    under = count - 1 - rank
    every = 1 if length <= 41 else max(length // 12, 1)
    return dict(color=style.color, linestyle=style.linestyle, linewidth=1.5 + 1.5 * under,
                marker=style.marker, markersize=(3.5 if every == 1 else 6.0) + 1.2 * under,
                markeredgecolor="white", markeredgewidth=0.6,
                markevery=(rank * every // count, every), solid_capstyle="round",
                dash_capstyle="round", zorder=4 + rank)


def _draw_paths(ax: Axes, runs: list[Run], paths: dict[str, np.ndarray],
                values: dict[str, np.ndarray]) -> None:
    """Each path with its start (a ring) and its end (a large marker in its colour)."""
    for rank, run in enumerate(runs):
        path = paths[run.label]
        ax.plot(path[:, 0], path[:, 1], label=f"{run.label} (f = {values[run.label][-1]:.3g})",
                **_line_kwargs(run.style, rank, len(runs), len(path)))
        ax.plot(*path[-1], marker=run.style.marker, color=run.style.color, markersize=9,
                markeredgecolor="black", markeredgewidth=0.8, linestyle="none", zorder=20)
    for start in {run.start for run in runs}:
        ax.plot(*start, marker="o", markersize=9, markerfacecolor="white",
                markeredgecolor="black", markeredgewidth=1.5, linestyle="none", zorder=21)


def _draw_losses(ax: Axes, runs: list[Run], values: dict[str, np.ndarray]) -> None:
    """f against the step number, one curve per optimizer in its path's style; a log axis
    when every value is positive, so slow and fast convergence both show."""
    for rank, run in enumerate(runs):
        curve = values[run.label]
        ax.plot(np.arange(len(curve)), curve, label=run.label,
                **_line_kwargs(run.style, rank, len(runs), len(curve)))
    everything = np.concatenate([values[run.label] for run in runs])
    if np.all(everything > 0):
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("f(x, y)")
    ax.set_title("f along each path")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", framealpha=0.9)


def descent(
    f: Callable,
    x0: Sequence[float] = (-1.5, 2.0),
    optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
    steps: int = 100,
    lr: PerOptimizer = 0.01,
    *,
    momentum: PerOptimizer | None = None,
    starts: Mapping[str, Sequence[float]] | None = None,
    bounds: Bounds | None = None,
    ax: Axes | None = None,
    loss_ax: Axes | None = None,
    loss_panel: bool | None = None,
    arrows: bool = True,
    resolution: int = 150,
    title: str | None = None,
) -> DescentResult:
    """Run each optimizer for ``steps`` steps on ``f`` and draw the paths on the contour plot
    of ``f``, with arrows of −∇f (the direction plain gradient descent steps in), and ``f``
    against the step number beside them.

    ``optimizers`` are names (``"sgd"``, ``"momentum"``, ``"adam"``), functions
    ``params -> optimizer``, or a mapping ``{label: name or function}``. For named ones,
    ``lr`` and ``momentum`` are one number for all or ``{label: value}``: ``momentum`` is SGD's
    μ (0 for ``"sgd"``, 0.9 for ``"momentum"`` unless given) and Adam's β₁ (0.9). Every path
    starts at ``x0`` unless ``starts`` gives it its own start, ``{label: (x, y)}``.

    With ``ax=None`` a new figure holds the paths and, unless ``loss_panel=False``, the loss
    panel beside them; with ``ax`` given, the loss panel is drawn on ``loss_ax`` if given.
    Returns a ``DescentResult`` with the paths as arrays.
    """
    runs = _runs(optimizers, x0, lr, momentum, starts)
    results = {run.label: run_optimizer(f, run.start, run.make, steps) for run in runs}
    paths = {label: result[0] for label, result in results.items()}
    values = {label: result[1] for label, result in results.items()}
    if ax is None:
        ax, loss_ax = _new_axes(loss_panel is not False)
    region = _bounds(f, [run.start for run in runs], paths, bounds)
    _draw_surface(ax, f, region, resolution, arrows)
    minimum = getattr(f, "minimum", None)
    if minimum is not None:
        ax.plot(*minimum, marker="*", color="gold", markeredgecolor="black", markersize=16,
                linestyle="none", zorder=19)
    _draw_paths(ax, runs, paths, values)
    ax.set_xlim(*region[0])
    ax.set_ylim(*region[1])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if loss_ax is None:
        ax.legend(loc="best", framealpha=0.9)
    else:
        _draw_losses(loss_ax, runs, values)
    name = getattr(f, "__name__", "f")
    ax.set_title(title if title is not None else f"{name}: {steps} steps from {tuple(x0)}")
    return DescentResult(paths, values, ax.figure, ax, loss_ax)


def _new_axes(loss_panel: bool) -> tuple[Axes, Axes | None]:
    """A new pyplot figure: the paths, and the loss panel beside them when asked for."""
    import matplotlib.pyplot as plt

    if not loss_panel:
        _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
        return ax, None
    _, (ax, loss_ax) = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained",
                                    width_ratios=(1.25, 1))
    return ax, loss_ax


# ----------------------------------------------------------------------------- the explorer
def _rate_range(name: str | None) -> tuple[float, float]:
    """Learning-rate slider range: Adam's rate is a step length (good near 1e-2 to 1e-1);
    SGD's is bounded by the steepest curvature and can be a thousand times smaller."""
    return (1e-3, 1.0) if name == "adam" else (1e-5, 1.0)


def _explorer_region(f: Callable, x0: Sequence[float], bounds: Bounds | None) -> Bounds:
    """The explorer's fixed region (so the picture does not jump as paths change): given, the
    function's own, or 3 units around the start."""
    if bounds is None and not hasattr(f, "bounds"):
        x, y = (float(v) for v in x0)
        bounds = ((x - 3.0, x + 3.0), (y - 3.0, y + 3.0))
    return _bounds(f, [x0], {}, bounds)


class DescentExplorer(w.VBox):
    """``descent`` with its own controls per optimizer: learning rate, momentum and start
    point, and a steps slider shared by all. Move one and the paths and the loss panel are
    run and drawn again. An ``ipywidgets.Widget`` (it goes in a VBox or a Tab).

    ``controls[label]`` holds that optimizer's sliders (``"lr"``, ``"momentum"``, ``"x"``,
    ``"y"``); ``set(label, lr=..., momentum=..., start=...)`` moves several at once and redraws
    once. ``.result`` is the latest ``DescentResult``, ``.png`` its picture (shown where no
    kernel runs).
    """

    steps = T.Int(100, help="optimizer steps per path")
    dpi = 200  # device pixels per figure inch: crisp on high-density screens
    figsize = (10.0, 4.2)

    def __init__(self, f: Callable, x0: Sequence[float] = (-1.5, 2.0),
                 optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
                 steps: int = 100, lr: PerOptimizer = 0.01,
                 lr_range: tuple[float, float] | None = None, *,
                 momentum: PerOptimizer | None = None,
                 starts: Mapping[str, Sequence[float]] | None = None, **kwargs) -> None:
        super().__init__()
        self.f, self.kwargs = f, kwargs
        self.optimizers = _labelled(optimizers)
        self.region = _explorer_region(f, x0, kwargs.pop("bounds", None))
        self.result: DescentResult | None = None
        self.png = b""
        self._held = 0
        self.controls = {label: self._controls(label, spec, x0, lr, momentum, starts, lr_range)
                         for label, spec in self.optimizers.items()}
        self.steps_slider = w.IntSlider(value=steps, min=1, max=max(4 * steps, 200),
                                        description="steps", continuous_update=False)
        w.link((self, "steps"), (self.steps_slider, "value"))
        self.steps = steps
        width = f"{int(self.figsize[0] * 100)}px"
        self.image = w.Image(format="png", layout=w.Layout(width=width, max_width="100%"))
        self.children = [self._grid(), self.steps_slider, self.image]
        for sliders in self.controls.values():
            for slider in sliders.values():
                slider.observe(self._redraw, names="value")
        self.observe(self._redraw, names="steps")
        self._redraw()

    def _controls(self, label, spec, x0, lr, momentum, starts, lr_range) -> dict[str, w.Widget]:
        """The four sliders of one optimizer (rate and momentum only for named optimizers)."""
        name = spec if isinstance(spec, str) else None
        lo, hi = lr_range or _rate_range(name)
        rate = float(np.clip(_pick(lr, label, 0.01), lo, hi))
        mu = _pick(momentum, label, DEFAULT_MOMENTUM.get(name, 0.0))
        start = _pick(starts, label, x0)
        (x_lo, x_hi), (y_lo, y_hi) = self.region
        auto = w.Layout(width="auto")
        common = dict(continuous_update=False, layout=auto, disabled=name is None)
        return {
            "lr": w.FloatLogSlider(value=rate, base=10, min=np.log10(lo), max=np.log10(hi),
                                   step=0.1, readout_format=".1e", **common),
            "momentum": w.FloatSlider(value=mu, min=0.0, max=0.99, step=0.01, **common),
            "x": w.FloatSlider(value=start[0], min=x_lo, max=x_hi, step=(x_hi - x_lo) / 200,
                               continuous_update=False, layout=auto),
            "y": w.FloatSlider(value=start[1], min=y_lo, max=y_hi, step=(y_hi - y_lo) / 200,
                               continuous_update=False, layout=auto),
        }

    def _grid(self) -> w.GridBox:
        """One row per optimizer under a header: its name in its path's colour and line."""
        header = ["optimizer", "learning rate", "momentum μ · β₁", "start x", "start y"]
        cells: list[w.Widget] = [w.HTML(f"<b>{text}</b>") for text in header]
        runs = _runs(self.optimizers, (0.0, 0.0), None, None, None)
        for run in runs:
            color, linestyle = run.style.color, run.style.linestyle
            border = {"-": "solid", "--": "dashed", "-.": "dashed", ":": "dotted"}[linestyle]
            cells.append(w.HTML(
                f"<span style='display:inline-block;width:28px;vertical-align:middle;"
                f"border-top:4px {border} {color}'></span> "
                f"<b style='color:{color}'>{run.label}</b>"))
            cells.extend(self.controls[run.label].values())
        return w.GridBox(cells, layout=w.Layout(
            grid_template_columns="130px repeat(4, minmax(0, 1fr))", grid_gap="2px 10px",
            width=f"{int(self.figsize[0] * 100)}px", max_width="100%", align_items="center"))

    @property
    def lr(self) -> dict[str, float]:
        """Each optimizer's learning rate; set one number for all or ``{label: rate}``."""
        return {label: c["lr"].value for label, c in self.controls.items()}

    @lr.setter
    def lr(self, value: PerOptimizer) -> None:
        with self.hold():
            for label, c in self.controls.items():
                c["lr"].value = _pick(value, label, c["lr"].value)

    def set(self, label: str, *, lr: float | None = None, momentum: float | None = None,
            start: Sequence[float] | None = None) -> None:
        """Move one optimizer's controls together, with one redraw."""
        c = self.controls[label]
        with self.hold():
            if lr is not None:
                c["lr"].value = lr
            if momentum is not None:
                c["momentum"].value = momentum
            if start is not None:
                c["x"].value, c["y"].value = start

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls inside ``with explorer.hold():``; draw once at the end."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        self._redraw()

    def _settings(self) -> dict:
        """The controls' values as ``descent``'s per-optimizer arguments."""
        return dict(
            lr={label: c["lr"].value for label, c in self.controls.items()},
            momentum={label: c["momentum"].value for label, c in self.controls.items()},
            starts={label: (c["x"].value, c["y"].value) for label, c in self.controls.items()},
        )

    def _redraw(self, change=None) -> None:
        """Run every optimizer with the current controls and show the new picture."""
        if self._held:
            return
        fig = Figure(figsize=self.figsize, layout="constrained")
        ax, loss_ax = fig.subplots(1, 2, width_ratios=(1.25, 1))
        settings = self._settings()
        first_start = next(iter(settings["starts"].values()))
        self.result = descent(self.f, first_start, self.optimizers, self.steps, ax=ax,
                              loss_ax=loss_ax, bounds=self.region, title=self._title(),
                              **settings, **self.kwargs)
        self.png = _palette_png(render_png(fig, dpi=self.dpi))
        self.image.value = self.png

    def _title(self) -> str:
        """The paths panel's title: the function and the number of steps."""
        return f"{getattr(self.f, '__name__', 'f')}: {self.steps} steps"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget, and its latest picture for readers without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle


def _palette_png(png: bytes) -> bytes:
    """The same picture with at most 256 colours: a third of the bytes, which the notebook
    stores with its widget state; flat plot colours (every path's) come through exactly."""
    from PIL import Image

    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(256).save(
        buf, format="png", optimize=True, dpi=(DescentExplorer.dpi, DescentExplorer.dpi))
    return buf.getvalue()


def descent_widget(f: Callable, x0: Sequence[float] = (-1.5, 2.0),
                   optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
                   steps: int = 100, lr: PerOptimizer = 0.01, **kwargs) -> DescentExplorer:
    """The interactive ``descent``: per optimizer a learning rate, a momentum and a start
    point; and the number of steps. ``lr`` is one rate for all or ``{label: rate}``."""
    return DescentExplorer(f, x0, optimizers, steps, lr, **kwargs)
