"""The cases of the scans primitives and composites (see tests/primitive_table.py)."""

from __future__ import annotations

import numpy as np
from primitive_table import TIES, C, Fixed, N, P, S, Z

import autograd_nb as ag

ONE_ZERO = Fixed(((1.5, 0.0, -2.0), (0.5, 3.0, -1.0)))  # one zero in row 0 and column 1
TWO_ZEROS = Fixed(((0.0, 2.0, 0.0, -1.5), (1.5, 0.0, 0.5, 2.0)))  # row 0: two zeros
ZEROS_3D = Fixed((((0.0, 1.5), (2.0, -1.0)), ((0.5, 0.0), (0.0, 3.0))))
EQUAL = Fixed(((2.0, 2.0, 2.0), (1.0, -1.0, 0.5)))  # row 0 without spread: std's gradient 0


def _pair(returned):
    """``(average, sum of weights)`` of ``returned=True`` as one tensor (the sum of weights is
    a plain array unless the weights are a tensor)."""
    return ag.stack(list(returned))

CASES = [
    # ---- prod
    C("prod", lambda x: x.prod(), N(), order2=True),
    C("prod", lambda x: np.prod(x), Z(2, 3), order2=True),
    C("prod", lambda x: ag.prod(x, axis=0), Z(2, 3, 4), order2=True),
    C("prod", lambda x: x.prod(axis=-1, keepdims=True), Z(2, 3, 4), order2=True),
    C("prod", lambda x: np.prod(x, axis=(0, -1)), Z(2, 3, 4)),
    C("prod", lambda x: x.prod(axis=1), ONE_ZERO, order2=True),
    C("prod", lambda x: x.prod(axis=0), ONE_ZERO, order2=True),
    C("prod", lambda x: np.prod(x), ONE_ZERO, order2=True),
    C("prod", lambda x: x.prod(axis=-1), TWO_ZEROS, order2=True),
    C("prod", lambda x: ag.prod(x, axis=(0, 2), keepdims=True), ZEROS_3D, order2=True),
    C("prod", lambda x: x.prod(), Fixed(0.0), order2=True),
    # ---- cumsum
    C("cumsum", lambda x: x.cumsum(), N(), order2=True),
    C("cumsum", lambda x: np.cumsum(x), N(2, 3), order2=True),
    C("cumsum", lambda x: x.cumsum(0), N(2, 3, 4), order2=True),
    C("cumsum", lambda x: ag.cumsum(x, axis=-1), N(2, 3, 4)),
    C("cumsum", lambda x, y: ag.cumsum(x * y, axis=1), N(2, 3), N(3), order2=True),
    # ---- cumprod
    C("cumprod", lambda x: x.cumprod(), N(), order2=True),
    C("cumprod", lambda x: np.cumprod(x), Z(2, 3), order2=True),
    C("cumprod", lambda x: x.cumprod(1), Z(2, 3, 4), order2=True),
    C("cumprod", lambda x: ag.cumprod(x, axis=-3), Z(2, 3, 4)),
    C("cumprod", lambda x: x.cumprod(1), ONE_ZERO, order2=True),
    C("cumprod", lambda x: x.cumprod(0), ONE_ZERO, order2=True),
    C("cumprod", lambda x: np.cumprod(x), TWO_ZEROS, order2=True),
    C("cumprod", lambda x: x.cumprod(-1), TWO_ZEROS, order2=True),
    C("cumprod", lambda x: ag.cumprod(x, axis=1), ZEROS_3D, order2=True),
    # ---- var (composite), std
    C("var", lambda x: x.var(), N(), order2=True),
    C("var", lambda x: np.var(x), N(2, 3), order2=True),
    C("var", lambda x: x.var(0, 1), N(2, 3, 4), order2=True),
    C("var", lambda x: ag.var(x, axis=-1, ddof=1, keepdims=True), N(2, 3, 4), order2=True),
    C("var", lambda x: np.var(x, axis=(0, 2)), N(2, 3, 4)),
    C("var", lambda x: x.var(axis=1), EQUAL, order2=True),
    C("std", lambda x: np.std(x), N(2, 3), order2=True),
    C("std", lambda x: x.std(1), N(2, 3, 4), order2=True),
    C("std", lambda x: ag.std(x, axis=-1, ddof=1, keepdims=True), N(2, 3, 4), order2=True),
    C("std", lambda x: np.std(x, axis=(0, -1), ddof=2), N(2, 3, 4)),
    C("std", lambda x: x.std(axis=1), EQUAL),
    # ---- average (composite)
    C("average", lambda x: np.average(x), N(2, 3), order2=True),
    C("average", lambda x: ag.average(x, axis=-1, keepdims=True), N(2, 3)),
    C("average", lambda x, w: np.average(x, weights=w), N(2, 3), P(2, 3), order2=True),
    C("average", lambda x, w: np.average(x, axis=1, weights=w), N(2, 3), P(3), order2=True),
    C("average", lambda x, w: ag.average(x, axis=(2, 0), weights=w, keepdims=True),
      N(2, 3, 4), P(4, 2), order2=True),
    C("average", lambda x, w: ag.average(x, weights=w), N(), P(), order2=True),
    # returned=True: (average, sum of weights), the second a tensor when the weights are one
    C("average", lambda x: _pair(np.average(x, returned=True)), N(2, 3), order2=True),
    C("average", lambda x: _pair(ag.average(x, axis=0, returned=True)), N(2, 3)),
    C("average", lambda x: _pair(np.average(x, axis=(0, 2), keepdims=True, returned=True)),
      N(2, 3, 4)),
    C("average", lambda x, w: _pair(np.average(x, weights=w, returned=True)), N(2, 3), P(2, 3),
      order2=True),
    C("average", lambda x, w: _pair(np.average(x, axis=1, weights=w, returned=True)), N(2, 3),
      P(3), order2=True),
    C("average", lambda x, w: _pair(ag.average(x, axis=(2, 0), weights=w, keepdims=True,
                                               returned=True)), N(2, 3, 4), P(4, 2), order2=True),
    C("average", lambda w: _pair(np.average(np.arange(6.0, dtype=w.dtype).reshape(2, 3),
                                            axis=1, weights=w, returned=True)), P(3), order2=True),
    C("average", lambda x: _pair(np.average(x, axis=1, weights=np.array([1.0, 2.0, 0.5], x.dtype),
                                            returned=True)), N(2, 3)),
    # ---- diff
    C("diff", lambda x: np.diff(x), N(4), order2=True),
    C("diff", lambda x: x.diff(2), N(2, 5), order2=True),
    C("diff", lambda x: ag.diff(x, 1, axis=0), N(3, 4), order2=True),
    C("diff", lambda x: np.diff(x, n=3, axis=-2), N(5, 2, 3)),
    C("diff", lambda x: np.diff(x, n=0), N(2, 3)),
    C("diff", lambda x: np.diff(x, n=4) + 1.0, N(2, 3)),  # longer than the axis: empty
    # prepend / append: joined along the axis first; scalars broadcast, tensors get gradients
    C("diff", lambda x, p, a: np.diff(x, prepend=p, append=a), N(2, 3), N(2, 1), N(2, 2),
      order2=True),
    C("diff", lambda x, p: ag.diff(x, 2, axis=0, prepend=p), N(3, 2), N(), order2=True),
    C("diff", lambda x, a: x.diff(3, append=a), N(2, 2), N(), order2=True),
    C("diff", lambda x, p, a: np.diff(x, 2, axis=-2, prepend=p, append=a), N(2, 3, 2),
      N(2, 1, 2), N(), order2=True),
    C("diff", lambda x: np.diff(x, axis=0, prepend=np.zeros((1, 3), x.dtype),
                                append=np.asarray(1.5, x.dtype)), N(2, 3)),
    C("diff", lambda p: np.diff(np.arange(3.0, dtype=p.dtype), prepend=p, append=p * 2.0),
      N()),
    # ---- trace
    C("trace", lambda x: x.trace(), N(3, 3), order2=True),
    C("trace", lambda x: np.trace(x, 1), N(3, 4), order2=True),
    C("trace", lambda x: ag.trace(x, offset=-1), N(4, 3)),
    C("trace", lambda x: np.trace(x, 0, -1, 0), N(3, 2, 3), order2=True),
    C("trace", lambda x: x.trace(axis1=1, axis2=2), N(2, 3, 4)),
    C("trace", lambda x: np.trace(x, 5), N(2, 3)),  # past the corner: 0
    # ---- ptp (composite)
    C("ptp", lambda x: x.ptp(), S(2, 3), order2=True),
    C("ptp", lambda x: np.ptp(x, axis=0), S(2, 3, 4), order2=True),
    C("ptp", lambda x: ag.ptp(x, axis=-1, keepdims=True), S(2, 3, 4)),
    C("ptp", lambda x: x.ptp(axis=1), TIES),
    # ---- cumulative_sum, cumulative_prod (composites)
    C("cumulative_sum", lambda x: np.cumulative_sum(x), N(4), order2=True),
    C("cumulative_sum", lambda x: ag.cumulative_sum(x, axis=-1, include_initial=True), N(2, 3),
      order2=True),
    C("cumulative_prod", lambda x: np.cumulative_prod(x, axis=0), Z(3, 2), order2=True),
    C("cumulative_prod", lambda x: ag.cumulative_prod(x, axis=1, include_initial=True),
      ONE_ZERO, order2=True),
    # ---- ediff1d, trapezoid (composites)
    C("ediff1d", lambda x: np.ediff1d(x), N(2, 3), order2=True),
    C("ediff1d", lambda x, b, e: ag.ediff1d(x, to_end=e, to_begin=b), N(4), N(), N(2),
      order2=True),
    C("ediff1d", lambda x: np.ediff1d(x, 0.5, [1.0, 2.0]), N(3)),
    C("trapezoid", lambda y: np.trapezoid(y), N(5), order2=True),
    C("trapezoid", lambda y, x: np.trapezoid(y, x), N(2, 4), N(4), order2=True),
    C("trapezoid", lambda y, x: ag.trapezoid(y, x, axis=0), N(3, 2), N(3, 2), order2=True),
    C("trapezoid", lambda y, d: ag.trapezoid(y, dx=d, axis=-2), N(3, 2, 2), P(), order2=True),
]
