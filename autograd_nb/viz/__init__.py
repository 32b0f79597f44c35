"""Pictures of the real engine: the graph, the sweep, the tape, training.

Each name loads its module on first use, so ``from autograd_nb import viz`` stays quick and
matplotlib or ipywidgets load only for the pictures that need them.
"""

from __future__ import annotations

import importlib

__all__ = [
    "draw", "GraphPicture", "BackwardPlayer", "ForwardPlayer", "LossPlot",
    "plot_decision_boundary", "Playground", "descent",
]

_HOME = {
    "draw": "draw",
    "GraphPicture": "draw",
    "BackwardPlayer": "player",
    "ForwardPlayer": "player",
    "LossPlot": "loss_plot",
    "plot_decision_boundary": "decision",
    "Playground": "playground",
    "descent": "descent",
}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module 'autograd_nb.viz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
