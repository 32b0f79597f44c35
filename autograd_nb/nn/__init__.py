"""Neural networks: modules with parameters, layers, losses and a training loop.

``nn.Module`` finds its parameters by itself; ``nn.Linear``, ``nn.MLP`` and ``nn.Sequential``
build networks; the losses are single fused primitives; ``nn.fit`` trains with a progress bar
and calls back into live pictures.
"""

from __future__ import annotations

from .fit import History, accuracy, fit
from .layers import MLP, Linear, ReLU, Sequential, Sigmoid, Tanh
from .losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss
from .module import Module

__all__ = [
    "Module", "Linear", "MLP", "Sequential", "ReLU", "Tanh", "Sigmoid",
    "mse_loss", "binary_cross_entropy_with_logits", "cross_entropy",
    "fit", "History", "accuracy",
]
