"""``GradientFlow(model)``: each layer's gradient norm per training step, live, on a log scale.

A gradient reaches the first layer of a deep network as a product of one local derivative per
layer (the chains of ``viz.chains``); factors below 1 — sigmoid's slope is at most 1/4 — make
it shrink layer by layer, the vanishing gradient. The picture draws one line per layer, from
the output layer (dark) to the first (light), so that shrinking shows as a fan of lines
spread over orders of magnitude, and puts several models side by side on one shared axis.

It redraws one figure in place in its notebook cell exactly as ``LossPlot`` does (the same
throttle and display handle): only the drawing of the curves differs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import MaxNLocator, NullFormatter

from ..nn.module import Module
from ..tensor import got, whole_number
from .loss_plot import LossPlot

__all__ = ["GradientFlow", "layer_gradient_norms"]


def layer_gradient_norms(model: Module) -> dict[str, float]:
    """‖∂loss/∂θ‖ of each layer's parameters θ (weights and bias together), in model order.

    A layer is a module that owns parameters directly (``layers.0`` for ``layers.0.weight``);
    a parameter without a gradient yet counts as 0."""
    squares: dict[str, float] = {}
    for name, p in model.named_parameters():
        layer = name.rpartition(".")[0] or name
        grad = 0.0 if p.grad is None else float(np.sum(np.square(p.grad.data, dtype=float)))
        squares[layer] = squares.get(layer, 0.0) + grad
    return {layer: math.sqrt(s) for layer, s in squares.items()}


class GradientFlow(LossPlot):
    """A live picture of each layer's gradient norm per step, for one model or several.

    ``GradientFlow(model)`` or ``GradientFlow({"sigmoid": model_a, "relu": model_b})`` (one
    panel each, sharing the log-scale y axis so the sizes compare). Call ``update(step)`` after
    each backward pass — or pass it to ``nn.fit(..., callbacks=flow)``: it takes
    ``(step, loss, **metrics)`` and reads the gradients from the models themselves.

    Attributes
    ----------
    history : ``{"model/layer": [norms]}``, one value per update.
    steps : ``{"model/layer": [steps]}``.
    layers : ``{model name: [layer names]}``, first layer first.
    renders : how many times the figure was drawn.
    """

    def __init__(self, model: Module | Mapping[str, Module], *, min_interval: float = 0.25,
                 every: int = 1, title: str = "gradient norm per layer",
                 figsize: tuple[float, float] | None = None, dpi: float = 100,
                 show: bool | None = None, **kwargs) -> None:
        models = dict(model) if isinstance(model, Mapping) else {"": model}
        for name, m in models.items():
            if not isinstance(m, Module):
                raise TypeError(f"GradientFlow: {'model' if not name else repr(name)} must be an "
                                f"nn.Module (e.g. nn.MLP(...)), got {got(m)}")
        self.models = models
        self.layers = {name: list(layer_gradient_norms(m)) for name, m in models.items()}
        if figsize is None:
            figsize = (3.6 * len(models) + 1.6, 3.4)
        super().__init__(logy=True, min_interval=min_interval, every=every, title=title,
                         figsize=figsize, dpi=dpi, show=show, **kwargs)

    def update(self, step: int, loss=None, **metrics) -> None:
        """Record every layer's gradient norm at ``step``; redraw if the throttle allows."""
        step = whole_number(step, "GradientFlow.update: step")
        for model_name, model in self.models.items():
            for layer, norm in layer_gradient_norms(model).items():
                key = f"{model_name}/{layer}" if model_name else layer
                self.history.setdefault(key, []).append(norm)
                self.steps.setdefault(key, []).append(step)
        self._pending += 1
        now = self._clock()
        wait = max(self.min_interval, 4 * self._cost)  # as LossPlot: drawing stays cheap
        if self._pending >= self.every and now - self._last_render >= wait:
            self.draw()

    __call__ = update

    def latest(self) -> dict[str, list[float]]:
        """The last gradient norm of each layer, per model, first layer first."""
        out = {}
        for model_name, layers in self.layers.items():
            keys = [f"{model_name}/{layer}" if model_name else layer for layer in layers]
            out[model_name] = [self.history[k][-1] if k in self.history else math.nan
                               for k in keys]
        return out

    # ---------------------------------------------------------------------------- drawing
    def _sync_artists(self) -> None:
        if not self._panels:
            self._build(list(self.models))
        for model_name, layers in self.layers.items():
            ax = self._panels[model_name]
            for i, layer in enumerate(layers):
                key = f"{model_name}/{layer}" if model_name else layer
                line = self._lines.get(key)
                if line is None:
                    shade = colormaps["viridis"](0.85 * (len(layers) - 1 - i)
                                                 / max(len(layers) - 1, 1))
                    (line,) = ax.plot([], [], color=shade, lw=1.5,
                                      label=f"layer {i + 1}" + (" (input)" if i == 0 else ""))
                    self._lines[key] = line
                line.set_data(self.steps.get(key, []), self._positive(self.history.get(key, [])))
        self._autoscale()
        self._fig.suptitle(self._caption(), fontsize=10)

    @staticmethod
    def _positive(values: list[float]) -> list[float]:
        """Zero norms (no gradient yet) cannot sit on a log axis: they are left out (NaN)."""
        return [v if v > 0 else math.nan for v in values]

    def _autoscale(self) -> None:
        """Axes that follow the data: steps so far, and the norms' range in whole decades."""
        values = [v for key, vs in self.history.items() for v in vs if v > 0 and math.isfinite(v)]
        steps = [s for ss in self.steps.values() for s in ss]
        low, high = (min(values), max(values)) if values else (1e-3, 1.0)
        # whole decades, with a margin: a value on a decade line never sits on the frame
        bottom = 10 ** math.floor(math.log10(low) - 0.15)
        top = 10 ** math.ceil(math.log10(high) + 0.15)
        for ax in self._panels.values():
            ax.set_ylim(bottom, top)
            if steps:
                ax.set_xlim(min(steps), max(max(steps), min(steps) + 1))

    def _build(self, panels: list[str]) -> None:
        """One panel per model, side by side, sharing the log-scale y axis."""
        self._fig.clear()
        width, height = self._figsize
        self._fig.subplots_adjust(left=0.75 / width, right=1 - 1.6 / width,
                                  bottom=0.55 / height, top=1 - 0.6 / height,
                                  wspace=0.35 / (width / len(panels)))
        axes = self._fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
        self._panels = dict(zip(panels, axes))
        self._lines = {}
        for i, (name, ax) in enumerate(self._panels.items()):
            ax.set_yscale("log")
            ax.yaxis.set_minor_formatter(NullFormatter())  # decades only: labels stay legible
            ax.set_xlabel("step")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(True, which="major", alpha=0.3)
            if name:
                ax.set_title(name, fontsize=10)
            if i == 0:
                ax.set_ylabel("‖∂loss/∂θ‖ of the layer")
        axes[-1].legend(*self._legend_entries(), loc="center left", bbox_to_anchor=(1.02, 0.5),
                        fontsize=8, frameon=False)

    def _legend_entries(self):
        """Legend handles for the layers of the widest model, first layer on top."""
        from matplotlib.lines import Line2D

        deepest = max(len(v) for v in self.layers.values())
        handles = [Line2D([], [], lw=1.5, color=colormaps["viridis"](
            0.85 * (deepest - 1 - i) / max(deepest - 1, 1))) for i in range(deepest)]
        labels = [f"layer {i + 1}" + (" (input)" if i == 0 else "")
                  + (" (output)" if i == deepest - 1 else "") for i in range(deepest)]
        return handles, labels

    def _caption(self) -> str:
        parts = [self.title] if self.title else []
        if self.steps:
            parts.append(f"step {max(s[-1] for s in self.steps.values())}")
        for model_name, norms in self.latest().items():
            if norms and all(math.isfinite(n) and n > 0 for n in (norms[0], norms[-1])):
                ratio = norms[0] / norms[-1]
                parts.append(f"{model_name + ': ' if model_name else ''}first/last layer "
                             f"{ratio:.1e}")
        return " · ".join(parts)

    def __repr__(self) -> str:
        depth = {name or "model": len(layers) for name, layers in self.layers.items()}
        updates = len(next(iter(self.history.values()), []))
        return f"GradientFlow({depth} layers, {updates} updates, renders={self.renders})"
