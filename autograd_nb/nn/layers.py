"""Layers: ``Linear``, the activations, ``Sequential`` and the ready-made ``MLP``."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from ..apply import apply
from ..errors import ShapeError
from ..functions import relu, sigmoid, tanh
from ..primitives.arithmetic import linear
from ..tensor import Tensor, got, whole_number
from .module import Module

__all__ = ["Linear", "ReLU", "Tanh", "Sigmoid", "Sequential", "MLP", "as_rng"]


def as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A NumPy generator from a generator, a seed, or ``None`` (a fresh, unseeded one)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


class Linear(Module):
    """y = x Wᵀ + b, with ``weight`` W of shape (out_features, in_features), ``bias`` b (out,).

    Initialised as PyTorch does: W and b uniform in ±1/√in_features (Kaiming-uniform with
    a = √5). ``rng`` (a ``np.random.Generator`` or an int seed) makes it reproducible;
    ``dtype`` sets the parameters' dtype (float32 stays float32 through the network).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 rng: np.random.Generator | int | None = None, dtype=np.float64) -> None:
        for what, size in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
                raise TypeError(f"Linear: {what} must be an integer, got {got(size)}")
        if in_features < 1 or out_features < 1:
            raise ValueError(
                f"Linear({in_features}, {out_features}): both sizes must be at least 1"
            )
        rng = as_rng(rng)
        dtype = np.dtype(dtype)
        bound = 1.0 / math.sqrt(in_features)
        self.in_features = in_features
        self.out_features = out_features
        w = rng.uniform(-bound, bound, (out_features, in_features)).astype(dtype)
        self.weight = Tensor(w, requires_grad=True, name="weight")
        self.bias = None
        if bias:
            b = rng.uniform(-bound, bound, out_features).astype(dtype)
            self.bias = Tensor(b, requires_grad=True, name="bias")

    def forward(self, x) -> Tensor:
        if not isinstance(x, Tensor):  # plain data takes the layer's dtype (float32 stays so)
            x = Tensor(x, dtype=self.weight.data.dtype)
        try:
            if self.bias is None:
                return x @ self.weight.T
            return apply(linear, (x, self.weight, self.bias))  # one fused node: x Wᵀ + b
        except ValueError:
            if x.shape[-1:] == (self.in_features,):
                raise
            raise ShapeError(  # checked only on failure: the forward itself is the check
                f"Linear({self.in_features}, {self.out_features}): the input has shape "
                f"{x.shape} but its last axis must have {self.in_features} features; "
                f"reshape the input or build the layer with in_features={x.shape[-1:]}"
            ) from None

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    """max(x, 0) elementwise."""

    def forward(self, x) -> Tensor:
        return relu(x)


class Tanh(Module):
    """tanh(x) elementwise."""

    def forward(self, x) -> Tensor:
        return tanh(x)


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e⁻ˣ) elementwise."""

    def forward(self, x) -> Tensor:
        return sigmoid(x)


class Sequential(Module):
    """Modules applied one after the other; parameters are named ``0.weight``, ``2.bias``..."""

    def __init__(self, *modules: Module) -> None:
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(
                    f"Sequential: item {i} is a {type(m).__name__}, not an nn.Module; wrap "
                    f"functions in a Module subclass (e.g. nn.Tanh() rather than ag.tanh)"
                )
        self.modules_ = list(modules)

    def _named_members(self) -> Iterator[tuple[str, object]]:
        for i, m in enumerate(self.modules_):
            yield str(i), m

    def forward(self, x) -> Tensor:
        for m in self.modules_:
            x = m(x)
        return x

    def __getitem__(self, i: int) -> Module:
        return self.modules_[i]

    def __len__(self) -> int:
        return len(self.modules_)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules_)

    def append(self, module: Module) -> Sequential:
        self.modules_.append(module)
        return self


_ACTIVATIONS = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}


class MLP(Module):
    """A multilayer perceptron: Linear, activation, ..., Linear (no activation at the end).

    ``MLP(2, [16, 16], 1)`` is 2 → 16 → 16 → 1 with ``activation`` ("tanh", "relu" or
    "sigmoid") after each hidden layer; the output is raw (logits or regression values).
    Parameters are named ``layers.0.weight``, ``layers.0.bias``, ``layers.2.weight``...
    """

    def __init__(self, in_features: int, hidden: Sequence[int], out_features: int,
                 activation: str = "tanh", rng: np.random.Generator | int | None = None,
                 dtype=np.float64) -> None:
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"MLP: unknown activation {activation!r}; choose one of {sorted(_ACTIVATIONS)}"
            )
        if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
            hidden = [hidden]
        if not isinstance(hidden, (list, tuple)):
            raise TypeError(f"MLP: hidden must be a list of layer sizes (e.g. [16, 16]), got "
                            f"{got(hidden)}")
        for i, size in enumerate(hidden):
            whole_number(size, f"MLP: hidden[{i}]", low=1)
        rng = as_rng(rng)
        sizes = [in_features, *hidden, out_features]
        layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(n_in, n_out, rng=rng, dtype=dtype))
            if i < len(sizes) - 2:
                layers.append(_ACTIVATIONS[activation]())
        self.activation = activation
        self.layers = Sequential(*layers)

    def forward(self, x) -> Tensor:
        return self.layers(x)
