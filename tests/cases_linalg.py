"""The cases of the linalg primitives and composites (see tests/primitive_table.py).

Inputs are random normals made well-conditioned inside the case where the operation needs it:
``_shift`` adds 3·I (inv, solve, powers), ``_spd`` makes A·Aᵀ + 3·I (cholesky), ``_sym`` makes
A + Aᵀ (eigh, whose eigenvalues are then distinct). Eigenvectors and singular vectors are
multiplied by their own first entry, so that the case does not depend on their signs.
"""

from __future__ import annotations

import numpy as np
from primitive_table import TIES, C, Fixed, N, S, Z

import autograd_nb as ag

EYE3 = 3.0 * np.eye(3, dtype=np.float32)  # float32, so float32 inputs stay float32
ZERO_ROW = Fixed(((0.0, 0.0, 0.0), (1.0, -2.0, 2.0)))  # the 2-norm at the zero vector


def _mT(x):
    return np.swapaxes(x, -1, -2)


def _shift(x):
    return x + EYE3


def _spd(x):
    return x @ _mT(x) + EYE3


def _sym(x):
    return x + _mT(x)


def _columns(v):  # each column times its first entry: independent of the columns' signs
    return v * v[..., :1, :]


def _rows(v):
    return v * v[..., :, :1]


CASES = [
    # ---- vector_norm (np.linalg.vector_norm; np.linalg.norm over one axis)
    C("vector_norm", lambda x: ag.vector_norm(x), N(2, 3), order2=True),
    C("vector_norm", lambda x: ag.vector_norm(x), Z(), order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, axis=-1, keepdims=True), N(2, 3),
      order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, axis=-1), ZERO_ROW),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=1, axis=0), Z(2, 3), order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=np.inf, axis=1), S(2, 3),
      order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=np.inf, axis=-1), TIES),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=-np.inf, axis=(0, 1)), S(2, 3),
      order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=0, axis=-1), Z(2, 3), order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=3, axis=-2, keepdims=True),
      Z(2, 3, 2), order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=0.5), Z(4), order2=True),
    C("vector_norm", lambda x: np.linalg.vector_norm(x, ord=-1.5, axis=0), Z(3, 2),
      order2=True),
    # ---- norm (np.linalg.norm, t.norm())
    C("norm", lambda x: np.linalg.norm(x), N(2, 3), order2=True),
    C("norm", lambda x: np.linalg.norm(x, keepdims=True), N(2, 3, 2)),
    C("norm", lambda x: x.norm(1, axis=0), Z(3, 2), order2=True),
    C("norm", lambda x: ag.norm(x, np.inf), Z(4)),
    C("norm", lambda x: np.linalg.norm(x, 2.5, axis=-1, keepdims=True), Z(2, 3)),
    C("norm", lambda x: np.linalg.norm(x, "fro", axis=(-1, -2), keepdims=True), N(2, 3, 4),
      order2=True),
    C("norm", lambda x: np.linalg.norm(x, "nuc"), N(3, 2), order2=True),
    C("norm", lambda x: np.linalg.norm(x, 2), N(3, 3), order2=True),
    C("norm", lambda x: np.linalg.norm(x, -2, axis=(2, 0)), N(3, 2, 4), order2=True),
    C("norm", lambda x: x.norm(1), S(3, 4), order2=True),
    C("norm", lambda x: np.linalg.norm(x, -1, axis=(0, 2), keepdims=True), S(2, 3, 4)),
    C("norm", lambda x: np.linalg.norm(x, np.inf), S(3, 4), order2=True),
    C("norm", lambda x: ag.norm(x, -np.inf, axis=(-2, -1)), S(2, 3, 4)),
    # ---- matrix_norm (np.linalg.matrix_norm)
    C("matrix_norm", lambda x: np.linalg.matrix_norm(x), N(2, 3, 3), order2=True),
    C("matrix_norm", lambda x: ag.matrix_norm(x, ord="nuc", keepdims=True), N(2, 3, 2)),
    C("matrix_norm", lambda x: np.linalg.matrix_norm(x, ord=1), S(3, 4)),
    # ---- det, slogdet
    C("det", lambda x: np.linalg.det(x), N(3, 3), order2=True),
    C("det", lambda x: ag.det(x), N(2, 3, 3), order2=True),
    C("det", lambda x: x.det(), N(1, 1)),
    C("logabsdet", lambda x: np.linalg.slogdet(x)[1], N(3, 3), order2=True),
    C("logabsdet", lambda x: ag.slogdet(x).logabsdet, N(2, 2, 2), order2=True),
    C("slogdet", lambda x: x.slogdet().logabsdet * x.slogdet().sign, N(2, 3, 3), order2=True),
    # ---- inv, solve
    C("inv", lambda x: np.linalg.inv(_shift(x)), N(3, 3), order2=True),
    C("inv", lambda x: ag.inv(x), N(2, 2, 2), order2=True),
    C("solve", lambda a, b: np.linalg.solve(_shift(a), b), N(3, 3), N(3), order2=True),
    C("solve", lambda a, b: ag.solve(_shift(a), b), N(2, 3, 3), N(3, 2), order2=True),
    C("solve", lambda a, b: np.linalg.solve(_shift(a), b), N(3, 3), N(2, 3, 2)),
    C("solve", lambda a, b: np.linalg.solve(_shift(a), b), N(2, 3, 3), N(3)),
    # ---- pinv
    C("pinv", lambda x: np.linalg.pinv(x), N(3, 2), order2=True),
    C("pinv", lambda x: ag.pinv(x), N(2, 3), order2=True),
    C("pinv", lambda x: np.linalg.pinv(x), N(2, 3, 3)),
    # ---- cholesky
    C("cholesky", lambda x: np.linalg.cholesky(_spd(x)), N(3, 3), order2=True),
    C("cholesky", lambda x: ag.cholesky(_spd(x), upper=True), N(2, 3, 3), order2=True),
    # ---- qr
    C("qr_q", lambda x: np.linalg.qr(x).Q, N(3, 2), order2=True),
    C("qr_q", lambda x: ag.qr(x)[0], N(2, 3, 3), order2=True),
    C("qr_r", lambda x: np.linalg.qr(x).R, N(3, 2), order2=True),
    C("qr_r", lambda x: np.linalg.qr(x, mode="r"), N(2, 4, 3)),
    C("qr", lambda x: np.linalg.qr(x).R, N(2, 3), order2=True),
    C("qr", lambda x: ag.qr(x).Q @ ag.qr(x).R, N(2, 2, 4)),
    # ---- eigh
    C("eigvalsh", lambda x: np.linalg.eigvalsh(_sym(x)), N(3, 3), order2=True),
    C("eigvalsh", lambda x: ag.eigvalsh(_sym(x), UPLO="U"), N(2, 3, 3), order2=True),
    C("eigh_vectors", lambda x: _columns(np.linalg.eigh(_sym(x)).eigenvectors), N(3, 3),
      order2=True),
    C("eigh_vectors", lambda x: _columns(ag.eigh(_sym(x), "U")[1]), N(2, 3, 3)),
    C("eigh", lambda x: np.linalg.eigh(_sym(x)).eigenvalues, N(3, 3), order2=True),
    # ---- svd
    C("svdvals", lambda x: np.linalg.svd(x, compute_uv=False), N(3, 2), order2=True),
    C("svdvals", lambda x: ag.svdvals(x), N(2, 3), order2=True),
    C("svdvals", lambda x: np.linalg.svdvals(x), N(2, 3, 3)),
    C("svd_u", lambda x: _columns(np.linalg.svd(x, full_matrices=False).U), N(3, 2),
      order2=True),
    C("svd_u", lambda x: _columns(ag.svd(x, full_matrices=False)[0]), N(2, 3), order2=True),
    C("svd_u", lambda x: _columns(np.linalg.svd(x)[0]), N(2, 3, 3)),
    C("svd_vh", lambda x: _rows(np.linalg.svd(x, full_matrices=False).Vh), N(3, 2),
      order2=True),
    C("svd_vh", lambda x: _rows(ag.svd(x, full_matrices=False)[2]), N(2, 3), order2=True),
    C("svd_vh", lambda x: _rows(np.linalg.svd(x)[2]), N(2, 3, 3)),
    C("svd", lambda x: np.linalg.svd(x).U * np.linalg.svd(x).S[..., None, :]
      @ np.linalg.svd(x).Vh, N(3, 3), order2=True),
    # ---- matrix_power, multi_dot
    C("matrix_power", lambda x: x.matrix_power(3), N(3, 3), order2=True),
    C("matrix_power", lambda x: np.linalg.matrix_power(_shift(x), -2), N(2, 3, 3),
      order2=True),
    C("matrix_power", lambda x: ag.matrix_power(x, 0), N(2, 2)),
    C("matrix_power", lambda x: ag.matrix_power(x, 1), N(2, 2)),
    C("multi_dot", lambda x, y, z: np.linalg.multi_dot([x, y, z]), N(3), N(3, 4), N(4, 2),
      order2=True),
    C("multi_dot", lambda x, y: ag.multi_dot([x, y]), N(2, 3), N(3)),
]
