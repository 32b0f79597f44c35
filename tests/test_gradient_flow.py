"""``viz.GradientFlow``: each layer's gradient norm per step, one figure redrawn in place.

Besides the recorded norms, the rendered figure is checked: its log axis covers the data as
the data moves over decades, and the curves' pixels fall inside the axes.
"""

import io
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from autograd_nb import data, nn, optim, viz  # noqa: E402
from autograd_nb.viz import loss_plot  # noqa: E402
from autograd_nb.viz.gradient_flow import GradientFlow, layer_gradient_norms  # noqa: E402


def train(nets, flow, steps):
    X, y = data.make_moons(120, noise=0.1, seed=0)
    target = y.reshape(-1, 1).astype(float)
    opts = {k: optim.Adam(m.parameters(), lr=0.01) for k, m in nets.items()}
    for step in range(1, steps + 1):
        for k, net in nets.items():
            loss = nn.binary_cross_entropy_with_logits(net(X), target)
            opts[k].zero_grad()
            loss.backward()
            opts[k].step()
        flow.update(step)


class FakeHandle:
    def __init__(self, log):
        self.log = log

    def update(self, image):
        self.log.append(("update", image.data))


class FakeShell:
    """Enough of an IPython kernel shell for ``LossPlot._display``."""

    execution_count = 7

    def __init__(self):
        self.kernel = object()
        self.events = self
        self.hooks = []

    def register(self, name, fn):
        self.hooks.append(fn)

    def unregister(self, name, fn):
        self.hooks.remove(fn)


def test_norms_are_the_layers_gradients():
    net = nn.MLP(2, [4, 4], 1, rng=0)
    assert layer_gradient_norms(net) == {"layers.0": 0.0, "layers.2": 0.0, "layers.4": 0.0}
    X, y = data.make_moons(20, seed=1)
    nn.binary_cross_entropy_with_logits(net(X), y.reshape(-1, 1).astype(float)).backward()
    norms = layer_gradient_norms(net)
    first = net.layers[0]
    expected = math.sqrt(np.sum(first.weight.grad.data ** 2) + np.sum(first.bias.grad.data ** 2))
    assert norms["layers.0"] == pytest.approx(expected)


def test_sigmoid_gradients_vanish_towards_the_input_and_relu_ones_much_less():
    nets = {act: nn.MLP(2, [16] * 8, 1, activation=act, rng=0) for act in ("sigmoid", "relu")}
    flow = GradientFlow(nets, show=False, min_interval=0)
    train(nets, flow, 3)
    assert flow.layers["sigmoid"] == [f"layers.{2 * k}" for k in range(9)]
    first = {act: [flow.history[f"{act}/{layer}"][0] for layer in flow.layers[act]]
             for act in nets}
    sig_spread = first["sigmoid"][-1] / first["sigmoid"][0]
    relu_spread = first["relu"][-1] / first["relu"][0]
    assert sig_spread > 1e5 and sig_spread > 100 * relu_spread
    assert len(flow.steps["relu/layers.0"]) == 3


def test_it_is_a_fit_callback():
    net = nn.MLP(2, [8, 8], 1, rng=0)
    flow = GradientFlow(net, show=False, every=10)
    X, y = data.make_moons(60, seed=0)
    nn.fit(net, nn.binary_cross_entropy_with_logits, X, y.reshape(-1, 1), optim.SGD(
        net.parameters(), lr=0.1), steps=12, callbacks=flow, progress=False)
    assert flow.steps["layers.0"] == list(range(1, 13))
    with pytest.raises(TypeError, match="nn.Module"):
        GradientFlow({"a": object()})


def test_updates_in_place_in_one_figure_and_one_display(monkeypatch):
    shell, log = FakeShell(), []

    def fake_display(image, display_id=False):
        log.append(("display", image.data))
        return FakeHandle(log)

    monkeypatch.setattr(loss_plot, "_kernel_shell", lambda: shell)
    monkeypatch.setattr("IPython.display.display", fake_display)
    figures_before = plt.get_fignums()
    net = nn.MLP(2, [8] * 3, 1, activation="tanh", rng=0)
    flow = GradientFlow(net, min_interval=0, clock=iter(range(10**6)).__next__)
    figure = flow._fig
    train({"": net}, flow, 6)
    flow.finish()
    assert [kind for kind, _ in log][0] == "display"
    assert [kind for kind, _ in log].count("display") == 1  # one output, replaced in place
    assert [kind for kind, _ in log].count("update") == flow.renders - 1 >= 2
    assert flow._fig is figure and plt.get_fignums() == figures_before
    assert not shell.hooks  # finish() unhooked the end-of-cell redraw


def _drawn_line_pixels(flow):
    """Rendered PNG pixels of the darkest (output layer) curve, and the axes box in pixels."""
    png = loss_plot.render_png(flow._fig, flow._fig.dpi)  # pixels = display coordinates
    pixels = imread(io.BytesIO(png))[..., :3]
    line = next(iter(flow._lines.values()))
    colour = np.array(matplotlib.colors.to_rgb(line.get_color()))
    hits = np.argwhere(np.all(np.abs(pixels - colour) < 0.08, axis=-1))
    ax = next(iter(flow._panels.values()))
    box = ax.get_window_extent()  # display coordinates: origin bottom left
    height = pixels.shape[0]
    left, right = box.x0, box.x1
    inside = hits[(hits[:, 1] >= left - 2) & (hits[:, 1] <= right + 2)]  # not the legend's key
    assert len(inside) > 0.8 * len(hits)
    return inside, (left, height - box.y1, right, height - box.y0), ax


def test_the_axis_follows_the_data_over_decades():
    net = nn.MLP(2, [4], 1, rng=0)
    flow = GradientFlow(net, show=False, min_interval=0)
    layers = list(flow.layers[""])
    for step in range(1, 6):  # feed norms by hand: 1e-2 … then a jump to 1e3
        for k, layer in enumerate(layers):
            flow.history.setdefault(layer, []).append(10.0 ** (-2 - k))
            flow.steps.setdefault(layer, []).append(step)
    flow.draw()
    hits, (left, top, right, bottom), ax = _drawn_line_pixels(flow)
    low, high = ax.get_ylim()
    assert low <= 1e-3 and high >= 1e-2 and high <= 1e-1
    assert ax.get_xlim() == (1, 5)
    assert len(hits) > 20
    assert np.all((hits[:, 1] >= left - 2) & (hits[:, 1] <= right + 2))
    assert np.all((hits[:, 0] >= top - 2) & (hits[:, 0] <= bottom + 2))

    for step in range(6, 41):
        for k, layer in enumerate(layers):
            flow.history[layer].append(10.0 ** (3 - k))
            flow.steps[layer].append(step)
    flow.draw()
    hits, (left, top, right, bottom), ax = _drawn_line_pixels(flow)
    low, high = ax.get_ylim()
    assert low <= 1e-3 and high >= 1e3
    assert ax.get_xlim() == (1, 40)
    # the new values are drawn inside the axes, near its top, not clipped off
    assert hits[:, 0].min() <= top + 0.2 * (bottom - top)
    assert np.all((hits[:, 0] >= top - 2) & (hits[:, 0] <= bottom + 2))
    assert hits[:, 1].max() >= right - 0.1 * (right - left)


def test_viz_exports_it():
    assert viz.GradientFlow is GradientFlow
    assert "GradientFlow" in dir(viz) and "chains" in dir(viz)
