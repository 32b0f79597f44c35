"""``np.linalg``: norms, determinants, inverses and solves, factorisations (Cholesky, QR,
eigh, SVD), matrix powers and chained products.

Matrices are the last two axes; any axes before them are a batch (as in NumPy). The rules are
written with ``@``, ``np.swapaxes`` and this module's own primitives (the VJP of ``inv`` uses
``inv``'s output, the VJP of ``solve`` solves again), so every derivative nests. A
factorisation with several outputs is one primitive per output (``qr_q``/``qr_r``,
``eigvalsh``/``eigh_vectors``, ``svd_u``/``svdvals``/``svd_vh``), each rule giving that output's
share of the gradient; the composites ``qr``, ``eigh`` and ``svd`` return NumPy's named tuples.
Inputs of ``cholesky`` and ``eigh`` are taken as symmetric: their gradients are symmetrised, as
in PyTorch.
"""

from __future__ import annotations

import operator
from collections import namedtuple

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..tensor import Tensor
from .arithmetic import matmul
from .reductions import amax, amin
from .registry import composite, defjvp, defvjp, primitive, value_of

__all__ = [
    "vector_norm", "matrix_norm", "norm", "det", "logabsdet", "slogdet", "inv", "solve", "pinv",
    "cholesky", "qr_q", "qr_r", "qr", "eigvalsh", "eigh_vectors", "eigh", "svdvals", "svd_u",
    "svd_vh", "svd", "matrix_power", "multi_dot",
    "SlogdetResult", "QRResult", "EighResult", "SVDResult",
]

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])

# ------------------------------------------------------------------------------------ helpers
# Written with operations that dispatch on tensors, so the rules that use them nest.


def _mT(a):  # the transpose of each matrix in a stack
    return np.swapaxes(a, -1, -2)


def _sym(a):  # the symmetric part
    return (a + _mT(a)) / 2


def _per_matrix(g):  # one value per matrix (..., ) -> (..., 1, 1), to scale each matrix
    return np.reshape(g, np.shape(g) + (1, 1))


def _lower(n: int, dtype, diagonal: float = 1.0) -> np.ndarray:
    """The mask of the lower triangle, with ``diagonal`` on the diagonal."""
    return np.tril(np.ones((n, n), dtype=dtype), -1) + diagonal * np.eye(n, dtype=dtype)


def _expand(g, ndim: int, axis, keepdims: bool):
    """Give ``g`` (a reduction's result) back its reduced axes, with size 1."""
    if keepdims or axis is None:  # nothing removed, or a scalar that broadcasts anyway
        return g
    shape = list(np.shape(g))
    for a in sorted(normalize_axis_tuple(axis, ndim)):
        shape.insert(a, 1)
    return np.reshape(g, tuple(shape))


def _gaps_reciprocal(w):
    """F[..., i, j] = 1 / (w_j - w_i), and 0 where w_j = w_i (the diagonal, exact ties)."""
    gap = w[..., None, :] - w[..., :, None]
    tie = value_of(gap) == 0
    return np.where(tie, 0.0, 1.0 / np.where(tie, 1.0, gap))


def _times_inv_t(x, r):  # x · r⁻ᵀ
    return _mT(solve(r, _mT(x)))


def _times_inv(x, r):  # x · r⁻¹
    return _mT(solve(_mT(r), _mT(x)))


def _square(a, who: str) -> None:
    shape = np.shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(
            f"{who}: needs square matrices in the last two axes, got shape {shape}; pass an "
            f"(..., n, n) array"
        )


# -------------------------------------------------------------------------------- vector_norm


@primitive("vector_norm", nin=1, numpy=np.linalg.vector_norm, function="vector_norm")
def vector_norm(x, axis=None, keepdims=False, ord=2):
    """(Σ|x|^p)^(1/p) over ``axis`` (all when None); ∂/∂x = sign(x)·|x|^(p-1)/‖x‖^(p-1), 0 at ‖x‖ = 0 and at x = 0 for p < 1 (PyTorch); inf/-inf: split among ties; p = 0 (a count): zero."""
    if isinstance(ord, str) or ord is None or np.isnan(ord):
        raise ValueError(
            f"vector_norm: ord={ord!r} is not a vector norm order; pass a number (2, 1, inf, "
            f"-inf, 0, p), or use norm/matrix_norm for 'fro' and 'nuc'"
        )
    return np.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)


def _vector_norm_weights(ans, x, axis, keepdims, ord):
    """∂‖x‖/∂x, in x's shape."""
    y = _expand(ans, np.ndim(x), axis, keepdims)
    if ord == 0:
        return np.zeros_like(x)
    if ord in (np.inf, -np.inf):
        hit = np.abs(value_of(x)) == value_of(y)
        share = (hit / hit.sum(axis=axis, keepdims=True)).astype(np.result_type(x), copy=False)
        return np.sign(x) * share
    if ord == 1:
        return np.sign(x)
    y_safe = np.where(value_of(y) == 0, 1.0, y)  # where ‖x‖ = 0, x = 0 too: the share is 0
    if ord == 2:
        return x / y_safe
    at_zero = value_of(x) == 0  # |x|^(p-1) with p < 1 is infinite there: taken as 0
    power = np.where(at_zero, 0.0, np.where(at_zero, 1.0, np.abs(x)) ** (ord - 1))
    return np.sign(x) * power / y_safe ** (ord - 1)


def vector_norm_vjp(g, ans, x, axis, keepdims, ord):
    weights = _vector_norm_weights(ans, x, axis, keepdims, ord)
    return _expand(g, np.ndim(x), axis, keepdims) * weights


def vector_norm_jvp(t, ans, x, axis, keepdims, ord):
    weights = _vector_norm_weights(ans, x, axis, keepdims, ord)
    return np.sum(t * weights, axis=axis, keepdims=keepdims)


defvjp(vector_norm, vector_norm_vjp)
defjvp(vector_norm, vector_norm_jvp)

# --------------------------------------------------------------------------- matrix_norm, norm


def _matrix_norm(x, ord, row: int, col: int, keepdims: bool, who: str):
    """The matrix norm of the (row, col) planes of x, from vector_norm, sums, max/min, svdvals."""
    shape = np.shape(x)
    kept = tuple(1 if i in (row, col) else n for i, n in enumerate(shape))
    if ord is None or ord == "fro":
        out = vector_norm(x, axis=(row, col), keepdims=True, ord=2)
    elif ord in (1, -1, np.inf, -np.inf):  # the largest (smallest) column or row sum of |x|
        summed, reduced = (row, col) if ord in (1, -1) else (col, row)
        sums = np.sum(np.abs(x), axis=summed, keepdims=True)
        out = (amax if ord > 0 else amin)(sums, reduced, True)
    elif ord in (2, -2, "nuc"):
        others = [i for i in range(len(shape)) if i not in (row, col)]
        values = svdvals(np.transpose(x, (*others, row, col)))
        if ord == "nuc":
            out = np.sum(values, axis=-1)
        else:
            out = (amax if ord == 2 else amin)(values, -1, False)
        out = np.reshape(out, kept)
    else:
        raise ValueError(
            f"{who}: ord={ord!r} is not a matrix norm; pass one of 'fro', 'nuc', 1, -1, 2, -2, "
            f"inf, -inf"
        )
    return out if keepdims else np.reshape(out, tuple(n for i, n in enumerate(shape)
                                                     if i not in (row, col)))


@composite("matrix_norm", numpy=np.linalg.matrix_norm, function="matrix_norm")
def matrix_norm(x, keepdims=False, ord="fro"):
    """The norm of each matrix (last two axes): 'fro' and 'nuc' (Σσ, gradient U·Vᵀ), 1/-1/inf/-inf (max/min of |x| column/row sums), 2/-2 (largest/smallest σ; ties split)."""
    if np.ndim(x) < 2:
        raise ValueError(
            f"matrix_norm: needs matrices (at least 2 axes), got shape {np.shape(x)}; use "
            f"vector_norm for vectors"
        )
    return _matrix_norm(x, ord, np.ndim(x) - 2, np.ndim(x) - 1, keepdims, "matrix_norm")


@composite("norm", numpy=np.linalg.norm, function="norm", method="norm")
def norm(x, ord=None, axis=None, keepdims=False):
    """np.linalg.norm: a vector norm over one axis (``vector_norm``) or a matrix norm over a pair (``matrix_norm``); the 2-norm's gradient at 0 is 0, as in PyTorch."""
    ndim = np.ndim(x)
    if axis is None:
        if ord is None:  # the 2-norm of all the elements (Frobenius for a matrix)
            return vector_norm(x, None, keepdims, 2)
        if ndim not in (1, 2):
            raise ValueError(
                f"norm: ord={ord!r} with axis=None needs a 1-D or 2-D input, got shape "
                f"{np.shape(x)}; pass axis= (an int for vectors, a pair for matrices)"
            )
        axis = tuple(range(ndim))
    axes = normalize_axis_tuple(axis, ndim, "axis")
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(
                f"norm: ord={ord!r} is a matrix norm, but axis={axis!r} names one axis; pass "
                f"a pair of axes, or a number as ord"
            )
        return vector_norm(x, axes[0], keepdims, 2 if ord is None else ord)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes[0], axes[1], keepdims, "norm")
    raise ValueError(
        f"norm: axis={axis!r} names {len(axes)} axes; pass one axis (a vector norm) or two "
        f"(a matrix norm)"
    )


# ---------------------------------------------------------------------------------- inv, solve


@primitive("inv", nin=1, numpy=np.linalg.inv, function="inv")
def inv(a):
    """The inverse A⁻¹; ∂A⁻¹ = -A⁻¹·∂A·A⁻¹ (the VJP is -A⁻ᵀ·G·A⁻ᵀ)."""
    return np.linalg.inv(a)


def inv_vjp(g, ans, a):
    return -(_mT(ans) @ g @ _mT(ans))


def inv_jvp(t, ans, a):
    return -(ans @ t @ ans)


defvjp(inv, inv_vjp)
defjvp(inv, inv_jvp)


@primitive("solve", nin=2, numpy=np.linalg.solve, function="solve")
def solve(a, b):
    """x = A⁻¹b (b a vector (n,) or matrices (..., n, k)); the VJPs are Ā = -A⁻ᵀḡ·xᵀ, b̄ = A⁻ᵀḡ."""
    return np.linalg.solve(a, b)


def _as_columns(v, b):  # NumPy 2 treats b as a vector only when it is 1-D
    return v[..., None] if np.ndim(b) == 1 else v


def solve_vjp_a(g, ans, a, b):
    return -(solve(_mT(a), _as_columns(g, b)) @ _mT(_as_columns(ans, b)))


def solve_vjp_b(g, ans, a, b):
    out = solve(_mT(a), _as_columns(g, b))
    return out[..., 0] if np.ndim(b) == 1 else out


def solve_jvp_a(t, ans, a, b):
    out = -solve(a, t @ _as_columns(ans, b))
    return out[..., 0] if np.ndim(b) == 1 else out


def solve_jvp_b(t, ans, a, b):
    return solve(a, t)


defvjp(solve, solve_vjp_a, solve_vjp_b)
defjvp(solve, solve_jvp_a, solve_jvp_b)

# ------------------------------------------------------------------------------ det, slogdet


@primitive("det", nin=1, numpy=np.linalg.det, function="det", method="det")
def det(a):
    """The determinant; ∂det A/∂A = det A·A⁻ᵀ (undefined here at a singular A, where inv fails)."""
    return np.linalg.det(a)


def det_vjp(g, ans, a):
    return _per_matrix(g * ans) * _mT(inv(a))


def det_jvp(t, ans, a):
    return ans * np.sum(_mT(inv(a)) * t, axis=(-2, -1))


defvjp(det, det_vjp)
defjvp(det, det_jvp)


@primitive("logabsdet", nin=1)
def logabsdet(a):
    """log |det A|, slogdet's second output; ∂/∂A = A⁻ᵀ."""
    return np.linalg.slogdet(a)[1]


def logabsdet_vjp(g, ans, a):
    return _per_matrix(g) * _mT(inv(a))


def logabsdet_jvp(t, ans, a):
    return np.sum(_mT(inv(a)) * t, axis=(-2, -1))


defvjp(logabsdet, logabsdet_vjp)
defjvp(logabsdet, logabsdet_jvp)


@composite("slogdet", numpy=np.linalg.slogdet, function="slogdet", method="slogdet")
def slogdet(a):
    """(sign, log|det A|): the sign is a constant (zero gradient), log|det A| has gradient A⁻ᵀ."""
    sign = np.linalg.slogdet(value_of(a))[0]
    if isinstance(a, Tensor):
        sign = Tensor._wrap(np.asarray(sign), None)
    return SlogdetResult(sign, logabsdet(a))


# ---------------------------------------------------------------------------------------- pinv


@primitive("pinv", nin=1, numpy=np.linalg.pinv, function="pinv")
def pinv(a, rcond=None, hermitian=False):
    """The pseudo-inverse P = A⁺; ∂P = -P·∂A·P + PPᵀ∂Aᵀ(I - AP) + (I - PA)∂AᵀPᵀP (valid where the rank is constant, e.g. full rank)."""
    return np.linalg.pinv(a, rcond=rcond, hermitian=hermitian)


def pinv_vjp(g, ans, a, rcond, hermitian):
    p, p_t, g_t = ans, _mT(ans), _mT(g)
    left = g_t @ p @ p_t  # (I - AP)·Gᵀ·P·Pᵀ
    right = p_t @ p @ g_t  # Pᵀ·P·Gᵀ·(I - PA)
    return -(p_t @ g @ p_t) + (left - a @ (p @ left)) + (right - (right @ p) @ a)


def pinv_jvp(t, ans, a, rcond, hermitian):
    p, p_t, t_t = ans, _mT(ans), _mT(t)
    left = p @ p_t @ t_t  # P·Pᵀ·Tᵀ·(I - AP)
    right = t_t @ p_t @ p  # (I - PA)·Tᵀ·Pᵀ·P
    return -(p @ t @ p) + (left - (left @ a) @ p) + (right - p @ (a @ right))


defvjp(pinv, pinv_vjp)
defjvp(pinv, pinv_jvp)

# ------------------------------------------------------------------------------------ cholesky


@primitive("cholesky", nin=1, numpy=np.linalg.cholesky, function="cholesky")
def cholesky(a, upper=False):
    """L with A = L·Lᵀ (Uᵀ·U when upper); ∂L = L·Φ(L⁻¹·∂A·L⁻ᵀ), Φ = lower triangle with half the diagonal; the gradient is symmetrised (A taken as symmetric, as in PyTorch)."""
    return np.linalg.cholesky(a, upper=upper)


def _phi(x):  # the lower triangle, with half the diagonal
    return x * _lower(np.shape(x)[-1], np.result_type(x), 0.5)


def cholesky_vjp(g, ans, a, upper):
    low, g_low = (_mT(ans), _mT(g)) if upper else (ans, g)
    half = solve(_mT(low), _phi(_mT(low) @ g_low))  # L⁻ᵀ·Φ(Lᵀ·Ḡ)
    return _sym(_times_inv(half, low))  # ... ·L⁻¹, symmetrised


def cholesky_jvp(t, ans, a, upper):
    low = _mT(ans) if upper else ans
    inner = _mT(solve(low, _mT(solve(low, _sym(t)))))  # L⁻¹·sym(T)·L⁻ᵀ
    out = low @ _phi(inner)
    return _mT(out) if upper else out


defvjp(cholesky, cholesky_vjp)
defjvp(cholesky, cholesky_jvp)

# ------------------------------------------------------------------------------------------ qr
# qr_q and qr_r are the two factors of a tall A (m ≥ n) = Q·R, Q (m, n) with orthonormal
# columns, R (n, n) upper triangular; the composite qr adds the wide case:
# [X | Y] = Q·[R_X | Qᵀ·Y] with X = Q·R_X square.


def _tall(a, who: str) -> None:
    m, n = np.shape(a)[-2:]
    if m < n:
        raise ValueError(
            f"{who}: needs a tall matrix (m >= n), got shape {np.shape(a)}; use qr, which "
            f"handles wide matrices"
        )


@primitive("qr_q", nin=1)
def qr_q(a):
    """Q of the reduced QR of a tall A; Q̄ gives Ā = (Q̄ + Q·copyltu(-Q̄ᵀQ))·R⁻ᵀ (copyltu: the symmetric matrix of the lower triangle)."""
    _tall(a, "qr_q")
    return np.linalg.qr(a)[0]


@primitive("qr_r", nin=1)
def qr_r(a):
    """R of the reduced QR of a tall A; R̄ gives Ā = Q·copyltu(R·R̄ᵀ)·R⁻ᵀ."""
    _tall(a, "qr_r")
    return np.linalg.qr(a)[1]


def _copyltu(m):  # the symmetric matrix with m's lower triangle
    n = np.shape(m)[-1]
    strict = _lower(n, np.result_type(m), 0.0)
    return m * _lower(n, np.result_type(m)) + _mT(m * strict)


def qr_q_vjp(g, ans, a):
    return _times_inv_t(g + ans @ _copyltu(-(_mT(g) @ ans)), qr_r(a))


def qr_r_vjp(g, ans, a):
    return _times_inv_t(qr_q(a) @ _copyltu(ans @ _mT(g)), ans)


def _qr_tangents(t, q, r):
    """(T·R⁻¹, Rᵀ-side part): with C = Qᵀ·T·R⁻¹ and Ω its skew part from the strict lower
    triangle, ∂Q = T·R⁻¹ - Q·(C - Ω) and ∂R = (C - Ω)·R."""
    t_rinv = _times_inv(t, r)
    c = _mT(q) @ t_rinv
    low = c * _lower(np.shape(c)[-1], np.result_type(c), 0.0)
    return t_rinv, c - (low - _mT(low))


def qr_q_jvp(t, ans, a):
    t_rinv, upper = _qr_tangents(t, ans, qr_r(a))
    return t_rinv - ans @ upper


def qr_r_jvp(t, ans, a):
    _, upper = _qr_tangents(t, qr_q(a), ans)
    return upper @ ans


defvjp(qr_q, qr_q_vjp)
defjvp(qr_q, qr_q_jvp)
defvjp(qr_r, qr_r_vjp)
defjvp(qr_r, qr_r_jvp)


@composite("qr", numpy=np.linalg.qr, function="qr")
def qr(a, mode="reduced"):
    """(Q, R) of the reduced QR (mode 'r': R alone), from qr_q and qr_r; a wide [X | Y] is Q·[R_X | QᵀY]."""
    shape = np.shape(a)
    if len(shape) < 2:
        raise ValueError(f"qr: needs matrices (..., m, n), got shape {shape}")
    m, n = shape[-2:]
    if mode not in ("reduced", "r", "complete") or (mode == "complete" and m > n):
        raise ValueError(
            f"qr(..., mode={mode!r}) on shape {shape}: only mode='reduced' (and 'r', and "
            f"'complete' where m <= n, which is the same) is differentiable; the extra columns "
            f"of a complete Q are not unique. Pass mode='reduced'"
        )
    if m >= n:
        q, r = (None if mode == "r" else qr_q(a)), qr_r(a)
    else:
        left = a[..., :, :m]
        q = qr_q(left)
        r = np.concatenate([qr_r(left), _mT(q) @ a[..., :, m:]], axis=-1)
    return r if mode == "r" else QRResult(q, r)


# ---------------------------------------------------------------------------------------- eigh
# eigvalsh and eigh_vectors: w ascending and V (columns) of a symmetric A = V·diag(w)·Vᵀ,
# read from the lower triangle (UPLO='L') or the upper one; gradients are symmetrised.


@primitive("eigvalsh", nin=1, numpy=np.linalg.eigvalsh, function="eigvalsh")
def eigvalsh(a, UPLO="L"):
    """Eigenvalues w of a symmetric A, ascending; ∂w_i = v_iᵀ·∂A·v_i, so Ā = V·diag(w̄)·Vᵀ (NaN-free at repeated eigenvalues)."""
    return np.linalg.eigvalsh(a, UPLO)


@primitive("eigh_vectors", nin=1)
def eigh_vectors(a, UPLO="L"):
    """Eigenvectors V of a symmetric A; ∂V = V·(F∘(Vᵀ·∂A·V)), F_ij = 1/(w_j - w_i), taken as 0 at exactly repeated eigenvalues (where V is not unique: exact only for functions invariant to the choice)."""
    return np.linalg.eigh(a, UPLO)[1]


def eigvalsh_vjp(g, ans, a, UPLO):
    v = eigh_vectors(a, UPLO)
    return (v * g[..., None, :]) @ _mT(v)


def eigvalsh_jvp(t, ans, a, UPLO):
    v = eigh_vectors(a, UPLO)
    return np.sum(v * (_sym(t) @ v), axis=-2)


def eigh_vectors_vjp(g, ans, a, UPLO):
    j = _mT(ans) @ g
    return ans @ (_gaps_reciprocal(eigvalsh(a, UPLO)) * ((j - _mT(j)) / 2)) @ _mT(ans)


def eigh_vectors_jvp(t, ans, a, UPLO):
    return ans @ (_gaps_reciprocal(eigvalsh(a, UPLO)) * (_mT(ans) @ _sym(t) @ ans))


defvjp(eigvalsh, eigvalsh_vjp)
defjvp(eigvalsh, eigvalsh_jvp)
defvjp(eigh_vectors, eigh_vectors_vjp)
defjvp(eigh_vectors, eigh_vectors_jvp)


@composite("eigh", numpy=np.linalg.eigh, function="eigh")
def eigh(a, UPLO="L"):
    """(eigenvalues, eigenvectors) of a symmetric A, from eigvalsh and eigh_vectors."""
    _square(a, "eigh")
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    return EighResult(eigvalsh(a, UPLO), eigh_vectors(a, UPLO))


# ----------------------------------------------------------------------------------------- svd
# svd_u, svdvals and svd_vh: the reduced A = U·diag(s)·Vh, k = min(m, n). With F_ij =
# 1/(s_j² - s_i²) (0 at exactly equal singular values, where U and V are not unique) and
# J = UᵀŪ, K = Vh·V̄hᵀ, the shares of Ā are U·(F∘(J - Jᵀ))·S·Vh + (I - UUᵀ)·Ū·S⁻¹·Vh from U,
# U·diag(s̄)·Vh from s, U·S·(F∘(K - Kᵀ))·Vh + U·S⁻¹·V̄h·(I - VVᵀ) from Vh (S⁻¹: U and Vh need
# nonzero singular values).


@primitive("svdvals", nin=1, numpy=np.linalg.svdvals, function="svdvals")
def svdvals(x):
    """Singular values s, descending; ∂s_i = u_iᵀ·∂A·v_i, so Ā = U·diag(s̄)·Vh (NaN-free at repeated values)."""
    return np.linalg.svd(x, compute_uv=False)


@primitive("svd_u", nin=1)
def svd_u(a):
    """U of the reduced SVD; Ā = U·(F∘(UᵀŪ - ŪᵀU))·S·Vh + (I - UUᵀ)·Ū·S⁻¹·Vh, F_ij = 1/(s_j² - s_i²) (0 at ties)."""
    return np.linalg.svd(a, full_matrices=False)[0]


@primitive("svd_vh", nin=1)
def svd_vh(a):
    """Vh of the reduced SVD; Ā = U·S·(F∘(K - Kᵀ))·Vh + U·S⁻¹·(V̄h - KᵀVh), K = Vh·V̄hᵀ, F_ij = 1/(s_j² - s_i²) (0 at ties)."""
    return np.linalg.svd(a, full_matrices=False)[2]


def svdvals_vjp(g, ans, x):
    return (svd_u(x) * g[..., None, :]) @ svd_vh(x)


def svdvals_jvp(t, ans, x):
    return np.sum(svd_u(x) * (t @ _mT(svd_vh(x))), axis=-2)


def svd_u_vjp(g, ans, a):
    s, vh = svdvals(a), svd_vh(a)
    j = _mT(ans) @ g
    rotation = _gaps_reciprocal(s * s) * (j - _mT(j)) * s[..., None, :]
    return ans @ rotation @ vh + ((g - ans @ j) / s[..., None, :]) @ vh


def svd_vh_vjp(g, ans, a):
    s, u = svdvals(a), svd_u(a)
    k = ans @ _mT(g)
    rotation = s[..., :, None] * (_gaps_reciprocal(s * s) * (k - _mT(k)))
    return u @ rotation @ ans + u @ ((g - _mT(k) @ ans) / s[..., :, None])


def svd_u_jvp(t, ans, a):
    s, vh = svdvals(a), svd_vh(a)
    t_v = t @ _mT(vh)
    p = _mT(ans) @ t_v  # Uᵀ·T·V
    rotation = _gaps_reciprocal(s * s) * (p * s[..., None, :] + s[..., :, None] * _mT(p))
    return ans @ rotation + (t_v - ans @ p) / s[..., None, :]


def svd_vh_jvp(t, ans, a):
    s, u = svdvals(a), svd_u(a)
    u_t = _mT(u) @ t
    p = u_t @ _mT(ans)  # Uᵀ·T·V
    rotation = _gaps_reciprocal(s * s) * (s[..., :, None] * p + _mT(p) * s[..., None, :])
    return -(rotation @ ans) + (u_t - p @ ans) / s[..., :, None]


defvjp(svdvals, svdvals_vjp)
defjvp(svdvals, svdvals_jvp)
defvjp(svd_u, svd_u_vjp)
defjvp(svd_u, svd_u_jvp)
defvjp(svd_vh, svd_vh_vjp)
defjvp(svd_vh, svd_vh_jvp)


@composite("svd", numpy=np.linalg.svd, function="svd")
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """(U, S, Vh) of the reduced SVD from svd_u, svdvals, svd_vh (compute_uv=False: svdvals alone)."""
    shape = np.shape(a)
    if len(shape) < 2:
        raise ValueError(f"svd: needs matrices (..., m, n), got shape {shape}")
    if hermitian:
        raise ValueError(
            "svd(..., hermitian=True): not supported on tensors; leave hermitian=False (the "
            "same singular values), or use eigh for a symmetric matrix"
        )
    if not compute_uv:
        return svdvals(a)
    if full_matrices and shape[-1] != shape[-2]:
        raise ValueError(
            f"svd(..., full_matrices=True) of shape {shape}: the extra columns of a full U or "
            f"Vh are not unique, so they have no derivative; pass full_matrices=False (the "
            f"reduced SVD, as torch.linalg.svd(A, full_matrices=False))"
        )
    return SVDResult(svd_u(a), svdvals(a), svd_vh(a))


# ---------------------------------------------------------------------- matrix_power, multi_dot


@composite("matrix_power", numpy=np.linalg.matrix_power, function="matrix_power",
           method="matrix_power")
def matrix_power(a, n):
    """Aⁿ by repeated squaring with @ (n < 0: powers of inv(A); n = 0: I, zero gradient)."""
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(
            f"matrix_power: n must be an integer, got {n!r}; for a real power use eigh "
            f"(symmetric A) or expm/logm outside the graph"
        ) from None
    _square(a, "matrix_power")
    if n == 0:
        return a * 0 + np.eye(np.shape(a)[-1], dtype=np.result_type(a))
    if n < 0:
        a, n = inv(a), -n
    result, base = None, a
    while True:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if not n:
            break
        base = matmul(base, base)
    return a * 1 if result is a else result  # a new array, as NumPy's


@composite("multi_dot", numpy=np.linalg.multi_dot, function="multi_dot")
def multi_dot(arrays):
    """A₁·A₂·…·Aₖ with @, left to right (the first and last may be vectors)."""
    arrays = list(arrays)
    if len(arrays) < 2:
        raise ValueError(f"multi_dot: needs at least two arrays, got {len(arrays)}")
    ndims = [np.ndim(x) for x in arrays]
    if any(d != 2 for d in ndims[1:-1]) or not (1 <= ndims[0] <= 2 and 1 <= ndims[-1] <= 2):
        raise ValueError(
            f"multi_dot: the arrays must be 2-D (the first and last may be 1-D), got shapes "
            f"{[np.shape(x) for x in arrays]}; for batches of matrices chain @"
        )
    out = arrays[0]
    for x in arrays[1:]:
        out = matmul(out, x)
    return out
