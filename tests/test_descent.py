"""Optimizer paths (``viz.descent``) and their explorer, checked by what a learner sees.

The numbers (paths against optimizers run by hand, each with its own learning rate, momentum
and start), the explorer's state, and the pixels: every path's colour is present in the
rendered picture, and every figure in notebook 04 has at least 100 pixels per figure inch.
"""

import base64
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import autograd_nb as ag  # noqa: E402
from autograd_nb import optim, viz  # noqa: E402
from autograd_nb.viz.descent import (  # noqa: E402
    PATH_STYLES,
    DescentExplorer,
    descent,
    descent_widget,
    quadratic_bowl,
    rosenbrock,
    run_optimizer,
)
from autograd_nb.viz.loss_plot import render_png  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_gradient_descent.ipynb"
COLORS = {name: style.color for name, style in PATH_STYLES.items()}


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test starts and ends without open pyplot figures."""
    yield
    plt.close("all")


def _rgb(color: str) -> np.ndarray:
    """'#D55E00' → array([213, 94, 0])."""
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


def _pixels(png: bytes) -> np.ndarray:
    """The picture as an (H, W, 3) array of 0..255 integers."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _count(pixels: np.ndarray, color: str, tolerance: int = 30) -> int:
    """How many pixels are within ``tolerance`` (per channel) of ``color``."""
    return int((np.abs(pixels - _rgb(color)).max(axis=-1) <= tolerance).sum())


def _by_hand(f, x0, make, steps):
    """The path of ``steps`` optimizer steps from ``x0``, written out."""
    p = ag.tensor(np.array(x0, dtype=float), requires_grad=True)
    opt = make([p])
    path = [p.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        f(p).backward()
        opt.step()
        path.append(p.data.copy())
    return np.array(path)


# ----------------------------------------------------------------------------- the numbers
def test_the_public_signature_still_works_and_draws_the_loss_panel():
    result = viz.descent(quadratic_bowl, (-2.5, 1.5), optimizers=["sgd", "adam"])
    assert set(result.paths) == {"sgd", "adam"}
    assert result.loss_ax is not None and result.loss_ax.figure is result.fig
    for line, name in zip(result.loss_ax.get_lines(), ["sgd", "adam"]):
        np.testing.assert_allclose(line.get_ydata(), result.values[name])
        np.testing.assert_array_equal(line.get_xdata(), np.arange(len(result.values[name])))
    assert result.loss_ax.get_yscale() == "log"  # f > 0 along every path
    alone = descent(quadratic_bowl, (-2.5, 1.5), ["sgd"], 10, 0.05, loss_panel=False)
    assert alone.loss_ax is None and len(alone.fig.axes) == 1


def test_each_optimizer_has_its_own_rate_momentum_and_start():
    result = descent(
        rosenbrock, (-1.5, 2.0), steps=30, resolution=20,
        lr={"sgd": 1e-3, "momentum": 5e-4, "adam": 0.05},
        momentum={"momentum": 0.5, "adam": 0.8},
        starts={"adam": (0.5, 2.5)},
    )
    hand = {
        "sgd": _by_hand(rosenbrock, (-1.5, 2.0), lambda p: optim.SGD(p, lr=1e-3), 30),
        "momentum": _by_hand(rosenbrock, (-1.5, 2.0),
                             lambda p: optim.SGD(p, lr=5e-4, momentum=0.5), 30),
        "adam": _by_hand(rosenbrock, (0.5, 2.5),
                         lambda p: optim.Adam(p, lr=0.05, betas=(0.8, 0.999)), 30),
    }
    for name, path in hand.items():
        np.testing.assert_allclose(result.paths[name], path, rtol=1e-12)
        np.testing.assert_allclose(result.values[name], [rosenbrock(q) for q in path])


def test_paths_that_share_an_optimizer_still_look_different():
    result = descent(quadratic_bowl, (-2.5, 1.5), {"a": "sgd", "b": "sgd", "c": "sgd"}, 10,
                     0.05, loss_panel=False)
    lines = [line for line in result.ax.get_lines()
             if line.get_label().startswith(("a ", "b ", "c "))]
    styles = {(line.get_color(), line.get_marker(), line.get_linestyle()) for line in lines}
    assert len(lines) == 3 and len(styles) == 3


# ----------------------------------------------------------------------------- the pixels
def test_every_path_shows_even_when_the_paths_coincide():
    """Three optimizers on exactly the same path: each colour must still be on the picture."""
    same = descent(quadratic_bowl, (-2.5, 1.5), {"sgd": "sgd", "momentum": "sgd", "adam": "sgd"},
                   steps=30, lr=0.05, loss_panel=False)
    np.testing.assert_array_equal(same.paths["sgd"], same.paths["adam"])
    pixels = _pixels(render_png(same.fig, dpi=100))
    for name, color in COLORS.items():
        assert _count(pixels, color) >= 40, f"{name}'s path ({color}) is hidden"


def test_figures_have_at_least_100_pixels_per_inch():
    result = descent(rosenbrock, (-1.5, 2.0), steps=50, lr={"adam": 0.05}, resolution=40)
    width, height = result.fig.get_size_inches()
    png = render_png(result.fig, dpi=100)
    image = Image.open(io.BytesIO(png))
    assert image.size[0] >= 100 * width - 1 and image.size[1] >= 100 * height - 1
    pixels = _pixels(png)
    for name, color in COLORS.items():
        assert _count(pixels, color) >= 40, f"{name}'s path ({color}) is missing"


# ----------------------------------------------------------------------------- the explorer
def test_the_explorer_is_a_widget_with_controls_per_optimizer():
    explorer = descent_widget(quadratic_bowl, (-2.5, 1.5), steps=20,
                              lr={"sgd": 0.15, "momentum": 0.04, "adam": 0.2}, resolution=20)
    assert isinstance(explorer, widgets.Widget) and isinstance(explorer, DescentExplorer)
    widgets.VBox([explorer])
    widgets.Tab([explorer])
    assert set(explorer.controls) == {"sgd", "momentum", "adam"}
    for controls in explorer.controls.values():
        assert set(controls) == {"lr", "momentum", "x", "y"}
        assert all(isinstance(c, widgets.Widget) for c in controls.values())
    assert explorer.lr == {"sgd": 0.15, "momentum": 0.04, "adam": 0.2}
    assert explorer.controls["momentum"]["momentum"].value == 0.9
    assert explorer.controls["sgd"]["momentum"].value == 0.0

    before = {name: path.copy() for name, path in explorer.result.paths.items()}
    explorer.controls["adam"]["lr"].value = 0.01  # only Adam's path may change
    after = explorer.result.paths
    np.testing.assert_array_equal(after["sgd"], before["sgd"])
    np.testing.assert_array_equal(after["momentum"], before["momentum"])
    assert np.abs(after["adam"][-1] - after["adam"][0]).max() < 0.01 * 20 + 1e-9


def test_set_moves_one_optimizer_and_redraws_once():
    explorer = descent_widget(quadratic_bowl, (-2.5, 1.5), steps=15, resolution=15)
    drawn = []
    explorer.image.observe(lambda change: drawn.append(change), names="value")
    explorer.set("momentum", lr=0.02, momentum=0.5, start=(1.0, -1.0))
    assert len(drawn) == 1
    path = explorer.result.paths["momentum"]
    np.testing.assert_allclose(path[0], (1.0, -1.0), atol=0.02)  # the slider's step
    hand = _by_hand(quadratic_bowl, path[0], lambda p: optim.SGD(p, lr=0.02, momentum=0.5), 15)
    np.testing.assert_allclose(path, hand, rtol=1e-12)
    explorer.steps = 5
    assert len(explorer.result.paths["sgd"]) == 6 and len(drawn) == 2


def test_the_explorer_picture_is_sharp_and_shows_every_path():
    explorer = descent_widget(rosenbrock, (-1.5, 2.0), steps=150,
                              lr={"sgd": 1e-3, "momentum": 1e-3, "adam": 0.05})
    png = bytes(explorer.image.value)
    image = Image.open(io.BytesIO(png))
    width, height = DescentExplorer.figsize
    assert image.size == (round(width * DescentExplorer.dpi), round(height * DescentExplorer.dpi))
    assert DescentExplorer.dpi >= 200  # 2 device pixels per CSS pixel at 100 px per inch
    pixels = _pixels(png)
    for name, color in COLORS.items():
        assert _count(pixels, color) >= 40, f"{name}'s path ({color}) is missing"
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == png


# ----------------------------------------------------------------------------- notebook 04
def _notebook() -> dict:
    """Notebook 04 as stored: the outputs are those of its last top-to-bottom run."""
    return json.loads(NOTEBOOK.read_text())


def _figures(nb: dict) -> list[tuple[str, bytes, dict]]:
    """``(cell source, PNG bytes, display metadata)`` for every picture in the notebook."""
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                found.append(("".join(cell["source"]), base64.b64decode(out["data"]["image/png"]),
                              out.get("metadata", {}).get("image/png", {})))
    return found


def test_notebook_figures_have_100_dpi_worth_of_pixels():
    """Each picture's pixels against its size on the page: the inline backend shows a figure
    at ``figure.dpi`` CSS pixels per inch (the metadata width) and the PNG must hold at least
    100 pixels per figure inch, i.e. at least as many as the figure is wide at 100 dpi."""
    figures = _figures(_notebook())
    assert len(figures) >= 6
    for source, png, shown in figures:
        image = Image.open(io.BytesIO(png))
        dpi = round(image.info["dpi"][0])  # matplotlib writes the dpi it saved at
        inches = image.size[0] / dpi, image.size[1] / dpi
        assert dpi >= 100 and image.size[0] >= 100 * inches[0] - 1, source[:60]
        assert 4 <= inches[0] <= 13, f"a {inches[0]:.1f}-inch-wide figure: {source[:60]}"
        if shown:  # retina: twice the pixels of its size on the page
            assert image.size[0] >= 2 * shown["width"] - 1, source[:60]
            assert shown["width"] <= 1250, "wider than a notebook column"


@pytest.mark.parametrize("marker", ["bowl = descent(", "tuned = descent(", "valley = descent("])
def test_notebook_pictures_show_every_optimizer(marker):
    pictures = [png for source, png, _ in _figures(_notebook()) if marker in source]
    assert len(pictures) == 1
    pixels = _pixels(pictures[0])
    for name, color in COLORS.items():
        assert _count(pixels, color) >= 100, f"{marker}: {name}'s path ({color}) is hidden"


def test_notebook_explorer_pictures_are_stored_sharp_and_show_every_optimizer():
    """The explorers' pictures live in the stored widget state (what a reader without a
    kernel sees)."""
    state = _notebook()["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    images = [model for model in state["state"].values() if model["model_name"] == "ImageModel"]
    assert len(images) == 2
    for model in images:
        png = base64.b64decode(model["buffers"][0]["data"])
        image = Image.open(io.BytesIO(png))
        assert round(image.info["dpi"][0]) >= 200 and image.size[0] >= 2 * 1000
        pixels = _pixels(png)
        for name, color in COLORS.items():
            assert _count(pixels, color) >= 100, f"explorer: {name}'s path is hidden"


def test_notebook_exercises_have_a_blank_a_folded_answer_and_a_check():
    cells = _notebook()["cells"]
    sources = ["".join(c["source"]) for c in cells]
    blanks = [i for i, s in enumerate(sources) if "# ✏️" in s and cells[i]["cell_type"] == "code"]
    assert len(blanks) >= 3
    for i in blanks:
        answer = cells[i + 2]
        assert sources[i + 1].strip() == "**Answer**"
        assert answer["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert "..." not in sources[i + 2]
        check = cells[i + 4]
        assert check["cell_type"] == "code"
        assert "nbval-check-output" in check["metadata"].get("tags", [])
        assert check.get("outputs"), "the check cell has no stored output"
    text = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    assert "converges" in text and "diverges" in text and "✗" not in text
    assert "same path as optim.SGD(momentum=0.9): True" in text


def test_notebook_uses_public_names_only():
    code = "\n".join("".join(c["source"]) for c in _notebook()["cells"]
                     if c["cell_type"] == "code")
    private = [word for word in code.replace("(", " ").replace(")", " ").split()
               if "._" in word and not word.startswith("#")]
    assert not private, private


# ---------------------------------------------------------------- paths, by hand and by widget
def test_descent_paths_match_running_the_optimizers_by_hand():
    lr = {"sgd": 1e-3, "momentum": 1e-3, "adam": 0.05}
    result = descent(rosenbrock, (-1.5, 2.0), steps=40, lr=lr, resolution=30)
    hand = {
        "sgd": _by_hand(rosenbrock, (-1.5, 2.0), lambda p: optim.SGD(p, lr=1e-3), 40),
        "momentum": _by_hand(rosenbrock, (-1.5, 2.0),
                             lambda p: optim.SGD(p, lr=1e-3, momentum=0.9), 40),
        "adam": _by_hand(rosenbrock, (-1.5, 2.0), lambda p: optim.Adam(p, lr=0.05), 40),
    }
    for name, path in hand.items():
        np.testing.assert_allclose(result.paths[name], path, rtol=1e-12)
        assert result.paths[name].shape == (41, 2)
        values = [rosenbrock(point) for point in path]
        np.testing.assert_allclose(result.values[name], values, rtol=1e-12)
    assert result.values["momentum"][-1] < result.values["momentum"][0]
    assert "sgd" in repr(result)
    import matplotlib.pyplot as plt

    plt.close(result.fig)


def test_descent_stops_a_diverging_path_and_takes_custom_optimizers():
    custom = {"sgd": "sgd", "slow": lambda p: optim.SGD(p, lr=0.01)}
    result = descent(quadratic_bowl, (-2.5, 1.5), custom, steps=80, lr=0.25, resolution=20)
    assert len(result.paths["sgd"]) < 81  # lr 0.25 > 2/10: y grows ×1.5 each step
    assert np.all(np.isfinite(result.paths["sgd"]))
    assert len(result.paths["slow"]) == 81
    assert result.values["slow"][-1] < result.values["slow"][0]
    import matplotlib.pyplot as plt

    plt.close(result.fig)


def test_descent_on_a_user_function_that_is_not_elementwise():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def f(p):
        return p @ ag.tensor(A) @ p / 2

    result = descent(f, (2.0, 2.0), ["sgd"], steps=30, lr=0.1, resolution=12)
    assert np.linalg.norm(result.paths["sgd"][-1]) < 0.05
    import matplotlib.pyplot as plt

    plt.close(result.fig)


def test_run_optimizer_values_are_f_along_the_path():
    path, values = run_optimizer(quadratic_bowl, (1.0, 1.0), lambda p: optim.SGD(p, lr=0.1), 5)
    assert path.shape == (6, 2) and values.shape == (6,)
    np.testing.assert_allclose(values, [quadratic_bowl(p) for p in path])


def test_descent_widget_reruns_when_the_learning_rate_moves():
    explorer = descent_widget(quadratic_bowl, (-2.5, 1.5), ["sgd"], steps=20, lr=0.01,
                              resolution=15)
    before = explorer.result.paths["sgd"][-1].copy()
    explorer.lr = 0.1
    after = explorer.result.paths["sgd"][-1]
    assert np.linalg.norm(after) < np.linalg.norm(before)
    assert bytes(explorer.image.value).startswith(b"\x89PNG\r\n\x1a\n")
    assert "image/png" in explorer._repr_mimebundle_()
