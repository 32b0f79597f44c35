"""The cases of the order statistics and the reductions that skip NaN (see
tests/primitive_table.py).

Finite differences at tied values see the gradient split among the tied elements, which the
order statistics give to one of them (the stable sort's, as torch.quantile): the rows with ties
are those where both agree (ties away from the chosen sorted positions, or filling exactly the
two middle positions of an even count). NaN inputs: finite differences leave NaN elements
unchanged, so their derivative is checked to be 0; no row has a slice of NaN only (its result,
NaN, leaves nothing to check). tests/test_torch_order_stats.py covers ties and NaN further.
"""

from __future__ import annotations

import numpy as np
from primitive_table import TIES, C, Fixed, N, S, U

import autograd_nb as ag

nan = np.nan
# rows of 3, 3 and 2 values besides NaN (odd and even counts), columns of 2, 8 in all
WITH_NAN = Fixed(((0.5, nan, -1.2, 2.0), (nan, 1.5, 0.3, -0.4), (1.1, -2.0, nan, nan)))
ODD_NAN = Fixed((0.4, nan, -1.0, 2.5, nan))  # 3 values besides NaN
NAN_TIES = Fixed(((2.0, nan, 2.0, -1.0), (nan, 0.5, -1.0, -1.0)))  # nanmax/nanmin ties
# row 0: the two middle values are equal (each gets ½, as finite differences see); row 1 distinct
EVEN_TIES = Fixed(((1.0, 3.0, 3.0, 5.0), (2.0, 0.5, -1.0, 4.0)))
Q3 = np.array([0.1, 0.5, 0.75], dtype=np.float32)  # float32: a float32 input stays float32
P3 = np.array([10.0, 50.0, 95.0], dtype=np.float32)

CASES = [
    # ---- median (composite: a stable sort, gathers, the mean of the two middle values)
    C("median", lambda x: np.median(x), S(5), order2=True),  # odd count
    C("median", lambda x: ag.median(x), S(2, 3), order2=True),  # even count: ½ and ½
    C("median", lambda x: np.median(x, axis=0), S(4, 3), order2=True),
    C("median", lambda x: np.median(x, axis=-1, keepdims=True), S(2, 3, 5)),
    C("median", lambda x: ag.median(x, axis=(0, 2)), S(2, 3, 4), order2=True),
    C("median", lambda x: np.median(x, axis=(2, 0), keepdims=True), S(3, 2, 3)),
    C("median", lambda x: np.median(x), N()),
    C("median", lambda x: np.median(x), TIES, order2=True),  # the two middle values tie
    C("median", lambda x: np.median(x, axis=0), TIES),
    C("median", lambda x: np.median(x, axis=1), EVEN_TIES, order2=True),
    # ---- quantile, percentile (composites: linear interpolation of two order statistics)
    C("quantile", lambda x: np.quantile(x, 0.3), S(5), order2=True),
    C("quantile", lambda x: ag.quantile(x, Q3), S(2, 3), order2=True),
    C("quantile", lambda x: np.quantile(x, Q3, axis=1, keepdims=True), S(2, 5, 3),
      order2=True),
    C("quantile", lambda x: np.quantile(x, 0.8, axis=(0, -1)), S(2, 3, 4)),
    C("quantile", lambda x: ag.quantile(x, 1.0, axis=0), S(3, 2)),
    C("quantile", lambda x: np.quantile(x, [0, 1], axis=-1), S(2, 3)),  # integer q
    C("quantile", lambda x: np.quantile(x, 0.9), TIES, order2=True),  # a tie at 4 and 5 of 6
    C("quantile", lambda x: np.quantile(x, 0.1), TIES),
    C("quantile", lambda x, q: ag.quantile(x, q), S(6), U(), order2=True),  # ∂/∂q too
    C("quantile", lambda x, q: np.quantile(x, q, axis=0), S(4, 2), U(3), order2=True),
    C("percentile", lambda x: np.percentile(x, 40), S(6), order2=True),
    C("percentile", lambda x: ag.percentile(x, P3, axis=0, keepdims=True), S(5, 2)),
    C("percentile", lambda x, q: np.percentile(x, q, axis=-1), S(2, 4), Fixed(37.0),
      order2=True),
    # ---- nanmedian, nanquantile, nanpercentile (composites: NaN sorted last and skipped)
    C("nanmedian", lambda x: np.nanmedian(x), S(2, 3), order2=True),
    C("nanmedian", lambda x: np.nanmedian(x), WITH_NAN, order2=True),
    C("nanmedian", lambda x: ag.nanmedian(x, axis=1), WITH_NAN, order2=True),
    C("nanmedian", lambda x: np.nanmedian(x, axis=0, keepdims=True), WITH_NAN),
    C("nanmedian", lambda x: np.nanmedian(x, axis=(1, 0)), WITH_NAN),
    C("nanmedian", lambda x: np.nanmedian(x), ODD_NAN, order2=True),
    C("nanquantile", lambda x: np.nanquantile(x, 0.3), WITH_NAN, order2=True),
    C("nanquantile", lambda x: ag.nanquantile(x, Q3, axis=1), WITH_NAN, order2=True),
    C("nanquantile", lambda x: np.nanquantile(x, 0.6, axis=0, keepdims=True), WITH_NAN),
    C("nanquantile", lambda x: np.nanquantile(x, 0.25, axis=(0, 1)), S(2, 3, 2)),
    C("nanquantile", lambda x, q: np.nanquantile(x, q, axis=-1), WITH_NAN, U(2), order2=True),
    C("nanpercentile", lambda x: np.nanpercentile(x, 70), WITH_NAN, order2=True),
    C("nanpercentile", lambda x: ag.nanpercentile(x, P3, axis=1, keepdims=True), WITH_NAN),
    C("nanpercentile", lambda x, q: np.nanpercentile(x, q), ODD_NAN, Fixed(62.0),
      order2=True),
    # ---- nansum, nanmean (composites: NaN replaced by 0 with a where, a sum, a count)
    C("nansum", lambda x: np.nansum(x), N(2, 3), order2=True),
    C("nansum", lambda x: np.nansum(x), WITH_NAN, order2=True),
    C("nansum", lambda x: ag.nansum(x, axis=0), WITH_NAN),
    C("nansum", lambda x: np.nansum(x, axis=(1,), keepdims=True), WITH_NAN),
    C("nansum", lambda x: np.nansum(x, axis=1) ** 2, WITH_NAN, order2=True),
    C("nanmean", lambda x: np.nanmean(x), N(2, 3), order2=True),
    C("nanmean", lambda x: np.nanmean(x), WITH_NAN, order2=True),
    C("nanmean", lambda x: ag.nanmean(x, axis=1, keepdims=True), WITH_NAN, order2=True),
    C("nanmean", lambda x: np.nanmean(x, axis=(0, -1)), WITH_NAN),
    C("nanmean", lambda x: np.nanmean(x, axis=0) ** 2, WITH_NAN, order2=True),
    # ---- nanmax, nanmin (composites: max/min with NaN replaced by ∓inf; ties split evenly)
    C("nanmax", lambda x: np.nanmax(x), S(2, 3), order2=True),
    C("nanmax", lambda x: np.nanmax(x, axis=1), WITH_NAN, order2=True),
    C("nanmax", lambda x: ag.nanmax(x, axis=0, keepdims=True), WITH_NAN),
    C("nanmax", lambda x: np.nanmax(x, axis=1), NAN_TIES),
    C("nanmax", lambda x: np.nanmax(x), NAN_TIES),
    C("nanmin", lambda x: np.nanmin(x), S(2, 3), order2=True),
    C("nanmin", lambda x: np.nanmin(x, axis=1), WITH_NAN, order2=True),
    C("nanmin", lambda x: ag.nanmin(x, axis=(0, 1), keepdims=True), WITH_NAN),
    C("nanmin", lambda x: np.nanmin(x, axis=1), NAN_TIES),
    C("nanmin", lambda x: np.nanmin(x, axis=0), TIES),
]
