"""``gradcheck``: compare the engine's gradients with central finite differences in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .backward import sweep
from .errors import GradcheckError
from .tensor import Tensor, as_values, got, real_number

__all__ = ["gradcheck", "numerical_jacobian", "analytic_jacobian"]


def _float64_leaves(inputs) -> list[Tensor]:
    leaves = []
    for i, x in enumerate(inputs):
        data = as_values(x, f"gradcheck: input {i}")  # None, strings, complex refused
        leaves.append(Tensor(np.array(data, dtype=np.float64), requires_grad=True))
    return leaves


def _output(f, xs) -> Tensor:
    out = f(*xs)
    if isinstance(out, Tensor):
        return out
    if out is None:
        raise TypeError(
            "gradcheck: f returned None; it must return the tensor to check (a missing "
            "`return`?)"
        )
    return Tensor(as_values(out, "gradcheck: the value f returned"))


def analytic_jacobian(f: Callable, xs: list[Tensor]) -> list[np.ndarray]:
    """∂f/∂x for each x, shape ``(out.size, x.size)``, one reverse sweep per output element."""
    out = _output(f, xs)
    jacs = [np.zeros((out.data.size, x.data.size)) for x in xs]
    if out._node is None:
        return jacs
    wanted = {x._node: x for x in xs}
    for k in range(out.data.size):
        seed = np.zeros(out.shape)
        seed.flat[k] = 1
        found = sweep(out._node, seed, retain_graph=True, accumulate=False, sources=wanted)
        for jac, x in zip(jacs, xs):
            if x._node in found:
                jac[k] = np.broadcast_to(np.asarray(found[x._node]), x.shape).ravel()
    return jacs


def numerical_jacobian(f: Callable, xs: list[Tensor], eps: float) -> list[np.ndarray]:
    """Central differences (f(x + eps·e) - f(x - eps·e)) / 2eps, element by element."""
    jacs = []
    for x in xs:
        values = x.data  # changed in place, element by element, whatever its memory layout
        columns = []
        for index in np.ndindex(values.shape):
            keep = values[index]
            values[index] = keep + eps
            up = np.array(_output(f, xs).data, dtype=np.float64).ravel()
            values[index] = keep - eps
            down = np.array(_output(f, xs).data, dtype=np.float64).ravel()
            values[index] = keep
            columns.append((up - down) / (2 * eps))
        size = _output(f, xs).data.size
        jacs.append(np.stack(columns, axis=1) if columns else np.zeros((size, 0)))
    return jacs


def gradcheck(f: Callable, *inputs, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """Check every derivative of ``f`` at ``inputs`` against finite differences.

    ``f`` takes tensors and returns a tensor of any shape; inputs are copied to float64.
    Returns ``True``, or raises ``GradcheckError`` naming the input, the worst element and
    both values, when ``|analytic - numeric| > atol + rtol·|numeric|`` anywhere.
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be a function of the inputs, got {got(f)}")
    if not inputs:
        raise ValueError("gradcheck: no inputs given; call gradcheck(f, x, ...) with the "
                         "point to check at")
    eps = real_number(eps, "gradcheck: eps", low=0, low_open=True)
    atol = real_number(atol, "gradcheck: atol", low=0)
    rtol = real_number(rtol, "gradcheck: rtol", low=0)
    xs = _float64_leaves(inputs)
    analytic = analytic_jacobian(f, xs)
    numeric = numerical_jacobian(f, xs, eps)
    for i, n in enumerate(numeric):
        if not np.all(np.isfinite(n)):
            k, j = np.argwhere(~np.isfinite(n))[0]
            element = tuple(map(int, np.unravel_index(j, xs[i].shape))) if xs[i].ndim else ()
            value = xs[i].data.reshape(-1)[j]
            raise GradcheckError(
                f"gradcheck: input {i} (shape {xs[i].shape}), element {element}: the finite "
                f"differences are {n[k, j]} (f is not finite at x ± eps, x = {value:.8g}, "
                f"eps = {eps:g}), so nothing can be checked there; check at a point farther "
                f"from the edge of f's domain, or with a smaller eps"
            )
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        excess = np.abs(a - n) - (atol + rtol * np.abs(n))
        if excess.size and (excess.max() > 0 or not np.all(np.isfinite(a))):
            k, j = np.unravel_index(np.nanargmax(np.where(np.isfinite(a), excess, np.inf)), a.shape)
            element = np.unravel_index(j, xs[i].shape) if xs[i].ndim else ()
            output = np.unravel_index(k, _output(f, xs).shape) if _output(f, xs).ndim else ()
            raise GradcheckError(
                f"gradcheck: input {i} (shape {xs[i].shape}), element {tuple(map(int, element))}, "
                f"output element {tuple(map(int, output))}: analytic derivative {a[k, j]:.8g} but "
                f"finite differences give {n[k, j]:.8g} (|difference| {abs(a[k, j] - n[k, j]):.3g} "
                f"> atol {atol:g} + rtol {rtol:g}·|numeric|); check the VJP rule of the "
                f"operation that consumes this input"
            )
    return True
