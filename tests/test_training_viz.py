"""Training pictures: live loss curves, decision boundaries, optimizer paths, the Playground.

Histories, grids, paths, traits and render counts, and what the pictures hold: the loss
panel's SVG text (its axis), the neuron tiles' pixels, the notebook's PNG resolutions. The
browser tests (tests/browser/test_playground.py) check the same things as laid out on screen.
"""

import asyncio
import base64
import json
import re
import struct
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import autograd_nb as ag  # noqa: E402
from autograd_nb import data, nn, optim  # noqa: E402
from autograd_nb.viz.decision import (  # noqa: E402
    decision_grid,
    layer_outputs,
    layer_weights,
    plot_decision_boundary,
    predict_proba,
)
from autograd_nb.viz.loss_plot import LossPlot, curves_of, thin  # noqa: E402
from autograd_nb.viz.pictures import write_pictures  # noqa: E402
from autograd_nb.viz.playground import DATASETS, Playground  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
NOTEBOOK_05 = Path(__file__).resolve().parents[1] / "notebooks" / "05_training_a_network.ipynb"


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG header."""
    assert png.startswith(PNG)
    return struct.unpack(">II", png[16:24])


def png_dpi(png: bytes) -> float | None:
    """Dots per inch stored in the PNG's pHYs chunk (None when it has none)."""
    at = png.find(b"pHYs")
    if at < 0:
        return None
    per_metre, _, unit = struct.unpack(">IIB", png[at + 4:at + 13])
    return per_metre * 0.0254 if unit == 1 else None


def x_tick_labels(svg: str) -> list[float]:
    """The numbers written under the x axis of the loss panel's SVG (its tick labels)."""
    axes = svg[svg.index('id="agnb-loss-axes"'):]
    axis = axes[axes.index('id="matplotlib.axis_1"'):axes.index('id="matplotlib.axis_2"')]
    ticks = re.findall(r'<g id="xtick_\d+">.*?<text[^>]*>\s*([^<]+?)\s*<', axis, re.S)
    return [float(t.replace("−", "-")) for t in ticks]


def bce(out, y):
    return nn.binary_cross_entropy_with_logits(out.reshape(-1), y)


def in_fresh_thread(fn, *args):
    """Run ``fn`` in a new thread: no event loop of another test or plugin is running there."""
    out = {}

    def target():
        try:
            out["value"] = fn(*args)
        except BaseException as err:  # noqa: BLE001 - re-raised in the caller
            out["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out.get("value")


class FakeClock:
    """Time that moves only when told: throttle tests without waiting."""

    def __init__(self, tick: float) -> None:
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


# ------------------------------------------------------------------------------ LossPlot
def test_loss_plot_records_every_update_and_loss_falls_on_moons(rng):
    X, y = data.make_moons(200, noise=0.1, seed=int(rng.integers(1000)))
    model = nn.MLP(2, [16], 1, rng=rng)
    plot = LossPlot(min_interval=0, every=25)
    history = nn.fit(model, bce, X, y, optim.Adam(model.parameters(), lr=0.03), steps=60,
                     callbacks=plot, progress=False)
    plot.finish()
    assert len(plot.history["loss"]) == 60
    assert plot.steps["loss"] == list(range(1, 61))
    assert plot.history["loss"] == pytest.approx(history.loss)
    assert np.mean(plot.history["loss"][-10:]) < 0.5 * np.mean(plot.history["loss"][:10])
    assert plot.png.startswith(PNG)


def test_loss_plot_is_the_callback_signature():
    plot = LossPlot(min_interval=0)
    plot(1, 0.5, val_loss=0.7, accuracy=0.8, note="text", lr=None)
    assert plot.history == {"loss": [0.5], "val_loss": [0.7], "accuracy": [0.8]}
    # losses share a panel; the other metrics get one of their own
    assert list(plot._panels) == ["loss", "metrics"]


def test_throttle_by_time_bounds_the_renders():
    plot = LossPlot(min_interval=1.0, clock=FakeClock(0.1))  # 100 updates over 10 s
    for step in range(100):
        plot.update(step, 1.0 / (step + 1))
    assert len(plot.history["loss"]) == 100
    assert plot.renders <= 11
    plot.finish()
    assert plot.renders <= 12
    assert plot._pending == 0


def test_a_slow_drawing_is_drawn_less_often():
    plot = LossPlot(min_interval=0, clock=FakeClock(0.1))  # every drawing "takes" 0.1 s
    for step in range(100):
        plot.update(step, 1.0)
    assert plot._cost == pytest.approx(0.1)
    assert 10 <= plot.renders <= 30  # waits 4 × 0.1 s between drawings, not 0


def test_throttle_by_steps_and_the_final_draw():
    plot = LossPlot(min_interval=0, every=10, clock=FakeClock(0.0))  # drawing takes no time
    for step in range(95):
        plot.update(step, 1.0)
    assert plot.renders == 9
    plot.finish()  # the last 5 values are drawn
    assert plot.renders == 10
    plot.finish()  # nothing new: no extra render
    assert plot.renders == 10


def test_log_scale_and_files(tmp_path):
    with LossPlot(logy=True, min_interval=0, every=50) as plot:
        for step in range(1, 20):
            plot.update(step, 1.0 / step)
    assert plot._panels["loss"].get_yscale() == "log"
    plot.set_logy(False)
    assert plot._panels["loss"].get_yscale() == "linear"
    plot.savefig(tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes().startswith(PNG)


def test_curves_of_reads_fit_history_mapping_and_list():
    h = nn.History()
    h.record(1, 0.9, {"accuracy": 0.5})
    h.record(2, 0.4, {"accuracy": 0.75})
    assert curves_of(h) == {"loss": ([1, 2], [0.9, 0.4]), "accuracy": ([1, 2], [0.5, 0.75])}
    assert curves_of([3.0, 2.0]) == {"loss": ([1, 2], [3.0, 2.0])}
    assert curves_of({"loss": [1.0]}) == {"loss": ([1], [1.0])}


# ------------------------------------------------------------------------ decision boundary
def _trained(rng, X, y, outputs):
    model = nn.MLP(2, [8], outputs, rng=rng)
    loss_fn = bce if outputs == 1 else nn.cross_entropy
    nn.fit(model, loss_fn, X, y, optim.Adam(model.parameters(), lr=0.05), steps=30,
           progress=False)
    return model


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_grid_matches_the_model(rng, n_classes):
    X, y = data.make_spirals(90, noise=0.05, seed=1, n_classes=n_classes)
    model = _trained(rng, X, y, 1 if n_classes == 2 else n_classes)
    xx, yy, labels = decision_grid(model, X, resolution=31)
    assert xx.shape == yy.shape == labels.shape == (31, 31)
    with ag.no_grad():
        out = model(ag.tensor(np.column_stack([xx.ravel(), yy.ravel()]))).data
    expected = out.argmax(axis=1) if n_classes > 2 else (out[:, 0] > 0).astype(int)
    np.testing.assert_array_equal(labels.ravel(), expected)
    assert set(np.unique(labels)) <= set(range(n_classes))
    proba = predict_proba(model, X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_plot_decision_boundary_returns_axes_with_regions_and_points(rng):
    X, y = data.make_moons(60, noise=0.1, seed=2)
    model = _trained(rng, X, y, 1)
    ax = plot_decision_boundary(model, X, y, resolution=40, title="moons")
    assert ax.get_title() == "moons"
    assert len(ax.images) == 1 and ax.images[0].get_array().shape == (40, 40, 3)
    assert len(ax.collections) >= 1  # the points (and the boundary line)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


# ----------------------------------------------------------------------------- Playground
def test_playground_defaults_and_stepping_lowers_the_loss():
    pg = Playground()
    assert pg.dataset == "moons" and pg.iteration == 0
    assert isinstance(pg.model, nn.MLP)
    start = pg.loss
    pg.step(60)
    assert pg.iteration == 60
    assert len(pg.history["loss"]) == len(pg.history_steps) == 60
    assert pg.loss < 0.7 * start
    assert pg.history["loss"][-1] == pg.loss


def test_playground_controls_rebuild_the_model():
    pg = Playground(hidden=[4], activation="tanh", seed=3)
    pg.step(5)
    model = pg.model
    pg.controls["activation"].value = "relu"
    assert pg.activation == "relu"
    assert pg.model is not model and pg.iteration == 0 and pg.history["loss"] == []
    assert any(isinstance(m, nn.ReLU) for m in pg.model.modules())

    pg.controls["layers"].value = 3
    pg.controls["neurons"].value = 6
    assert pg.hidden == [6, 6, 6]
    linears = [m for m in pg.model.modules() if isinstance(m, nn.Linear)]
    assert [m.weight.shape for m in linears] == [(2, 6), (6, 6), (6, 6), (6, 1)] or \
        [m.weight.shape for m in linears] == [(6, 2), (6, 6), (6, 6), (1, 6)]

    model, opt = pg.model, pg.opt
    pg.step(3)
    pg.controls["lr"].value = 0.1  # the learning rate changes; network and optimizer stay
    assert pg.model is model and pg.opt is opt and pg.opt.lr == 0.1 and pg.iteration == 3
    pg.controls["optimizer"].value = "momentum"  # a new optimizer for the same network
    assert pg.model is model and isinstance(pg.opt, optim.SGD) and pg.opt.momentum == 0.9
    assert pg.opt.lr == 0.1

    pg.n_samples = 60
    assert pg.controls["batch_size"].max == 30
    pg.controls["layers"].value = 0  # no hidden layer: a straight boundary
    assert pg.hidden == [] and len([m for m in pg.model.modules()
                                    if isinstance(m, nn.Linear)]) == 1
    pg.step(2)
    model = pg.model

    old_X = pg.X_train
    pg.controls["dataset"].value = "circles"
    assert pg.X_train is not old_X and pg.model is not model


def test_playground_regularisation_and_batch_size_reach_the_optimizer():
    pg = Playground(optimizer="sgd", l2=0.01, batch_size=4, hidden=[3])
    assert isinstance(pg.opt, optim.SGD) and pg.opt.weight_decay == 0.01
    pg.step(2)
    assert pg.controls["batch_size"].value == 4
    pg.l2 = 0.001
    assert pg.opt.weight_decay == 0.001


def test_playground_loss_axis_follows_the_data_at_every_frame():
    pg = Playground(dataset="spirals", noise=0.05, hidden=[8, 8], seed=0)
    assert max(x_tick_labels(pg.loss_svg)) == 10  # nothing trained yet: 0…10
    for steps in (10, 100, 600):
        pg.step(steps - pg.iteration)
        ax = pg._train_line.axes
        assert ax.get_xlim() == (0, steps)
        labels = x_tick_labels(pg.loss_svg)
        assert min(labels) == 0 and max(labels) == steps, labels
        curve = np.concatenate([pg._train_line.get_ydata(), pg._test_line.get_ydata()])
        low, high = ax.get_ylim()
        assert low <= curve.min() and curve.max() <= high < 1.2 * curve.max()
        assert f"step {steps}" in pg.loss_svg
    assert pg._train_line.get_xdata()[-1] == 600
    # a long run draws at most a few hundred points, the last one always
    steps, values = thin(np.arange(5000), np.arange(5000.0), most=600)
    assert len(steps) <= 601 and steps[-1] == 4999 and values[-1] == 4999


def test_playground_loss_panel_is_scoped_svg_text():
    pg = Playground(hidden=[3])
    pg.step(3)
    svg = pg.loss_svg
    assert svg.startswith('<svg class="agnb-loss-svg"') and "<text" in svg
    assert re.search(r"<style[^>]*>\s*\*", svg) is None  # no page-wide style rule
    assert ".agnb-loss-svg * {" in svg
    assert "dc:date" not in svg
    assert Playground(hidden=[3]).step(3) == pg.loss and Playground(hidden=[3]).loss_svg


def test_playground_is_a_widget_that_composes():
    pg = Playground(hidden=[4])
    assert isinstance(pg, widgets.Widget) and isinstance(pg, widgets.VBox)
    assert pg.widget is pg
    tabs = widgets.Tab(children=[pg, widgets.HTML("notes")])
    box = widgets.VBox([widgets.HTML("above"), pg])
    assert tabs.children[0] is pg and box.children[1] is pg
    # its parts are widgets the front end draws, with the classes the browser tests read
    classes = {c for child in pg.children for c in child._dom_classes}
    assert {"agnb-playground-network", "agnb-playground-loss",
            "agnb-playground-status"} <= classes
    bundle, metadata = pg._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == pg.model_id
    assert metadata["image/png"]["width"] * 2 == png_size(pg.snapshot_png())[0]


def test_neuron_outputs_are_the_network_read_layer_by_layer(rng):
    model = nn.MLP(2, [3, 4], 1, activation="tanh", rng=rng)
    points = rng.normal(size=(7, 2))
    inputs, h1, h2, out = layer_outputs(model, points)
    W1, W2, W3 = layer_weights(model)
    b1, b2, b3 = (model.layers[i].bias.data for i in (0, 2, 4))
    np.testing.assert_allclose(inputs, points)
    np.testing.assert_allclose(h1, np.tanh(points @ W1.T + b1))
    np.testing.assert_allclose(h2, np.tanh(h1 @ W2.T + b2))
    np.testing.assert_allclose(out, h2 @ W3.T + b3)
    with ag.no_grad():
        np.testing.assert_allclose(out, model(points).data)


def test_playground_network_view_shows_every_neuron_and_weight():
    pg = Playground(dataset="xor", hidden=[3, 2], seed=1)
    pg.step(20)
    net = pg._network
    assert [len(column) for column in net.tiles] == [2, 3, 2, 1]
    outputs = layer_outputs(pg.model, net.points)
    for k in (1, 2):  # hidden tiles hold the neuron's tanh output over the plane
        for i, tile in enumerate(net.tiles[k]):
            np.testing.assert_allclose(tile.get_array(), outputs[k][:, i].reshape(net.xx.shape))
    np.testing.assert_allclose(net.tiles[3][0].get_array().ravel(),
                               np.tanh(outputs[3][:, 0] / 2))  # 2σ(z) − 1
    weights = np.concatenate([W.ravel() for W in layer_weights(pg.model)])
    colors = net.links.get_colors()
    blue, orange = (np.array(matplotlib.colors.to_rgb(c)) for c in ("#4e79a7", "#f28e2b"))
    assert len(colors) == len(weights) == 2 * 3 + 3 * 2 + 2 * 1
    for w, color in zip(weights, colors):
        np.testing.assert_allclose(color[:3], blue if w > 0 else orange)
    widths = np.asarray(net.links.get_linewidths())
    assert widths[np.argmax(np.abs(weights))] == widths.max()
    wide = Playground(hidden=[20])  # more neurons than tiles: eight shown
    assert [len(column) for column in wide._network.tiles] == [2, 8, 1]


@pytest.mark.parametrize("name", list(DATASETS))
def test_playground_trains_on_every_data_set(name):
    pg = Playground(dataset=name, hidden=[6], seed=0, n_samples=120)
    start = pg.loss
    pg.step(40)
    assert pg.loss < start
    assert pg.png.startswith(PNG) and "step 40" in pg.loss_svg
    if name in ("plane", "bumps"):
        assert pg.regression and np.isnan(pg.accuracy()) and "accuracy" not in pg._status.value
    else:
        assert not pg.regression and 0 <= pg.accuracy() <= 1


@pytest.mark.parametrize("maker", [data.make_gaussians, data.make_plane, data.make_bumps])
def test_new_data_sets_are_seeded_local_and_checked(maker):
    X, y = maker(101, noise=0.1, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.shape == (101,)
    X2, y2 = maker(101, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(maker(101, noise=0.1, seed=4)[0], X)
    for bad in [dict(n_samples=0), dict(n_samples=2.5), dict(noise=-0.1), dict(seed=-1),
                dict(seed="a")]:
        args = {"n_samples": 10, "noise": 0.0, "seed": 0, **bad}
        with pytest.raises((ValueError, TypeError), match=maker.__name__):
            maker(**args)


def test_gaussians_and_regression_targets():
    X, y = data.make_gaussians(400, seed=0)
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [200, 200]
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [1, 1], atol=0.1)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-1, -1], atol=0.1)
    X, y = data.make_plane(50, seed=0)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, X.sum(axis=1) / 2)
    X, y = data.make_bumps(200, seed=0)
    assert y.dtype == np.float64 and -1.5 < y.min() < 0 < y.max() < 1.5
    near = np.argmin(np.linalg.norm(X - [-0.5, 0.5], axis=1))  # a positive bump there
    assert y[near] > 0.5


def test_playground_multiclass_spirals_and_reset():
    pg = Playground(dataset="spirals", hidden=[8])
    pg.step(3)
    pg.reset()
    assert pg.iteration == 0 and pg.history["loss"] == []
    assert 0 <= pg.accuracy("train") <= 1


def test_playground_play_and_pause_on_an_event_loop():
    pg = Playground(hidden=[4], steps_per_frame=3)
    renders = pg.renders

    async def session():
        pg.play()
        for _ in range(3):
            await asyncio.sleep(0)  # the training task runs between these
        pg.pause()
        await pg._task

    in_fresh_thread(asyncio.run, session())
    assert pg.iteration > 0 and not pg.playing
    frames = pg.iteration // 3
    assert pg.iteration == 3 * frames and pg.renders == renders + frames  # a picture a frame
    assert pg.buttons["play"].value is False


def test_playground_play_without_a_loop_says_what_to_do():
    pg = Playground(hidden=[2])
    with pytest.raises(RuntimeError, match="step"):
        in_fresh_thread(pg.play)
    assert not pg.playing


def test_playground_shows_a_picture_without_a_kernel_and_draws_a_graph():
    pg = Playground(hidden=[3])
    pg.step(2)
    bundle, _ = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "image/png" in bundle and pg.png.startswith(PNG)
    # the still picture stacks the network and the loss panel, at twice the widget's pixels
    still = pg.snapshot_png()
    width, height = png_size(still)
    assert width == png_size(pg.png)[0] and height > png_size(pg.png)[1]
    assert pg.snapshot()._repr_png_()[1]["width"] == width // 2
    renders = pg.renders
    pg.step(1)
    assert pg.renders == renders + 1
    before = [None if p.grad is None else np.array(p.grad) for p in pg.model.parameters()]
    player = pg.graph_of_sample(3)
    assert player.title == "loss on training sample 3"
    groups = player.data["groups"]
    linear = [g for g in groups if g["kind"] == "Linear"]
    assert len(linear) == len(pg.hidden) + 1 and all(g["closed"] for g in linear)
    for b, p in zip(before, pg.model.parameters()):  # the player writes no .grad
        assert (b is None and p.grad is None) or np.array_equal(b, np.array(p.grad))
    with pytest.raises(IndexError, match="graph_of_sample: sample 999"):
        pg.graph_of_sample(999)
    picture = pg.draw_graph(3)  # the same graph, still, with one backward pass's gradients
    assert len(picture.graph.nodes) > 5
    assert any(n.grad is not None for n in picture.graph.nodes if n.kind == "leaf")
    for b, p in zip(before, pg.model.parameters()):  # and the parameters' .grad as it was
        assert (b is None and p.grad is None) or np.array_equal(b, np.array(p.grad))


# ----------------------------------------------------------------------------- pictures
def test_write_pictures(tmp_path, rng):
    X, y = data.make_moons(60, noise=0.1, seed=4)
    model = nn.MLP(2, [6], 1, rng=rng)
    history = nn.fit(model, bce, X, y, optim.Adam(model.parameters(), lr=0.05), steps=10,
                     progress=False)
    paths = write_pictures(model, X, y, history, tmp_path / "pics")
    assert set(paths) == {"loss", "decision_boundary"}
    for path in paths.values():
        assert path.read_bytes().startswith(PNG)


def test_write_pictures_with_the_loss_adds_the_graph_and_its_backward_pass(tmp_path, rng):
    X, y = data.make_moons(60, noise=0.1, seed=4)
    model = nn.MLP(2, [6], 1, rng=rng)
    loss_fn = nn.binary_cross_entropy_with_logits
    history = nn.fit(model, loss_fn, X, y.reshape(-1, 1), optim.Adam(model.parameters(), lr=0.05),
                     steps=5, progress=False)
    before = {name: p.grad.data.copy() for name, p in model.named_parameters()}
    paths = write_pictures(model, X, y, history, tmp_path, loss_fn=loss_fn,
                           targets=y.reshape(-1, 1))
    assert set(paths) == {"loss", "decision_boundary", "graph", "backward"}
    svg = paths["graph"].read_text()
    assert svg.startswith("<svg") and "layers.0.weight" in svg and "bce_with_logits" in svg
    page = paths["backward"].read_text()
    assert page.startswith("<!DOCTYPE html>") and "layers.2.bias" in page
    for name, p in model.named_parameters():  # the last training step's gradients stay
        np.testing.assert_array_equal(p.grad.data, before[name])


# ----------------------------------------------------------------------------- resolution
def test_loss_plot_is_drawn_at_retina_resolution():
    plot = LossPlot(min_interval=0, show=False)
    plot.update(1, 0.5)
    png, size = plot._repr_png_()
    width_in, height_in = plot.figure.get_size_inches()
    assert size == {"width": round(width_in * 100), "height": round(height_in * 100)}
    assert png_size(png) == (2 * size["width"], 2 * size["height"])


def test_notebook_05_figures_are_sharp():
    """Every picture the notebook shows has at least 100 dots per inch of the figure, drawn
    at twice the pixels it is shown at (retina)."""
    notebook = json.loads(NOTEBOOK_05.read_text())
    shown = 0
    for i, cell in enumerate(notebook["cells"]):
        for out in cell.get("outputs", []):
            if "image/png" not in out.get("data", {}):
                continue
            png = base64.b64decode(out["data"]["image/png"])
            width = out.get("metadata", {}).get("image/png", {}).get("width")
            assert width, f"cell {i}: a PNG without a display width (not retina)"
            assert png_size(png)[0] >= 2 * width - 2, f"cell {i}: not drawn at 2× its size"
            dpi = png_dpi(png)
            assert dpi is None or dpi >= 199, f"cell {i}: {dpi:.0f} dpi"
            shown += 1
    assert shown >= 5


def test_notebook_05_exercises_have_a_blank_a_folded_answer_and_a_check():
    """The course's exercise form (as in notebook 04): a cell with ``...  # ✏️`` blanks, a
    folded **Answer** that makes the notebook run top to bottom, and a check whose stored
    output says ✓."""
    cells = json.loads(NOTEBOOK_05.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    blanks = [i for i, s in enumerate(sources) if "# ✏️" in s and cells[i]["cell_type"] == "code"]
    assert len(blanks) >= 3
    for i in blanks:
        assert "..." in sources[i]
        assert sources[i + 1].strip() == "**Answer**"
        answer = cells[i + 2]
        assert answer["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert "..." not in sources[i + 2] and "# ✏️" not in sources[i + 2]
        assert sources[i + 3].strip() == "Check:"
        check = cells[i + 4]
        assert "nbval-check-output" in check["metadata"].get("tags", [])
        printed = "".join("".join(o.get("text", "")) for o in check.get("outputs", []))
        assert printed.startswith("✓"), f"check after cell {i} printed {printed!r}"
