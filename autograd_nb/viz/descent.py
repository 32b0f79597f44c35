"""Optimizer paths on a 2-D function: where SGD, momentum and Adam go, step by step.

Each optimizer (``autograd_nb.optim``) moves one point tensor ``p`` of shape (2,) downhill on
``f(p)``; the paths are drawn over the contour lines of ``f`` together with the direction of
steepest descent −∇f. ``f`` is written with autograd_nb operations on ``p[0]`` and ``p[1]``;
when it uses only elementwise operations it is evaluated on the whole grid at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import optim
from ..grad_mode import no_grad
from ..tensor import Tensor
from ..transforms import value_and_grad

__all__ = ["descent", "descent_widget", "run_optimizer", "rosenbrock", "quadratic_bowl",
           "DescentResult", "DescentExplorer", "OPTIMIZERS"]

Bounds = tuple[tuple[float, float], tuple[float, float]]


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

# name → optimizer factory(params, lr); "momentum" is SGD with μ = 0.9.
OPTIMIZERS: dict[str, Callable] = {
    "sgd": lambda params, lr: optim.SGD(params, lr=lr),
    "momentum": lambda params, lr: optim.SGD(params, lr=lr, momentum=0.9),
    "adam": lambda params, lr: optim.Adam(params, lr=lr),
}
_COLORS = {"sgd": "#d62728", "momentum": "#1f77b4", "adam": "#2ca02c"}
_OTHER_COLORS = ["#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


@dataclass
class DescentResult:
    """The paths (``paths[name]`` of shape (k + 1, 2), start included), the values of ``f``
    along them, and the figure and axes they were drawn on."""

    paths: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    fig: Figure | None = field(default=None, repr=False)
    ax: Axes | None = field(default=None, repr=False)

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
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _factories(optimizers, lr) -> dict[str, Callable]:
    """``{label: make_optimizer(params)}`` from names, factories, or a mapping of either."""
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    if not isinstance(optimizers, Mapping):
        optimizers = {(o if isinstance(o, str) else getattr(o, "__name__", f"opt{i}")): o
                      for i, o in enumerate(optimizers)}
    out = {}
    for label, spec in optimizers.items():
        rate = lr.get(label, 0.01) if isinstance(lr, Mapping) else lr
        if isinstance(spec, str):
            if spec not in OPTIMIZERS:
                raise ValueError(
                    f"descent: unknown optimizer {spec!r}; use one of {sorted(OPTIMIZERS)} or "
                    f"a function params -> optimizer, e.g. lambda p: optim.SGD(p, lr=0.01)"
                )
            out[label] = lambda params, spec=spec, rate=rate: OPTIMIZERS[spec](params, rate)
        else:
            out[label] = spec
    return out


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


def _bounds(f, x0, paths, bounds) -> Bounds:
    if bounds is not None:
        return bounds
    if hasattr(f, "bounds"):
        return f.bounds
    pts = np.concatenate([np.atleast_2d(x0), *paths.values()])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum(0.15 * (hi - lo), 0.5)
    return ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))


def descent(
    f: Callable,
    x0: Sequence[float] = (-1.5, 2.0),
    optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
    steps: int = 100,
    lr: float | Mapping[str, float] = 0.01,
    *,
    bounds: Bounds | None = None,
    ax: Axes | None = None,
    arrows: bool = True,
    resolution: int = 150,
    title: str | None = None,
) -> DescentResult:
    """Run each optimizer for ``steps`` steps from ``x0`` on ``f`` and draw the paths on the
    contour plot of ``f``, with arrows of −∇f (the direction plain gradient descent steps in).

    ``optimizers`` are names (``"sgd"``, ``"momentum"``, ``"adam"``, each with learning rate
    ``lr``: one number, or ``{name: lr}``), functions ``params -> optimizer``, or a mapping
    ``{label: name or function}``. Returns a ``DescentResult`` with the paths as arrays.
    """
    made = _factories(optimizers, lr)
    runs = {label: run_optimizer(f, x0, make, steps) for label, make in made.items()}
    paths = {label: run[0] for label, run in runs.items()}
    values = {label: run[1] for label, run in runs.items()}
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 4.8))
    (x_lo, x_hi), (y_lo, y_hi) = _bounds(f, x0, paths, bounds)
    xx, yy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    z, grad = _evaluate(f, xx, yy)
    ax.contour(xx, yy, z, levels=_levels(z), cmap="viridis", linewidths=0.8, alpha=0.7)
    if arrows:
        _arrows(ax, xx, yy, grad)
    minimum = getattr(f, "minimum", None)
    if minimum is not None:
        ax.plot(*minimum, marker="*", color="black", markersize=12, linestyle="none", zorder=5)
    ax.plot(*np.asarray(x0, dtype=float), marker="o", color="black", markersize=6, zorder=5)
    for i, (label, path) in enumerate(paths.items()):
        color = _COLORS.get(label, _OTHER_COLORS[i % len(_OTHER_COLORS)])
        # Earlier paths are drawn wider, so paths that run together stay visible side by side;
        # each step gets a dot while there are few enough to count.
        width = 1.0 + 1.0 * (len(paths) - 1 - i)
        ax.plot(path[:, 0], path[:, 1], "-", marker="o" if len(path) <= 81 else None,
                color=color, markersize=2.5, linewidth=width, alpha=0.9,
                label=f"{label} (f = {values[label][-1]:.3g})", zorder=4)
        ax.plot(*path[-1], marker="o", color=color, markersize=6, markeredgecolor="white",
                zorder=6)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="best", fontsize=8, framealpha=0.85)
    name = getattr(f, "__name__", "f")
    ax.set_title(title if title is not None else f"{name}: {steps} steps from {tuple(x0)}")
    return DescentResult(paths, values, ax.figure, ax)


def _levels(z: np.ndarray) -> np.ndarray:
    """Contour levels spaced geometrically above the minimum, so that both the steep walls
    and the flat floor of a valley get lines."""
    lo, hi = float(np.min(z)), float(np.max(z))
    span = hi - lo
    if span <= 0:
        return np.array([lo])
    return lo + np.geomspace(span * 1e-3, span, 16)


def _arrows(ax: Axes, xx: np.ndarray, yy: np.ndarray, grad: np.ndarray, n: int = 15) -> None:
    """−∇f on a coarse grid, as unit arrows: the direction matters, the length would hide it."""
    step = max(xx.shape[0] // n, 1)
    gx, gy = -grad[0][::step, ::step], -grad[1][::step, ::step]
    norm = np.hypot(gx, gy)
    norm[norm == 0] = 1
    ax.quiver(xx[::step, ::step], yy[::step, ::step], gx / norm, gy / norm, color="0.6",
              angles="xy", pivot="mid", width=0.0025, headwidth=3.5, scale=n * 1.6, alpha=0.8)


class DescentExplorer:
    """``descent`` with a learning-rate slider (and a steps slider): move it and the paths are
    run and drawn again. ``.result`` holds the latest ``DescentResult``; ``.widget`` is the
    ipywidget. Without a kernel it shows its latest picture."""

    def __init__(self, f: Callable, x0: Sequence[float] = (-1.5, 2.0),
                 optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
                 steps: int = 100, lr: float = 0.01,
                 lr_range: tuple[float, float] = (1e-4, 1.0), **kwargs) -> None:
        import ipywidgets as w

        self.f, self.x0, self.optimizers, self.kwargs = f, x0, optimizers, kwargs
        lo, hi = np.log10(lr_range[0]), np.log10(lr_range[1])
        self.lr_slider = w.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=0.1,
                                          description="lr", readout_format=".1e",
                                          continuous_update=False)
        self.steps_slider = w.IntSlider(value=steps, min=1, max=max(4 * steps, 200),
                                        description="steps", continuous_update=False)
        self.image = w.Image(format="png")
        self.widget = w.VBox([w.HBox([self.lr_slider, self.steps_slider]), self.image])
        self.lr_slider.observe(self._redraw, names="value")
        self.steps_slider.observe(self._redraw, names="value")
        self.result: DescentResult | None = None
        self.png = b""
        self._redraw()

    @property
    def lr(self) -> float:
        return self.lr_slider.value

    @lr.setter
    def lr(self, value: float) -> None:
        self.lr_slider.value = value

    def _redraw(self, change=None) -> None:
        from .loss_plot import render_png

        fig = Figure(figsize=(6.4, 4.8))
        ax = fig.add_subplot()
        self.result = descent(self.f, self.x0, self.optimizers, self.steps_slider.value,
                              self.lr_slider.value, ax=ax, **self.kwargs)
        self.png = render_png(fig, dpi=80)
        self.image.value = self.png

    def _repr_mimebundle_(self, **kwargs) -> dict:
        import base64

        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle


def descent_widget(f: Callable, x0: Sequence[float] = (-1.5, 2.0),
                   optimizers: Sequence | Mapping = ("sgd", "momentum", "adam"),
                   steps: int = 100, lr: float = 0.01, **kwargs) -> DescentExplorer:
    """The interactive ``descent``: sliders for the learning rate and the number of steps."""
    return DescentExplorer(f, x0, optimizers, steps, lr, **kwargs)
