"""The cases of the assembly primitives and composites (see tests/primitive_table.py)."""

from __future__ import annotations

import warnings

import numpy as np
from primitive_table import TIES, C, N, S

import autograd_nb as ag

ORDER = np.array([[2, 0, 1, 1], [0, 0, 3, 2]])  # indices along an axis, with repeats
PICK = np.array([[1, 0], [1, 1], [0, 1]])
MASK_A = np.array([[True, False, False], [False, True, False]])
MASK_B = np.array([True, True, False])


def _cross(*args, **kwargs):
    """np.cross of 2-vectors, without NumPy 2's DeprecationWarning (tests check it elsewhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.cross(*args, **kwargs)


def _pieces(parts):
    """The pieces of a split joined back in reverse order, each with its own weight."""
    return ag.concatenate([p * (i + 1.0) for i, p in enumerate(parts)][::-1], axis=None)


CASES: list = [
    # ---- reshaping
    C("ravel", lambda x: np.ravel(x), N(2, 3), order2=True),
    C("ravel", lambda x: ag.ravel(x, order="F"), N(2, 3)),
    C("ravel", lambda x: ag.ravel(x), N()),
    C("squeeze", lambda x: np.squeeze(x), N(1, 3, 1), order2=True),
    C("squeeze", lambda x: ag.squeeze(x, axis=-1), N(2, 3, 1)),
    C("squeeze", lambda x: x.squeeze((0, 2)), N(1, 3, 1)),
    C("expand_dims", lambda x: ag.expand_dims(x, -1), N(2, 3), order2=True),
    C("expand_dims", lambda x: np.expand_dims(x, (0, 2)), N(3)),
    C("expand_dims", lambda x: ag.expand_dims(x, 0), N()),
    C("unsqueeze", lambda x: x.unsqueeze(1), N(2, 3), order2=True),
    C("unsqueeze", lambda x: ag.unsqueeze(x, -1), N(2, 3)),
    C("moveaxis", lambda x: np.moveaxis(x, 0, -1), N(2, 3, 4), order2=True),
    C("moveaxis", lambda x: ag.moveaxis(x, (0, -1), (-1, 1)), N(2, 3, 4)),
    C("rollaxis", lambda x: np.rollaxis(x, 2), N(2, 3, 4), order2=True),
    C("rollaxis", lambda x: ag.rollaxis(x, 0, -1), N(2, 3, 4)),
    C("swapaxes", lambda x: np.swapaxes(x, 0, 2), N(2, 3, 4)),
    C("swapaxes", lambda x: ag.swapaxes(x, -1, 0), N(2, 3, 4), order2=True),
    C("swapaxes", lambda x: x.swapaxes(1, -1), N(2, 3, 4)),
    C("atleast_1d", lambda x: np.atleast_1d(x), N(), order2=True),
    C("atleast_1d", lambda x, y: ag.concatenate(ag.atleast_1d(x, y)), N(), N(2)),
    C("atleast_2d", lambda x: np.atleast_2d(x), N(3), order2=True),
    C("atleast_2d", lambda x: ag.atleast_2d(x), N()),
    C("atleast_3d", lambda x: np.atleast_3d(x), N(2, 3), order2=True),
    C("atleast_3d", lambda x: ag.atleast_3d(x), N(3)),
    C("atleast_3d", lambda x: ag.atleast_3d(x), N()),
    # ---- repeats, rolls and flips
    C("repeat", lambda x: np.repeat(x, 2), N(2, 3), order2=True),
    C("repeat", lambda x: x.repeat([1, 0, 3], axis=-1), N(2, 3), order2=True),
    C("repeat", lambda x: ag.repeat(x, 3), N()),
    C("tile", lambda x: np.tile(x, (2, 1, 3)), N(2, 3), order2=True),
    C("tile", lambda x: ag.tile(x, 2), N(2, 3)),
    C("tile", lambda x: ag.tile(x, (2, 2)), N()),
    C("roll", lambda x: np.roll(x, 2), N(2, 3), order2=True),
    C("roll", lambda x: x.roll((1, -1, 2), axis=(0, -1, 0)), N(3, 4), order2=True),
    C("roll", lambda x: ag.roll(x, -1, axis=1), N(2, 3, 4)),
    C("flip", lambda x: np.flip(x), N(2, 3), order2=True),
    C("flip", lambda x: x.flip(-1), N(2, 3, 4)),
    C("flip", lambda x: ag.flip(x, (0, 2)), N(2, 3, 4)),
    C("flip", lambda x: ag.flip(x), N()),
    C("fliplr", lambda x: np.fliplr(x), N(2, 3), order2=True),
    C("fliplr", lambda x: ag.fliplr(x), N(2, 3, 4)),
    C("flipud", lambda x: np.flipud(x), N(3), order2=True),
    C("flipud", lambda x: ag.flipud(x), N(2, 3)),
    C("rot90", lambda x: np.rot90(x), N(2, 3), order2=True),
    C("rot90", lambda x: ag.rot90(x, 2), N(2, 3)),
    C("rot90", lambda x: ag.rot90(x, -1, axes=(2, 0)), N(2, 3, 4), order2=True),
    C("rot90", lambda x: ag.rot90(x, 4), N(2, 3)),
    # ---- pad
    C("pad", lambda x: np.pad(x, 1), N(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, ((1, 0), (0, 2)), constant_values=0.5), N(2, 3)),
    C("pad", lambda x: np.pad(x, (2, 1), mode="edge"), N(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, ((0, 1), (3, 2)), mode="reflect"), N(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, 5, mode="reflect"), N(3)),
    C("pad", lambda x: ag.pad(x, ((1, 2), (2, 0)), mode="symmetric"), N(2, 3)),
    C("pad", lambda x: ag.pad(x, 4, mode="wrap"), N(3)),
    C("pad", lambda x: ag.pad(x, 2, mode="edge"), N()),
    # the statistic modes: statistics of the edges (of the earlier pads at the corners)
    C("pad", lambda x: np.pad(x, ((1, 2), (2, 1)), mode="mean"), N(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, 2, mode="mean", stat_length=((1, 2), (3, 1))), N(3, 4),
      order2=True),
    C("pad", lambda x: np.pad(x, (2, 1), mode="median"), S(3, 4), order2=True),
    C("pad", lambda x: ag.pad(x, ((0, 1), (2, 2)), mode="median", stat_length=(3, 2)), S(3, 5),
      order2=True),
    C("pad", lambda x: np.pad(x, 1, mode="maximum"), S(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, ((1, 1), (0, 2)), mode="maximum", stat_length=2), S(3, 4)),
    C("pad", lambda x: np.pad(x, 1, mode="maximum"), TIES),  # ties split evenly
    C("pad", lambda x: np.pad(x, (1, 2), mode="minimum"), S(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, ((2, 0), (1, 1)), mode="minimum",
                              stat_length=((1, 2), (2, 3))), S(3, 4)),
    C("pad", lambda x: ag.pad(x, 2, mode="minimum", stat_length=(1, 3)), TIES),
    C("pad", lambda x: ag.pad(x, 3, mode="mean"), N(2)),
    # linear ramps from end_values (numbers or tensors) to the edges
    C("pad", lambda x: np.pad(x, ((1, 2), (3, 0)), mode="linear_ramp"), N(2, 3), order2=True),
    C("pad", lambda x: ag.pad(x, 2, mode="linear_ramp", end_values=((0.5, -1.0), (2.0, 0.25))),
      N(2, 3)),
    C("pad", lambda x, e: ag.pad(x, ((2, 1), (1, 2)), mode="linear_ramp", end_values=e),
      N(2, 3), N(2, 2), order2=True),
    C("pad", lambda x, e: np.pad(x, 3, mode="linear_ramp", end_values=e), N(2), N(),
      order2=True),
    # ---- triangles and diagonals
    C("tril", lambda x: np.tril(x), N(3, 3), order2=True),
    C("tril", lambda x: ag.tril(x, -1), N(2, 3, 4)),
    C("tril", lambda x: ag.tril(x, 1), N(3)),
    C("triu", lambda x: np.triu(x, 1), N(3, 4), order2=True),
    C("triu", lambda x: ag.triu(x, -1), N(2, 4, 3)),
    C("diag", lambda x: np.diag(x), N(3), order2=True),
    C("diag", lambda x: ag.diag(x, -2), N(3)),
    C("diag", lambda x: np.diag(x), N(3, 4), order2=True),
    C("diag", lambda x: ag.diag(x, 2), N(3, 4)),
    C("diag", lambda x: ag.diag(x, -1), N(3, 4)),
    C("diagonal", lambda x: np.diagonal(x), N(3, 4), order2=True),
    C("diagonal", lambda x: x.diagonal(1, -1, 0), N(3, 2, 4), order2=True),
    C("diagonal", lambda x: ag.diagonal(x, -1, axis1=1, axis2=2), N(2, 3, 3)),
    # ---- splits
    C("split", lambda x: _pieces(np.split(x, 3)), N(3, 2), order2=True),
    C("split", lambda x: _pieces(ag.split(x, [1, 3], axis=-1)), N(2, 4)),
    C("array_split", lambda x: _pieces(np.array_split(x, 3)), N(5), order2=True),
    C("array_split", lambda x: _pieces(ag.array_split(x, 2, axis=1)), N(2, 3)),
    C("hsplit", lambda x: _pieces(np.hsplit(x, 2)), N(2, 4), order2=True),
    C("hsplit", lambda x: _pieces(ag.hsplit(x, [2])), N(3)),
    C("vsplit", lambda x: _pieces(np.vsplit(x, [1])), N(3, 2), order2=True),
    C("dsplit", lambda x: _pieces(np.dsplit(x, 2)), N(1, 2, 4), order2=True),
    # ---- stacks
    C("vstack", lambda x, y: np.vstack([x, y]), N(2, 3), N(3), order2=True),
    C("vstack", lambda x, y: ag.vstack((x, y)), N(), N()),
    C("hstack", lambda x, y: np.hstack([x, y]), N(2, 3), N(2, 1), order2=True),
    C("hstack", lambda x, y, z: ag.hstack([x, y, z]), N(2), N(), N(3)),
    C("dstack", lambda x, y: np.dstack([x, y]), N(2, 3), N(2, 3), order2=True),
    C("dstack", lambda x, y: ag.dstack([x, y]), N(3), N(1, 3, 2)),
    C("column_stack", lambda x, y: np.column_stack([x, y]), N(3), N(3, 2), order2=True),
    C("column_stack", lambda x, y: ag.column_stack((x, y)), N(2), N(2)),
    C("append", lambda x, y: np.append(x, y), N(2, 3), N(2), order2=True),
    C("append", lambda x, y: ag.append(x, y, axis=-1), N(2, 3), N(2, 1)),
    C("append", lambda x, y: ag.append(x, y), N(), N()),
    # ---- take, sort, select
    C("take", lambda x: np.take(x, ORDER), N(2, 3), order2=True),
    C("take", lambda x: x.take([2, -1, 2], axis=-1), N(2, 3), order2=True),
    C("take", lambda x: ag.take(x, 1, axis=0), N(2, 3)),
    C("take", lambda x: ag.take(x, [4, -5], axis=1, mode="wrap"), N(2, 3)),
    C("take", lambda x: ag.take(x, [7, -1], mode="clip"), N(2, 3)),
    C("take_along_axis", lambda x: np.take_along_axis(x, ORDER, axis=1), N(2, 4),
      order2=True),
    C("take_along_axis", lambda x: ag.take_along_axis(x, PICK, axis=0), N(2, 2)),
    C("take_along_axis", lambda x: ag.take_along_axis(x, ORDER[0], axis=None), N(2, 2)),
    C("sort", lambda x: np.sort(x), S(2, 4), order2=True),
    C("sort", lambda x: x.sort(axis=0), S(3, 2), order2=True),
    C("sort", lambda x: ag.sort(x, axis=None), S(2, 3)),
    C("sort", lambda x: ag.sort(x, kind="stable"), S(5)),
    C("partition", lambda x: np.partition(x, 1), S(2, 4), order2=True),
    C("partition", lambda x: ag.partition(x, (0, 2), axis=0), S(4, 2)),
    C("select", lambda x, y: np.select([MASK_A, MASK_B], [x, y]), N(2, 3), N(2, 3),
      order2=True),
    C("select", lambda x, y, d: ag.select([MASK_A, MASK_B], [x, y], d), N(2, 3), N(3), N()),
    C("select", lambda x: ag.select([MASK_B], [x], -1.0), N(2, 3)),
    # ---- products
    C("outer", lambda x, y: np.outer(x, y), N(3), N(4), order2=True),
    C("outer", lambda x, y: ag.outer(x, y), N(2, 2), N()),
    C("inner", lambda x, y: np.inner(x, y), N(3), N(3), order2=True),
    C("inner", lambda x, y: ag.inner(x, y), N(2, 3), N(4, 3), order2=True),
    C("inner", lambda x, y: ag.inner(x, y), N(), N(2, 3)),
    C("kron", lambda x, y: np.kron(x, y), N(2, 3), N(2, 2), order2=True),
    C("kron", lambda x, y: ag.kron(x, y), N(3), N(2, 2)),
    C("kron", lambda x, y: ag.kron(x, y), N(), N(2)),
    C("cross", lambda x, y: np.cross(x, y), N(3), N(3), order2=True),
    C("cross", lambda x, y: ag.cross(x, y), N(2, 1, 3), N(4, 3), order2=True),
    C("cross", lambda x, y: ag.cross(x, y, axisa=0, axisb=-1, axisc=0), N(3, 2), N(2, 3)),
    C("cross", lambda x, y: ag.cross(x, y, axis=0), N(3, 2), N(3, 1)),
    # 2-vectors (deprecated by NumPy 2): the z-component, or a 3-vector with a 3-vector
    C("cross", lambda x, y: _cross(x, y), N(2), N(2), order2=True),
    C("cross", lambda x, y: _cross(x, y), N(3, 1, 2), N(4, 2), order2=True),
    C("cross", lambda x, y: _cross(x, y, axisa=0, axisb=-1), N(2, 3), N(3, 2)),
    C("cross", lambda x, y: _cross(x, y, axis=0), N(2, 3), N(2, 1)),
    C("cross", lambda x, y: _cross(x, y), N(2, 2), N(3), order2=True),
    C("cross", lambda x, y: _cross(x, y, axisb=0, axisc=0), N(4, 3), N(2, 1), order2=True),
    C("tensordot", lambda x, y: np.tensordot(x, y), N(2, 3, 4), N(3, 4, 2), order2=True),
    C("tensordot", lambda x, y: ag.tensordot(x, y, axes=([0, -1], [2, 0])), N(2, 3, 4),
      N(4, 5, 2), order2=True),
    C("tensordot", lambda x, y: ag.tensordot(x, y, 0), N(2), N(3)),
    C("tensordot", lambda x, y: ag.tensordot(x, y, axes=(1, 0)), N(2, 3), N(3)),
    C("dot", lambda x, y: np.dot(x, y), N(2, 3, 4), N(3, 4, 2), order2=True),
    C("dot", lambda x, y: ag.dot(x, y), N(2, 3), N(2, 3, 4)),
    C("dot", lambda x, y: x.dot(y), N(3), N(2, 3, 4)),
    C("dot", lambda x, y: ag.dot(x, y), N(2, 3, 4), N(4)),
    C("matmul", lambda x, y: np.matmul(x, y), N(3), N(2, 3, 4), order2=True),
    C("matmul", lambda x, y: ag.matmul(x, y), N(2, 1, 3, 4), N(4), order2=True),
    C("matmul", lambda x, y: x @ y, N(2, 1, 2, 3), N(3, 3, 2), order2=True),
    C("matmul", lambda x, y: np.matmul(x, y), N(1, 2, 3), N(2, 3, 1)),
    # ---- einsum: one primitive, spelled with NumPy's subscripts
    C("einsum", lambda x, y: np.einsum("ij,jk->ik", x, y), N(2, 3), N(3, 4), order2=True),
    C("einsum", lambda x, y: ag.einsum("ij,jk", x, y), N(2, 3), N(3, 4)),
    C("einsum", lambda x: np.einsum("ii->i", x), N(3, 3), order2=True),
    C("einsum", lambda x: ag.einsum("ii", x), N(3, 3), order2=True),
    C("einsum", lambda x: ag.einsum("iji->j", x), N(3, 2, 3)),
    C("einsum", lambda x: ag.einsum("ij->", x), N(2, 3), order2=True),
    C("einsum", lambda x: ag.einsum("ij->ji", x), N(2, 3)),
    C("einsum", lambda x, y: ag.einsum("...ij,...j->...i", x, y), N(2, 3, 4), N(1, 4),
      order2=True),
    C("einsum", lambda x, y: ag.einsum("i...,i", x, y), N(3, 2, 2), N(3), order2=True),
    C("einsum", lambda x, y: ag.einsum("...i,j->...j", x, y), N(2, 3), N(4)),
    C("einsum", lambda x, y, z: ag.einsum("ab,bc,ca->", x, y, z), N(2, 3), N(3, 4),
      N(4, 2), order2=True),
    C("einsum", lambda x, y: ag.einsum(",i->i", x, y), N(), N(3), order2=True),
    C("einsum", lambda x, y: ag.einsum("ij,ij->ij", x, y), N(1, 3), N(2, 3)),
    C("einsum", lambda x, y: ag.einsum("bij,bjk->bik", x, y), N(2, 2, 3), N(2, 3, 2),
      order2=True),
    # the interleaved form: operand, sublist, ..., [output sublist]
    C("einsum", lambda x, y: np.einsum(x, [0, 1], y, [1, 2], [0, 2]), N(2, 3), N(3, 4),
      order2=True),
    C("einsum", lambda x, y: ag.einsum(x, [0, 1], y, [1, 2]), N(2, 3), N(3, 4)),
    C("einsum", lambda x: np.einsum(x, [0, 0]), N(3, 3), order2=True),
    C("einsum", lambda x: ag.einsum(x, (51, 0)), N(2, 3)),  # implicit output: 0 before 51
    C("einsum", lambda x, y: np.einsum(x, [..., 0, 1], y, [..., 1], [..., 0]), N(2, 3, 4),
      N(1, 4), order2=True),
    C("einsum", lambda x, y: ag.einsum(x, [30, ...], y, [30]), N(3, 2, 2), N(3), order2=True),
    C("einsum", lambda x, y, z: np.einsum(x, [0, 1], y, [1, 2], z, [2, 0], []), N(2, 3),
      N(3, 4), N(4, 2), order2=True),
]
