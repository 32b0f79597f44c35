"""Arithmetic primitives: + - * / ** @ and negation, each with its VJP and JVP beside it."""

from __future__ import annotations

import functools

import numpy as np

from .registry import defjvp, defvjp, primitive, value_of

__all__ = ["add", "sub", "mul", "div", "neg", "power", "matmul", "linear"]

# ----------------------------------------------------------------------------------------- add


@primitive("add", nin=2, elementwise=True, numpy=np.add, operator="+")
def add(x, y):
    """x + y with broadcasting; ∂/∂x = ∂/∂y = 1."""
    return x + y


def add_vjp_x(g, ans, x, y):
    return g


def add_vjp_y(g, ans, x, y):
    return g


def add_jvp_x(t, ans, x, y):
    return t


def add_jvp_y(t, ans, x, y):
    return t


defvjp(add, add_vjp_x, add_vjp_y)
defjvp(add, add_jvp_x, add_jvp_y)

# ----------------------------------------------------------------------------------------- sub


@primitive("sub", nin=2, elementwise=True, numpy=np.subtract, operator="-")
def sub(x, y):
    """x - y with broadcasting; ∂/∂x = 1, ∂/∂y = -1."""
    return x - y


def sub_vjp_x(g, ans, x, y):
    return g


def sub_vjp_y(g, ans, x, y):
    return -g


def sub_jvp_x(t, ans, x, y):
    return t


def sub_jvp_y(t, ans, x, y):
    return -t


defvjp(sub, sub_vjp_x, sub_vjp_y)
defjvp(sub, sub_jvp_x, sub_jvp_y)

# ----------------------------------------------------------------------------------------- mul


@primitive("mul", nin=2, elementwise=True, numpy=np.multiply, operator="*")
def mul(x, y):
    """x · y with broadcasting; ∂/∂x = y, ∂/∂y = x."""
    return x * y


def mul_vjp_x(g, ans, x, y):
    return g * y


def mul_vjp_y(g, ans, x, y):
    return g * x


def mul_jvp_x(t, ans, x, y):
    return t * y


def mul_jvp_y(t, ans, x, y):
    return x * t


defvjp(mul, mul_vjp_x, mul_vjp_y)
defjvp(mul, mul_jvp_x, mul_jvp_y)

# ----------------------------------------------------------------------------------------- div


@primitive("div", nin=2, elementwise=True, numpy=np.true_divide, operator="/")
def div(x, y):
    """x / y with broadcasting; ∂/∂x = 1/y, ∂/∂y = -x/y²."""
    return x / y


def div_vjp_x(g, ans, x, y):
    return g / y


def div_vjp_y(g, ans, x, y):  # d(x/y)/dy = -x/y² = -ans/y
    return -g * ans / y


def div_jvp_x(t, ans, x, y):
    return t / y


def div_jvp_y(t, ans, x, y):
    return -t * ans / y


defvjp(div, div_vjp_x, div_vjp_y)
defjvp(div, div_jvp_x, div_jvp_y)

# ----------------------------------------------------------------------------------------- neg


@primitive("neg", nin=1, elementwise=True, numpy=np.negative, operator="unary -")
def neg(x):
    """-x; d/dx = -1."""
    return -x


def neg_vjp(g, ans, x):
    return -g


def neg_jvp(t, ans, x):
    return -t


defvjp(neg, neg_vjp)
defjvp(neg, neg_jvp)

# --------------------------------------------------------------------------------------- power


@primitive("pow", nin=2, elementwise=True, numpy=np.power, operator="**")
def power(x, y):
    """xʸ; ∂/∂x = y·xʸ⁻¹ (0 where y = 0), ∂/∂y = xʸ·log x (0 where x = 0 and y ≥ 0)."""
    return x**y


# PyTorch's conventions where the formulas give 0·inf or log of 0: d(x^0)/dx is 0 everywhere
# (x = 0 included), and d(0^y)/dy is 0 for y >= 0. Elsewhere the formulas hold as they are:
# a negative base has no real log, so d(x^y)/dy is NaN there, as in PyTorch.


def _times_dx(g, x, y):  # g·y·x^(y-1), and 0 where y = 0
    exponent_zero = value_of(y) == 0
    if not exponent_zero.any():
        return g * y * x ** (y - 1)
    # where y = 0 the power is taken as x^1 (finite, times y = 0): no 0·inf, and the
    # derivative of this rule (a second derivative of x^0) is 0 there too
    return g * y * x ** np.where(exponent_zero, 1.0, y - 1)


def _log_base(x, y):  # log x, taken as 0 where x = 0 and y >= 0 (there x^y·log x -> 0)
    at_zero = (value_of(x) == 0) & (value_of(y) >= 0)
    return np.log(np.where(at_zero, 1.0, x)) if at_zero.any() else np.log(x)


def power_vjp_x(g, ans, x, y):  # d(x^y)/dx = y·x^(y-1)
    return _times_dx(g, x, y)


def power_vjp_y(g, ans, x, y):  # d(x^y)/dy = x^y·log x
    return g * ans * _log_base(x, y)


def power_jvp_x(t, ans, x, y):
    return _times_dx(t, x, y)


def power_jvp_y(t, ans, x, y):
    return t * ans * _log_base(x, y)


defvjp(power, power_vjp_x, power_vjp_y)
defjvp(power, power_jvp_x, power_jvp_y)

# -------------------------------------------------------------------------------------- matmul


def _mT(a):  # the matrix transpose of a stack of matrices (arrays, or tensors in create_graph)
    return a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)


def _col(a):  # (..., k) -> (..., k, 1)
    return a.reshape(a.shape + (1,))


def _row(a):  # (..., k) -> (..., 1, k)
    return a.reshape(a.shape[:-1] + (1, a.shape[-1]))


@primitive("matmul", nin=2, numpy=np.matmul, function="matmul", operator="@")
def matmul(x, y):
    """Matrix product ``x @ y`` with NumPy's rules for 1-D operands and batch axes."""
    return x @ y


def matmul_vjp_x(g, ans, x, y):
    if x.ndim == 1 and y.ndim == 1:  # inner product: ans is a scalar
        return g * y
    if x.ndim == 1:  # (k,) @ (..., k, m) -> (..., m)
        return (y @ _col(g)).reshape(g.shape[:-1] + (y.shape[-2],))
    if y.ndim == 1:  # (..., n, k) @ (k,) -> (..., n)
        return _col(g) * y
    return g @ _mT(y)


def matmul_vjp_y(g, ans, x, y):
    if x.ndim == 1 and y.ndim == 1:
        return g * x
    if x.ndim == 1:
        return _col(x) * _row(g)
    if y.ndim == 1:  # (..., n, k) @ (k,) -> (..., n)
        return (_mT(x) @ _col(g)).reshape(g.shape[:-1] + (x.shape[-1],))
    return _mT(x) @ g


def matmul_jvp_x(t, ans, x, y):
    return t @ y


def matmul_jvp_y(t, ans, x, y):
    return x @ t


defvjp(matmul, matmul_vjp_x, matmul_vjp_y)
defjvp(matmul, matmul_jvp_x, matmul_jvp_y)

# -------------------------------------------------------------------------------------- linear
# y = x @ wᵀ + b, the affine map of nn.Linear, as one primitive: the drawn network shows one
# box per layer, and the step costs one recorded node instead of three (transpose, @, +).
# x is (..., in), w is (out, in), b is (out,); the bias gradient is g summed over the leading
# axes, which the sweep's unbroadcast does.


@primitive("linear", nin=3)
def linear(x, w, b):
    """x @ wᵀ + b, the affine map of nn.Linear; ∂/∂x = w, ∂/∂w = gᵀx, ∂/∂b = Σ g."""
    out = x @ w.T
    out += b  # out is a fresh array: add the bias in place, saving one temporary
    return out


def linear_vjp_x(g, ans, x, w, b):
    return g @ w


def linear_vjp_w(g, ans, x, w, b):
    if x.ndim == 1:
        return _col(g) * x
    if x.ndim > 2:  # sum the outer products over every leading axis
        g = g.reshape((-1, g.shape[-1]))
        x = x.reshape((-1, x.shape[-1]))
    return _mT(g) @ x


@functools.lru_cache(maxsize=16)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    ones = np.ones(n, dtype)
    ones.flags.writeable = False
    return ones


def linear_vjp_b(g, ans, x, w, b):
    if type(g) is np.ndarray and g.ndim == 2 and b.shape == g.shape[1:]:
        return _ones(len(g), g.dtype) @ g  # the column sums, as one BLAS call (3× faster)
    return g  # the sweep's unbroadcast sums it over the leading axes


def linear_jvp_x(t, ans, x, w, b):
    return t @ _mT(w)


def linear_jvp_w(t, ans, x, w, b):
    return x @ _mT(t)


def linear_jvp_b(t, ans, x, w, b):
    return t


defvjp(linear, linear_vjp_x, linear_vjp_w, linear_vjp_b)
defjvp(linear, linear_jvp_x, linear_jvp_w, linear_jvp_b)
