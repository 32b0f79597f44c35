"""NumPy's other elementwise functions: trigonometry, logarithms and powers, rounding (zero
gradient), remainders, each with its VJP and JVP beside it.

Every Jacobian here is diagonal: a VJP multiplies the incoming gradient by the local derivative,
the JVP multiplies the tangent by the same factor. Masks and integer quotients that only select
or count are constants, read with ``value_of`` and never differentiated. Corner points follow
PyTorch where it defines them (fmax/fmin ties, sinc and arctan2 at 0, remainder's quotient);
where PyTorch gives NaN (hypot at the origin) the subgradient 0 is used, as abs does at 0.
"""

from __future__ import annotations

import math

import numpy as np

from .arithmetic import div, mul
from .elementwise import absolute, sigmoid
from .registry import composite, defjvp, defvjp, primitive, value_of

__all__ = [
    "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "arcsinh", "arccosh",
    "arctanh", "log1p", "expm1", "log2", "log10", "exp2", "cbrt", "square", "reciprocal",
    "hypot", "logaddexp", "logaddexp2", "sinc", "deg2rad", "rad2deg", "degrees", "radians",
    "fabs", "fmax", "fmin", "remainder", "mod", "floor_divide", "nan_to_num", "sign", "floor",
    "ceil", "around", "rint", "trunc",
]

# Python floats, so that float32 stays float32 (a NumPy float64 scalar would promote it)
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_RAD_PER_DEG = math.pi / 180.0
_DEG_PER_RAD = 180.0 / math.pi


def _nonzero(r):
    """``r`` with its zeros replaced by 1, for a denominator whose numerator is 0 there too."""
    return np.where(value_of(r) == 0, 1.0, r)


# ========================================================================= trigonometric
# ----------------------------------------------------------------------------------------- tan


@primitive("tan", nin=1, elementwise=True, numpy=np.tan, function="tan", method="tan")
def tan(x):
    """tan x elementwise; d/dx = 1 + tan² x."""
    return np.tan(x)


def tan_vjp(g, ans, x):
    return g * (1 + ans * ans)


def tan_jvp(t, ans, x):
    return t * (1 + ans * ans)


defvjp(tan, tan_vjp)
defjvp(tan, tan_jvp)

# -------------------------------------------------------------------------------------- arcsin
# (1 - x)(1 + x) rather than 1 - x²: no cancellation near |x| = 1, where the slope is steep.


@primitive("arcsin", nin=1, elementwise=True, numpy=np.arcsin, function="arcsin",
           method="arcsin")
def arcsin(x):
    """arcsin x elementwise; d/dx = 1/√(1 - x²)."""
    return np.arcsin(x)


def arcsin_vjp(g, ans, x):
    return g / np.sqrt((1 - x) * (1 + x))


def arcsin_jvp(t, ans, x):
    return t / np.sqrt((1 - x) * (1 + x))


defvjp(arcsin, arcsin_vjp)
defjvp(arcsin, arcsin_jvp)

# -------------------------------------------------------------------------------------- arccos


@primitive("arccos", nin=1, elementwise=True, numpy=np.arccos, function="arccos",
           method="arccos")
def arccos(x):
    """arccos x elementwise; d/dx = -1/√(1 - x²)."""
    return np.arccos(x)


def arccos_vjp(g, ans, x):
    return -g / np.sqrt((1 - x) * (1 + x))


def arccos_jvp(t, ans, x):
    return -t / np.sqrt((1 - x) * (1 + x))


defvjp(arccos, arccos_vjp)
defjvp(arccos, arccos_jvp)

# -------------------------------------------------------------------------------------- arctan


@primitive("arctan", nin=1, elementwise=True, numpy=np.arctan, function="arctan",
           method="arctan")
def arctan(x):
    """arctan x elementwise; d/dx = 1/(1 + x²)."""
    return np.arctan(x)


def arctan_vjp(g, ans, x):
    return g / (1 + x * x)


def arctan_jvp(t, ans, x):
    return t / (1 + x * x)


defvjp(arctan, arctan_vjp)
defjvp(arctan, arctan_jvp)

# ------------------------------------------------------------------------------------- arctan2
# The angle of the point (x2, x1). At the origin both derivatives are taken as 0, as PyTorch
# does: the numerators are 0 there, so a denominator of 1 gives that.


@primitive("arctan2", nin=2, elementwise=True, numpy=np.arctan2, function="arctan2",
           method="arctan2")
def arctan2(x1, x2):
    """Angle of (x2, x1); d/dx1 = x2/(x1² + x2²), d/dx2 = -x1/(x1² + x2²), 0 at the origin."""
    return np.arctan2(x1, x2)


def arctan2_vjp_x1(g, ans, x1, x2):
    return g * x2 / _nonzero(x1 * x1 + x2 * x2)


def arctan2_vjp_x2(g, ans, x1, x2):
    return -g * x1 / _nonzero(x1 * x1 + x2 * x2)


def arctan2_jvp_x1(t, ans, x1, x2):
    return t * x2 / _nonzero(x1 * x1 + x2 * x2)


def arctan2_jvp_x2(t, ans, x1, x2):
    return -t * x1 / _nonzero(x1 * x1 + x2 * x2)


defvjp(arctan2, arctan2_vjp_x1, arctan2_vjp_x2)
defjvp(arctan2, arctan2_jvp_x1, arctan2_jvp_x2)

# ====================================================================================== hyperbolic
# ---------------------------------------------------------------------------------------- sinh


@primitive("sinh", nin=1, elementwise=True, numpy=np.sinh, function="sinh", method="sinh")
def sinh(x):
    """sinh x elementwise; d/dx = cosh x."""
    return np.sinh(x)


def sinh_vjp(g, ans, x):
    return g * np.cosh(x)


def sinh_jvp(t, ans, x):
    return t * np.cosh(x)


defvjp(sinh, sinh_vjp)
defjvp(sinh, sinh_jvp)

# ---------------------------------------------------------------------------------------- cosh


@primitive("cosh", nin=1, elementwise=True, numpy=np.cosh, function="cosh", method="cosh")
def cosh(x):
    """cosh x elementwise; d/dx = sinh x."""
    return np.cosh(x)


def cosh_vjp(g, ans, x):
    return g * np.sinh(x)


def cosh_jvp(t, ans, x):
    return t * np.sinh(x)


defvjp(cosh, cosh_vjp)
defjvp(cosh, cosh_jvp)

# ------------------------------------------------------------------------------------- arcsinh


@primitive("arcsinh", nin=1, elementwise=True, numpy=np.arcsinh, function="arcsinh",
           method="arcsinh")
def arcsinh(x):
    """arsinh x elementwise; d/dx = 1/√(x² + 1)."""
    return np.arcsinh(x)


def arcsinh_vjp(g, ans, x):
    return g / np.sqrt(x * x + 1)


def arcsinh_jvp(t, ans, x):
    return t / np.sqrt(x * x + 1)


defvjp(arcsinh, arcsinh_vjp)
defjvp(arcsinh, arcsinh_jvp)

# ------------------------------------------------------------------------------------- arccosh


@primitive("arccosh", nin=1, elementwise=True, numpy=np.arccosh, function="arccosh",
           method="arccosh")
def arccosh(x):
    """arcosh x elementwise (x ≥ 1); d/dx = 1/√(x² - 1)."""
    return np.arccosh(x)


def arccosh_vjp(g, ans, x):
    return g / np.sqrt((x - 1) * (x + 1))


def arccosh_jvp(t, ans, x):
    return t / np.sqrt((x - 1) * (x + 1))


defvjp(arccosh, arccosh_vjp)
defjvp(arccosh, arccosh_jvp)

# ------------------------------------------------------------------------------------- arctanh


@primitive("arctanh", nin=1, elementwise=True, numpy=np.arctanh, function="arctanh",
           method="arctanh")
def arctanh(x):
    """artanh x elementwise (|x| < 1); d/dx = 1/(1 - x²)."""
    return np.arctanh(x)


def arctanh_vjp(g, ans, x):
    return g / ((1 - x) * (1 + x))


def arctanh_jvp(t, ans, x):
    return t / ((1 - x) * (1 + x))


defvjp(arctanh, arctanh_vjp)
defjvp(arctanh, arctanh_jvp)

# ============================================================================ logarithms, powers
# ----------------------------------------------------------------------------------------- log1p


@primitive("log1p", nin=1, elementwise=True, numpy=np.log1p, function="log1p", method="log1p")
def log1p(x):
    """log(1 + x) elementwise, accurate for small x; d/dx = 1/(1 + x)."""
    return np.log1p(x)


def log1p_vjp(g, ans, x):
    return g / (1 + x)


def log1p_jvp(t, ans, x):
    return t / (1 + x)


defvjp(log1p, log1p_vjp)
defjvp(log1p, log1p_jvp)

# ---------------------------------------------------------------------------------------- expm1


@primitive("expm1", nin=1, elementwise=True, numpy=np.expm1, function="expm1", method="expm1")
def expm1(x):
    """eˣ - 1 elementwise, accurate for small x; d/dx = eˣ."""
    return np.expm1(x)


def expm1_vjp(g, ans, x):
    return g * (ans + 1)


def expm1_jvp(t, ans, x):
    return t * (ans + 1)


defvjp(expm1, expm1_vjp)
defjvp(expm1, expm1_jvp)

# ----------------------------------------------------------------------------------------- log2


@primitive("log2", nin=1, elementwise=True, numpy=np.log2, function="log2", method="log2")
def log2(x):
    """Base-2 logarithm elementwise; d/dx = 1/(x ln 2)."""
    return np.log2(x)


def log2_vjp(g, ans, x):
    return g / (x * _LN2)


def log2_jvp(t, ans, x):
    return t / (x * _LN2)


defvjp(log2, log2_vjp)
defjvp(log2, log2_jvp)

# ---------------------------------------------------------------------------------------- log10


@primitive("log10", nin=1, elementwise=True, numpy=np.log10, function="log10", method="log10")
def log10(x):
    """Base-10 logarithm elementwise; d/dx = 1/(x ln 10)."""
    return np.log10(x)


def log10_vjp(g, ans, x):
    return g / (x * _LN10)


def log10_jvp(t, ans, x):
    return t / (x * _LN10)


defvjp(log10, log10_vjp)
defjvp(log10, log10_jvp)

# ----------------------------------------------------------------------------------------- exp2


@primitive("exp2", nin=1, elementwise=True, numpy=np.exp2, function="exp2", method="exp2")
def exp2(x):
    """2ˣ elementwise; d/dx = 2ˣ ln 2."""
    return np.exp2(x)


def exp2_vjp(g, ans, x):
    return g * ans * _LN2


def exp2_jvp(t, ans, x):
    return t * ans * _LN2


defvjp(exp2, exp2_vjp)
defjvp(exp2, exp2_jvp)

# ----------------------------------------------------------------------------------------- cbrt
# A primitive: x ** (1/3) is NaN for negative x.


@primitive("cbrt", nin=1, elementwise=True, numpy=np.cbrt, function="cbrt")
def cbrt(x):
    """∛x elementwise (negative x too); d/dx = 1/(3 ∛x²) (inf at 0)."""
    return np.cbrt(x)


def cbrt_vjp(g, ans, x):
    return g / (3 * ans * ans)


def cbrt_jvp(t, ans, x):
    return t / (3 * ans * ans)


defvjp(cbrt, cbrt_vjp)
defjvp(cbrt, cbrt_jvp)

# ----------------------------------------------------------------------- square, reciprocal
# Composites: the drawn graph shows x · x and 1 / x, which read as well as one box.


@composite("square", numpy=np.square, function="square", method="square")
def square(x):
    """x² elementwise; d/dx = 2x."""
    return mul(x, x)


@composite("reciprocal", numpy=np.reciprocal, function="reciprocal", method="reciprocal")
def reciprocal(x):
    """1/x elementwise; d/dx = -1/x²."""
    return div(1.0, x)


# ---------------------------------------------------------------------------------------- hypot
# At the origin hypot is |·| of a vector, with no derivative; its subgradient 0 is taken (as
# abs does at 0, and JAX does here), where PyTorch gives NaN. The numerators are 0 there.


@primitive("hypot", nin=2, elementwise=True, numpy=np.hypot, function="hypot", method="hypot")
def hypot(x1, x2):
    """√(x1² + x2²) without overflow; d/dx1 = x1/hypot, d/dx2 = x2/hypot (0 at the origin)."""
    return np.hypot(x1, x2)


def hypot_vjp_x1(g, ans, x1, x2):
    return g * x1 / _nonzero(ans)


def hypot_vjp_x2(g, ans, x1, x2):
    return g * x2 / _nonzero(ans)


def hypot_jvp_x1(t, ans, x1, x2):
    return t * x1 / _nonzero(ans)


def hypot_jvp_x2(t, ans, x1, x2):
    return t * x2 / _nonzero(ans)


defvjp(hypot, hypot_vjp_x1, hypot_vjp_x2)
defjvp(hypot, hypot_jvp_x1, hypot_jvp_x2)

# ------------------------------------------------------------------------------------ logaddexp
# d/dx1 = e^x1 / (e^x1 + e^x2) = σ(x1 - x2): finite when one input is infinite (then 1 or 0,
# as in PyTorch), where e^(x1 - ans) would be inf - inf.


@primitive("logaddexp", nin=2, elementwise=True, numpy=np.logaddexp, function="logaddexp",
           method="logaddexp")
def logaddexp(x1, x2):
    """log(e^x1 + e^x2) without overflow; d/dx1 = σ(x1 - x2), d/dx2 = σ(x2 - x1)."""
    return np.logaddexp(x1, x2)


def logaddexp_vjp_x1(g, ans, x1, x2):
    return g * sigmoid(x1 - x2)


def logaddexp_vjp_x2(g, ans, x1, x2):
    return g * sigmoid(x2 - x1)


def logaddexp_jvp_x1(t, ans, x1, x2):
    return t * sigmoid(x1 - x2)


def logaddexp_jvp_x2(t, ans, x1, x2):
    return t * sigmoid(x2 - x1)


defvjp(logaddexp, logaddexp_vjp_x1, logaddexp_vjp_x2)
defjvp(logaddexp, logaddexp_jvp_x1, logaddexp_jvp_x2)


@primitive("logaddexp2", nin=2, elementwise=True, numpy=np.logaddexp2, function="logaddexp2",
           method="logaddexp2")
def logaddexp2(x1, x2):
    """log₂(2^x1 + 2^x2); d/dx1 = 1/(1 + 2^(x2 - x1)) = σ((x1 - x2) ln 2)."""
    return np.logaddexp2(x1, x2)


def logaddexp2_vjp_x1(g, ans, x1, x2):
    return g * sigmoid((x1 - x2) * _LN2)


def logaddexp2_vjp_x2(g, ans, x1, x2):
    return g * sigmoid((x2 - x1) * _LN2)


def logaddexp2_jvp_x1(t, ans, x1, x2):
    return t * sigmoid((x1 - x2) * _LN2)


def logaddexp2_jvp_x2(t, ans, x1, x2):
    return t * sigmoid((x2 - x1) * _LN2)


defvjp(logaddexp2, logaddexp2_vjp_x1, logaddexp2_vjp_x2)
defjvp(logaddexp2, logaddexp2_jvp_x1, logaddexp2_jvp_x2)

# ----------------------------------------------------------------------------------------- sinc
# sinc'(x) = (cos πx - sinc x)/x cancels badly near 0 (and is 0/0 at 0), so below |x| = 1/4
# its Taylor series is used: accurate to rounding there, and a polynomial, so the derivatives
# of this rule (higher derivatives of sinc) are right at 0 too. Each branch sees only its own
# elements (the other's are replaced), so neither produces inf or NaN for the other.
_SINC_SERIES_BELOW = 0.25
# sinc'(x) = Σₖ≥₁ (-1)ᵏ 2k π²ᵏ x²ᵏ⁻¹ / (2k + 1)!, the coefficients of x, x³, x⁵...
_SINC_SLOPE_SERIES = tuple((-1) ** k * 2 * k * math.pi ** (2 * k) / math.factorial(2 * k + 1)
                           for k in range(1, 9))


def _sinc_slope(x, ans):
    small = np.abs(value_of(x)) < _SINC_SERIES_BELOW
    if not small.any():
        return (np.cos(math.pi * x) - ans) / x
    near = np.where(small, x, 0.0)
    square_ = near * near
    series = _SINC_SLOPE_SERIES[-1]
    for c in _SINC_SLOPE_SERIES[-2::-1]:
        series = series * square_ + c
    series = series * near
    if small.all():
        return series
    far = np.where(small, 1.0, x)
    return np.where(small, series, (np.cos(math.pi * far) - ans) / far)


@primitive("sinc", nin=1, elementwise=True, numpy=np.sinc, function="sinc", method="sinc")
def sinc(x):
    """sin(πx)/(πx) elementwise (1 at 0); d/dx = (cos πx - sinc x)/x (0 at 0)."""
    return np.sinc(x)


def sinc_vjp(g, ans, x):
    return g * _sinc_slope(x, ans)


def sinc_jvp(t, ans, x):
    return t * _sinc_slope(x, ans)


defvjp(sinc, sinc_vjp)
defjvp(sinc, sinc_jvp)

# ============================================================================ scalings, absolute
# Composites: multiplications by a constant, and aliases (NumPy: np.degrees is np.rad2deg's
# twin, np.radians np.deg2rad's, np.fabs is abs for real numbers).


@composite("deg2rad", numpy=np.deg2rad, function="deg2rad", method="deg2rad")
def deg2rad(x):
    """x·π/180 elementwise; d/dx = π/180."""
    return mul(x, _RAD_PER_DEG)


@composite("rad2deg", numpy=np.rad2deg, function="rad2deg", method="rad2deg")
def rad2deg(x):
    """x·180/π elementwise; d/dx = 180/π."""
    return mul(x, _DEG_PER_RAD)


@composite("radians", numpy=np.radians, function="radians")
def radians(x):
    """Degrees to radians, as deg2rad; d/dx = π/180."""
    return mul(x, _RAD_PER_DEG)


@composite("degrees", numpy=np.degrees, function="degrees")
def degrees(x):
    """Radians to degrees, as rad2deg; d/dx = 180/π."""
    return mul(x, _DEG_PER_RAD)


@composite("fabs", numpy=np.fabs, function="fabs")
def fabs(x):
    """|x| elementwise, as abs; d/dx = sign(x) (0 at x = 0, as in PyTorch)."""
    return absolute(x)


# ================================================================================== fmax, fmin
# NaN-ignoring maximum and minimum. The gradient goes to the input taken: to x1 on ties and when
# x2 is NaN (both NaN included), to x2 otherwise, as PyTorch does. (maximum/minimum split ties.)


def _takes_x1(x1, x2, compare):
    a, b = value_of(x1), value_of(x2)
    return compare(a, b) | np.isnan(b)


@primitive("fmax", nin=2, elementwise=True, numpy=np.fmax, function="fmax", method="fmax")
def fmax(x1, x2):
    """Larger of x1, x2 ignoring NaNs; d/dx1 = 1 where x1 is taken (ties too), else d/dx2 = 1."""
    return np.fmax(x1, x2)


def fmax_vjp_x1(g, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.greater_equal), g, 0)


def fmax_vjp_x2(g, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.greater_equal), 0, g)


def fmax_jvp_x1(t, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.greater_equal), t, 0)


def fmax_jvp_x2(t, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.greater_equal), 0, t)


defvjp(fmax, fmax_vjp_x1, fmax_vjp_x2)
defjvp(fmax, fmax_jvp_x1, fmax_jvp_x2)


@primitive("fmin", nin=2, elementwise=True, numpy=np.fmin, function="fmin", method="fmin")
def fmin(x1, x2):
    """Smaller of x1, x2 ignoring NaNs; d/dx1 = 1 where x1 is taken (ties too), else d/dx2 = 1."""
    return np.fmin(x1, x2)


def fmin_vjp_x1(g, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.less_equal), g, 0)


def fmin_vjp_x2(g, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.less_equal), 0, g)


def fmin_jvp_x1(t, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.less_equal), t, 0)


def fmin_jvp_x2(t, ans, x1, x2):
    return np.where(_takes_x1(x1, x2, np.less_equal), 0, t)


defvjp(fmin, fmin_vjp_x1, fmin_vjp_x2)
defjvp(fmin, fmin_jvp_x1, fmin_jvp_x2)

# =================================================================================== remainders
# x1 % x2 = x1 - x2·⌊x1/x2⌋, with the sign of x2 (Python's and PyTorch's remainder). The
# quotient ⌊x1/x2⌋ is piecewise constant: a constant in the rules, never differentiated.


@primitive("remainder", nin=2, elementwise=True, numpy=np.remainder, function="remainder",
           method="remainder", operator="%")
def remainder(x1, x2):
    """x1 - x2·⌊x1/x2⌋ (the sign of x2), also x1 % x2; d/dx1 = 1, d/dx2 = -⌊x1/x2⌋."""
    return np.remainder(x1, x2)


def remainder_vjp_x1(g, ans, x1, x2):
    return g


def remainder_vjp_x2(g, ans, x1, x2):
    return -g * np.floor_divide(value_of(x1), value_of(x2))


def remainder_jvp_x1(t, ans, x1, x2):
    return t


def remainder_jvp_x2(t, ans, x1, x2):
    return -t * np.floor_divide(value_of(x1), value_of(x2))


defvjp(remainder, remainder_vjp_x1, remainder_vjp_x2)
defjvp(remainder, remainder_jvp_x1, remainder_jvp_x2)


@composite("mod", function="mod")
def mod(x1, x2):
    """x1 % x2, as remainder (np.mod is np.remainder); d/dx1 = 1, d/dx2 = -⌊x1/x2⌋."""
    return remainder(x1, x2)


# ==================================================================== zero gradient (steps)
# Step functions: their derivative is 0 wherever it exists, and is taken as 0 at the jumps too
# (as in PyTorch). They are primitives, so they are recorded and differentiate to 0 rather than
# leaving the graph. The zeros are picked from the gradient by a where (not a fresh array), so
# a recorded sweep keeps them connected to it: vjp_fn(v) stays a function of v.


def zero_vjp(g, ans, *args):
    """0 in the shape and dtype of ``g``: the VJP of every input of a step function."""
    return np.where(np.zeros(np.shape(g), dtype=bool), g, 0)


def zero_jvp(t, ans, *args):
    """0 in the shape and dtype of ``t``: the JVP of every input of a step function."""
    return np.where(np.zeros(np.shape(t), dtype=bool), t, 0)


@primitive("floor_divide", nin=2, elementwise=True, numpy=np.floor_divide,
           function="floor_divide", method="floor_divide", operator="//")
def floor_divide(x1, x2):
    """⌊x1/x2⌋, also x1 // x2; derivative 0 (a step function)."""
    return np.floor_divide(x1, x2)


defvjp(floor_divide, zero_vjp, zero_vjp)
defjvp(floor_divide, zero_jvp, zero_jvp)


@primitive("sign", nin=1, elementwise=True, numpy=np.sign, function="sign", method="sign")
def sign(x):
    """-1, 0 or 1 by the sign of x; derivative 0 (0 at x = 0 too)."""
    return np.sign(x)


@primitive("floor", nin=1, elementwise=True, numpy=np.floor, function="floor", method="floor")
def floor(x):
    """⌊x⌋ elementwise; derivative 0 (0 at the integers too)."""
    return np.floor(x)


@primitive("ceil", nin=1, elementwise=True, numpy=np.ceil, function="ceil", method="ceil")
def ceil(x):
    """⌈x⌉ elementwise; derivative 0 (0 at the integers too)."""
    return np.ceil(x)


@primitive("round", nin=1, elementwise=True, numpy=(np.round, np.around), function="round",
           method="round")
def around(a, decimals=0):
    """a rounded to ``decimals`` places, halves to even; derivative 0 (0 at the jumps too)."""
    return np.round(a, decimals)


@primitive("rint", nin=1, elementwise=True, numpy=np.rint, function="rint")
def rint(x):
    """x rounded to the nearest integer, halves to even; derivative 0 (0 at the jumps too)."""
    return np.rint(x)


@primitive("trunc", nin=1, elementwise=True, numpy=np.trunc, function="trunc", method="trunc")
def trunc(x):
    """x rounded towards 0; derivative 0 (0 at the integers too)."""
    return np.trunc(x)


for _step in (sign, floor, ceil, around, rint, trunc):
    defvjp(_step, zero_vjp)
    defjvp(_step, zero_jvp)

# ---------------------------------------------------------------------------------- nan_to_num


@primitive("nan_to_num", nin=1, elementwise=True, numpy=np.nan_to_num, function="nan_to_num",
           method="nan_to_num")
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """x with NaN and ±inf replaced by numbers; d/dx = 1 where x is finite, 0 where replaced."""
    if copy is not True and copy is not np.True_:
        raise TypeError(
            f"nan_to_num: copy={copy!r}; autograd_nb always returns a new tensor (copy=True), "
            f"so leave copy out and assign the result (t = np.nan_to_num(t)); give nan=, "
            f"posinf= and neginf= by name (t.nan_to_num(nan=0.0), as in PyTorch)"
        )
    return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num_vjp(g, ans, x, copy, nan, posinf, neginf):
    return np.where(np.isfinite(value_of(x)), g, 0)


def nan_to_num_jvp(t, ans, x, copy, nan, posinf, neginf):
    return np.where(np.isfinite(value_of(x)), t, 0)


defvjp(nan_to_num, nan_to_num_vjp)
defjvp(nan_to_num, nan_to_num_jvp)
