"""Optimizers: ``SGD`` (with momentum and weight decay) and ``Adam``, with PyTorch's update rules.

``step()`` changes each parameter's array in place (the tensor and its array stay the same
objects, so a model and an optimizer can hold them together) and never writes into a ``.grad``
array (several leaves may share one). Parameters without a gradient are skipped. Each update is
recorded as an in-place change, so a graph that saved the old values refuses to sweep.
Subclasses write ``_update(i, w, g)``: change the array ``w`` in place, given the gradient ``g``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .node import new_epoch
from .tensor import Tensor

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Holds the parameters and per-parameter state; subclasses define ``_update(i, w, g)``."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        if hasattr(params, "parameters") and not isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: give the parameters, not the module: "
                f"{type(self).__name__}(model.parameters(), lr=...)"
            )
        if isinstance(params, Tensor):
            params = [params]
        self.params: list[Tensor] = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: the parameter list is empty")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad or not p.is_leaf:
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is not a leaf tensor with "
                    f"requires_grad=True (got {type(p).__name__}); create parameters with "
                    f"ag.tensor(..., requires_grad=True) or pass model.parameters()"
                )
        if lr < 0:
            raise ValueError(f"{type(self).__name__}: learning rate lr={lr} must be >= 0")
        self.lr = lr
        self.state: dict[int, dict] = {}

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad`` becomes ``None``)."""
        for p in self.params:
            node = p._node
            if node is not None:
                node.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        # Updates work on arrays, so nothing is recorded (no need for no_grad).
        update = self._update
        epoch = new_epoch()  # the whole step is one in-place change
        for i, p in enumerate(self.params):
            node = p._node  # None only if requires_grad was turned off since
            if node is not None and node.grad is not None:
                p._changed(epoch)  # marked first: a failing update may have begun
                update(i, p.data, node.grad.data)

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        """Change parameter ``i``'s array ``w`` in place, given its gradient ``g``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr})"


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD``.

    g ← ∇ + λ·p;  with momentum μ: v ← μ·v + g (v = g at the first step), g ← v;  p ← p − lr·g
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if momentum < 0 or weight_decay < 0:
            raise ValueError(
                f"SGD: momentum={momentum} and weight_decay={weight_decay} must be >= 0"
            )
        self.momentum = momentum
        self.weight_decay = weight_decay

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * w  # a new array: the .grad array stays as it is
        if self.momentum:
            state = self.state.get(i)
            if state is None:
                velocity = np.array(g, dtype=w.dtype)  # a copy: g may be the .grad array
                self.state[i] = {"velocity": velocity}
            else:
                velocity = state["velocity"]
                velocity *= self.momentum
                velocity += g
            g = velocity
        np.subtract(w, self.lr * g, out=w)


class Adam(Optimizer):
    """Adam (Kingma & Ba), as ``torch.optim.Adam``; at step t, with g = ∇ + λ·p:

    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
    p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε)
    """

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"Adam: betas={betas} must each lie in [0, 1)")
        if eps < 0 or weight_decay < 0:
            raise ValueError(f"Adam: eps={eps} and weight_decay={weight_decay} must be >= 0")
        self.betas = (b1, b2)
        self.eps = eps
        self.weight_decay = weight_decay

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        if self.weight_decay:
            g = g + self.weight_decay * w
        state = self.state.get(i)
        if state is None:
            state = self.state[i] = {"step": 0, "m": np.zeros_like(w), "v": np.zeros_like(w)}
        state["step"] += 1
        t = state["step"]
        m, v = state["m"], state["v"]
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * (g * g)
        denom = np.sqrt(v)
        denom *= 1 / math.sqrt(1 - b2**t)
        denom += self.eps
        step = m / denom
        step *= self.lr / (1 - b1**t)
        w -= step
