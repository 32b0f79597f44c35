"""nn: parameter discovery, Linear/MLP/Sequential, state dicts, losses against closed forms,
and the quality bars (moons, digits)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import data, nn, optim


class Net(nn.Module):
    """Parameters directly, in a list, a tuple, a dict and a sub-module; one tensor shared."""

    def __init__(self, rng):
        self.scale = ag.tensor(rng.standard_normal(3), requires_grad=True)
        self.blocks = [nn.Linear(3, 4, rng=rng), nn.Tanh(), nn.Linear(4, 2, rng=rng)]
        self.pair = (ag.tensor(1.0, requires_grad=True), self.scale)  # shared: listed once
        self.heads = {"a": nn.Linear(2, 1, rng=rng), "b": nn.Linear(2, 1, bias=False, rng=rng)}
        self.constant = np.ones(3)  # a NumPy array is not a parameter
        self.last = self.scale * 2  # nor a computed (non-leaf) tensor

    def forward(self, x):
        h = x * self.scale * self.pair[0]
        for block in self.blocks:
            h = block(h)
        return self.heads["a"](h) + self.heads["b"](h)


def test_named_parameters_walk_attributes_lists_tuples_dicts(rng):
    net = Net(rng)
    names = [name for name, _ in net.named_parameters()]
    assert names == [
        "scale", "pair.0",  # the module's own tensors first, then its sub-modules' (as PyTorch)
        "blocks.0.weight", "blocks.0.bias", "blocks.2.weight", "blocks.2.bias", "heads.a.weight", "heads.a.bias", "heads.b.weight",
    ]
    assert len(list(net.parameters())) == len(names)
    assert [name for name, _ in net.named_children()] == [
        "blocks.0", "blocks.1", "blocks.2", "heads.a", "heads.b"]


def test_mlp_names_repr_and_modes(rng):
    model = nn.MLP(2, [16, 16], 1, rng=rng)
    assert [n for n, _ in model.named_parameters()] == [
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
        "layers.4.weight", "layers.4.bias",
    ]
    text = repr(model)
    assert text.startswith("MLP(\n  (layers): Sequential(\n")
    assert "(0): Linear(in_features=2, out_features=16, bias=True)" in text
    assert "(1): Tanh()" in text
    assert model.training and all(m.training for m in model.modules())
    assert model.eval() is model and not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_mlp_activation_choice_and_error(rng):
    assert isinstance(nn.MLP(2, [3], 1, activation="relu", rng=rng).layers[1], nn.ReLU)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [3], 1, activation="swish")


def test_linear_init_is_pytorch_default_and_reproducible():
    layer = nn.Linear(50, 7, rng=3)
    assert layer.weight.shape == (7, 50) and layer.bias.shape == (7,)
    bound = 1 / np.sqrt(50)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.8 * bound  # spread over the whole interval
    again = nn.Linear(50, 7, rng=3)
    assert np.array_equal(layer.weight.data, again.weight.data)
    assert not np.array_equal(layer.weight.data, nn.Linear(50, 7, rng=4).weight.data)


def test_linear_forward_is_x_wt_plus_b(rng):
    layer = nn.Linear(3, 2, rng=rng)
    x = rng.standard_normal((5, 3))
    out = layer(x)
    np.testing.assert_allclose(out.data, x @ layer.weight.data.T + layer.bias.data)
    out.sum().backward()
    np.testing.assert_allclose(layer.weight.grad.data, np.ones((5, 2)).T @ x)
    np.testing.assert_allclose(layer.bias.grad.data, np.full(2, 5.0))
    assert nn.Linear(3, 2, bias=False, rng=rng)(x).shape == (5, 2)


def test_linear_input_shape_error_names_the_sizes(rng):
    with pytest.raises(ag.ShapeError, match=r"Linear\(3, 2\).*\(5, 4\)"):
        nn.Linear(3, 2, rng=rng)(np.zeros((5, 4)))
    with pytest.raises(ag.ShapeError, match=r"Linear\(3, 2\).*\(4,\)"):
        nn.Linear(3, 2, bias=False, rng=rng)(np.zeros(4))
    with pytest.raises(ag.ShapeError, match=r"Linear\(3, 2\).*shape \(\)"):
        nn.Linear(3, 2, rng=rng)(ag.tensor(1.0))
    assert nn.Linear(3, 2, rng=rng)(np.zeros(3)).shape == (2,)  # one sample without a batch axis


def test_float32_stays_float32_end_to_end(rng):
    model = nn.MLP(4, [8], 3, rng=rng, dtype=np.float32)
    x = rng.standard_normal((6, 4))  # float64 data takes the model's dtype
    assert model(x).dtype == np.float32
    for loss_fn, target in ((nn.cross_entropy, rng.integers(0, 3, 6)),
                            (nn.mse_loss, rng.standard_normal((6, 3))),
                            (nn.binary_cross_entropy_with_logits, rng.integers(0, 2, (6, 3)))):
        loss = loss_fn(model(x), target)
        assert loss.dtype == np.float32
        model.zero_grad()
        loss.backward()
        assert all(p.grad.dtype == np.float32 for p in model.parameters())
    opt = optim.Adam(model.parameters(), lr=0.1)
    opt.step()
    assert all(p.dtype == np.float32 for p in model.parameters())


def test_zero_grad(rng):
    model = nn.MLP(2, [3], 1, rng=rng)
    model(rng.standard_normal((4, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_sequential_indexing_and_names(rng):
    seq = nn.Sequential(nn.Linear(2, 3, rng=rng), nn.ReLU(), nn.Linear(3, 1, rng=rng),
                        nn.Sigmoid())
    assert len(seq) == 4 and isinstance(seq[1], nn.ReLU)
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    out = seq(rng.standard_normal((5, 2)))
    assert out.shape == (5, 1) and np.all((out.data > 0) & (out.data < 1))
    with pytest.raises(TypeError, match="not an nn.Module"):
        nn.Sequential(ag.tanh)


# ------------------------------------------------------------------------------- state dicts
def test_state_dict_is_a_snapshot_and_round_trips(rng):
    model = nn.MLP(2, [5], 1, rng=rng)
    state = model.state_dict()
    assert list(state) == [n for n, _ in model.named_parameters()]
    arrays = [p.data for p in model.parameters()]
    other = nn.MLP(2, [5], 1, rng=rng)
    other.load_state_dict(state)
    for p, q in zip(model.parameters(), other.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    with ag.no_grad():
        next(model.parameters()).data[...] = 0
    assert not np.all(state["layers.0.weight"] == 0)  # a copy, not a view
    model.load_state_dict(state)
    assert all(a is p.data for a, p in zip(arrays, model.parameters()))  # same arrays, in place
    np.testing.assert_array_equal(model.layers[0].weight.data, state["layers.0.weight"])


def test_load_state_dict_shape_mismatch_names_parameter_and_changes_nothing(rng):
    model = nn.MLP(2, [5], 1, rng=rng)
    before = model.state_dict()
    bad = nn.MLP(2, [5], 1, rng=rng).state_dict()
    bad["layers.2.weight"] = np.zeros((1, 6))
    with pytest.raises(ag.ShapeError, match=r"'layers.2.weight' has shape \(1, 5\).*\(1, 6\)"):
        model.load_state_dict(bad)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])  # layers.0 was not loaded either


def test_load_state_dict_missing_and_unexpected_names(rng):
    model = nn.MLP(2, [5], 1, rng=rng)
    before = model.state_dict()
    state = nn.MLP(2, [5], 1, rng=rng).state_dict()
    del state["layers.2.bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(KeyError, match=r"missing parameters \['layers.2.bias'\].*'extra'"):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model.state_dict()["layers.0.weight"], before["layers.0.weight"])
    model.load_state_dict(state, strict=False)
    np.testing.assert_array_equal(model.layers[0].weight.data, state["layers.0.weight"])
    np.testing.assert_array_equal(model.layers[2].bias.data, before["layers.2.bias"])


def test_load_state_dict_notices_graphs_that_saved_the_old_values(rng):
    model = nn.Linear(2, 1, rng=rng)
    out = (model(rng.standard_normal((3, 2))) ** 2).sum()
    model.load_state_dict(nn.Linear(2, 1, rng=rng).state_dict())
    with pytest.raises(ag.InplaceError):
        out.backward()


# ------------------------------------------------------------------------------------ losses
def test_mse_loss_closed_form_and_gradient(rng):
    pred = ag.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    target = rng.standard_normal((4, 3))
    loss = nn.mse_loss(pred, target)
    assert loss.op == "mse_loss"
    np.testing.assert_allclose(loss.item(), np.mean((pred.data - target) ** 2))
    loss.backward()
    np.testing.assert_allclose(pred.grad.data, 2 * (pred.data - target) / 12)


def test_bce_with_logits_closed_form_including_extreme_logits():
    z = ag.tensor([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 2.0], requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = nn.binary_cross_entropy_with_logits(z, y)
        loss.backward()
    assert loss.op == "bce_with_logits"
    # -y log σ(z) - (1 - y) log(1 - σ(z)) per element, written out for these values
    per = [0.0, 0.0, 1000.0, 1000.0, np.log(2), 2.0 + np.log1p(np.exp(-2.0))]
    np.testing.assert_allclose(loss.item(), np.mean(per), rtol=1e-12)
    sigma = 1 / (1 + np.exp(-np.clip(z.data, -50, 50)))
    np.testing.assert_allclose(z.grad.data, (sigma - y) / 6, atol=1e-15)
    assert np.all(np.isfinite(z.grad.data))


def test_bce_with_logits_matches_the_naive_form_for_moderate_logits(rng):
    z = rng.standard_normal(10) * 3
    y = rng.integers(0, 2, 10).astype(float)
    s = 1 / (1 + np.exp(-z))
    naive = np.mean(-y * np.log(s) - (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(nn.binary_cross_entropy_with_logits(z, y).item(), naive)


def test_cross_entropy_closed_form_including_extreme_logits():
    z = ag.tensor([[1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0], [-1000.0, 1000.0, 5.0],
                   [1000.0, 1000.0, -1000.0]], requires_grad=True)
    target = np.array([0, 2, 0, 1])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = nn.cross_entropy(z, target)
        loss.backward()
    assert loss.op == "cross_entropy"
    # -log softmax(z)[t]: 0, log 3, 2000, log 2
    np.testing.assert_allclose(loss.item(), (0 + np.log(3) + 2000 + np.log(2)) / 4, rtol=1e-12)
    softmax = np.array([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0, 1, 0], [0.5, 0.5, 0]])
    onehot = np.eye(3)[target]
    np.testing.assert_allclose(z.grad.data, (softmax - onehot) / 4, atol=1e-15)


def test_cross_entropy_keeps_its_softmax_for_the_backward_pass_only(rng):
    z = ag.tensor(rng.standard_normal((5, 4)), requires_grad=True)
    t = np.array([0, 3, 1, 1, 2])
    softmax = np.exp(z.data) / np.exp(z.data).sum(1, keepdims=True)
    expected = (softmax - np.eye(4)[t]) / 5
    loss = nn.cross_entropy(z, t)
    node = loss._node
    np.testing.assert_allclose(node.saved, softmax, atol=1e-12)
    loss.backward(retain_graph=True)  # the saved softmax is not changed by its use...
    loss.backward()
    np.testing.assert_allclose(z.grad.data, 2 * expected, atol=1e-12)
    assert node.saved is None  # ...and is let go with the other saved values
    z.grad = None
    nn.cross_entropy(z, t).backward(create_graph=True)  # recomputed from tensors, recorded
    assert z.grad.requires_grad
    np.testing.assert_allclose(z.grad.data, expected, atol=1e-12)


def test_cross_entropy_with_masked_logits():
    z = ag.tensor([[0.0, -np.inf, 0.0], [2.0, 1.0, -np.inf]], dtype=np.float32, requires_grad=True)
    loss = nn.cross_entropy(z, np.array([0, 1]))
    loss.backward()
    expected = (np.log(2) + np.log1p(np.e)) / 2  # -log ½ and -log(e¹ / (e² + e¹))
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-6)
    assert loss.dtype == np.float32 and z.grad.data[0, 1] == 0 and z.grad.data[1, 2] == 0


def test_cross_entropy_matches_log_softmax_composition(rng):
    z = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, 6)
    expected = -np.mean(ag.log_softmax(z, axis=1).data[np.arange(6), t])
    np.testing.assert_allclose(nn.cross_entropy(z, t).item(), expected)
    np.testing.assert_allclose(nn.cross_entropy(z, ag.tensor(t)).item(), expected)  # float ok


@pytest.mark.parametrize("case", ["mse", "bce_logits", "bce_target", "ce"])
def test_losses_pass_gradcheck(rng, case):
    z = rng.standard_normal((5, 3))
    y = rng.uniform(0, 1, (5, 3))
    if case == "mse":
        assert ag.gradcheck(nn.mse_loss, z, y)
    elif case == "bce_logits":
        assert ag.gradcheck(lambda a: nn.binary_cross_entropy_with_logits(a, y), z * 4)
    elif case == "bce_target":
        assert ag.gradcheck(lambda b: nn.binary_cross_entropy_with_logits(z, b), y)
    else:
        t = rng.integers(0, 3, 5)
        assert ag.gradcheck(lambda a: nn.cross_entropy(a, t), z * 4)


def test_loss_input_errors(rng):
    with pytest.raises(ag.ShapeError, match=r"binary_cross_entropy_with_logits.*\(4, 1\).*\(4,\)"):
        nn.binary_cross_entropy_with_logits(rng.standard_normal((4, 1)), np.ones(4))
    with pytest.raises(ag.ShapeError, match="mse_loss"):
        nn.mse_loss(rng.standard_normal(3), np.ones(4))
    with pytest.raises(ag.ShapeError, match=r"cross_entropy: logits of shape \(4,\)"):
        nn.cross_entropy(rng.standard_normal(4), np.zeros(4, dtype=int))
    with pytest.raises(IndexError, match=r"class indices must lie in \[0, 3\)"):
        nn.cross_entropy(rng.standard_normal((2, 3)), np.array([0, 3]))
    for labels in ([0, -1], np.array([2, -3], dtype=np.int8), np.array([1, 7], dtype=np.uint8)):
        with pytest.raises(IndexError, match=r"class indices must lie in \[0, 3\)"):
            nn.cross_entropy(rng.standard_normal((2, 3)), np.asarray(labels))
    z = rng.standard_normal((2, 3))
    expected = nn.cross_entropy(z, np.array([2, 0])).item()
    for labels in (np.array([2, 0], dtype=np.uint8), np.array([2, 0], dtype=">i4"), [2, 0]):
        assert nn.cross_entropy(z, labels).item() == expected
    with pytest.raises(IndexError, match=r"class indices must lie in \[0, 3\)"):
        nn.cross_entropy(z, np.array([2, -1], dtype=">i8"))
    with pytest.raises(TypeError, match="integer class indices"):
        nn.cross_entropy(rng.standard_normal((2, 3)), np.array([0.5, 1.0]))


# ------------------------------------------------------------------------------ quality bars
def test_mlp_learns_the_moons():
    X, y = data.make_moons(300, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16], 1, rng=0)
    opt = optim.Adam(model.parameters(), lr=0.01)
    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y.reshape(-1, 1), opt,
                     steps=300, progress=False)
    assert len(history) == 300
    assert nn.accuracy(model(X), y) >= 0.97


def test_mlp_learns_the_digits():
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    model = nn.MLP(64, [64], 10, rng=0)
    opt = optim.Adam(model.parameters(), lr=0.01)
    nn.fit(model, nn.cross_entropy, X_train, y_train, opt, steps=150, batch_size=128,
           seed=0, progress=False)
    assert nn.accuracy(model.eval()(X_test), y_test) >= 0.95
