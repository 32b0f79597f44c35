"""Training pictures as files: the loss curve and the decision boundary as PNGs, and given the
loss function, the graph of the loss on one sample and its backward pass as a page (used by the
command-line demo, ``python -m autograd_nb demo --out DIR``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ..tensor import Tensor
from .decision import plot_decision_boundary
from .draw import draw
from .loss_plot import plot_losses
from .player import BackwardPlayer

__all__ = ["write_pictures"]


def write_pictures(model, X: np.ndarray, y: np.ndarray, history, out: str | Path,
                   loss_fn=None, targets=None, dpi: float = 120) -> dict[str, Path]:
    """Write ``loss.png`` (the curves of ``history``: ``nn.fit``'s ``History``, a
    ``LossPlot``, ``{name: values}`` or a list of losses) and ``decision_boundary.png``
    (``model`` on the 2-D data ``X``, ``y``) into the folder ``out``, made if needed.

    With ``loss_fn(model(x), target)`` also ``graph.svg``, the computation graph of the loss on
    the first sample with its gradients, and ``backward.html``, its backward pass step by step
    (a page that works offline). ``targets`` are the training targets as ``loss_fn`` takes them
    (``y`` when not given). The model's ``.grad`` are left as they were.

    Returns ``{"loss": path, "decision_boundary": path, ...}``.
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

    if loss_fn is not None:
        paths["graph"], paths["backward"] = out / "graph.svg", out / "backward.html"
        target = np.asarray(y if targets is None else targets)[:1]
        title = "the loss on training sample 0"
        loss = loss_fn(model(Tensor(np.asarray(X)[:1], name="x")), target)
        BackwardPlayer(loss, title=f"backward pass of {title}").save(paths["backward"])
        grads = [(p, p.grad) for p in model.parameters()]  # the player wrote no .grad
        model.zero_grad()
        loss.backward()
        draw(loss, title=title).save(paths["graph"])
        for p, grad in grads:
            p.grad = grad
    return paths
