"""The cases of the ufuncs primitives and composites (see tests/primitive_table.py).

Inputs are moved into each function's domain inside the case (``x - 0.5`` for arcsin, ``x + 1``
for arccosh) so that the makers stay the table's own. Step functions (floor, round...) are
checked where finite differences see no jump, so both sides give 0.
"""

from __future__ import annotations

import numpy as np
from primitive_table import C, Fixed, N, P, S, U, Z

import autograd_nb as ag

# sinc at 0 and on both sides of where its rule switches from the series to the formula
SINC_POINTS = Fixed(((0.0, 0.1, -0.2499), (0.2501, -1.5, 2.0)))
SINC_SMALL = Fixed((0.0, 0.05, -0.125))
# constants with NaN and ±inf (float32, so a float32 case stays float32)
NONFINITE = ag.tensor(np.array([np.nan, np.inf, -np.inf, 0.0], dtype=np.float32))
SOME_NAN = ag.tensor(np.array([np.nan, 0.1, np.nan], dtype=np.float32))

CASES = [
    # ---- trigonometric
    C("tan", np.tan, U(2, 3), order2=True),
    C("tan", lambda x: ag.tan(x - 0.5), U(), order2=True),
    C("tan", lambda x: (x - 0.5).tan(), U(4)),
    C("arcsin", lambda x: np.arcsin(x - 0.5), U(2, 3), order2=True),
    C("arcsin", lambda x: ag.arcsin(x - 0.5), U(), order2=True),
    C("arcsin", lambda x: (x - 0.5).arcsin(), U(4)),
    C("arccos", lambda x: np.arccos(x - 0.5), U(2, 3), order2=True),
    C("arccos", lambda x: ag.arccos(x - 0.5), U(), order2=True),
    C("arccos", lambda x: (x - 0.5).arccos(), U(4)),
    C("arctan", np.arctan, N(2, 3), order2=True),
    C("arctan", ag.arctan, N(), order2=True),
    C("arctan", lambda x: x.arctan(), N(4)),
    C("arctan2", np.arctan2, N(2, 3), N(2, 3), order2=True),
    C("arctan2", ag.arctan2, N(3, 1), Z(4), order2=True),
    C("arctan2", lambda y, x: y.arctan2(x), N(), N(2, 3), order2=True),
    C("arctan2", lambda x: np.arctan2(1.0, x), N(2, 3)),
    # ---- hyperbolic
    C("sinh", np.sinh, N(2, 3), order2=True),
    C("sinh", ag.sinh, N(), order2=True),
    C("sinh", lambda x: x.sinh(), N(4)),
    C("cosh", np.cosh, N(2, 3), order2=True),
    C("cosh", ag.cosh, N(), order2=True),
    C("cosh", lambda x: x.cosh(), N(4)),
    C("arcsinh", np.arcsinh, N(2, 3), order2=True),
    C("arcsinh", ag.arcsinh, N(), order2=True),
    C("arcsinh", lambda x: x.arcsinh(), N(4)),
    C("arccosh", lambda x: np.arccosh(x + 1.0), P(2, 3), order2=True),
    C("arccosh", lambda x: ag.arccosh(x + 1.0), P(), order2=True),
    C("arccosh", lambda x: (x + 1.0).arccosh(), P(4)),
    C("arctanh", lambda x: np.arctanh(x - 0.5), U(2, 3), order2=True),
    C("arctanh", lambda x: ag.arctanh(x - 0.5), U(), order2=True),
    C("arctanh", lambda x: (x - 0.5).arctanh(), U(4)),
    # ---- logarithms and powers
    C("log1p", np.log1p, P(2, 3), order2=True),
    C("log1p", lambda x: ag.log1p(x - 0.5), U(), order2=True),
    C("log1p", lambda x: x.log1p(), U(4)),
    C("expm1", np.expm1, N(2, 3), order2=True),
    C("expm1", ag.expm1, N(), order2=True),
    C("expm1", lambda x: x.expm1(), N(4)),
    C("log2", np.log2, P(2, 3), order2=True),
    C("log2", ag.log2, P(), order2=True),
    C("log2", lambda x: x.log2(), P(4)),
    C("log10", np.log10, P(2, 3), order2=True),
    C("log10", ag.log10, P(), order2=True),
    C("log10", lambda x: x.log10(), P(4)),
    C("exp2", np.exp2, N(2, 3), order2=True),
    C("exp2", ag.exp2, N(), order2=True),
    C("exp2", lambda x: x.exp2(), N(4)),
    C("cbrt", np.cbrt, Z(2, 3), order2=True),
    C("cbrt", ag.cbrt, Z(), order2=True),
    C("square", np.square, N(2, 3), order2=True),
    C("square", ag.square, N(), order2=True),
    C("square", lambda x: x.square(), N(4)),
    C("reciprocal", np.reciprocal, Z(2, 3), order2=True),
    C("reciprocal", ag.reciprocal, Z(), order2=True),
    C("reciprocal", lambda x: x.reciprocal(), Z(4)),
    C("hypot", np.hypot, N(2, 3), N(2, 3), order2=True),
    C("hypot", ag.hypot, N(3, 1), N(4), order2=True),
    C("hypot", lambda x, y: x.hypot(y), N(), N(2, 3)),
    C("hypot", lambda x: np.hypot(x, 0.5), N(2, 3), order2=True),
    C("logaddexp", np.logaddexp, N(2, 3), N(2, 3), order2=True),
    C("logaddexp", ag.logaddexp, N(3, 1), N(4), order2=True),
    C("logaddexp", lambda x, y: x.logaddexp(y), N(), N(2, 3)),
    C("logaddexp2", np.logaddexp2, N(2, 3), N(2, 3), order2=True),
    C("logaddexp2", ag.logaddexp2, N(3, 1), N(4), order2=True),
    C("logaddexp2", lambda x: x.logaddexp2(0.0), N(4)),
    C("sinc", np.sinc, N(2, 3), order2=True),
    C("sinc", ag.sinc, SINC_POINTS, order2=True),
    C("sinc", lambda x: x.sinc(), SINC_SMALL, order2=True),
    C("sinc", ag.sinc, N(), order2=True),
    # ---- scalings and absolute values (composites)
    C("deg2rad", np.deg2rad, N(2, 3), order2=True),
    C("deg2rad", ag.deg2rad, N()),
    C("deg2rad", lambda x: x.deg2rad(), N(4)),
    C("rad2deg", np.rad2deg, N(2, 3), order2=True),
    C("rad2deg", lambda x: x.rad2deg(), N()),
    C("radians", np.radians, N(2, 3), order2=True),
    C("radians", ag.radians, N()),
    C("degrees", np.degrees, N(2, 3), order2=True),
    C("degrees", ag.degrees, N()),
    C("fabs", np.fabs, Z(2, 3), order2=True),
    C("fabs", ag.fabs, Z()),
    # ---- fmax, fmin: distinct values, ties (the gradient goes to x1) and NaNs ignored
    C("fmax", np.fmax, S(3, 1), S(4), order2=True),
    C("fmax", ag.fmax, S(2, 3), N()),
    C("fmax", lambda x, y: x.fmax(y), S(2, 1), S(3)),
    C("fmax", lambda x: np.fmax(x, x), N(2, 3), order2=True),
    C("fmax", lambda x: np.fmax(x, SOME_NAN), N(2, 3), order2=True),
    C("fmax", lambda x: np.fmax(SOME_NAN, x), N(3)),
    C("fmin", np.fmin, S(3, 1), S(4), order2=True),
    C("fmin", ag.fmin, S(2, 3), N()),
    C("fmin", lambda x, y: x.fmin(y), S(2, 1), S(3)),
    C("fmin", lambda x: np.fmin(x, x), N(2, 3), order2=True),
    C("fmin", lambda x: np.fmin(x, SOME_NAN), N(2, 3), order2=True),
    C("fmin", lambda x: np.fmin(SOME_NAN, x), N(3)),
    # ---- remainders
    C("remainder", lambda x, y: x % y, N(2, 3), Z(2, 3), order2=True),
    C("remainder", np.remainder, N(3, 1), Z(4), order2=True),
    C("remainder", lambda x, y: np.mod(x, y), N(), Z(2, 3)),
    C("remainder", lambda x: x % 1.0, N(2, 3), order2=True),
    C("remainder", lambda x: 2.0 % x, Z(2, 3), order2=True),
    C("remainder", lambda x, y: x.remainder(y), N(4), Z()),
    C("mod", ag.mod, N(2, 3), Z(2, 3), order2=True),
    C("mod", ag.mod, N(), Z()),
    C("floor_divide", lambda x, y: x // y, N(2, 3), Z(2, 3), order2=True),
    C("floor_divide", np.floor_divide, N(3, 1), Z(4)),
    C("floor_divide", lambda x: 2.0 // x, Z(2, 3)),
    C("floor_divide", lambda x, y: x.floor_divide(y), N(), Z()),
    # ---- steps: derivative 0
    C("sign", np.sign, Z(2, 3), order2=True),
    C("sign", lambda x: x.sign(), Z()),
    C("floor", np.floor, N(2, 3), order2=True),
    C("floor", lambda x: x.floor(), N()),
    C("ceil", np.ceil, N(2, 3), order2=True),
    C("ceil", lambda x: ag.ceil(x), N()),
    C("round", np.round, N(2, 3), order2=True),
    C("round", lambda x: np.round(x, 1), N(2, 3)),
    C("round", lambda x: np.around(x, decimals=2), N(4)),
    C("round", lambda x: x.round(decimals=1), N()),
    C("round", lambda x: ag.round(x, -1), N(3)),
    C("rint", np.rint, N(2, 3), order2=True),
    C("rint", ag.rint, N()),
    C("trunc", np.trunc, N(2, 3), order2=True),
    C("trunc", lambda x: x.trunc(), N()),
    # a step times a smooth function: the product rule meets the zero derivative
    C("floor", lambda x: np.floor(x) * x, N(2, 3), order2=True),
    C("round", lambda x: np.round(x) * np.sin(x), N(4), order2=True),
    # ---- nan_to_num: 1 where finite, 0 where a value was replaced
    C("nan_to_num", np.nan_to_num, N(2, 3), order2=True),
    C("nan_to_num", lambda x: np.nan_to_num(x + NONFINITE), N(4)),
    C("nan_to_num", lambda x: ag.nan_to_num(x + NONFINITE, nan=1.0, posinf=5.0, neginf=-5.0),
      N(2, 4), order2=True),
    C("nan_to_num", lambda x: (x + NONFINITE).nan_to_num(nan=2.0), N()),
]
