"""Pictures of the real engine: the graph, the sweep, the tape, training.

Each name loads its module on first use, so ``from autograd_nb import viz`` stays quick and
matplotlib or ipywidgets load only for the pictures that need them.
"""

from __future__ import annotations

import importlib
import sys
import types

__all__ = [
    "draw", "GraphPicture", "BackwardPlayer", "ForwardPlayer", "LossPlot",
    "plot_decision_boundary", "Playground", "descent", "chains", "Chains", "GradientFlow",
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
    "chains": "chains",
    "Chains": "chains",
    "GradientFlow": "gradient_flow",
}


def __getattr__(name: str):
    if name in _HOME:
        importlib.import_module(f"{__name__}.{_HOME[name]}")
        # Importing a submodule binds it on this package under its own name, so ``viz.draw``
        # would become the module ``viz/draw.py`` from the second use on. Bind every public
        # name whose module is loaded to the object itself instead.
        for public, home in _HOME.items():
            module = sys.modules.get(f"{__name__}.{home}")
            if module is not None and hasattr(module, public):
                globals()[public] = getattr(module, public)
        return getattr(sys.modules[f"{__name__}.{_HOME[name]}"], name)
    raise AttributeError(f"module 'autograd_nb.viz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(types.ModuleType):
    """Importing ``autograd_nb.viz.draw`` (the module) would bind it here as ``viz.draw``,
    hiding the function of the same name: the import system's binding of a submodule over a
    public name is ignored, so the name keeps meaning the function."""

    def __setattr__(self, name: str, value) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
