"""Elementwise math primitives (exp, log, tanh, relu, maximum, where, ...) with VJP and JVP.

Each Jacobian is diagonal, so a VJP multiplies the incoming gradient by the local derivative
and the JVP multiplies the tangent by the same factor. Masks that only select elements are
constants: they are computed from the values (``np.asarray``) and never differentiated.
"""

from __future__ import annotations

import numpy as np

from .registry import defjvp, defvjp, primitive, value_of

__all__ = [
    "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "absolute",
    "maximum", "minimum", "clip", "where",
]

# ----------------------------------------------------------------------------------------- exp


@primitive("exp", nin=1, elementwise=True, numpy=np.exp, function="exp", method="exp")
def exp(x):
    """eˣ elementwise; d/dx = eˣ."""
    return np.exp(x)


def exp_vjp(g, ans, x):
    return g * ans


def exp_jvp(t, ans, x):
    return t * ans


defvjp(exp, exp_vjp)
defjvp(exp, exp_jvp)

# ----------------------------------------------------------------------------------------- log


@primitive("log", nin=1, elementwise=True, numpy=np.log, function="log", method="log")
def log(x):
    """Natural logarithm elementwise; d/dx = 1/x."""
    return np.log(x)


def log_vjp(g, ans, x):
    return g / x


def log_jvp(t, ans, x):
    return t / x


defvjp(log, log_vjp)
defjvp(log, log_jvp)

# ---------------------------------------------------------------------------------------- sqrt


@primitive("sqrt", nin=1, elementwise=True, numpy=np.sqrt, function="sqrt", method="sqrt")
def sqrt(x):
    """√x elementwise; d/dx = 1/(2√x)."""
    return np.sqrt(x)


def sqrt_vjp(g, ans, x):  # d√x/dx = 1 / (2√x)
    return g / (2 * ans)


def sqrt_jvp(t, ans, x):
    return t / (2 * ans)


defvjp(sqrt, sqrt_vjp)
defjvp(sqrt, sqrt_jvp)

# ----------------------------------------------------------------------------------------- sin


@primitive("sin", nin=1, elementwise=True, numpy=np.sin, function="sin", method="sin")
def sin(x):
    """sin x elementwise; d/dx = cos x."""
    return np.sin(x)


def sin_vjp(g, ans, x):
    return g * np.cos(x)


def sin_jvp(t, ans, x):
    return t * np.cos(x)


defvjp(sin, sin_vjp)
defjvp(sin, sin_jvp)

# ----------------------------------------------------------------------------------------- cos


@primitive("cos", nin=1, elementwise=True, numpy=np.cos, function="cos", method="cos")
def cos(x):
    """cos x elementwise; d/dx = -sin x."""
    return np.cos(x)


def cos_vjp(g, ans, x):
    return -g * np.sin(x)


def cos_jvp(t, ans, x):
    return -t * np.sin(x)


defvjp(cos, cos_vjp)
defjvp(cos, cos_jvp)

# Elements from which a rule's in-place arithmetic pays (below, fresh temporaries are cheaper
# than the keyword calls).
_IN_PLACE_FROM = 4096

# ---------------------------------------------------------------------------------------- tanh
# One primitive rather than a composite of exp and division: the drawn graph shows one "tanh"
# node, and its derivative 1 - tanh² reuses the output.


@primitive("tanh", nin=1, elementwise=True, numpy=np.tanh, function="tanh", method="tanh")
def tanh(x):
    """tanh x elementwise; d/dx = 1 - tanh² x."""
    return np.tanh(x)


def tanh_vjp(g, ans, x):
    if ans.size < _IN_PLACE_FROM or type(g) is not np.ndarray or g.dtype != ans.dtype:
        return g * (1 - ans * ans)
    d = ans * ans  # a plain backward on a big array: one new array rather than three
    np.subtract(1, d, out=d)
    d *= g
    return d


def tanh_jvp(t, ans, x):
    return t * (1 - ans * ans)


defvjp(tanh, tanh_vjp)
defjvp(tanh, tanh_jvp)

# ------------------------------------------------------------------------------------- sigmoid
# One primitive for a readable graph; computed through tanh so it never overflows:
# σ(x) = (1 + tanh(x/2)) / 2.


@primitive("sigmoid", nin=1, elementwise=True, function="sigmoid", method="sigmoid")
def sigmoid(x):
    """σ(x) = 1/(1 + e⁻ˣ) elementwise; d/dx = σ(x)(1 - σ(x))."""
    return 0.5 * np.tanh(0.5 * x) + 0.5


def sigmoid_vjp(g, ans, x):
    return g * ans * (1 - ans)


def sigmoid_jvp(t, ans, x):
    return t * ans * (1 - ans)


defvjp(sigmoid, sigmoid_vjp)
defjvp(sigmoid, sigmoid_jvp)

# ---------------------------------------------------------------------------------------- relu
# At x = 0 the derivative is taken as 0 (as PyTorch does): a unit exactly at the kink passes no
# gradient, which keeps "dead" units dead rather than giving them half a gradient.


@primitive("relu", nin=1, elementwise=True, function="relu", method="relu")
def relu(x):
    """max(x, 0) elementwise; d/dx = 1 where x > 0, else 0 (0 at x = 0, as in PyTorch)."""
    return np.maximum(x, 0)


def relu_vjp(g, ans, x):
    return g * (value_of(x) > 0)


def relu_jvp(t, ans, x):
    return t * (value_of(x) > 0)


defvjp(relu, relu_vjp)
defjvp(relu, relu_jvp)

# ----------------------------------------------------------------------------------------- abs
# d|x|/dx = sign(x), taken as 0 at x = 0.


@primitive("abs", nin=1, elementwise=True, numpy=np.absolute, function="abs", method="abs",
           operator="abs")
def absolute(x):
    """|x| elementwise; d/dx = sign(x) (0 at x = 0, as in PyTorch)."""
    return np.abs(x)


def abs_vjp(g, ans, x):
    return g * np.sign(value_of(x))


def abs_jvp(t, ans, x):
    return t * np.sign(value_of(x))


defvjp(absolute, abs_vjp)
defjvp(absolute, abs_jvp)

# ----------------------------------------------------------------------------- maximum, minimum
# Where both inputs are equal the gradient is split evenly, so maximum(x, x) has derivative 1.


def _share(g, mine, other, pick):
    mine, other = value_of(mine), value_of(other)
    return np.where(pick(mine, other), g, np.where(mine == other, 0.5 * g, 0))


@primitive("maximum", nin=2, elementwise=True, numpy=np.maximum, function="maximum")
def maximum(x, y):
    """Elementwise larger of ``x`` and ``y``; ties share the gradient equally."""
    return np.maximum(x, y)


def maximum_vjp_x(g, ans, x, y):
    return _share(g, x, y, np.greater)


def maximum_vjp_y(g, ans, x, y):
    return _share(g, y, x, np.greater)


defvjp(maximum, maximum_vjp_x, maximum_vjp_y)
defjvp(maximum, maximum_vjp_x, maximum_vjp_y)  # diagonal Jacobian: the same factor both ways


@primitive("minimum", nin=2, elementwise=True, numpy=np.minimum, function="minimum")
def minimum(x, y):
    """Elementwise smaller of ``x`` and ``y``; ties share the gradient equally."""
    return np.minimum(x, y)


def minimum_vjp_x(g, ans, x, y):
    return _share(g, x, y, np.less)


def minimum_vjp_y(g, ans, x, y):
    return _share(g, y, x, np.less)


defvjp(minimum, minimum_vjp_x, minimum_vjp_y)
defjvp(minimum, minimum_vjp_x, minimum_vjp_y)

# ---------------------------------------------------------------------------------------- clip
# The gradient passes where lo <= x <= hi (bounds included, as in PyTorch) and is 0 outside.
# The bounds are constants (parameters, never differentiated), even when given as tensors:
# use maximum/minimum for a bound that needs a gradient.


def _bound(b):  # Python numbers stay as they are, so float32 stays float32 (as in NumPy)
    return b if b is None or isinstance(b, (int, float)) else np.asarray(b)


@primitive("clip", nin=1, elementwise=True, numpy=np.clip, function="clip", method="clip")
def clip(x, a_min=None, a_max=None):
    """``x`` limited to [a_min, a_max]; the gradient passes only inside the bounds."""
    return np.clip(x, _bound(a_min), _bound(a_max))


def clip_vjp(g, ans, x, lo, hi):
    x = value_of(x)
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= _bound(lo)
    if hi is not None:
        inside &= x <= _bound(hi)
    return np.where(inside, g, 0)


defvjp(clip, clip_vjp)
defjvp(clip, clip_vjp)

# --------------------------------------------------------------------------------------- where
# where(cond, x, y): the condition is a constant (never differentiated).


@primitive("where", nin=3, elementwise=True, numpy=np.where, function="where")
def where(condition, x, y):
    """Elements of ``x`` where ``condition`` is true, else of ``y``; the condition is constant."""
    return np.where(value_of(condition).astype(bool, copy=False), x, y)


def where_vjp_x(g, ans, cond, x, y):
    return np.where(cond, g, 0)


def where_vjp_y(g, ans, cond, x, y):
    return np.where(cond, 0, g)


defvjp(where, None, where_vjp_x, where_vjp_y)
defjvp(where, None, where_vjp_x, where_vjp_y)
