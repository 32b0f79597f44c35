"""Function transformations on one reverse sweep: ``grad``, ``value_and_grad``, ``jacobian``,
``hessian``. They nest (``grad(grad(f))``) because the inner sweep is recorded when the outer
one will need it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from .backward import sweep
from .errors import AutogradError, ShapeError
from .grad_mode import is_grad_enabled, set_grad_enabled, state
from .tensor import Tensor

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "vjp"]


_active = threading.local()  # .depth: how many transforms are evaluating their function


def inside_transform() -> bool:
    """True while grad/jacobian/hessian/vjp evaluates its function (in this thread)."""
    return getattr(_active, "depth", 0) > 0


def _trace(f: Callable, args: tuple, argnums: tuple[int, ...]):
    """Call ``f`` with the chosen arguments as tensors that require grad.

    Inside another transform (``grad(grad(f))``, or an outer variable reaching ``f`` through
    another argument or a closure) the inner sweep must be recorded: ``nested``. An argument
    that already requires grad (an outer variable) becomes a fresh variable connected to it,
    so that the result stays connected to the outer computation while the inner derivative
    is the partial one along this argument alone (``grad(lambda y: y * x)(x)`` is ``x``).
    """
    if state.forward:
        raise AutogradError(
            "ag.grad/jacobian/hessian inside ag.jvp (forward over reverse) is not supported: "
            "the reverse sweep runs on plain arrays, so the gradient's tangent would be lost; "
            "for a Hessian-vector product differentiate twice in reverse mode: "
            "ag.grad(lambda x: (ag.grad(f)(x) * v).sum())(x)"
        )
    xs = list(args)
    depth = getattr(_active, "depth", 0)
    nested = depth > 0 and is_grad_enabled()
    for i in argnums:
        a = args[i]
        if isinstance(a, Tensor) and a.requires_grad and is_grad_enabled():
            nested = True
            xs[i] = a.reshape(a.shape)
        else:
            data = np.asarray(a.data if isinstance(a, Tensor) else a)
            xs[i] = Tensor(data if data.dtype.kind == "f" else data.astype(np.float64),
                           requires_grad=True)
    _active.depth = depth + 1
    try:
        with set_grad_enabled(True):  # a transform differentiates even inside no_grad()
            out = f(*xs)
    finally:
        _active.depth = depth
    return out, [xs[i] for i in argnums], nested


def vjp(f: Callable, *args, argnums=0):
    """``(f(*args), vjp_fn)`` where ``vjp_fn(v)`` gives ``vᵀ·∂f/∂args[argnums]`` for each argnum."""
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    out, sources, nested = _trace(f, args, nums)
    returns_tensor = nested or any(isinstance(args[i], Tensor) for i in nums)

    def vjp_fn(v):
        grads = _pullback(out, sources, v, nested, f)
        grads = tuple(g if returns_tensor else g.data for g in grads)
        return grads if isinstance(argnums, tuple) else grads[0]

    return out, vjp_fn


def _pullback(out, sources, seed, nested: bool, f) -> tuple[Tensor, ...]:
    if not isinstance(out, Tensor) or out._node is None:  # f does not depend on its inputs
        return tuple(Tensor(np.zeros_like(s.data)) for s in sources)
    seed = seed.data if isinstance(seed, Tensor) else np.asarray(seed, dtype=out.dtype)
    if seed.shape != out.shape:
        seed = np.broadcast_to(seed, out.shape)
    wanted = {s._node: s for s in sources}
    if nested:
        found = sweep(out._node, Tensor._wrap(np.array(seed), None), create_graph=True,
                      accumulate=False, sources=wanted)
    else:
        found = sweep(out._node, seed, retain_graph=True, accumulate=False, sources=wanted)
    return tuple(_as_grad(found.get(s._node), s) for s in sources)


def _as_grad(g, source: Tensor) -> Tensor:
    if g is None:
        return Tensor(np.zeros_like(source.data))
    if isinstance(g, Tensor):
        return g
    return Tensor._wrap(np.array(g, dtype=source.dtype), None)


def _check_scalar(out, f, who: str) -> None:
    size = np.size(out.data if isinstance(out, Tensor) else out)
    if size != 1:
        raise ShapeError(
            f"{who}: {getattr(f, '__name__', 'f')} returned shape {np.shape(out)}, but {who} "
            f"needs a single number; reduce it (e.g. .sum()) or use ag.jacobian for all outputs"
        )


def value_and_grad(f: Callable, argnums=0) -> Callable:
    """A function returning ``(f(*args), df/dargs)`` from one forward and one reverse pass."""

    def value_and_grad_f(*args):
        out, vjp_fn = vjp(f, *args, argnums=argnums)
        _check_scalar(out, f, "grad")
        if not _any_tensor(args) and isinstance(out, Tensor):
            out = out.data
        return out, vjp_fn(1.0)

    return value_and_grad_f


def grad(f: Callable, argnums=0) -> Callable:
    """A function returning df/dx of the scalar function ``f`` (a tuple for a tuple ``argnums``).

    Nests for higher derivatives: ``grad(grad(f))`` is the second derivative.
    """

    def grad_f(*args):
        return value_and_grad(f, argnums)(*args)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return grad_f


def _any_tensor(args) -> bool:
    return any(isinstance(a, Tensor) for a in args)


def jacobian(f: Callable, argnums=0) -> Callable:
    """A function returning the Jacobian ∂f/∂x with shape ``f(x).shape + x.shape``: one reverse
    sweep per output element."""

    def jacobian_f(*args):
        nums = argnums if isinstance(argnums, tuple) else (argnums,)
        out, sources, nested = _trace(f, args, nums)
        if not isinstance(out, Tensor):
            out = Tensor(out)
        rows = [[] for _ in sources]
        for k in range(out.data.size):
            seed = np.zeros(out.shape, dtype=out.dtype)
            seed.flat[k] = 1
            for rows_i, g in zip(rows, _pullback(out, sources, seed, nested, f)):
                rows_i.append(g)
        results = []
        for s, rows_i in zip(sources, rows):
            shape = out.shape + s.shape
            if nested or _any_tensor(args):
                from .functions import reshape, stack

                j = reshape(stack(rows_i), shape) if rows_i else Tensor(np.zeros(shape))
                results.append(j if nested else j.detach())
            else:
                results.append(np.stack([r.data for r in rows_i]).reshape(shape)
                               if rows_i else np.zeros(shape))
        return tuple(results) if isinstance(argnums, tuple) else results[0]

    return jacobian_f


def hessian(f: Callable, argnums=0) -> Callable:
    """A function returning the matrix of second derivatives of the scalar function ``f``."""
    if isinstance(argnums, tuple):
        raise AutogradError("hessian: give one argnum (an int); nest jacobian/grad for blocks")
    return jacobian(grad(f, argnums), argnums)
