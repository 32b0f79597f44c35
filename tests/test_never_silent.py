"""Never silently wrong: the corner cases of the derivative rules follow PyTorch's conventions
(checked against PyTorch itself), values that carry a derivative never quietly become
constants, and plotting tensors keeps working."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest
import torch

import autograd_nb as ag

matplotlib.use("Agg")

# ------------------------------------------------------------------ corner cases vs PyTorch
# (name, our function, torch's function, the points): first derivatives at points where the
# textbook formula gives 0·inf, log 0 or a tie.
CORNERS = [
    ("x**0 at 0", lambda x: x**0.0, lambda x: x**0.0, [0.0, 2.0, -1.5]),
    ("x**2 at 0", lambda x: x**2.0, lambda x: x**2.0, [0.0]),
    ("x**0.5 at 0", lambda x: x**0.5, lambda x: x**0.5, [0.0, 4.0]),
    ("0**y, d/dy", lambda y: ag.tensor(0.0) ** y, lambda y: torch.tensor(0.0, dtype=torch.float64) ** y,
     [0.0, 2.0, 0.5]),
    ("(-2)**y, d/dy", lambda y: ag.tensor(-2.0) ** y, lambda y: torch.tensor(-2.0, dtype=torch.float64) ** y,
     [2.0]),
    ("sqrt at 0", ag.sqrt, torch.sqrt, [0.0]),
    ("log at 0", ag.log, torch.log, [0.0]),
    ("abs at 0", ag.abs, torch.abs, [0.0, -1.0]),
    ("relu at 0", ag.relu, torch.relu, [0.0]),
    ("maximum at a tie", lambda x: ag.maximum(x, 1.0),
     lambda x: torch.maximum(x, torch.tensor(1.0, dtype=torch.float64)), [1.0]),
    ("minimum at a tie", lambda x: ag.minimum(x, 1.0),
     lambda x: torch.minimum(x, torch.tensor(1.0, dtype=torch.float64)), [1.0]),
    ("clip at its bounds", lambda x: ag.clip(x, -1.0, 1.0), lambda x: torch.clamp(x, -1.0, 1.0),
     [-1.0, 1.0]),
]


def _torch_grad(fn, value: float) -> float:
    x = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    fn(x).backward()
    return x.grad.item()


@pytest.mark.parametrize(("name", "ours", "theirs", "points"), CORNERS, ids=[c[0] for c in CORNERS])
def test_corner_cases_follow_pytorch(name, ours, theirs, points):
    with np.errstate(all="ignore"):  # inf at a pole is the value (NumPy may say so)
        for p in points:
            expected = _torch_grad(theirs, p)
            got = float(ag.grad(lambda x: ours(x))(p))
            same = got == expected or (np.isnan(got) and np.isnan(expected))
            assert same, f"{name} at {p}: {got} but PyTorch gives {expected}"


def test_max_splits_ties_evenly_as_pytorch():
    x = np.array([1.0, 3.0, 3.0, 2.0])
    t = torch.tensor(x, requires_grad=True)
    torch.amax(t, dim=0).backward()
    np.testing.assert_array_equal(ag.grad(lambda v: v.max())(x), t.grad.numpy())


def test_power_corner_cases_in_forward_mode_and_second_order():
    assert float(ag.jvp(lambda x: x**0.0, (0.0,), (1.0,))[1]) == 0.0
    assert float(ag.grad(ag.grad(lambda x: x**2.0))(0.0)) == 2.0
    assert float(ag.grad(ag.grad(lambda x: x**0.0))(0.0)) == 0.0


# ---------------------------------------------------------------------- ways to lose a graph
LOSING = {
    "np.array of a list": lambda x: np.array([x, 2.0 * x]).sum(),
    "np.asarray of a list": lambda x: np.asarray([x, x]).sum(),
    "np.asarray of the tensor": lambda x: np.asarray(x) * x,
    "np.mean of a list": lambda x: np.mean([x, x + 2]),
    "np.r_": lambda x: np.r_[x, x].sum(),
    "np.c_": lambda x: np.c_[x, x].sum(),
    "ag.tensor of the tensor": lambda x: ag.tensor(x) * x,
    "float()": lambda x: float(x) * x,
    "math on the tensor": lambda x: __import__("math").sin(x) * x,
}


@pytest.mark.parametrize("how", list(LOSING))
@pytest.mark.parametrize("transform", ["grad", "jvp", "jacobian"])
def test_every_implicit_way_of_losing_the_graph_raises(how, transform):
    f = LOSING[how]
    run = {
        "grad": lambda: ag.grad(f)(1.5),
        "jvp": lambda: ag.jvp(f, (1.5,), (1.0,)),
        "jacobian": lambda: ag.jacobian(f)(1.5),
    }[transform]
    with pytest.raises(TypeError, match="carries a derivative") as info:
        run()
    assert "ag.stack" in str(info.value) and ".detach()" in str(info.value)


def test_the_error_names_the_line_that_lost_the_graph():
    def f(x):
        return np.array([x, 2.0 * x]).sum()  # the line the message quotes

    with pytest.raises(TypeError, match=r"np\.array\(\[x, 2\.0 \* x\]\)"):
        ag.grad(f)(3.0)


def test_the_recorded_forms_work():
    assert float(ag.grad(lambda x: ag.stack([x, 2.0 * x]).sum())(3.0)) == 3.0
    assert float(ag.grad(lambda x: np.stack([x, x + 2]).mean())(0.0)) == 1.0
    np.testing.assert_array_equal(
        ag.grad(lambda x: np.concatenate([x, x]).sum())(np.array([1.0, 2.0])), [2.0, 2.0])
    np.testing.assert_allclose(ag.jacobian(lambda x: ag.stack([x, x**2, x**3]))(0.5),
                               [1.0, 1.0, 0.75])


def test_explicit_exits_stay_available_and_warn_when_nothing_is_left():
    with pytest.warns(UserWarning, match="does not depend"):
        g = ag.grad(lambda x: x.detach() * 2.0)(1.0)
    assert float(g) == 0.0
    assert float(ag.grad(lambda x: x * x.item())(3.0)) == 3.0  # .item() is a chosen constant
    assert float(ag.grad(lambda x: x * x.numpy())(3.0)) == 3.0


def test_outside_transformations_values_convert_freely():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    np.testing.assert_array_equal(np.asarray(y), [3.0, 6.0])
    assert float(y[0]) == 3.0


def test_matplotlib_plots_tensors():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([3.0, 1.0, 2.0]))
    ax.plot(ag.tensor([1.0, 2.0], requires_grad=True) * 2)  # outside a transformation
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [3.0, 1.0, 2.0])
    plt.close(fig)


# ----------------------------------------------------------------------------- complex values
@pytest.mark.parametrize("call", [
    lambda: ag.grad(lambda z: np.abs(z))(3.0 + 4.0j),
    lambda: ag.jvp(lambda z: z * z, (1.0 + 1.0j,), (1.0,)),
    lambda: ag.jacobian(lambda z: z)(np.array([1j, 2.0])),
    lambda: ag.vjp(lambda z: z, 2j),
    lambda: ag.tensor(1 + 2j, dtype=complex, requires_grad=True),
    lambda: ag.tensor(1.0, requires_grad=True) * 1j,
])
def test_complex_values_are_refused_not_cast(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning
        with pytest.raises(TypeError, match="complex"):
            call()


def test_outputs_that_are_not_numbers_are_errors():
    with pytest.raises(TypeError, match="returned None"):
        ag.grad(lambda a: None)(1.0)
    with pytest.raises(TypeError):
        ag.jvp(lambda a: "abc", (1.0,), (1.0,))


def test_gradcheck_perturbs_inputs_of_any_memory_layout():
    transposed = np.arange(1.0, 7.0).reshape(3, 2).T  # not C-contiguous
    assert ag.gradcheck(lambda t: t * t, transposed)
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(lambda t: t * t.detach(), transposed)


@pytest.mark.parametrize(("rule", "error", "message"), [
    (lambda g, ans, x: (g * x).sum(), ag.ShapeError, r"returned shape \(\), but that input has shape \(3,\)"),
    (lambda g, ans, x: g[:2], ag.ShapeError, r"returned shape \(2,\)"),
    (lambda g, ans, x: None, TypeError, "returned NoneType"),
    (lambda g, ans, x: (g, g), TypeError, "returned tuple"),
])
def test_a_rule_of_the_wrong_shape_is_an_error_not_a_gradient(rule, error, message):
    @ag.primitive(name="square_with_a_bad_rule", elementwise=True)
    def square_with_a_bad_rule(x):
        return x * x

    ag.defvjp(square_with_a_bad_rule, rule)
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(error, match=message) as info:
        square_with_a_bad_rule(x).sum().backward()
    assert "square_with_a_bad_rule" in str(info.value) and x.grad is None
