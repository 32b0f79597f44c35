"""Decision boundaries: the class a 2-D classifier predicts at every point of the plane.

The model is evaluated on a grid covering the data (no gradients recorded); a binary model
gives one logit per point (class 1 where it is > 0), a multi-class model gives C logits (the
class is the largest). The regions are tinted by the model's confidence and the data drawn
on top.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgb

from ..grad_mode import no_grad
from ..tensor import Tensor

__all__ = [
    "plot_decision_boundary", "decision_grid", "predict_proba", "grid_for", "region_colors",
    "LiveBoundary",
    "CLASS_COLORS",
]

# Class 0 orange and class 1 blue, as in TensorFlow Playground; then matplotlib's tab10.
CLASS_COLORS = ["#f28e2b", "#4e79a7", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
                "#edc948", "#ff9da7", "#9c755f", "#bab0ac"]


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
