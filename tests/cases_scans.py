"""The cases of the scans primitives and composites (see tests/primitive_table.py)."""

from __future__ import annotations

import numpy as np
from primitive_table import TIES, C, Fixed, N, P, S, Z

import autograd_nb as ag

ONE_ZERO = Fixed(((1.5, 0.0, -2.0), (0.5, 3.0, -1.0)))  # one zero in row 0 and column 1
TWO_ZEROS = Fixed(((0.0, 2.0, 0.0, -1.5), (1.5, 0.0, 0.5, 2.0)))  # row 0: two zeros
ZEROS_3D = Fixed((((0.0, 1.5), (2.0, -1.0)), ((0.5, 0.0), (0.0, 3.0))))
EQUAL = Fixed(((2.0, 2.0, 2.0), (1.0, -1.0, 0.5)))  # row 0 without spread: std's gradient 0

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
    # ---- diff
    C("diff", lambda x: np.diff(x), N(4), order2=True),
    C("diff", lambda x: x.diff(2), N(2, 5), order2=True),
    C("diff", lambda x: ag.diff(x, 1, axis=0), N(3, 4), order2=True),
    C("diff", lambda x: np.diff(x, n=3, axis=-2), N(5, 2, 3)),
    C("diff", lambda x: np.diff(x, n=0), N(2, 3)),
    C("diff", lambda x: np.diff(x, n=4) + 1.0, N(2, 3)),  # longer than the axis: empty
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
