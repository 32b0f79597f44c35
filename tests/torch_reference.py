"""One comparison with PyTorch for a function of one array: value, gradient and (optionally)
the Hessian and a forward-over-reverse Hessian-vector product (used by the reductions' tests)."""

from __future__ import annotations

import numpy as np
import torch
from torch.autograd.functional import hessian as torch_hessian

import autograd_nb as ag


def grad_pair(ours, theirs, x, rng):
    """Value and gradient of Σ w·f(x) (w random) from autograd_nb and from PyTorch."""
    value = ours(ag.tensor(x)).data
    expected = theirs(torch.tensor(x)).detach().numpy()
    w = rng.normal(size=value.shape)
    grad = ag.grad(lambda t: (ours(t) * w).sum())(x)
    tx = torch.tensor(x, requires_grad=True)
    (theirs(tx) * torch.tensor(w)).sum().backward()
    return value, expected, grad, tx.grad.numpy()


def check(ours, theirs, x, rng, hessian=False):
    """``ours`` (on tensors) and ``theirs`` (on torch tensors) agree at ``x``: values to 1e-12,
    gradients of Σ w·f(x) to 1e-10; with ``hessian``, the Hessian of Σ w·f(x)² (not 0 for a
    piecewise linear f) and H·v forward over reverse."""
    value, expected, grad, expected_grad = grad_pair(ours, theirs, x, rng)
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)
    if hessian:
        w = rng.normal(size=value.shape)
        h = ag.hessian(lambda t: (ours(t) ** 2 * w).sum())(x)
        expected_h = torch_hessian(lambda t: (theirs(t) ** 2 * torch.tensor(w)).sum(),
                                   torch.tensor(x))
        np.testing.assert_allclose(h, expected_h.numpy(), rtol=1e-10, atol=1e-12)
        v = rng.normal(size=x.shape)
        _, hv = ag.jvp(ag.grad(lambda t: (ours(t) ** 2 * w).sum()), (x,), (v,))
        np.testing.assert_allclose(hv, np.tensordot(h, v, axes=x.ndim), rtol=1e-10, atol=1e-12)
