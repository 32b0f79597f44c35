"""Decision boundaries: the class a 2-D classifier predicts at every point of the plane.

The model is evaluated on a grid covering the data (no gradients recorded); a binary model
gives one logit per point (class 1 where it is > 0), a multi-class model gives C logits (the
class is the largest). The regions are tinted by the model's confidence and the data drawn
on top.

For the Playground, the same grid also shows what every neuron computes (``LiveNetwork``,
TensorFlow Playground's network view: one small heatmap per neuron, links coloured by their
weight) and a regression model's surface (``LiveSurface``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, to_rgb
from matplotlib.patches import Rectangle

from ..grad_mode import no_grad
from ..tensor import Tensor

__all__ = [
    "plot_decision_boundary", "decision_grid", "predict_proba", "grid_for", "region_colors",
    "LiveBoundary", "LiveSurface", "LiveNetwork", "layer_outputs", "layer_weights",
    "CLASS_COLORS", "NEURON_CMAP",
]

# Class 0 orange and class 1 blue, as in TensorFlow Playground; then matplotlib's tab10.
CLASS_COLORS = ["#f28e2b", "#4e79a7", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
                "#edc948", "#ff9da7", "#9c755f", "#bab0ac"]


# A neuron's output, −1 orange · 0 white · +1 blue, as TensorFlow Playground colours it; the
# same orange and blue as classes 0 and 1, so an output tile reads like the boundary.
NEURON_CMAP = LinearSegmentedColormap.from_list(
    "agnb_neuron", [CLASS_COLORS[0], "#ffffff", CLASS_COLORS[1]])
_POSITIVE, _NEGATIVE = CLASS_COLORS[1], CLASS_COLORS[0]


def _param_dtype(model) -> np.dtype:
    """The dtype of the model's parameters, so the grid does not upcast a float32 model."""
    params = getattr(model, "parameters", None)
    if callable(params):
        for p in params():
            return p.dtype
    return np.dtype(np.float64)


def predict_proba(model, points: np.ndarray) -> np.ndarray:
    """Class probabilities, shape (n, C) with C ≥ 2, of ``model`` at ``points`` (n, 2).

    One output per point is a binary logit z: P = [1 − σ(z), σ(z)]. C outputs are logits:
    P = softmax(z). The model may return a Tensor or an array.
    """
    points = np.asarray(points)
    with no_grad():
        out = model(Tensor(points.astype(_param_dtype(model), copy=False)))
    z = np.asarray(out.data if isinstance(out, Tensor) else out, dtype=np.float64)
    z = z.reshape(len(points), -1)
    if z.shape[1] == 1:
        p1 = 0.5 * np.tanh(0.5 * z[:, 0]) + 0.5  # σ(z) without overflow for large |z|
        return np.stack([1 - p1, p1], axis=1)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def grid_for(X: np.ndarray, resolution: int = 200,
             margin: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """``(xx, yy)`` from ``np.meshgrid``: ``resolution`` points a side covering ``X`` plus
    ``margin`` on every side."""
    X = np.asarray(X)
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    return np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))


def decision_grid(model, X: np.ndarray, resolution: int = 200,
                  margin: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xx, yy, labels)``: the grid over ``X`` and the class the model predicts at each
    grid point (``labels[i, j]`` is the prediction at ``(xx[i, j], yy[i, j])``)."""
    xx, yy = grid_for(X, resolution, margin)
    proba = predict_proba(model, np.column_stack([xx.ravel(), yy.ravel()]))
    return xx, yy, proba.argmax(axis=1).reshape(xx.shape)


def plot_decision_boundary(
    model,
    X: np.ndarray,
    y: np.ndarray | None = None,
    ax: Axes | None = None,
    *,
    resolution: int = 200,
    margin: float = 0.5,
    confidence: bool = True,
    title: str | None = None,
    point_size: float = 18,
) -> Axes:
    """Draw the classes ``model`` predicts over the plane, and the points ``X`` coloured by
    their labels ``y``; returns the matplotlib ``Axes``.

    Works for any callable taking an (n, 2) tensor and returning n logits (binary) or
    (n, C) logits. With ``confidence``, each region's tint fades where the model is unsure,
    and the boundary (probability ½ for binary models) is drawn as a line.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 4.2))
    X = np.asarray(X)
    xx, yy = grid_for(X, resolution, margin)
    proba = predict_proba(model, np.column_stack([xx.ravel(), yy.ravel()]))
    n_classes = max(proba.shape[1], int(np.max(y)) + 1 if y is not None and len(y) else 0)
    rgb = region_colors(proba, n_classes, confidence).reshape(*xx.shape, 3)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    ax.imshow(rgb, origin="lower", extent=extent, aspect="auto",
              interpolation="bilinear")
    if proba.shape[1] == 2:
        ax.contour(xx, yy, proba[:, 1].reshape(xx.shape), levels=[0.5], colors="#333333",
                   linewidths=1.0)
    if y is not None:
        y = np.asarray(y).astype(int).ravel()
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap=ListedColormap(_palette(n_classes)),
                   vmin=-0.5, vmax=n_classes - 0.5, s=point_size, edgecolors="white",
                   linewidths=0.6)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def region_colors(proba: np.ndarray, n_classes: int | None = None,
                  confidence: bool = True) -> np.ndarray:
    """RGB colour (n, 3) of each point's predicted class, from its probabilities (n, C):
    with ``confidence`` the colour fades to white as the model becomes unsure."""
    colors = np.array([to_rgb(c) for c in _palette(n_classes or proba.shape[1])])
    labels = proba.argmax(axis=1)
    if confidence:
        # Certainty 0 (all classes equally likely) is white, certainty 1 the full colour.
        chance = 1 / proba.shape[1]
        certainty = (proba.max(axis=1) - chance) / (1 - chance)
        strength = 0.15 + 0.55 * certainty
    else:
        strength = np.full(len(labels), 0.45)
    return 1 - strength[:, None] * (1 - colors[labels])


def _palette(n: int) -> list[str]:
    return [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(max(n, 2))]


class LiveBoundary:
    """A decision boundary on a fixed grid that ``update(model)`` redraws in place: the axes,
    ticks and data points are made once, so a frame costs little (used by the Playground)."""

    def __init__(self, ax: Axes, X: np.ndarray, y: np.ndarray, n_classes: int | None = None,
                 *, resolution: int = 60, margin: float = 0.5, point_size: float = 14) -> None:
        X = np.asarray(X)
        y = np.asarray(y).astype(int).ravel()
        self.ax = ax
        self.n_classes = max(n_classes or 0, int(y.max()) + 1 if len(y) else 0, 2)
        self.xx, self.yy = grid_for(X, resolution, margin)
        self.points = np.column_stack([self.xx.ravel(), self.yy.ravel()])
        extent = (self.xx.min(), self.xx.max(), self.yy.min(), self.yy.max())
        self.image = ax.imshow(np.ones((*self.xx.shape, 3)), origin="lower", extent=extent,
                               aspect="auto", interpolation="bilinear")
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap=ListedColormap(_palette(self.n_classes)),
                   vmin=-0.5, vmax=self.n_classes - 0.5, s=point_size, edgecolors="white",
                   linewidths=0.6)
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        self._contour = None

    def update(self, model) -> np.ndarray:
        """Recolour the regions for ``model``; returns the probabilities on the grid."""
        proba = predict_proba(model, self.points)
        rgb = region_colors(proba, self.n_classes).reshape(*self.xx.shape, 3)
        self.image.set_data(rgb)
        if self._contour is not None:
            self._contour.remove()
            self._contour = None
        p1 = proba[:, 1].reshape(self.xx.shape) if proba.shape[1] == 2 else None
        if p1 is not None and p1.min() < 0.5 < p1.max():
            self._contour = self.ax.contour(self.xx, self.yy, p1, levels=[0.5],
                                            colors="#333333", linewidths=1.0)
        return proba


class LiveSurface:
    """A regression model's output over the plane, redrawn in place by ``update(model)``: the
    value as a colour (``NEURON_CMAP``, −1 to 1), and the points coloured by their targets."""

    def __init__(self, ax: Axes, X: np.ndarray, y: np.ndarray, *, resolution: int = 60,
                 margin: float = 0.5, point_size: float = 14) -> None:
        X = np.asarray(X)
        self.ax = ax
        self.xx, self.yy = grid_for(X, resolution, margin)
        self.points = np.column_stack([self.xx.ravel(), self.yy.ravel()])
        extent = (self.xx.min(), self.xx.max(), self.yy.min(), self.yy.max())
        self.image = ax.imshow(np.zeros(self.xx.shape), origin="lower", extent=extent,
                               aspect="auto", interpolation="bilinear", cmap=NEURON_CMAP,
                               vmin=-1, vmax=1, alpha=0.75)
        ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y, dtype=float).ravel(), cmap=NEURON_CMAP,
                   vmin=-1, vmax=1, s=point_size, edgecolors="#333333", linewidths=0.5)
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])

    def update(self, model) -> np.ndarray:
        """Recolour the plane for ``model``; returns its output on the grid."""
        with no_grad():
            out = model(Tensor(self.points.astype(_param_dtype(model), copy=False)))
        values = np.asarray(out.data if isinstance(out, Tensor) else out, dtype=float)
        values = values.reshape(self.xx.shape)
        self.image.set_data(values)
        return values


def _stages(model) -> list[list]:
    """The model's modules in stages, each a ``Linear`` and the activation after it: an
    ``nn.MLP`` (its ``layers``), an ``nn.Sequential``, or a list of modules."""
    modules = list(getattr(model, "layers", model))
    stages: list[list] = []
    for module in modules:
        if hasattr(module, "weight") or not stages:
            stages.append([module])
        else:
            stages[-1].append(module)
    return stages


def layer_outputs(model, points: np.ndarray) -> list[np.ndarray]:
    """What every neuron computes at ``points`` (n, 2): ``[inputs, hidden 1, ..., output]``,
    each (n, width), each hidden layer taken after its activation. The modules run one by
    one through their public ``forward``, with no gradients recorded."""
    points = np.asarray(points)
    x = Tensor(points.astype(_param_dtype(model), copy=False))
    outputs = [points.astype(float)]
    with no_grad():
        for stage in _stages(model):
            for module in stage:
                x = module(x)
            outputs.append(np.asarray(x.data, dtype=float).reshape(len(points), -1))
    return outputs


def layer_weights(model) -> list[np.ndarray]:
    """Each layer's weight matrix, (outputs, inputs) as ``nn.Linear`` keeps it: the links of
    the network view."""
    return [np.asarray(stage[0].weight.data, dtype=float) for stage in _stages(model)]


class LiveNetwork:
    """TensorFlow Playground's view of a network: one column of tiles per layer, each tile the
    neuron's output over the plane (orange −1, white 0, blue +1), and a line for every weight,
    blue when positive and orange when negative, thicker when larger. ``update(model)``
    redraws the same artists, so a frame costs little.

    ``output`` says how to show the last layer: "binary" (2σ(z) − 1, so blue means class 1),
    "classes" (2·softmax − 1 per class) or "values" (the regression output itself).
    """

    TILE = 0.72  # a tile's side, in units of the distance between two rows

    def __init__(self, ax: Axes, X: np.ndarray, sizes: list[int], *, output: str = "binary",
                 resolution: int = 28, margin: float = 0.5, most: int = 8,
                 labels: list[str] | None = None, fontsize: float = 9) -> None:
        self.ax, self.output = ax, output
        self.xx, self.yy = grid_for(X, resolution, margin)
        self.points = np.column_stack([self.xx.ravel(), self.yy.ravel()])
        self.scale = np.abs(self.points).max(axis=0)  # inputs shown as x / max|x|
        self.shown = [min(size, most) for size in sizes]
        self.rows = max(*self.shown, 5)  # few neurons: tiles no larger than five rows allow
        top, bottom = -0.5 - 0.45, self.rows - 0.5 + 0.35
        self.gap = self._column_gap(ax, len(sizes), bottom - top)
        self.centres = [self._column(k, n) for k, n in enumerate(self.shown)]
        ax.set_xlim(-0.5 * self.gap, (len(sizes) - 0.5) * self.gap)
        ax.set_ylim(bottom, top)
        ax.set_aspect("equal", adjustable="datalim")
        ax.axis("off")
        self.links = LineCollection(self._segments(), zorder=1, capstyle="round")
        ax.add_collection(self.links)
        self.tiles = [[self._tile(x, y) for x, y in column] for column in self.centres]
        labels = labels or self._labels(len(sizes))
        for k, (label, size, n) in enumerate(zip(labels, sizes, self.shown)):
            x = k * self.gap
            ax.text(x, -0.5 - 0.1, label, ha="center", va="bottom", fontsize=fontsize)
            if size > n:  # more neurons than tiles: say how many are left out
                ax.text(x, self.centres[k][-1][1] + 0.45, f"+{size - n} more", ha="center",
                        va="top", fontsize=fontsize, color="#555555")

    @staticmethod
    def _column_gap(ax: Axes, n_columns: int, height: float) -> float:
        """Distance between two columns (a tile row is 1): the columns spread over the
        axes' width, but no further apart than 4 rows."""
        box = ax.get_position()
        width_in, height_in = ax.figure.get_size_inches()
        aspect = (box.width * width_in) / (box.height * height_in)
        return float(np.clip(aspect * height / n_columns, 1.2, 4.0))

    @staticmethod
    def _labels(n_columns: int) -> list[str]:
        return ["x", *(f"h{k}" for k in range(1, n_columns - 1)), "out"]

    def _column(self, k: int, n: int) -> list[tuple[float, float]]:
        """Centres of the ``n`` tiles of column ``k``, centred vertically."""
        top = (self.rows - n) / 2
        return [(k * self.gap, top + i) for i in range(n)]

    def _segments(self) -> list[list[tuple[float, float]]]:
        half = self.TILE / 2
        return [[(x0 + half, y0), (x1 - half, y1)]
                for left, right in zip(self.centres[:-1], self.centres[1:])
                for (x1, y1) in right for (x0, y0) in left]

    def _tile(self, x: float, y: float):
        half = self.TILE / 2
        image = self.ax.imshow(np.zeros(self.xx.shape), origin="lower", cmap=NEURON_CMAP,
                               vmin=-1, vmax=1, interpolation="bilinear", zorder=2,
                               extent=(x - half, x + half, y + half, y - half))
        self.ax.add_patch(_frame(x - half, y - half, self.TILE))
        return image

    def _shown_values(self, k: int, values: np.ndarray) -> np.ndarray:
        """Column ``k``'s outputs mapped to the tiles' −1…1 scale."""
        if k == 0:
            return values / self.scale
        if k < len(self.shown) - 1 or self.output == "values":
            return values
        if self.output == "binary":
            return np.tanh(values / 2)  # = 2σ(z) − 1
        shifted = np.exp(values - values.max(axis=1, keepdims=True))
        return 2 * shifted / shifted.sum(axis=1, keepdims=True) - 1

    def update(self, model) -> list[np.ndarray]:
        """Recolour every tile and link for ``model``; returns ``layer_outputs`` on the grid."""
        outputs = layer_outputs(model, self.points)
        for k, (tiles, values) in enumerate(zip(self.tiles, outputs)):
            shown = self._shown_values(k, values)
            for i, tile in enumerate(tiles):
                tile.set_data(shown[:, i].reshape(self.xx.shape))
        weights = np.concatenate([W[:n_out, :n_in].ravel() for W, n_in, n_out in
                                  zip(layer_weights(model), self.shown[:-1], self.shown[1:])])
        self.links.set_color([_POSITIVE if v > 0 else _NEGATIVE for v in weights])
        self.links.set_linewidth(np.clip(np.abs(weights) * 1.2, 0.25, 3.0))
        self.links.set_alpha(0.7)
        return outputs


def _frame(x: float, y: float, side: float) -> Rectangle:
    """A thin grey square around a tile."""
    return Rectangle((x, y), side, side, fill=False, edgecolor="#999999", linewidth=0.6,
                     zorder=3)
