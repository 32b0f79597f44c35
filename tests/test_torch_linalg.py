"""np.linalg against torch.linalg: values, gradients and second derivatives in float64 at
well-conditioned seeded inputs (SPD matrices for cholesky, symmetric ones for eigh), the
corner cases (the 2-norm at zero, ties in inf-norms, repeated eigenvalues), then the errors
raised for what is not supported.

Factorisations are compared through functions that do not depend on the signs of the
factors' columns (Q·diag(c)·Qᵀ, R with rows signed by its diagonal, V·diag(c)·Vᵀ...)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from torch.autograd.functional import hessian as torch_hessian

import autograd_nb as ag
from autograd_nb.primitives import linalg as la

GEN = np.random.default_rng(7)
A33 = GEN.normal(size=(3, 3)) + 3 * np.eye(3)  # well-conditioned
B233 = GEN.normal(size=(2, 3, 3)) + 3 * np.eye(3)
M32 = GEN.normal(size=(3, 2))
M23 = GEN.normal(size=(2, 3))
M234 = GEN.normal(size=(2, 3, 4))
M = GEN.normal(size=(3, 3))
SPD = M @ M.T + 3 * np.eye(3)
SPD2 = np.stack([SPD, np.diag([1.0, 2.0, 4.0]) + 0.1])
SYM = M + M.T
V4 = np.array([0.5, -1.2, 2.0, 0.3])
TIED_ROW = np.array([[1.0, -3.0, 3.0], [2.0, 0.5, -2.0]])
ZERO_ROW = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 2.0]])


def _mT(x):
    return np.swapaxes(x, -1, -2)


def _tmT(x):
    return x.transpose(-1, -2)


def check(ours, theirs, xs, rng, hessian=False, rtol=1e-9):
    """Values and gradients of Σ w·f(x...) from autograd_nb and PyTorch; with ``hessian``,
    the Hessian of Σ w·f(x)² for the first input, and H·v forward over reverse."""
    xs = xs if isinstance(xs, tuple) else (xs,)
    value = np.asarray(ours(*[ag.tensor(x) for x in xs]).data)
    expected = theirs(*[torch.tensor(x) for x in xs]).detach().numpy()
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=rtol, atol=1e-10)
    w = rng.normal(size=value.shape)
    argnums = tuple(range(len(xs)))
    grads = ag.grad(lambda *ts: (ours(*ts) * w).sum(), argnums=argnums)(*xs)
    txs = [torch.tensor(x, requires_grad=True) for x in xs]
    expected_grads = torch.autograd.grad((theirs(*txs) * torch.tensor(w)).sum(), txs,
                                         materialize_grads=True)
    for g, e in zip(grads, expected_grads):
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(g, e.numpy(), rtol=rtol, atol=1e-10)
    if hessian:
        x, rest = xs[0], xs[1:]
        h = ag.hessian(lambda t: (ours(t, *rest) ** 2 * w).sum())(x)
        trest = [torch.tensor(r) for r in rest]
        expected_h = torch_hessian(lambda t: (theirs(t, *trest) ** 2 * torch.tensor(w)).sum(),
                                   torch.tensor(x))
        np.testing.assert_allclose(h, expected_h.numpy(), rtol=rtol * 10, atol=1e-9)
        v = rng.normal(size=x.shape)
        _, hv = ag.jvp(ag.grad(lambda t: (ours(t, *rest) ** 2 * w).sum()), (x,), (v,))
        np.testing.assert_allclose(hv, np.tensordot(h, v, axes=x.ndim), rtol=1e-8, atol=1e-9)


# ---------------------------------------------------------------------------------------- norm

VECTOR_ORDS = [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1.5]


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
def test_vector_norms_match_torch(ord, rng):
    p = 2 if ord is None else ord
    check(lambda t: np.linalg.norm(t, ord), lambda t: torch.linalg.vector_norm(t, p), V4, rng,
          hessian=ord not in (np.inf, -np.inf, 0, 1))
    check(lambda t: np.linalg.norm(t, ord, axis=-1, keepdims=True),
          lambda t: torch.linalg.vector_norm(t, p, dim=-1, keepdim=True), M234, rng)
    check(lambda t: ag.vector_norm(t, axis=(0, 2), ord=p),
          lambda t: torch.linalg.vector_norm(t, p, dim=(0, 2)), M234, rng)


def test_norm_of_everything_matches_torch(rng):
    check(lambda t: np.linalg.norm(t), lambda t: torch.linalg.norm(t), M234, rng, hessian=True)
    check(lambda t: t.norm(keepdims=True), lambda t: torch.linalg.vector_norm(t, keepdim=True)
          .reshape(1, 1, 1), M234, rng)


@pytest.mark.parametrize("ord", [2, 1, np.inf, 3, 0.5])
def test_norm_at_zero_has_torchs_gradient(ord, rng):
    """The 2-norm (and every p-norm) at the zero vector: gradient 0, not NaN, as in PyTorch."""
    check(lambda t: np.linalg.norm(t, ord, axis=1),
          lambda t: torch.linalg.vector_norm(t, ord, dim=1), ZERO_ROW, rng)


@pytest.mark.parametrize("ord", [np.inf, -np.inf])
def test_inf_norm_splits_ties_like_torch(ord, rng):
    check(lambda t: np.linalg.norm(t, ord, axis=1),
          lambda t: torch.linalg.vector_norm(t, ord, dim=1), TIED_ROW, rng)


MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
def test_matrix_norms_match_torch(ord, rng):
    smooth = ord in ("fro", "nuc", 2, -2)
    check(lambda t: np.linalg.norm(t, ord), lambda t: torch.linalg.matrix_norm(t, ord), M32,
          rng, hessian=smooth)
    check(lambda t: np.linalg.norm(t, ord, axis=(2, 0), keepdims=True),
          lambda t: torch.linalg.norm(t, ord, dim=(2, 0), keepdim=True), M234, rng)
    check(lambda t: np.linalg.matrix_norm(t, ord=ord),
          lambda t: torch.linalg.matrix_norm(t, ord), M234, rng)


# ---------------------------------------------------------------------------------- det, inv


def test_det_and_slogdet_match_torch(rng):
    check(lambda t: np.linalg.det(t), torch.linalg.det, A33, rng, hessian=True)
    check(lambda t: t.det(), torch.linalg.det, B233, rng)
    check(lambda t: np.linalg.slogdet(t).logabsdet, lambda t: torch.linalg.slogdet(t)[1],
          B233, rng, hessian=True)
    negative = A33[[1, 0, 2]]  # rows swapped: a negative determinant
    check(lambda t: ag.slogdet(t)[1], lambda t: torch.linalg.slogdet(t)[1], negative, rng)
    sign, logabs = ag.slogdet(ag.tensor(negative))
    np.testing.assert_array_equal(sign.data, torch.linalg.slogdet(torch.tensor(negative))[0])
    assert sign.data == -1 and not sign.requires_grad
    np.testing.assert_allclose(np.linalg.slogdet(negative).logabsdet, logabs.data)


def test_inv_and_solve_match_torch(rng):
    check(lambda t: np.linalg.inv(t), torch.linalg.inv, B233, rng, hessian=True)
    check(lambda a, b: np.linalg.solve(a, b), torch.linalg.solve, (A33, M32[:, 0]), rng,
          hessian=True)
    check(lambda a, b: ag.solve(a, b), torch.linalg.solve, (A33, M32), rng, hessian=True)
    check(lambda a, b: np.linalg.solve(a, b), torch.linalg.solve, (B233, M32), rng)
    check(lambda a, b: np.linalg.solve(a, b), torch.linalg.solve, (B233, M32[:, 1]), rng)
    check(lambda a, b: np.linalg.solve(a, b), torch.linalg.solve,
          (A33, np.stack([M32, M32 + 1])), rng)


def test_pinv_matches_torch(rng):
    for x in (M32, M23, M234):
        check(lambda t: np.linalg.pinv(t), torch.linalg.pinv, x, rng, hessian=x.ndim == 2)


def test_matrix_power_and_multi_dot_match_torch(rng):
    for n in (3, 2, 1, 0, -1, -3):
        check(lambda t, n=n: np.linalg.matrix_power(t, n),
              lambda t, n=n: torch.linalg.matrix_power(t, n), B233, rng, hessian=n in (3, -3))
    check(lambda a, b, c: np.linalg.multi_dot([a, b, c]),
          lambda a, b, c: torch.linalg.multi_dot([a, b, c]), (M23, A33, M32), rng,
          hessian=True)
    check(lambda a, b: ag.multi_dot([a, b]), lambda a, b: torch.linalg.multi_dot([a, b]),
          (M32[:, 0], M32), rng)


# ------------------------------------------------------------------------------ factorisations


def test_cholesky_matches_torch(rng):
    check(lambda t: np.linalg.cholesky(t), torch.linalg.cholesky, SPD, rng, hessian=True)
    check(lambda t: ag.cholesky(t, upper=True),
          lambda t: torch.linalg.cholesky(t, upper=True), SPD2, rng)


def _signed_rows(r, np_):  # R with each row times the sign of its diagonal entry
    diagonal = r.diagonal(0, -2, -1) if np_ is torch else np.diagonal(r.data, 0, -2, -1)
    sign = np_.sign(diagonal)
    return r * sign[..., :, None]


def _projector(q, c):  # Q·diag(c)·Qᵀ: independent of the signs of Q's columns
    return (q * c) @ (_tmT(q) if isinstance(q, torch.Tensor) else _mT(q))


@pytest.mark.parametrize("x", [M32, A33, M23, M234], ids=["tall", "square", "wide", "batch"])
def test_qr_matches_torch(x, rng):
    k = min(x.shape[-2:])
    c = torch.tensor(rng.normal(size=k))
    check(lambda t: _projector(np.linalg.qr(t).Q, c.numpy()),
          lambda t: _projector(torch.linalg.qr(t).Q, c), x, rng, hessian=x.ndim == 2)
    check(lambda t: _signed_rows(np.linalg.qr(t).R, np),
          lambda t: _signed_rows(torch.linalg.qr(t).R, torch), x, rng, hessian=x.ndim == 2)
    check(lambda t: _signed_rows(np.linalg.qr(t, mode="r"), np),
          lambda t: _signed_rows(torch.linalg.qr(t)[1], torch), x, rng)  # mode='r' has no grad


@pytest.mark.parametrize("x", [SYM, SPD2], ids=["symmetric", "batch"])
def test_eigh_matches_torch(x, rng):
    c = torch.tensor(rng.normal(size=x.shape[-1]))
    check(lambda t: np.linalg.eigh(t).eigenvalues, lambda t: torch.linalg.eigh(t)[0], x, rng,
          hessian=x.ndim == 2)
    check(lambda t: ag.eigvalsh(t, UPLO="U"), lambda t: torch.linalg.eigvalsh(t, UPLO="U"), x,
          rng)
    check(lambda t: _projector(np.linalg.eigh(t)[1], c.numpy()),
          lambda t: _projector(torch.linalg.eigh(t)[1], c), x, rng, hessian=x.ndim == 2)


def test_eigh_at_repeated_eigenvalues(rng):
    """Functions of the eigenvalues, and of the eigenvectors that do not depend on the basis
    chosen in a repeated eigenspace, have finite gradients equal to PyTorch's (PyTorch's is
    NaN for the second at an exact tie: there, ours drops the undefined rotation terms)."""
    repeated = np.diag([1.0, 1.0, 2.0])
    check(lambda t: np.linalg.eigvalsh(t), torch.linalg.eigvalsh, repeated, rng)
    c = np.array([0.7, 0.7, -1.3])  # the same weight on both tied eigenvectors
    grad = ag.grad(lambda t: (_projector(np.linalg.eigh(t)[1], c) * SYM).sum())(repeated)
    assert np.all(np.isfinite(grad))
    near = repeated + 1e-7 * np.diag([0.0, 1.0, 0.0])  # tie broken: PyTorch is finite there
    tx = torch.tensor(near, requires_grad=True)
    (_projector(torch.linalg.eigh(tx)[1], torch.tensor(c)) * torch.tensor(SYM)).sum().backward()
    np.testing.assert_allclose(grad, tx.grad.numpy(), atol=1e-6)


@pytest.mark.parametrize("x", [M32, M23, A33, M234], ids=["tall", "wide", "square", "batch"])
def test_svd_matches_torch(x, rng):
    k = min(x.shape[-2:])
    c = torch.tensor(rng.normal(size=k))
    hessian = x.ndim == 2
    check(lambda t: np.linalg.svd(t, compute_uv=False), torch.linalg.svdvals, x, rng,
          hessian=hessian)
    check(lambda t: np.linalg.svdvals(t), torch.linalg.svdvals, x, rng)
    check(lambda t: _projector(np.linalg.svd(t, full_matrices=False).U, c.numpy()),
          lambda t: _projector(torch.linalg.svd(t, full_matrices=False).U, c), x, rng,
          hessian=hessian)
    check(lambda t: _projector(_mT(ag.svd(t, full_matrices=False).Vh), c.numpy()),
          lambda t: _projector(_tmT(torch.linalg.svd(t, full_matrices=False).Vh), c), x, rng,
          hessian=hessian)
    check(lambda t: _mT(np.linalg.svd(t, full_matrices=False).U) @ t  # Uᵀ·A·V = diag(s)
          @ _mT(np.linalg.svd(t, full_matrices=False).Vh),
          lambda t: _tmT(torch.linalg.svd(t, full_matrices=False).U) @ t
          @ _tmT(torch.linalg.svd(t, full_matrices=False).Vh), x, rng)


def test_svdvals_at_repeated_singular_values_are_nan_free(rng):
    x = np.diag([2.0, 2.0, 1.0])
    check(lambda t: np.linalg.svd(t, compute_uv=False), torch.linalg.svdvals, x, rng)


# -------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("call, message", [
    (lambda t: np.linalg.norm(t, "fro", axis=0), "is a matrix norm"),
    (lambda t: np.linalg.norm(t, 3), "is not a matrix norm"),
    (lambda t: np.linalg.norm(t[None], axis=(0, 1, 2)), "names 3 axes"),
    (lambda t: np.linalg.norm(t[None], 2), "needs a 1-D or 2-D input"),
    (lambda t: ag.vector_norm(t, ord="nuc"), "is not a vector norm order"),
    (lambda t: np.linalg.matrix_norm(t[0]), "needs matrices"),
    (lambda t: np.linalg.qr(t, mode="complete"), "mode='complete'"),
    (lambda t: np.linalg.qr(t, mode="raw"), "mode='raw'"),
    (lambda t: la.qr_q(t.T), "needs a tall matrix"),
    (lambda t: np.linalg.svd(t), "full_matrices=True"),
    (lambda t: np.linalg.svd(t, full_matrices=False, hermitian=True), "hermitian=True"),
    (lambda t: np.linalg.eigh(t), "needs square matrices"),
    (lambda t: np.linalg.eigh(t @ t.T, UPLO="X"), "UPLO must be"),
    (lambda t: np.linalg.matrix_power(t, 2), "needs square matrices"),
    (lambda t: np.linalg.multi_dot([t]), "at least two arrays"),
    (lambda t: np.linalg.multi_dot([t[None], t.T]), "must be 2-D"),
])
def test_unsupported_parameters_raise(call, message):
    t = ag.tensor(M32, requires_grad=True)
    with pytest.raises(ValueError, match=re.escape(message)):
        call(t)


def test_matrix_power_needs_an_integer():
    with pytest.raises(TypeError, match="n must be an integer"):
        np.linalg.matrix_power(ag.tensor(A33), 1.5)


def test_tuples_are_numpys():
    t = ag.tensor(A33, requires_grad=True)
    assert np.linalg.qr(t)._fields == np.linalg.qr(A33)._fields
    assert np.linalg.eigh(t)._fields == np.linalg.eigh(A33)._fields
    assert np.linalg.svd(t)._fields == np.linalg.svd(A33)._fields
    assert np.linalg.slogdet(t)._fields == np.linalg.slogdet(A33)._fields
    for ours, theirs in zip(np.linalg.svd(t), np.linalg.svd(A33)):
        np.testing.assert_allclose(ours.data, theirs, atol=1e-12)
