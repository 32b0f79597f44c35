"""Optimizers: ``SGD`` (with momentum and weight decay) and ``Adam``, with PyTorch's update rules.

``step()`` changes each parameter's array in place (the tensor and its array stay the same
objects, so a model and an optimizer can hold them together) and never writes into a ``.grad``
array (several leaves may share one). Parameters without a gradient are skipped. Each update is
recorded as an in-place change, so a graph that saved the old values refuses to sweep.
Subclasses write ``_update(i, w, g)``: change the array ``w`` in place, given the gradient ``g``.

An update makes no array as large as a parameter: it goes through the parameter in pieces
(``_pieces``) and keeps its intermediate values in small work arrays that the optimizer keeps
from step to step. A temporary as large as a weight matrix, made and freed at every step, is
what glibc hands back to the operating system (``munmap``, or a trimmed heap) and takes again
at the next step: a page fault for every 4 KiB, at every step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .errors import DtypeError, ShapeError
from .node import new_epoch
from .tensor import Tensor, got, real_number

__all__ = ["Optimizer", "SGD", "Adam"]

# Elements of a parameter updated at a time: the work arrays hold 256 KiB of float64, small
# beside a weight matrix, and a piece stays in the CPU's cache through the update's passes.
PIECE = 1 << 15


class Optimizer:
    """Holds the parameters and per-parameter state; subclasses define ``_update(i, w, g)``."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        name = type(self).__name__
        if hasattr(params, "parameters") and not isinstance(params, Tensor):
            raise TypeError(
                f"{name}: give the parameters, not the module: "
                f"{name}(model.parameters(), lr=...)"
            )
        if isinstance(params, Tensor):
            params = [params]
        if params is None or isinstance(params, (str, bytes, dict, np.ndarray)) or not hasattr(
                params, "__iter__"):
            raise TypeError(f"{name}: params must be an iterable of tensors (model.parameters() "
                            f"or a list), got {got(params)}")
        self.params: list[Tensor] = list(params)
        if not self.params:
            raise ValueError(f"{name}: the parameter list is empty")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad or not p.is_leaf:
                raise TypeError(
                    f"{name}: parameter {i} is not a leaf tensor with "
                    f"requires_grad=True (got {got(p)}); create parameters with "
                    f"ag.tensor(..., requires_grad=True) or pass model.parameters()"
                )
        self.lr = real_number(lr, f"{name}: lr", low=0)
        self.state: dict[int, dict] = {}
        self._work: dict[tuple, np.ndarray] = {}  # (dtype, k) -> work array k, PIECE long

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad`` becomes ``None``)."""
        for p in self.params:
            node = p._node
            if node is not None:
                node.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place.

        All or nothing: the hyperparameters and every parameter (a writable floating-point
        array, a gradient of its shape) are checked before any parameter or any state changes;
        a refusal names the parameter."""
        # Updates work on arrays, so nothing is recorded (no need for no_grad).
        self._check_hyperparameters()
        todo = []
        for i, p in enumerate(self.params):
            node = p._node  # None only if requires_grad was turned off since
            if node is not None and node.grad is not None:
                todo.append((i, p, self._checked_grad(i, p, node.grad)))
        update = self._update
        epoch = new_epoch()  # the whole step is one in-place change
        for i, p, g in todo:
            p._changed(epoch)
            update(i, p.data, g)

    def _check_hyperparameters(self) -> None:
        """The settings may have been changed since the constructor (``opt.lr = ...``)."""
        real_number(self.lr, f"{type(self).__name__}.step: lr", low=0)

    def _checked_grad(self, i: int, p: Tensor, grad) -> np.ndarray:
        """Parameter ``i``'s gradient array, once ``p`` and it can take an update."""
        who = f"{type(self).__name__}.step: parameter {i}" + (f" ({p.name})" if p.name else "")
        w = p.data
        g = grad.data if isinstance(grad, Tensor) else np.asarray(grad)
        if w.dtype.kind != "f":
            raise DtypeError(f"{who} holds {w.dtype} values; an update needs floating point")
        if not w.flags.writeable:
            raise ValueError(f"{who} (shape {w.shape}) is read-only; an optimizer changes its "
                             f"parameters in place (make it writable with "
                             f"p.data.flags.writeable = True, or copy it)")
        if g.dtype.kind not in "biuf":
            raise DtypeError(f"{who}: its gradient is {g.dtype}; it needs real numbers")
        if g.shape != w.shape:
            raise ShapeError(f"{who} has shape {w.shape} but its gradient has shape {g.shape}; "
                             f"zero the gradients (optimizer.zero_grad()) after changing a "
                             f"parameter's shape")
        return g

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        """Change parameter ``i``'s array ``w`` in place, given its gradient ``g``."""
        raise NotImplementedError

    def _pieces(self, arrays: tuple, works: int = 1):
        """Matching pieces of the same-shaped ``arrays`` (parameter, gradient, state), each
        followed by ``works`` work arrays of the piece's shape.

        A piece is a view, so writing into it writes into the array. Pieces are 1-D slices of
        at most ``PIECE`` elements; arrays not all C-contiguous come whole, with new work arrays.
        """
        w = arrays[0]
        if not all(a.flags.c_contiguous for a in arrays):
            yield (*arrays, *(np.empty_like(w) for _ in range(works)))
            return
        flat = [a.reshape(-1) for a in arrays]
        work = [self._work_array(w.dtype, k) for k in range(works)]
        for start in range(0, w.size, PIECE):
            piece = slice(start, start + PIECE)
            views = [a[piece] for a in flat]
            yield (*views, *(a[: len(views[0])] for a in work))

    def _work_array(self, dtype: np.dtype, k: int) -> np.ndarray:
        """Work array ``k`` of ``dtype``, made once and reused by every parameter and step."""
        array = self._work.get((dtype, k))
        if array is None:
            array = self._work[dtype, k] = np.empty(PIECE, dtype)
        return array

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr})"


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD``.

    g ← ∇ + λ·p;  with momentum μ: v ← μ·v + g (v = g at the first step), g ← v;  p ← p − lr·g
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = real_number(momentum, "SGD: momentum", low=0)
        self.weight_decay = real_number(weight_decay, "SGD: weight_decay", low=0)

    def _check_hyperparameters(self) -> None:
        super()._check_hyperparameters()
        real_number(self.momentum, "SGD.step: momentum", low=0)
        real_number(self.weight_decay, "SGD.step: weight_decay", low=0)

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        lr, momentum, decay = self.lr, self.momentum, self.weight_decay
        if not momentum:
            for w_, g_, work in self._pieces((w, g)):
                _sgd_piece(w_, g_, work, lr, decay)
            return
        state = self.state.get(i)
        first = state is None  # the velocity starts as the first step's g
        if first:
            state = self.state[i] = {"velocity": np.empty_like(w)}
        for w_, g_, v_, work in self._pieces((w, g, state["velocity"])):
            _sgd_piece(w_, g_, work, lr, decay, v_, momentum, first)


def _sgd_piece(w, g, work, lr, decay, velocity=None, momentum=0.0, first=False) -> None:
    """SGD's update of one piece of a parameter; ``work`` takes what ``.grad`` must not."""
    if decay:  # into the work array: the .grad array stays as it is
        g = _with_decay(g, w, decay, out=work)
    if velocity is not None:
        if first:
            velocity[...] = g
        else:
            velocity *= momentum
            velocity += g
        g = velocity
    np.multiply(g, lr, out=work)
    w -= work


class Adam(Optimizer):
    """Adam (Kingma & Ba), as ``torch.optim.Adam``; at step t, with g = ∇ + λ·p:

    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
    p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε)
    """

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.betas = self._betas(betas, "Adam")
        self.eps = real_number(eps, "Adam: eps", low=0)
        self.weight_decay = real_number(weight_decay, "Adam: weight_decay", low=0)

    @staticmethod
    def _betas(betas, who: str) -> tuple[float, float]:
        if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
            raise TypeError(f"{who}: betas must be a pair (beta1, beta2), got {got(betas)}")
        return tuple(real_number(b, f"{who}: betas[{k}]", low=0, high=1, high_open=True)
                     for k, b in enumerate(betas))

    def _check_hyperparameters(self) -> None:
        super()._check_hyperparameters()
        self._betas(self.betas, "Adam.step")
        real_number(self.eps, "Adam.step: eps", low=0)
        real_number(self.weight_decay, "Adam.step: weight_decay", low=0)

    def _update(self, i: int, w: np.ndarray, g: np.ndarray) -> None:
        state = self.state.get(i)
        if state is None:
            state = self.state[i] = {"step": 0, "m": np.zeros_like(w), "v": np.zeros_like(w)}
        state["step"] += 1
        t = state["step"]
        b1, b2 = self.betas
        lr = self.lr / (1 - b1**t)  # the bias corrections of m and v folded into constants
        scale = 1 / math.sqrt(1 - b2**t)
        decay = self.weight_decay
        arrays = (w, g, state["m"], state["v"])
        for w_, g_, m, v, work, *spare in self._pieces(arrays, works=2 if decay else 1):
            if decay:  # into a second work array: the .grad array stays as it is
                g_ = _with_decay(g_, w_, decay, out=spare[0])
            _adam_piece(w_, g_, m, v, work, b1, b2, lr, scale, self.eps)


def _with_decay(g, w, decay, out):
    """g + λ·w, written into ``out``."""
    np.multiply(w, decay, out=out)
    out += g
    return out


def _adam_piece(w, g, m, v, work, b1, b2, lr, scale, eps) -> None:
    """Adam's update of one piece: m, v and w in place, through one work array."""
    np.multiply(g, 1 - b1, out=work)
    m *= b1
    m += work
    np.multiply(g, g, out=work)
    work *= 1 - b2
    v *= b2
    v += work
    denom = np.sqrt(v, out=work)
    denom *= scale
    denom += eps
    step = np.divide(m, denom, out=work)
    step *= lr
    w -= step
