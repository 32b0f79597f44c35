"""Function transformations on one reverse sweep: ``vjp``, and on it ``grad``,
``value_and_grad``, ``jacobian``, ``hessian``.

Each call records ``f`` from a fresh variable per differentiated argument, then sweeps back
from the output to those variables alone. An outer variable (from an enclosing ``grad`` or
``jvp``, or a tensor ``f`` closes over) enters as a node connected to it; when the output
depends on one, the sweep is itself recorded (``create_graph``), so the result stays
differentiable by the outer levels (``grad(grad(f))``, ``jvp`` of ``grad``...), while this
level's derivative is the partial one along its own variables only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .backward import sweep
from .errors import AutogradError, ShapeError
from .forward import independent_warning, output_tensor, own_variables, result, transform_input
from .functions import stack
from .grad_mode import set_grad_enabled, state, transforming
from .node import depends_on_others
from .primitives.shaping import astype
from .tensor import Tensor

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "vjp"]


class _Pullback:
    """``f`` recorded at its arguments, ready to pull cotangents back to the chosen ones."""

    def __init__(self, f: Callable, args: tuple, argnums, who: str) -> None:
        self.nums = _argnums(argnums, len(args), who)
        self.f, self.who = f, who
        xs = list(args)
        with set_grad_enabled(True), transforming():  # even inside no_grad()
            for i in self.nums:
                xs[i] = transform_input(args[i], who, i)
            self.sources = [xs[i] for i in self.nums]
            self.own = own_variables(self.sources)
            self.out = output_tensor(f(*xs), who, f)
        self.as_tensors = any(isinstance(args[i], Tensor) for i in self.nums)
        self._outer: bool | None = None  # does out depend on a variable outside this level?

    def __call__(self, cotangent) -> list[Tensor]:
        """vᵀ·∂f/∂x for each chosen argument x: tensors, recorded when outer levels need them."""
        out = self.out
        if out._node is None:
            independent_warning(self.who, self.f)
            return [Tensor._wrap(np.zeros_like(s.data), None) for s in self.sources]
        seed = _seed(cotangent, out, self.who)
        if self._outer is None:  # one walk of the graph, whatever the number of cotangents
            self._outer = depends_on_others(out._node, self.own)
        record = state.grad_enabled and (seed._node is not None or self._outer)
        wanted = {s._node: s for s in self.sources}
        found = sweep(out._node, seed if record else seed.data, retain_graph=True,
                      create_graph=record, accumulate=False, sources=wanted)
        if not found:
            independent_warning(self.who, self.f)
        return [_as_grad(found.get(s._node), s) for s in self.sources]

    def result(self, t: Tensor, as_tensor: bool = False):
        return result(t, self.own, self.as_tensors or as_tensor)


def _argnums(argnums, n: int, who: str) -> tuple[int, ...]:
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for i in nums:
        if not isinstance(i, (int, np.integer)) or not -n <= i < n:
            raise ValueError(
                f"{who}: argnums={argnums!r} but the function was called with {n} "
                f"argument{'s' if n != 1 else ''}; give argument positions from 0 to {n - 1}"
            )
    return tuple(int(i) % n for i in nums)


def _seed(cotangent, out: Tensor, who: str) -> Tensor:
    if isinstance(cotangent, Tensor):
        seed = cotangent if cotangent.dtype == out.dtype else astype(cotangent, out.dtype)
    else:
        seed = Tensor._wrap(np.asarray(cotangent, dtype=out.dtype), None)
    if seed.shape != out.shape:
        if seed.size != 1:
            raise ShapeError(
                f"{who}: a cotangent of shape {seed.shape} for an output of shape {out.shape}; "
                f"give one of the output's shape"
            )
        seed = seed * Tensor._wrap(np.ones(out.shape, dtype=out.dtype), None)
    return seed


def _as_grad(g, source: Tensor) -> Tensor:
    if g is None:
        return Tensor._wrap(np.zeros_like(source.data), None)
    if isinstance(g, Tensor):
        return g if g.dtype == source.dtype else astype(g, source.dtype)
    return Tensor._wrap(np.array(g, dtype=source.dtype), None)


def vjp(f: Callable, *args, argnums=0):
    """``(f(*args), vjp_fn)`` where ``vjp_fn(v)`` gives ``vᵀ·∂f/∂args[argnums]``.

    ``vjp_fn`` is itself differentiable, in ``v`` and in what ``f`` closes over.
    """
    pull = _Pullback(f, args, argnums, "vjp")

    def vjp_fn(v):
        grads = tuple(pull.result(g, isinstance(v, Tensor)) for g in pull(v))
        return grads if isinstance(argnums, tuple) else grads[0]

    return pull.result(pull.out), vjp_fn


def value_and_grad(f: Callable, argnums=0) -> Callable:
    """A function returning ``(f(*args), df/dargs)`` from one forward and one reverse pass."""

    def value_and_grad_f(*args):
        pull = _Pullback(f, args, argnums, "grad")
        if pull.out.size != 1:
            raise ShapeError(
                f"grad: {getattr(f, '__name__', 'f')} returned shape {pull.out.shape}, but grad "
                f"needs a single number; reduce it (e.g. .sum()) or use ag.jacobian for all "
                f"outputs"
            )
        grads = tuple(pull.result(g) for g in pull(1.0))
        return pull.result(pull.out), grads if isinstance(argnums, tuple) else grads[0]

    value_and_grad_f.__name__ = f"value_and_grad_{getattr(f, '__name__', 'f')}"
    return value_and_grad_f


def grad(f: Callable, argnums=0) -> Callable:
    """A function returning df/dx of the scalar function ``f`` (a tuple for a tuple ``argnums``).

    Nests for higher derivatives: ``grad(grad(f))`` is the second derivative.
    """

    def grad_f(*args):
        return value_and_grad(f, argnums)(*args)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return grad_f


def jacobian(f: Callable, argnums=0) -> Callable:
    """A function returning the Jacobian ∂f/∂x with shape ``f(x).shape + x.shape``: one reverse
    sweep per output element."""

    def jacobian_f(*args):
        pull = _Pullback(f, args, argnums, "jacobian")
        out = pull.out
        rows: list[list[Tensor]] = [[] for _ in pull.sources]
        for k in range(out.size):
            seed = np.zeros(out.shape, dtype=out.dtype)
            seed.flat[k] = 1
            for rows_i, g in zip(rows, pull(seed)):
                rows_i.append(g)
        results = []
        for source, rows_i in zip(pull.sources, rows):
            shape = out.shape + source.shape
            if not rows_i:
                j = Tensor._wrap(np.zeros(shape, dtype=source.dtype), None)
            elif any(r._node is not None for r in rows_i):
                j = stack(rows_i).reshape(shape)
            else:
                j = Tensor._wrap(np.stack([r.data for r in rows_i]).reshape(shape), None)
            results.append(pull.result(j))
        return tuple(results) if isinstance(argnums, tuple) else results[0]

    jacobian_f.__name__ = f"jacobian_{getattr(f, '__name__', 'f')}"
    return jacobian_f


def hessian(f: Callable, argnums=0) -> Callable:
    """A function returning the matrix of second derivatives of the scalar function ``f``."""
    if isinstance(argnums, tuple):
        raise AutogradError("hessian: give one argnum (an int); nest jacobian/grad for blocks")
    return jacobian(grad(f, argnums), argnums)
