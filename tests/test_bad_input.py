"""Bad input at the public boundary (docs/bad-input.md): the right class, a message naming the
argument, and nothing changed by a call that fails.

The first part is a table: each row calls one public function or method with one bad argument
and says which exception it must raise and which words its message must contain (the argument's
name, and what it got where that helps).
"""

from __future__ import annotations

import doctest
import pathlib
import time

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import data, nn, optim

ROOT = pathlib.Path(__file__).resolve().parents[1]
INTERNAL = (AttributeError, KeyError, NameError, UnboundLocalError, RecursionError)


def leaf(values, dtype=np.float64, name=None):
    return ag.tensor(np.array(values, dtype=dtype), requires_grad=True, name=name)


def recorded():
    """(x, y): y = sum(x²) recorded on a tape, for tape calls."""
    x = leaf([1.0, 2.0, 3.0])
    with ag.Tape() as tape:
        y = (x * x).sum()
    return tape, x, y


def model():
    return nn.MLP(2, [3], 1)


def sgd():
    return optim.SGD(model().parameters(), lr=0.1)


def _tape_gradient(target, sources):
    tape, x, y = recorded()
    return tape.gradient(y if target is None else target, [x] if sources is None else sources)


def _adjoint(target):
    tape, _, _ = recorded()
    return tape.adjoint_table(target)


def _inplace(op, value, dtype=np.float64, graph=False):
    t = ag.tensor(np.ones(3, dtype=dtype))
    if graph:
        t = leaf(np.ones(3), dtype) * 1
    if op == "+=":
        t += value
    elif op == "*=":
        t *= value
    else:
        t[0] = value
    return t


def _fit(**kwargs):
    m = model()
    args = dict(model=m, loss_fn=nn.mse_loss, X=np.ones((4, 2)), y=np.ones((4, 1)),
                optimizer=optim.SGD(m.parameters(), lr=0.1), steps=1, progress=False)
    args.update(kwargs)
    return nn.fit(**args)


def _viz():
    from autograd_nb import viz

    return viz


def _save(module, path):
    return ag.save(module, path)


# (id, call, exception class, words the message must contain)
CASES = [
    # tensors
    ("tensor-None", lambda: ag.tensor(None), TypeError, ["tensor(data)", "None"]),
    ("tensor-None-dtype", lambda: ag.tensor(None, dtype=np.float64), TypeError, ["None"]),
    ("tensor-None-in-list", lambda: ag.tensor([1.0, None]), TypeError, ["None"]),
    ("tensor-str", lambda: ag.tensor("abc"), TypeError, ["tensor(data)", "abc"]),
    ("tensor-str-in-list", lambda: ag.tensor([1.0, "x"]), TypeError, ["tensor(data)"]),
    ("tensor-object", lambda: ag.tensor(np.array([1.0, 2.0], dtype=object)), TypeError,
     ["object"]),
    ("tensor-ragged", lambda: ag.tensor([[1.0], [2.0, 3.0]]), ag.ShapeError, ["nested lists"]),
    ("tensor-complex", lambda: ag.tensor(1j), TypeError, ["complex"]),
    ("tensor-complex-to-float", lambda: ag.tensor(1j, dtype=np.float64), ag.DtypeError,
     ["complex", "imaginary"]),
    ("tensor-bad-dtype", lambda: ag.tensor(1.0, dtype="nonsense"), TypeError, ["dtype"]),
    ("tensor-object-dtype", lambda: ag.tensor(1.0, dtype=object), TypeError, ["dtype"]),
    ("tensor-name", lambda: ag.tensor(1.0, name=3), TypeError, ["name"]),
    ("requires-grad-int", lambda: ag.tensor(np.arange(3), dtype=np.int64, requires_grad=True),
     ag.DtypeError, ["requires_grad", "int64"]),
    # operations
    ("add-str", lambda: ag.tensor([1.0, 2.0]) + "a", TypeError, ["add", "operand 1", "'a'"]),
    ("radd-str", lambda: "a" + ag.tensor([1.0, 2.0]), TypeError, ["add", "operand 0"]),
    ("mul-None", lambda: ag.tensor([1.0, 2.0]) * None, TypeError, ["mul", "None"]),
    ("add-object", lambda: ag.tensor([1.0, 2.0]) + np.array([1, None], dtype=object),
     TypeError, ["add", "None"]),
    ("exp-str", lambda: ag.exp("a"), TypeError, ["exp", "operand 0"]),
    ("matmul-shapes", lambda: ag.tensor(np.ones((2, 3))) @ ag.tensor(np.ones((2, 3))),
     ag.ShapeError, ["matmul", "(2, 3)"]),
    ("broadcast", lambda: ag.tensor(np.ones(3)) + np.ones(4), ag.ShapeError, ["add", "(4,)"]),
    ("sum-axis", lambda: ag.tensor(np.ones(3)).sum(axis=4), ValueError, ["sum", "axis"]),
    ("reshape", lambda: ag.tensor(np.ones(6)).reshape(4), ValueError, ["reshape"]),
    ("less-str", lambda: ag.tensor([1.0, 2.0]) < "a", TypeError, ["less", "'a'"]),
    ("zeros-shape", lambda: ag.zeros("a"), TypeError, ["zeros", "shape"]),
    ("ones-shape-None", lambda: ag.ones(None), TypeError, ["ones", "shape", "None"]),
    ("len-0d", lambda: len(ag.tensor(1.0)), TypeError, ["len()", "0-d"]),
    ("getitem-range", lambda: ag.tensor(np.ones(3))[5], IndexError, ["getitem", "5"]),
    ("backward-grad-None-list", lambda: (leaf([1.0, 2.0]) * 2).backward([1.0, None]),
     TypeError, ["backward(grad=...)", "None"]),
    ("backward-grad-str", lambda: (leaf([1.0, 2.0]) * 2).backward("ab"), TypeError,
     ["backward(grad=...)"]),
    ("backward-grad-shape", lambda: (leaf([1.0, 2.0]) * 2).backward(np.ones(3)),
     ag.ShapeError, ["grad", "(3,)", "(2,)"]),
    # in-place changes
    ("iadd-shape", lambda: _inplace("+=", np.ones((2, 3))), ag.ShapeError,
     ["add in place", "(2, 3)", "(3,)"]),
    ("iadd-shape-graph", lambda: _inplace("+=", np.ones((2, 3)), graph=True), ag.ShapeError,
     ["add in place", "(2, 3)"]),
    ("iadd-str", lambda: _inplace("+=", "a"), TypeError, ["add in place", "value"]),
    ("imul-None-graph", lambda: _inplace("*=", None, graph=True), TypeError, ["None"]),
    ("setitem-complex", lambda: _inplace("[]=", 1j), ag.DtypeError, ["t[index] = value",
                                                                     "complex"]),
    ("setitem-complex-graph", lambda: _inplace("[]=", 1j, graph=True), ag.DtypeError,
     ["complex"]),
    ("setitem-None", lambda: _inplace("[]=", None), TypeError, ["t[index] = value", "None"]),
    ("setitem-mixed", lambda: _inplace("[]=", [1.0, "x"]), TypeError, ["t[index] = value"]),
    ("setitem-range", lambda: ag.tensor(np.ones(3)).__setitem__(7, 1.0), IndexError,
     ["(3,)", "7"]),
    ("iadd-leaf", lambda: leaf([1.0]).__iadd__(1.0), ag.InplaceError, ["leaf"]),
    # tape
    ("tape-gradient-tensor-sources", lambda: _tape_gradient(None, leaf([1.0])), TypeError,
     ["sources", "list", "tape.gradient(y, [x])"]),
    ("tape-gradient-array-source", lambda: _tape_gradient(None, [np.ones(3)]), TypeError,
     ["sources[0]", "NumPy array"]),
    ("tape-gradient-target", lambda: _tape_gradient("y", None), TypeError,
     ["target", "str"]),
    ("tape-gradient-target-None", lambda: recorded()[0].gradient(None, []), TypeError,
     ["target", "None"]),
    ("adjoint-table-target", lambda: _adjoint(3.0), TypeError, ["adjoint_table", "target"]),
    # transformations (done by others: checked here at the boundary)
    ("grad-None-arg", lambda: ag.grad(lambda a: a * 2)(None), TypeError, ["argument 0"]),
    ("grad-complex", lambda: ag.grad(lambda a: a * 2)(1j), TypeError, ["complex"]),
    ("grad-returns-None", lambda: ag.grad(lambda a: None)(1.0), TypeError, ["None"]),
    ("grad-argnums", lambda: ag.grad(lambda a: a * 2, argnums=3)(1.0), ValueError,
     ["argnums"]),
    # gradcheck
    ("gradcheck-eps-0", lambda: ag.gradcheck(lambda a: (a * a).sum(), [1.0], eps=0),
     ValueError, ["eps", "> 0"]),
    ("gradcheck-eps-negative", lambda: ag.gradcheck(lambda a: (a * a).sum(), [1.0], eps=-1),
     ValueError, ["eps"]),
    ("gradcheck-eps-nan", lambda: ag.gradcheck(lambda a: (a * a).sum(), [1.0],
                                               eps=float("nan")), ValueError, ["eps"]),
    ("gradcheck-atol", lambda: ag.gradcheck(lambda a: (a * a).sum(), [1.0], atol="x"),
     TypeError, ["atol"]),
    ("gradcheck-returns-None", lambda: ag.gradcheck(lambda a: None, [1.0]), TypeError,
     ["returned None"]),
    ("gradcheck-input-None", lambda: ag.gradcheck(lambda a: a.sum(), None), TypeError,
     ["input 0", "None"]),
    ("gradcheck-not-callable", lambda: ag.gradcheck(3, [1.0]), TypeError, ["f"]),
    ("gradcheck-no-inputs", lambda: ag.gradcheck(lambda: ag.tensor(1.0)), ValueError,
     ["no inputs"]),
    ("gradcheck-nan-differences", lambda: ag.gradcheck(lambda a: ag.sqrt(a).sum(),
                                                       [1e-7, 0.5]),
     ag.GradcheckError, ["input 0", "element (0,)", "finite differences", "nan"]),
    # optimizers
    ("sgd-module", lambda: optim.SGD(model(), lr=0.1), TypeError, ["model.parameters()"]),
    ("sgd-params-None", lambda: optim.SGD(None, lr=0.1), TypeError, ["params", "None"]),
    ("sgd-params-int", lambda: optim.SGD(5, lr=0.1), TypeError, ["params"]),
    ("sgd-params-empty", lambda: optim.SGD([], lr=0.1), ValueError, ["empty"]),
    ("sgd-param-array", lambda: optim.SGD([np.ones(2)], lr=0.1), TypeError, ["parameter 0"]),
    ("sgd-lr-None", lambda: optim.SGD([leaf([1.0])], lr=None), TypeError, ["lr", "None"]),
    ("sgd-lr-negative", lambda: optim.SGD([leaf([1.0])], lr=-1), ValueError, ["lr"]),
    ("sgd-lr-nan", lambda: optim.SGD([leaf([1.0])], lr=float("nan")), ValueError, ["lr"]),
    ("sgd-momentum", lambda: optim.SGD([leaf([1.0])], lr=0.1, momentum="a"), TypeError,
     ["momentum"]),
    ("adam-betas-number", lambda: optim.Adam([leaf([1.0])], betas=0.9), TypeError, ["betas"]),
    ("adam-betas-range", lambda: optim.Adam([leaf([1.0])], betas=(0.9, 1.0)), ValueError,
     ["betas[1]"]),
    ("adam-eps", lambda: optim.Adam([leaf([1.0])], eps=None), TypeError, ["eps"]),
    # training
    ("fit-optimizer-None", lambda: _fit(optimizer=None), TypeError, ["optimizer", "None"]),
    ("fit-model", lambda: _fit(model="m"), TypeError, ["model"]),
    ("fit-loss", lambda: _fit(loss_fn=None), TypeError, ["loss_fn"]),
    ("fit-empty", lambda: _fit(X=np.ones((0, 2)), y=np.ones((0, 1))), ValueError,
     ["no samples"]),
    ("fit-lengths", lambda: _fit(y=np.ones((3, 1))), ag.ShapeError, ["X has 4", "y has 3"]),
    ("fit-X-None", lambda: _fit(X=None), TypeError, ["X", "None"]),
    ("fit-X-str", lambda: _fit(X=[["a", "b"]] * 4), TypeError, ["X"]),
    ("fit-steps", lambda: _fit(steps=-1), ValueError, ["steps"]),
    ("fit-steps-float", lambda: _fit(steps=1.5), TypeError, ["steps"]),
    ("fit-batch-size", lambda: _fit(batch_size=0), ValueError, ["batch_size"]),
    ("fit-metrics", lambda: _fit(metrics={"acc": 3}), TypeError, ["metrics['acc']"]),
    ("fit-callback", lambda: _fit(callbacks=[3]), TypeError, ["callback"]),
    ("linear-size", lambda: nn.Linear("a", 3), TypeError, ["Linear", "in_features"]),
    ("linear-size-float", lambda: nn.Linear(2, 2.5), TypeError, ["out_features", "2.5"]),
    ("mlp-hidden", lambda: nn.MLP(2, "x", 1), TypeError, ["MLP", "hidden"]),
    ("mlp-hidden-zero", lambda: nn.MLP(2, [3, 0], 1), ValueError, ["hidden[1]"]),
    ("model-input-None", lambda: model()(None), TypeError, ["None"]),
    ("mse-target-None", lambda: nn.mse_loss(ag.tensor(np.ones(3)), None), TypeError,
     ["mse_loss", "target", "None"]),
    ("mse-pred-None", lambda: nn.mse_loss(None, np.ones(3)), TypeError,
     ["mse_loss", "prediction", "None"]),
    ("bce-target-str", lambda: nn.binary_cross_entropy_with_logits(ag.tensor(np.ones(3)), "abc"),
     TypeError, ["binary_cross_entropy_with_logits", "target"]),
    ("ce-target-None", lambda: nn.cross_entropy(ag.tensor(np.ones((2, 3))), None), TypeError,
     ["cross_entropy", "target", "None"]),
    ("ce-target-str", lambda: nn.cross_entropy(ag.tensor(np.ones((2, 3))), ["a", "b"]),
     TypeError, ["cross_entropy", "target"]),
    ("ce-logits-None", lambda: nn.cross_entropy(None, [0, 1]), TypeError,
     ["cross_entropy", "logits"]),
    ("accuracy-None", lambda: nn.accuracy(None, np.ones(3)), TypeError, ["accuracy", "pred"]),
    ("loss-shapes", lambda: nn.mse_loss(ag.tensor(np.ones(3)), np.ones(4)), ag.ShapeError,
     ["mse_loss", "(3,)", "(4,)"]),
    # data
    ("moons-noise-nan", lambda: data.make_moons(noise=float("nan")), ValueError, ["noise"]),
    ("moons-noise-negative", lambda: data.make_moons(noise=-1), ValueError, ["noise"]),
    ("moons-noise-str", lambda: data.make_moons(noise="a"), TypeError, ["noise"]),
    ("moons-n-float", lambda: data.make_moons(10.5), TypeError, ["n_samples"]),
    ("moons-n-zero", lambda: data.make_moons(0), ValueError, ["n_samples"]),
    ("moons-seed", lambda: data.make_moons(seed="x"), TypeError, ["seed"]),
    ("circles-factor", lambda: data.make_circles(factor=2.0), ValueError, ["factor"]),
    ("spirals-classes", lambda: data.make_spirals(n_classes=1), ValueError, ["n_classes"]),
    ("xor-n-None", lambda: data.make_xor(None), TypeError, ["n_samples"]),
    ("split-lengths", lambda: data.train_test_split(np.ones((5, 2)), np.ones(4)),
     ag.ShapeError, ["X has 5", "y has 4"]),
    ("split-test-size", lambda: data.train_test_split(np.ones((5, 2)), np.ones(5),
                                                      test_size=1.5), ValueError, ["test_size"]),
    ("split-X-None", lambda: data.train_test_split(None, np.ones(5)), TypeError, ["X"]),
    ("batches-size", lambda: list(data.batches(np.ones((3, 2)), np.ones(3), 0)), ValueError,
     ["batch_size"]),
    ("batches-lengths", lambda: list(data.batches(np.ones((3, 2)), np.ones(2), 1)),
     ag.ShapeError, ["X has 3", "y has 2"]),
    # saving and loading
    ("save-None", lambda: _save(None, "unused.npz"), TypeError, ["module", "None"]),
    ("save-path", lambda: _save(model(), 3), TypeError, ["path"]),
    ("load-module", lambda: ag.load("model", "unused.npz"), TypeError, ["module"]),
    ("load-state-None", lambda: model().load_state_dict(None), TypeError, ["state", "None"]),
    ("load-state-value-None", lambda: model().load_state_dict(
        {k: None for k in model().state_dict()}), TypeError, ["layers.0.weight", "None"]),
    ("load-state-missing", lambda: model().load_state_dict({}), KeyError, ["missing"]),
    ("load-state-shape", lambda: model().load_state_dict(
        {k: np.ones(7) for k in model().state_dict()}), ag.ShapeError, ["layers.0.weight"]),
    ("load-state-complex", lambda: model().load_state_dict(
        {k: v + 1j for k, v in model().state_dict().items()}), TypeError, ["layers.0.weight"]),
    # pictures
    ("draw-str", lambda: _viz().draw("abc"), TypeError, ["draw", "target", "abc"]),
    ("draw-list", lambda: _viz().draw([ag.tensor(1.0), 3]), TypeError, ["target[1]"]),
    ("draw-max-nodes", lambda: _viz().draw(ag.tensor(1.0), max_nodes=0), ValueError,
     ["max_nodes"]),
    ("player-str", lambda: _viz().BackwardPlayer("x"), TypeError, ["BackwardPlayer", "tensor"]),
    ("player-grad", lambda: _viz().BackwardPlayer(leaf([1.0, 2.0]) * 2, grad="ab"), TypeError,
     ["BackwardPlayer", "grad"]),
    ("loss-plot-step", lambda: _viz().LossPlot(show=False).update("a", "b"), TypeError,
     ["step"]),
    ("loss-plot-loss", lambda: _viz().LossPlot(show=False).update(1, "b"), TypeError,
     ["loss"]),
    ("loss-plot-loss-list", lambda: _viz().LossPlot(show=False).update(1, [1.0, 2.0]),
     TypeError, ["loss"]),
]


@pytest.mark.parametrize("call, kind, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_argument_is_refused_by_name(call, kind, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a row that wrongly succeeded in saving writes here
    with pytest.raises(Exception) as info:
        call()
    err = info.value
    assert not isinstance(err, INTERNAL) or isinstance(err, KeyError) and kind is KeyError, (
        f"an internal error reached the user: {type(err).__name__}: {err}")
    assert isinstance(err, kind), f"{type(err).__name__} (expected {kind.__name__}): {err}"
    assert type(err).__module__ in ("builtins", "autograd_nb.errors"), (
        f"a NumPy-internal class reached the user: {type(err)!r}: {err}")
    message = str(err)
    for word in words:
        assert word in message, f"{word!r} not in the message: {message}"


def test_loss_plot_records_nothing_when_refused():
    from autograd_nb import viz

    plot = viz.LossPlot(show=False)
    plot.update(1, 0.5)
    with pytest.raises(TypeError):
        plot.update(2, "b", accuracy=0.3)
    assert plot.history == {"loss": [0.5]} and plot.steps == {"loss": [1]}


def test_the_page_examples_run():
    failures, tried = doctest.testfile(str(ROOT / "docs" / "bad-input.md"),
                                       module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


# ------------------------------------------------------------------------ load of bad files


def test_load_of_a_npy_file_names_the_file(tmp_path):
    path = tmp_path / "weights.npy"
    np.save(path, np.ones(3))
    with pytest.raises(ValueError, match=r"weights\.npy.*\.npy file"):
        ag.load(model(), path)


def test_load_of_a_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("not an archive")
    with pytest.raises(ValueError, match=r"notes\.npz.*not an \.npz archive"):
        ag.load(model(), path)


def test_load_of_a_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent"):
        ag.load(model(), tmp_path / "absent.npz")


# ---------------------------------------------------------------------------- all or nothing


def test_failed_assignment_writes_nothing_and_marks_nothing():
    t = ag.tensor([1.0, 2.0, 3.0])
    x = leaf([1.0, 2.0, 3.0])
    y = (x * t).sum()  # saved t
    with pytest.raises(TypeError):
        t[...] = [9.0, "x", 7.0]
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])
    y.backward()  # t was not marked changed: the graph still sweeps
    np.testing.assert_array_equal(x.grad.data, [1.0, 2.0, 3.0])


def test_successful_assignment_is_whole_and_marked():
    t = ag.tensor([1.0, 2.0, 3.0])
    x = leaf([1.0, 2.0, 3.0])
    y = (x * t).sum()
    t[...] = [9.0, 8.0, 7.0]
    np.testing.assert_array_equal(t.data, [9.0, 8.0, 7.0])
    with pytest.raises(ag.InplaceError):
        y.backward()


@pytest.mark.parametrize("change", [
    lambda h: h.__iadd__(np.ones((2, 3))),
    lambda h: h.__imul__("a"),
    lambda h: h.__setitem__(0, 1j),
    lambda h: h.__setitem__(slice(None), [1.0, None, 2.0]),
    lambda h: h.__setitem__(0, np.ones(3)),
])
def test_failed_recorded_change_leaves_the_tensor_as_it_was(change):
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2
    data, node = h.data, h._node
    with ag.Tape() as tape:
        with pytest.raises((TypeError, ValueError)):
            change(h)
    assert h.data is data and h._node is node and h.shape == (3,) and h.dtype == np.float64
    assert len(tape) == 0  # nothing was computed
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])


def test_recorded_change_keeps_float32():
    x = leaf([1.0, 2.0, 3.0], dtype=np.float32)
    h = x * 1
    h *= np.array([1.0, 2.0, 3.0])  # float64 operand: rounded into the float32 tensor
    assert h.dtype == np.float32 and h.shape == (3,)
    h[0] = np.float64(5.0)
    assert h.dtype == np.float32
    h.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [0.0, 2.0, 3.0])


def test_plain_change_keeps_float32():
    t = ag.tensor(np.ones(3, dtype=np.float32))
    t *= np.full(3, 2.0)
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.data, [2.0, 2.0, 2.0])


def _params(n=4):
    ps = [leaf(np.full(3, float(i)), name=f"p{i}") for i in range(n)]
    for p in ps:
        p.grad = np.ones(3)
    return ps


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1),
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    lambda ps: optim.Adam(ps, lr=0.1),
])
@pytest.mark.parametrize("spoil", ["read-only", "grad-shape", "lr"])
def test_failed_step_changes_no_parameter_and_no_state(make, spoil):
    ps = _params()
    opt = make(ps)
    opt.step()  # some state exists already (momentum, Adam's moments)
    before = [p.data.copy() for p in ps]
    state = {i: {k: np.copy(v) for k, v in s.items()} for i, s in opt.state.items()}
    if spoil == "read-only":
        ps[2].data.flags.writeable = False
        expected, words = ValueError, ["parameter 2", "p2", "read-only"]
    elif spoil == "grad-shape":
        ps[2]._node.grad = ag.tensor(np.ones(5))  # behind the setter's back
        expected, words = ag.ShapeError, ["parameter 2", "p2", "(5,)"]
    else:
        opt.lr = "fast"
        expected, words = TypeError, ["lr"]
    with pytest.raises(expected) as info:
        opt.step()
    for word in words:
        assert word in str(info.value)
    for p, b in zip(ps, before):
        np.testing.assert_array_equal(p.data, b)
    assert opt.state.keys() == state.keys()
    for i, s in state.items():
        for k, v in s.items():
            np.testing.assert_array_equal(opt.state[i][k], v)


def test_failed_load_writes_no_parameter(tmp_path):
    source = model()
    path = ag.save(source, tmp_path / "m.npz")
    target = model()
    before = {k: v.copy() for k, v in target.state_dict().items()}
    params = list(target.parameters())
    params[-1].data.flags.writeable = False  # the last of four
    with pytest.raises(ValueError, match="layers.2.bias.*read-only"):
        ag.load(target, path)
    for k, v in target.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_failed_load_state_dict_writes_no_parameter():
    target = model()
    before = {k: v.copy() for k, v in target.state_dict().items()}
    state = {k: v + 1 for k, v in target.state_dict().items()}
    state["layers.2.bias"] = np.array(["x"])
    with pytest.raises((TypeError, ValueError)):
        target.load_state_dict(state)
    for k, v in target.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_fit_refused_leaves_the_model_as_it_was():
    m = model()
    before = {k: v.copy() for k, v in m.state_dict().items()}
    with pytest.raises(ValueError):
        nn.fit(m, nn.mse_loss, np.ones((0, 2)), np.ones((0, 1)), optim.SGD(m.parameters(), 0.1),
               progress=False)
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


# ------------------------------------------------------------------------- the right numbers


def _exact(x, g):
    """log_softmax, softmax and logsumexp of x with their VJPs for g, in extended precision."""
    x, g = x.astype(np.longdouble), g.astype(np.longdouble)
    m = x.max(-1, keepdims=True)
    e = np.exp(x - m)
    s = e / e.sum(-1, keepdims=True)
    lse = np.log(e.sum(-1, keepdims=True)) + m
    return {
        "log_softmax": (x - lse, g - s * g.sum(-1, keepdims=True)),
        "softmax": (s, s * (g - (g * s).sum(-1, keepdims=True))),
        "logsumexp": (lse[:, 0], g[:, :1] * s),
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("centre", [0.0, 1e2, 1e4, -1e4])
def test_log_softmax_family_as_accurate_as_torch_at_large_logits(dtype, centre):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = (centre + rng.standard_normal((6, 7)) * 3).astype(dtype)
    g = rng.standard_normal((6, 7)).astype(dtype)
    exact = _exact(x, g)
    for name, ours, theirs in [
        ("log_softmax", lambda a: ag.log_softmax(a, axis=-1), lambda a: a.log_softmax(-1)),
        ("softmax", lambda a: ag.softmax(a, axis=-1), lambda a: a.softmax(-1)),
        ("logsumexp", lambda a: ag.logsumexp(a, axis=-1), lambda a: a.logsumexp(-1)),
    ]:
        seed = g[:, 0] if name == "logsumexp" else g
        a = ag.tensor(x, requires_grad=True)
        out = ours(a)
        (out * seed).sum().backward()
        t = torch.tensor(x, requires_grad=True)
        out_t = theirs(t)
        (out_t * torch.tensor(seed)).sum().backward()
        value, grad = exact[name]

        def err(u, v):
            return float(np.abs(u.astype(np.longdouble) - v).max())

        ulp = np.finfo(dtype).eps
        assert err(out.data, value) <= 1.5 * max(err(out_t.detach().numpy(), value),
                                                 ulp * float(np.abs(value).max())), name
        assert err(a.grad.data, grad) <= 1.5 * max(err(t.grad.numpy(), grad),
                                                   2 * ulp * float(np.abs(grad).max())), name


def test_float32_log_softmax_near_1e4_keeps_float32_accuracy():
    rng = np.random.default_rng(1)
    x = (1e4 + rng.standard_normal((8, 10))).astype(np.float32)
    exact = x.astype(np.float64) - np.log(np.exp(x - x.max(-1, keepdims=True)).sum(
        -1, keepdims=True)) - x.max(-1, keepdims=True)
    assert np.abs(ag.log_softmax(ag.tensor(x)).data - exact).max() < 2e-6


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_at_large_logits_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x = (1e4 + rng.standard_normal((5, 4)) * 5).astype(dtype)
    labels = rng.integers(0, 4, 5)
    a = ag.tensor(x, requires_grad=True)
    loss = nn.cross_entropy(a, labels)
    loss.backward()
    ref = torch.tensor(x.astype(np.float64), requires_grad=True)
    exact = torch.nn.functional.cross_entropy(ref, torch.tensor(labels))
    exact.backward()
    tol = 2e-6 if dtype == np.float32 else 1e-12
    assert abs(float(loss.data) - exact.item()) < tol * max(1.0, abs(exact.item())) * 10
    np.testing.assert_allclose(a.grad.data, ref.grad.numpy(), atol=tol)


def test_jvp_through_losses_whose_target_depends_on_the_input():
    torch = pytest.importorskip("torch")
    from torch.func import jvp

    x = np.array([0.3, -0.7, 1.2])
    v = np.array([1.0, 0.5, -2.0])
    tx, tv = torch.tensor(x), torch.tensor(v)
    F = torch.nn.functional
    pairs = [
        (lambda a: nn.mse_loss(a, a ** 2), lambda a: F.mse_loss(a, a ** 2)),
        (lambda a: nn.binary_cross_entropy_with_logits(a, ag.sigmoid(2 * a)),
         lambda a: F.binary_cross_entropy_with_logits(a, torch.sigmoid(2 * a))),
    ]
    for ours, theirs in pairs:
        value, tangent = ag.jvp(ours, (x,), (v,))
        ref_value, ref_tangent = jvp(theirs, (tx,), (tv,))
        np.testing.assert_allclose(value, ref_value.numpy(), rtol=1e-12)
        np.testing.assert_allclose(tangent, ref_tangent.numpy(), rtol=1e-10)


# ------------------------------------------------------------------------------- linear time


@pytest.mark.parametrize("join", ["stack", "concatenate"])
def test_backward_of_a_join_takes_linear_time(join):
    def seconds(n):
        xs = [leaf(np.ones(() if join == "stack" else (1,))) for _ in range(n)]
        start = time.perf_counter()
        getattr(ag, join)(xs).sum().backward()
        return time.perf_counter() - start, xs

    seconds(500)
    small, _ = min((seconds(2000) for _ in range(2)), key=lambda r: r[0])
    large, xs = min((seconds(16000) for _ in range(2)), key=lambda r: r[0])
    assert all(float(x.grad.data.sum()) == 1.0 for x in xs[::997])
    # 8× the inputs: linear is ~8×, quadratic ~64×
    assert large < 24 * small + 0.05, (small, large)


def test_join_gradients_are_right_in_every_mode():
    a, b, c = leaf(np.arange(6.0).reshape(2, 3)), leaf(np.ones((1, 3))), leaf(np.ones((2, 3)))
    for f in [lambda a, b, c: (ag.concatenate([a, b, a], axis=0) ** 2).sum(),
              lambda a, b, c: (ag.concatenate([a, c], axis=1) ** 2).sum(),
              lambda a, b, c: (ag.concatenate([a, b], axis=None) ** 2).sum(),
              lambda a, b, c: (ag.stack([a, c, a], axis=1) ** 2).sum(),
              lambda a, b, c: (ag.stack([a, c], axis=-1) ** 3).sum()]:
        assert ag.gradcheck(f, a, b, c)
        h = ag.hessian(lambda a, f=f: f(a, b, c))(a.data)
        assert h.shape == (2, 3, 2, 3) and np.all(np.isfinite(h))
