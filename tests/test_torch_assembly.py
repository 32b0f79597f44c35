"""Shapes and assembly against PyTorch: values, gradients and a second derivative (float64),
and the clear errors raised for what is not supported."""

from __future__ import annotations

import linecache
import re
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd_nb as ag
from autograd_nb.errors import ShapeError

RNG = np.random.default_rng(20240607)


def _normal(*shape):
    return RNG.normal(size=shape)


def _distinct(*shape):  # for sort: no ties
    n = int(np.prod(shape))
    return (RNG.permutation(n) * 0.37 - 0.1 * n).reshape(shape)


def _torch_grads(out_of, arrays, weights, tangents=None):
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = out_of(*xs)
    w = torch.tensor(weights)
    grads = torch.autograd.grad((out * w).sum(), xs, allow_unused=True, create_graph=True)
    grads = [torch.zeros_like(x) if g is None else g for g, x in zip(grads, xs)]
    second = None
    if tangents is not None:  # Hessian of Σ w·out² times the tangents
        loss = (out * out * w).sum()
        g2 = torch.autograd.grad(loss, xs, create_graph=True)
        s = sum((g * torch.tensor(u)).sum() for g, u in zip(g2, tangents))
        second = [torch.zeros_like(x) if h is None else h
                  for h, x in zip(torch.autograd.grad(s, xs, allow_unused=True), xs)]
        second = [h.detach().numpy() for h in second]
    return out.detach().numpy(), [g.detach().numpy() for g in grads], second


def check(ours, theirs, *arrays, second=False):
    """``ours`` (on tensors) and ``theirs`` (on torch tensors) agree in value, in the gradient
    of Σ w·out, and (``second``) in the Hessian-vector product of Σ w·out²."""
    argnums = tuple(range(len(arrays)))
    value = ours(*[ag.tensor(a) for a in arrays]).data
    weights = RNG.normal(size=value.shape)
    tangents = [RNG.normal(size=np.shape(a)) for a in arrays] if second else None
    expected, grads, hvp = _torch_grads(theirs, arrays, weights, tangents)
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12)
    got = ag.grad(lambda *xs: (ours(*xs) * weights).sum(), argnums=argnums)(*arrays)
    for g, e in zip(got, grads):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)
    if second:
        def loss(*xs):
            out = ours(*xs)
            return (out * out * weights).sum()

        def directional(*xs):
            gs = ag.grad(loss, argnums=argnums)(*xs)
            return sum((g * u).sum() for g, u in zip(gs, tangents))

        for h, e in zip(ag.grad(directional, argnums=argnums)(*arrays), hvp):
            np.testing.assert_allclose(h, e, rtol=1e-9, atol=1e-12)


def joined(parts):  # a list of pieces as one array, for splits (both libraries)
    if isinstance(parts[0], torch.Tensor):
        return torch.cat([p.reshape(-1) * (i + 1) for i, p in enumerate(parts)])
    return ag.concatenate([ag.reshape(p, (-1,)) * (i + 1.0) for i, p in enumerate(parts)])


# --------------------------------------------------------------------------------- reshaping

RESHAPING = [
    ("flatten", lambda x: x.flatten(), lambda x: torch.flatten(x), (2, 3, 4)),
    ("ravel", lambda x: np.ravel(x), lambda x: torch.ravel(x), (2, 3)),
    ("squeeze", lambda x: np.squeeze(x), lambda x: torch.squeeze(x), (1, 3, 1)),
    ("squeeze axis", lambda x: x.squeeze(-1), lambda x: torch.squeeze(x, -1), (2, 3, 1)),
    ("unsqueeze", lambda x: x.unsqueeze(1), lambda x: x.unsqueeze(1), (2, 3)),
    ("expand_dims", lambda x: ag.expand_dims(x, -1), lambda x: torch.unsqueeze(x, -1), (2, 3)),
    ("moveaxis", lambda x: ag.moveaxis(x, (0, 1), (-1, 0)),
     lambda x: torch.movedim(x, (0, 1), (-1, 0)), (2, 3, 4)),
    ("rollaxis", lambda x: ag.rollaxis(x, 2), lambda x: torch.movedim(x, 2, 0), (2, 3, 4)),
    ("swapaxes", lambda x: x.swapaxes(0, -1), lambda x: torch.swapaxes(x, 0, -1), (2, 3, 4)),
    ("atleast_1d", ag.atleast_1d, torch.atleast_1d, ()),
    ("atleast_2d", ag.atleast_2d, torch.atleast_2d, (3,)),
    ("atleast_3d 1-D", ag.atleast_3d, torch.atleast_3d, (3,)),
    ("atleast_3d 2-D", ag.atleast_3d, torch.atleast_3d, (2, 3)),
    ("repeat", lambda x: x.repeat(2, axis=1), lambda x: torch.repeat_interleave(x, 2, dim=1),
     (2, 3)),
    ("repeat counts", lambda x: ag.repeat(x, [1, 0, 3], axis=-1),
     lambda x: torch.repeat_interleave(x, torch.tensor([1, 0, 3]), dim=-1), (2, 3)),
    ("repeat flat", lambda x: np.repeat(x, 3), lambda x: torch.repeat_interleave(x, 3), (2, 2)),
    ("tile", lambda x: np.tile(x, (2, 1, 3)), lambda x: torch.tile(x, (2, 1, 3)), (2, 3)),
    ("roll", lambda x: x.roll((1, -2), axis=(0, 1)), lambda x: torch.roll(x, (1, -2), (0, 1)),
     (3, 4)),
    ("roll flat", lambda x: np.roll(x, 5), lambda x: torch.roll(x, 5), (3, 4)),
    ("flip", lambda x: x.flip((0, 2)), lambda x: torch.flip(x, (0, 2)), (2, 3, 4)),
    ("fliplr", np.fliplr, torch.fliplr, (2, 3)),
    ("flipud", np.flipud, torch.flipud, (2, 3)),
    ("rot90", lambda x: np.rot90(x), lambda x: torch.rot90(x), (2, 3)),
    ("rot90 k=-1", lambda x: ag.rot90(x, -1, axes=(2, 0)),
     lambda x: torch.rot90(x, -1, (2, 0)), (2, 3, 4)),
    ("rot90 k=2", lambda x: ag.rot90(x, 2, axes=(1, 2)), lambda x: torch.rot90(x, 2, (1, 2)),
     (2, 3, 4)),
    ("tril", lambda x: np.tril(x, -1), lambda x: torch.tril(x, -1), (2, 3, 4)),
    ("triu", lambda x: np.triu(x, 1), lambda x: torch.triu(x, 1), (3, 4)),
    ("diag 1-D", lambda x: np.diag(x, -1), lambda x: torch.diag(x, -1), (3,)),
    ("diag 2-D", lambda x: ag.diag(x, 1), lambda x: torch.diag(x, 1), (3, 4)),
    ("diagonal", lambda x: x.diagonal(1, -1, 0), lambda x: torch.diagonal(x, 1, -1, 0),
     (3, 2, 4)),
    ("take flat", lambda x: np.take(x, [[0, 5], [5, 2]]),
     lambda x: torch.take(x, torch.tensor([[0, 5], [5, 2]])), (2, 3)),
    ("take axis", lambda x: x.take([2, 0, 2], axis=1),
     lambda x: torch.index_select(x, 1, torch.tensor([2, 0, 2])), (2, 3)),
    ("take_along_axis", lambda x: np.take_along_axis(x, np.array([[1, 1, 0]]), axis=0),
     lambda x: torch.take_along_dim(x, torch.tensor([[1, 1, 0]]), dim=0), (2, 3)),
]


@pytest.mark.parametrize("name, ours, theirs, shape",
                         RESHAPING, ids=[r[0] for r in RESHAPING])
def test_moving_elements_matches_torch(name, ours, theirs, shape):
    check(ours, theirs, _normal(*shape), second=name in {"tile", "rot90 k=-1", "take flat",
                                                         "diag 1-D", "roll"})


@pytest.mark.parametrize("mode, torch_mode", [("constant", "constant"), ("edge", "replicate"),
                                              ("reflect", "reflect")])
def test_pad_matches_torch(mode, torch_mode):
    widths = ((0, 0), (2, 1), (1, 3))  # torch pads the last axes, last first: (1, 3, 2, 1)
    check(lambda x: ag.pad(x, widths, mode=mode),
          lambda x: TF.pad(x, (1, 3, 2, 1), mode=torch_mode), _normal(2, 4, 5), second=True)
    check(lambda x: np.pad(x, ((0, 0), (2, 3)), mode=mode),
          lambda x: TF.pad(x, (2, 3), mode=torch_mode), _normal(2, 4))


def test_pad_constant_value_matches_torch():
    check(lambda x: ag.pad(x, 2, constant_values=0.75),
          lambda x: TF.pad(x, (2, 2, 2, 2), value=0.75), _normal(3, 2))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap", "mean",
                                  "median", "maximum", "minimum", "linear_ramp"])
def test_pad_values_match_numpy_for_wide_pads(mode):
    x = _normal(3, 2)
    for widths in [7, ((5, 0), (1, 4)), (0, 3)]:
        np.testing.assert_array_equal(ag.pad(ag.tensor(x), widths, mode=mode).data,
                                      np.pad(x, widths, mode=mode))


def _torch_pad(t, widths, mode, lengths=None, ends=None):
    """np.pad's statistic and linear_ramp modes written out in torch: one axis after the
    other (the corners of a later axis come from the pads of the earlier ones), each side a
    statistic of its first/last ``lengths`` elements, or a ramp from ``ends`` to the edge.
    The median is torch.quantile's (the mean of the two middle values, as NumPy's)."""
    stats = {"mean": lambda c, d: c.mean(d, keepdim=True),
             "median": lambda c, d: torch.quantile(c, 0.5, dim=d, keepdim=True),
             "maximum": lambda c, d: torch.amax(c, d, keepdim=True),
             "minimum": lambda c, d: torch.amin(c, d, keepdim=True)}
    for d, (before, after) in enumerate(widths):
        n = t.shape[d]
        parts = []
        for side, width in ((0, before), (1, after)):
            if not width:
                parts.append(None)
                continue
            size = list(t.shape)
            size[d] = width
            if mode == "linear_ramp":
                edge = t.narrow(d, 0 if side == 0 else n - 1, 1)
                k = torch.arange(width, dtype=t.dtype)
                k = (k if side == 0 else k.flip(0)).reshape([width if i == d else 1
                                                             for i in range(t.dim())])
                start = ends[d][side]
                parts.append(start + k * ((edge - start) / width))
            else:
                k = n if lengths is None or lengths[d][side] is None else min(lengths[d][side], n)
                chunk = t.narrow(d, 0 if side == 0 else n - k, k)
                parts.append(stats[mode](chunk, d).expand(size))
        t = torch.cat([p for p in (parts[0], t, parts[1]) if p is not None], d)
    return t


PAD_WIDTHS = ((1, 2), (0, 3), (2, 1))


@pytest.mark.parametrize("mode", ["mean", "median", "maximum", "minimum"])
@pytest.mark.parametrize("lengths", [None, ((2, 1), (1, 1), (3, 2))], ids=["whole", "stat_length"])
def test_pad_statistic_modes_match_torch(mode, lengths):
    x = _distinct(3, 2, 4)  # no ties: the element a maximum or median picks is unique
    check(lambda t: np.pad(t, PAD_WIDTHS, mode=mode, stat_length=lengths),
          lambda t: _torch_pad(t, PAD_WIDTHS, mode, lengths), x, second=True)
    check(lambda t: ag.pad(t, 2, mode=mode, stat_length=None if lengths is None else 1),
          lambda t: _torch_pad(t, ((2, 2),) * 2, mode, None if lengths is None else ((1, 1),) * 2),
          _distinct(3, 4))


@pytest.mark.parametrize("mode", ["maximum", "minimum"])
def test_pad_maximum_and_minimum_split_ties_as_torch_amax(mode):
    tied = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 0.5, 2.0], [-2.0, 3.0, 0.5, -2.0]])
    check(lambda t: np.pad(t, 1, mode=mode), lambda t: _torch_pad(t, ((1, 1),) * 2, mode),
          tied)
    check(lambda t: ag.pad(t, ((2, 1), (1, 2)), mode=mode, stat_length=((3, 2), (2, 4))),
          lambda t: _torch_pad(t, ((2, 1), (1, 2)), mode, ((3, 2), (2, 4))), tied)


def test_pad_linear_ramp_matches_torch():
    ends = ((0.5, -1.0), (2.0, 0.25), (0.0, 1.5))
    check(lambda t: np.pad(t, PAD_WIDTHS, mode="linear_ramp", end_values=ends),
          lambda t: _torch_pad(t, PAD_WIDTHS, "linear_ramp", ends=ends), _normal(3, 2, 4),
          second=True)
    check(lambda t: ag.pad(t, 3, mode="linear_ramp"),
          lambda t: _torch_pad(t, ((3, 3),) * 2, "linear_ramp", ends=((0.0, 0.0),) * 2),
          _normal(2, 3))
    # the end values as a tensor get their gradient too
    check(lambda t, e: ag.pad(t, ((2, 1), (1, 3)), mode="linear_ramp", end_values=e),
          lambda t, e: _torch_pad(t, ((2, 1), (1, 3)), "linear_ramp", ends=e),
          _normal(3, 2), _normal(2, 2), second=True)


@pytest.mark.parametrize("mode", ["mean", "median", "maximum", "minimum", "linear_ramp"])
def test_pad_statistic_and_ramp_gradients_match_finite_differences(mode):
    key = "end_values" if mode == "linear_ramp" else "stat_length"
    for widths, arg in [(1, None), (((2, 0), (1, 3)), 2), (((0, 1), (2, 2), (1, 0)), (1, 3)),
                        (((1, 1), (3, 0)), ((2, 1), (3, 1)))]:
        x = _normal(*(3, 4, 2)[:len(widths) if isinstance(widths, tuple) else 2])  # no ties
        kwargs = {} if arg is None else {key: arg}
        assert ag.gradcheck(lambda t, kw=kwargs, w=widths: ag.pad(t, w, mode=mode, **kw), x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pad_statistic_and_ramp_values_equal_numpy(dtype):
    x = (_normal(3, 4, 2) * 3).astype(dtype)
    x[0, 1] = np.round(x[0, 1])
    for mode, key, args in [
        ("mean", "stat_length", [None, 0, 1, 2.6, (1, 3), ((2, 1), (0, 4), (9, 1))]),
        ("median", "stat_length", [None, 1, 2, (1, 3), ((2, 1), (3, 4), (9, 1))]),
        ("maximum", "stat_length", [None, 1, (1, 3), ((2, 1), (3, 4), (9, 1))]),
        ("minimum", "stat_length", [None, 2, (3, 1), ((2, 1), (3, 4), (1, 9))]),
        ("linear_ramp", "end_values", [None, 0.5, -2, (1.5, -0.25), np.float32(0.75),
                                       ((0.1, 0.2), (0.3, 0.4), (-0.5, 7)), [[0.5], [1], [2]]]),
    ]:
        for widths in [3, (1, 2), ((2, 0), (0, 3), (1, 1))]:
            for arg in args:
                kwargs = {} if arg is None else {key: arg}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # the mean of 0 elements
                    expected = np.pad(x, widths, mode=mode, **kwargs)
                    got = ag.pad(ag.tensor(x), widths, mode=mode, **kwargs)
                assert got.dtype == expected.dtype, (mode, widths, arg)
                np.testing.assert_array_equal(got.data, expected, err_msg=f"{mode} {arg}")
    ints = np.arange(12).reshape(3, 4) * 7 % 5  # no gradient: NumPy's rounding for integers
    for mode in ("mean", "median", "linear_ramp"):
        np.testing.assert_array_equal(ag.pad(ints, 2, mode=mode).data, np.pad(ints, 2, mode=mode))


# ------------------------------------------------------------------------------ splits, stacks


def test_splits_match_torch():
    check(lambda x: joined(np.array_split(x, 3, axis=1)),
          lambda x: joined(torch.tensor_split(x, 3, dim=1)), _normal(2, 7), second=True)
    check(lambda x: joined(ag.split(x, [1, 3])),
          lambda x: joined(torch.tensor_split(x, [1, 3])), _normal(5, 2))
    check(lambda x: joined(np.split(x, 2, axis=-1)),
          lambda x: joined(torch.split(x, 2, dim=-1)), _normal(3, 4))
    check(lambda x: joined(np.hsplit(x, 2)), lambda x: joined(torch.hsplit(x, 2)),
          _normal(3, 4))
    check(lambda x: joined(np.vsplit(x, [1])), lambda x: joined(torch.vsplit(x, [1])),
          _normal(3, 4))
    check(lambda x: joined(np.dsplit(x, 2)), lambda x: joined(torch.dsplit(x, 2)),
          _normal(1, 2, 4))


@pytest.mark.parametrize("ours, theirs, shapes", [
    (lambda x, y: np.vstack([x, y]), lambda x, y: torch.vstack([x, y]), [(2, 3), (3,)]),
    (lambda x, y: np.hstack([x, y]), lambda x, y: torch.hstack([x, y]), [(2, 3), (2, 1)]),
    (lambda x, y: np.hstack([x, y]), lambda x, y: torch.hstack([x, y]), [(2,), (3,)]),
    (lambda x, y: np.dstack([x, y]), lambda x, y: torch.dstack([x, y]), [(3,), (1, 3, 2)]),
    (lambda x, y: np.column_stack([x, y]), lambda x, y: torch.column_stack([x, y]),
     [(3,), (3, 2)]),
    (lambda x, y: np.append(x, y), lambda x, y: torch.cat([x.reshape(-1), y.reshape(-1)]),
     [(2, 3), (2,)]),
    (lambda x, y: ag.append(x, y, axis=1), lambda x, y: torch.cat([x, y], 1),
     [(2, 3), (2, 1)]),
])
def test_stacks_match_torch(ours, theirs, shapes):
    check(ours, theirs, *[_normal(*s) for s in shapes], second=True)


# ------------------------------------------------------------------------------------ sorting


def test_sort_matches_torch():
    x = _distinct(3, 4)
    check(lambda t: t.sort(), lambda t: torch.sort(t).values, x, second=True)
    check(lambda t: np.sort(t, axis=0), lambda t: torch.sort(t, dim=0).values, x)
    check(lambda t: ag.sort(t, axis=None), lambda t: torch.sort(t.reshape(-1)).values, x)


def test_partition_puts_the_kth_value_where_torch_kthvalue_finds_it():
    x = _distinct(3, 5)
    check(lambda t: np.partition(t, 2)[:, 2], lambda t: torch.kthvalue(t, 3).values, x,
          second=True)


def test_sort_with_ties_sends_each_gradient_through_the_permutation():
    x = np.array([1.0, 3.0, 1.0, 2.0])
    g = ag.grad(lambda t: (np.sort(t) * np.array([1.0, 10.0, 100.0, 1000.0])).sum())(x)
    assert sorted(g.tolist()) == [1.0, 10.0, 100.0, 1000.0]  # each element gets one slot
    np.testing.assert_array_equal(g[1], 1000.0)


def test_select_matches_nested_torch_where():
    c1 = np.array([[True, False, False], [False, True, False]])
    c2 = np.array([True, True, False])
    check(lambda x, y, d: np.select([c1, c2], [x, y], d),
          lambda x, y, d: torch.where(torch.tensor(c1), x, torch.where(torch.tensor(c2), y, d)),
          _normal(2, 3), _normal(3), _normal(), second=True)


# ----------------------------------------------------------------------------------- products

PRODUCTS = [
    ("outer", np.outer, torch.outer, [(3,), (4,)]),
    ("inner 1-D", np.inner, torch.inner, [(3,), (3,)]),
    ("inner N-d", np.inner, torch.inner, [(2, 3), (4, 3)]),
    ("kron", np.kron, torch.kron, [(2, 3), (2, 2)]),
    ("kron mixed", np.kron, torch.kron, [(3,), (2, 2)]),
    ("cross", np.cross, lambda a, b: torch.linalg.cross(a, b), [(2, 1, 3), (1, 4, 3)]),
    ("cross axis 0", lambda a, b: np.cross(a, b, axis=0),
     lambda a, b: torch.linalg.cross(a, b, dim=0), [(3, 2), (3, 2)]),
    ("tensordot", np.tensordot, torch.tensordot, [(2, 3, 4), (3, 4, 2)]),
    ("tensordot pairs", lambda a, b: ag.tensordot(a, b, axes=([0, -1], [2, 0])),
     lambda a, b: torch.tensordot(a, b, dims=([0, 2], [2, 0])), [(2, 3, 4), (4, 5, 2)]),
    ("tensordot 0", lambda a, b: ag.tensordot(a, b, 0), lambda a, b: torch.tensordot(a, b, 0),
     [(2,), (3, 2)]),
    ("dot N-d", np.dot, lambda a, b: torch.tensordot(a, b, dims=([-1], [-2])),
     [(2, 3, 4), (3, 4, 2)]),
    ("dot 1-D", np.dot, torch.dot, [(3,), (3,)]),
    ("matmul N-d", np.matmul, torch.matmul, [(2, 1, 2, 3), (3, 3, 2)]),
    ("matmul 1-D left", np.matmul, torch.matmul, [(3,), (2, 3, 4)]),
    ("matmul 1-D right", np.matmul, torch.matmul, [(2, 1, 3, 4), (4,)]),
]


@pytest.mark.parametrize("name, ours, theirs, shapes", PRODUCTS, ids=[p[0] for p in PRODUCTS])
def test_products_match_torch(name, ours, theirs, shapes):
    check(ours, theirs, *[_normal(*s) for s in shapes], second=True)


def _cross(*args, **kwargs):  # np.cross of 2-vectors, its DeprecationWarning checked below
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.cross(*args, **kwargs)


def _torch_z(a, b):  # torch.linalg.cross takes 3-vectors only: the z-component written out
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


CROSS_2D = [
    ("2 x 2", _cross, _torch_z, [(2,), (2,)]),
    ("2 x 2 broadcast", _cross, _torch_z, [(3, 1, 2), (4, 2)]),
    ("2 x 2 axisa", lambda a, b: _cross(a, b, axisa=0),
     lambda a, b: _torch_z(a.movedim(0, -1), b), [(2, 3), (3, 2)]),
    ("2 x 2 axis", lambda a, b: _cross(a, b, axis=0),
     lambda a, b: _torch_z(a.movedim(0, -1), b.movedim(0, -1)), [(2, 3), (2, 1)]),
    ("2 x 3", _cross,
     lambda a, b: torch.linalg.cross(*torch.broadcast_tensors(TF.pad(a, (0, 1)), b)),
     [(2, 2), (3,)]),
    ("3 x 2 axes", lambda a, b: _cross(a, b, axisb=0, axisc=0),
     lambda a, b: torch.linalg.cross(a, TF.pad(b.movedim(0, -1), (0, 1))).movedim(-1, 0),
     [(4, 3), (2, 1)]),
]


@pytest.mark.parametrize("name, ours, theirs, shapes", CROSS_2D, ids=[c[0] for c in CROSS_2D])
def test_cross_of_2_vectors_matches_torch(name, ours, theirs, shapes):
    arrays = [_normal(*s) for s in shapes]
    check(ours, theirs, *arrays, second=True)
    expected = ours(*arrays)  # on arrays: NumPy's own np.cross, whose values ours equal
    got = ours(*[ag.tensor(a) for a in arrays]).data
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_cross_of_2_vectors_warns_as_numpy():
    a, b = _normal(3, 2), _normal(2)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        np.cross(a, b)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        np.cross(ag.tensor(a), b)  # attributed to this line, as NumPy's to the one above
    assert [(w.category, str(w.message)) for w in ours] == [
        (w.category, str(w.message)) for w in theirs] == [
        (DeprecationWarning, "Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                             "3-dimensional vectors instead. (deprecated in NumPy 2.0)")]
    assert ours[0].filename == theirs[0].filename == __file__
    assert linecache.getline(__file__, ours[0].lineno).strip().startswith("np.cross(ag.tensor")
    with pytest.warns(DeprecationWarning, match="2-dimensional vectors") as record:
        ag.cross(ag.tensor(_normal(2)), _normal(3), axisc=0)
    assert len(record) == 1 and record[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 3-vectors: no warning
        np.cross(ag.tensor(_normal(3)), _normal(3))


EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iji->j", [(3, 2, 3)]),
    ("ij->", [(2, 3)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,...j->...i", [(2, 3, 4), (1, 4)]),
    ("i...,i", [(3, 2, 2), (3,)]),
    ("ab,bc,ca->", [(2, 3), (3, 4), (4, 2)]),
    ("i,j,k->ijk", [(2,), (3,), (2,)]),
    (",i->i", [(), (3,)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]),
]


@pytest.mark.parametrize("subscripts, shapes", EINSUMS, ids=[e[0] for e in EINSUMS])
def test_einsum_matches_torch(subscripts, shapes):
    check(lambda *xs: np.einsum(subscripts, *xs), lambda *xs: torch.einsum(subscripts, *xs),
          *[_normal(*s) for s in shapes], second=True)


SUBLISTS = [  # the interleaved form: (operand, sublist, ...) and maybe an output sublist
    ("matmul", [[0, 1], [1, 2], [0, 2]], [(2, 3), (3, 4)]),
    ("implicit", [[0, 1], [1, 2]], [(2, 3), (3, 4)]),
    ("trace", [[0, 0]], [(3, 3)]),
    ("diagonal", [[0, 0], [0]], [(3, 3)]),
    ("implicit order", [[51, 0]], [(2, 3)]),
    ("tuples", [(4, 2), (2, 30), (30, 4)], [(2, 3), (3, 2)]),
    ("ellipsis", [[..., 0, 1], [..., 1], [..., 0]], [(2, 3, 4), (1, 4)]),
    ("ellipsis implicit", [[30, ...], [30]], [(3, 2, 2), (3,)]),
    ("three to scalar", [[0, 1], [1, 2], [2, 0], []], [(2, 3), (3, 4), (4, 2)]),
    ("outer", [[0], [1], [2], [0, 1, 2]], [(2,), (3,), (2,)]),
]


def _interleave(operands, sublists):
    args = [x for pair in zip(operands, sublists) for x in pair]
    return args + list(sublists[len(operands):])


@pytest.mark.parametrize("name, sublists, shapes", SUBLISTS, ids=[e[0] for e in SUBLISTS])
def test_einsum_interleaved_matches_torch_and_numpy(name, sublists, shapes):
    arrays = [_normal(*s) for s in shapes]
    check(lambda *xs: np.einsum(*_interleave(xs, sublists)),
          lambda *xs: torch.einsum(*_interleave(xs, [list(s) for s in sublists])), *arrays,
          second=True)
    got = ag.einsum(*_interleave([ag.tensor(a) for a in arrays], sublists))
    np.testing.assert_array_equal(got.data, np.einsum(*_interleave(arrays, sublists)))
    with ag.Tape() as tape:  # still one einsum box
        np.einsum(*_interleave([ag.tensor(a, requires_grad=True) for a in arrays], sublists))
    assert [r.op for r in tape] == ["einsum"]


def test_einsum_is_one_box_and_its_rules_are_einsums():
    x = ag.tensor(_normal(2, 3), requires_grad=True)
    y = ag.tensor(_normal(3, 4), requires_grad=True)
    with ag.Tape() as tape:
        out = np.einsum("ij,jk->ik", x, y)
    assert [r.op for r in tape] == ["einsum"]
    with ag.Tape() as sweep:  # the recorded sweep: each operand's VJP is an einsum
        out.backward(np.ones((2, 4)), create_graph=True)
    assert [r.op for r in sweep] == ["einsum", "einsum"]
    assert x.grad.op == "einsum" and y.grad.op == "einsum"


def test_einsum_forward_over_reverse_gives_the_hessian():
    def f(x):
        return ag.einsum("ij,jk,ki->", x, x, x)

    x, v = _normal(3, 3), _normal(3, 3)
    _, hv = ag.jvp(ag.grad(f), (x,), (v,))
    np.testing.assert_allclose(hv, np.tensordot(ag.hessian(f)(x), v, axes=2), rtol=1e-10)


def test_float32_stays_float32_through_einsum_second_order():
    x = ag.tensor(_normal(3, 3).astype(np.float32), requires_grad=True)
    y = np.einsum("ii->i", x * x).sum()
    y.backward(create_graph=True)
    g = x.grad
    (g * g).sum().backward()
    assert g.dtype == np.float32 and x.grad.dtype == np.float32


# ------------------------------------------------------------------------------------- errors

X = ag.tensor(np.ones((2, 3)), requires_grad=True)

ERRORS = [
    (lambda: ag.squeeze(X, 0), ShapeError, "only axes of size 1"),
    (lambda: X.unsqueeze((0, 1)), TypeError, "one integer"),
    (lambda: ag.ravel(X, order="A"), ValueError, "order='A'"),
    (lambda: ag.moveaxis(X, (0, 1), 0), ValueError, "same number"),
    (lambda: ag.rollaxis(X, 0, 5), np.exceptions.AxisError, "start=5"),
    (lambda: ag.fliplr(ag.tensor(np.ones(3))), ValueError, "at least 2 axes"),
    (lambda: ag.flipud(ag.tensor(1.0)), ValueError, "at least 1 axis"),
    (lambda: ag.rot90(X, axes=(0, 0)), ValueError, "two different axes"),
    (lambda: ag.rot90(X, axes=(0, 1, 2)), ValueError, "must name 2 axes"),
    (lambda: ag.rot90(ag.tensor(np.ones(3))), ValueError, "at least 2 axes"),
    (lambda: ag.pad(X, 1, mode="empty"), ValueError, "mode='empty' is not differentiable"),
    (lambda: ag.pad(X, 1, mode="average"), ValueError, "NumPy has no such mode"),
    (lambda: ag.pad(X, 1, mode=np.pad), ValueError, "a callable mode fills the padded array"),
    (lambda: ag.pad(X, 1, mode="mean", end_values=1.0), ValueError, "end_values"),
    (lambda: ag.pad(X, 1, mode="linear_ramp", stat_length=1), ValueError, "stat_length"),
    (lambda: ag.pad(X, 1, mode="maximum", stat_length=0), ValueError,
     "stat_length=0 gives a slice of 0 elements"),
    (lambda: ag.pad(X, 1, mode="minimum", stat_length=((1, 0), (1, 1))), ValueError,
     "no minimum to pad with"),
    (lambda: ag.pad(X, 1, mode="mean", stat_length=-1), ValueError,
     "stat_length=-1 must be non-negative integers"),
    (lambda: ag.pad(X, 1, mode="median", stat_length="a"), TypeError, "stat_length='a'"),
    (lambda: ag.pad(X, 1, mode="mean", stat_length=(1, 2, 3)), ValueError,
     "stat_length=(1, 2, 3) does not fit an array of 2 axes"),
    (lambda: ag.pad(X, 1, mode="linear_ramp", end_values=np.ones((3, 2))), ValueError,
     "end_values=array"),
    (lambda: ag.pad(ag.tensor(np.ones((0, 2))), 1, mode="mean"), ValueError, "empty axis"),
    (lambda: ag.pad(X, 1, mode="edge", constant_values=1.0), ValueError, "constant_values"),
    (lambda: ag.pad(X, 1, mode="reflect", reflect_type="odd"), ValueError, "reflect_type"),
    (lambda: ag.pad(X, -1), ValueError, "non-negative"),
    (lambda: ag.pad(X, ((1, 2, 3),)), ValueError, "does not fit"),
    (lambda: ag.pad(ag.tensor(np.ones((0, 2))), 1, mode="edge"), ValueError, "empty axis"),
    (lambda: ag.diag(ag.tensor(np.ones((2, 2, 2)))), ShapeError, "1-D array"),
    (lambda: ag.diagonal(ag.tensor(np.ones(3))), ShapeError, "at least 2 axes"),
    (lambda: ag.diagonal(X, 0, 1, -1), ValueError, "two different axes"),
    (lambda: ag.split(X, 2, axis=1), ValueError, "equal sections"),
    (lambda: ag.array_split(X, 0), ValueError, "larger than 0"),
    (lambda: ag.vsplit(ag.tensor(np.ones(4)), 2), ValueError, "at least 2 axes"),
    (lambda: ag.dsplit(X, 2), ValueError, "at least 3 axes"),
    (lambda: ag.hsplit(ag.tensor(1.0), 2), ValueError, "at least 1 axis"),
    (lambda: np.vstack([X, X], dtype=np.float32), TypeError, "dtype"),
    (lambda: ag.hstack([]), ValueError, "at least one array"),
    (lambda: ag.take(X, [0], out=np.zeros(1)), TypeError, "out="),
    (lambda: ag.take(X, [0], mode="bad"), ValueError, "mode='bad'"),
    (lambda: ag.take_along_axis(X, np.array([0, 1]), axis=1), ShapeError, "same number of axes"),
    (lambda: ag.sort(X, order="f"), ValueError, "structured"),
    (lambda: ag.partition(X, 1, order="f"), ValueError, "structured"),
    (lambda: ag.select([np.ones(3, bool)], [X, X]), ValueError, "one choice per condition"),
    (lambda: ag.select([], []), ValueError, "at least one condition"),
    (lambda: ag.outer(X, X, out=np.zeros((6, 6))), TypeError, "out="),
    (lambda: ag.dot(X, X.T, out=np.zeros((2, 2))), TypeError, "out="),
    (lambda: ag.cross(ag.tensor(np.ones(4)), ag.tensor(np.ones(3))), ShapeError,
     "vectors of lengths 4 and 3"),
    (lambda: ag.cross(ag.tensor(np.ones((3, 4))), X.T), ShapeError,
     "give axisa=/axisb= (or axis=)"),
    (lambda: ag.cross(ag.tensor(np.ones((4, 3))), X), ShapeError,
     "vectors of shapes (4, 3) and (2, 3)"),
    (lambda: ag.cross(ag.tensor(1.0), X), ShapeError, "need an axis of vectors"),
    (lambda: ag.cross(X, X, axisb=2), np.exceptions.AxisError, "axisb"),
    (lambda: ag.tensordot(X, X, axes=([0, 1], [0])), ShapeError, "pair up"),
    (lambda: ag.tensordot(X, X, axes=([1], [0])), ShapeError, "lengths 3 and 2"),
    (lambda: ag.tensordot(X, X, axes=(0, 1, 2)), ValueError, "an int or a pair"),
    (lambda: ag.einsum(X, [0, 52]), ValueError, "outside the valid range [0, 52)"),
    (lambda: ag.einsum(X, [0, -1]), ValueError, "outside the valid range [0, 52)"),
    (lambda: ag.einsum(X, [0, 1.0]), TypeError, "each subscript is an integer in [0, 52)"),
    (lambda: ag.einsum(X, [0, True]), TypeError, "holds True"),
    (lambda: ag.einsum(X, [..., ..., 0]), ValueError, "more than one Ellipsis"),
    (lambda: ag.einsum(X, 5), TypeError, "the sublist of operand 0 is 5"),
    (lambda: ag.einsum(X, [0, 1], "ij"), TypeError, "the output sublist is 'ij'"),
    (lambda: ag.einsum(X, [0], X, [0, 1]), ShapeError, "do not fit"),
    (lambda: ag.einsum("ij,jk->ik", X), ValueError, "name 2 operands"),
    (lambda: ag.einsum("i1->i", X), ValueError, "letters and '...'"),
    (lambda: ag.einsum("ijk->i", X), ShapeError, "do not fit"),
]


@pytest.mark.parametrize("call, kind, words", ERRORS, ids=[e[2] for e in ERRORS])
def test_unsupported_values_raise_clear_errors(call, kind, words):
    with pytest.raises(kind, match=re.escape(words)):
        call()
