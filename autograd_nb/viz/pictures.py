"""Training pictures as files: the loss curve and the decision boundary, written as PNGs
(used by the command-line demo, ``python -m autograd_nb demo --out DIR``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .decision import plot_decision_boundary
from .loss_plot import plot_losses

__all__ = ["write_pictures"]


def write_pictures(model, X: np.ndarray, y: np.ndarray, history, out: str | Path,
                   dpi: float = 120) -> dict[str, Path]:
    """Write ``loss.png`` (the curves of ``history``: ``nn.fit``'s ``History``, a
    ``LossPlot``, ``{name: values}`` or a list of losses) and ``decision_boundary.png``
    (``model`` on the 2-D data ``X``, ``y``) into the folder ``out``, made if needed.

    Returns ``{"loss": path, "decision_boundary": path}``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"loss": out / "loss.png", "decision_boundary": out / "decision_boundary.png"}

    fig = Figure(figsize=(6, 3.4), layout="constrained")  # no pyplot: nothing stays open
    plot_losses(history, fig.add_subplot(), title="training loss")
    fig.savefig(paths["loss"], dpi=dpi)

    fig = Figure(figsize=(5, 4.2), layout="constrained")
    plot_decision_boundary(model, X, y, ax=fig.add_subplot(), title="decision boundary")
    fig.savefig(paths["decision_boundary"], dpi=dpi)
    return paths
