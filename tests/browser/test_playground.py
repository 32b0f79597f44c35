"""``viz.Playground`` in JupyterLab: play trains while the page watches, pause stops it, the
learning-rate control changes how far a step goes, and the loss panel's axis follows training.

What the page shows is read from the status line (``step N · train loss L · …``, class
``agnb-playground-status``), the network picture (an image widget, redrawn while training: each
redraw gives the ``<img>`` a new ``src``) and the loss panel (inline SVG: its tick labels,
curves and frame are read from the rendered page, and its curve from the screenshot's pixels,
see ``rendered.py``). A sampler in the page records the first two as they change.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .rendered import READ_LOSS_PANEL, axis_value_at, curve_columns, inside

pytestmark = pytest.mark.browser

SETUP = "from autograd_nb import viz\npg = viz.Playground(dataset='moons', seed=0)\npg"
STATUS = re.compile(r"step (\d+) · train loss (-?[\d.]+|nan)")
SAMPLER = """(root) => {
  window.agnbSamples = [];
  let last = '';
  window.agnbSampler = setInterval(() => {
    const status = root.querySelector('.agnb-playground-status');
    const img = root.querySelector('.widget-image');
    const state = {status: status ? status.textContent : '', src: img ? img.src : ''};
    const key = JSON.stringify(state);
    if (key !== last) { window.agnbSamples.push(state); last = key; }
  }, 20);
}"""
SAMPLES = "clearInterval(window.agnbSampler); window.agnbSamples"
# Played enough: 50 steps or more, and the picture redrawn at least twice.
PLAYED = """() => {
  const samples = window.agnbSamples, last = samples[samples.length - 1];
  const step = last ? Number((last.status.match(/step (\\d+)/) || [0, 0])[1]) : 0;
  return step >= 50 && new Set(samples.map(s => s.src)).size >= 3;
}"""


TRAIN_COLOR = "#1f77b4"  # the train loss curve
LEGIBLE_PX = 11


def _read(text: str) -> tuple[int, float]:
    found = STATUS.search(text)
    assert found, f"no step counter in {text!r}"
    return int(found[1]), float(found[2])


class PlaygroundPage:
    """The Playground's output in the page and the few things a learner does with it."""

    def __init__(self, lab, root):
        self.lab, self.root = lab, root
        self.status = root.locator(".agnb-playground-status")
        self.play_button = root.locator(".widget-toggle-button")

    def state(self) -> tuple[int, float]:
        return _read(self.status.text_content())

    def settled(self, quiet_ms: int = 600, timeout_ms: int = 20_000):
        """Wait until the status line and the picture stay the same for ``quiet_ms``; returns
        ``(state(), picture src)``."""
        image = self.root.locator(".widget-image")
        seen = (self.state(), image.get_attribute("src"))
        for _ in range(timeout_ms // quiet_ms):
            self.lab.page.wait_for_timeout(quiet_ms)
            now = (self.state(), image.get_attribute("src"))
            if now == seen:
                return now
            seen = now
        raise AssertionError(f"the Playground never came to rest: {seen}")

    def loss_panel(self) -> dict:
        """The loss panel as laid out in the page (see ``rendered.READ_LOSS_PANEL``)."""
        panel = self.root.evaluate(READ_LOSS_PANEL)
        assert panel is not None, "the loss panel (inline SVG) is not in the page"
        return panel

    def wait_step(self, step: int) -> float:
        expect(self.status).to_contain_text(f"step {step} ·")
        return self.state()[1]

    def click(self, label: str) -> None:
        self.root.locator("button", has_text=re.compile(rf"^\s*{label}\s*$")).click()

    def set_rate(self, rate: str) -> None:
        control = self.root.locator(".widget-dropdown", has_text="learning rate")
        control.locator("select").select_option(label=rate)

    def losses_after_steps(self, rate: str, steps: int) -> tuple[float, float]:
        """Reset, set the learning rate, click "step" ``steps`` times: (first, last) loss."""
        self.click("reset")
        first = self.wait_step(0)
        self.set_rate(rate)
        for k in range(1, steps + 1):
            self.click("step")
            last = self.wait_step(k)
        return first, last


def test_playground_plays_pauses_and_follows_the_learning_rate(lab):
    lab.open(lab.write_notebook("playground.ipynb", SETUP))
    lab.run_all()
    assert not lab.errors()
    root = lab.cell_outputs(0).filter(has=lab.page.locator(".agnb-playground-status")).first
    pg = PlaygroundPage(lab, root)
    start_loss = pg.wait_step(0)

    # Play: the counter, the picture and the loss move.
    root.evaluate(SAMPLER)
    pg.play_button.click()
    expect(pg.play_button).to_have_text(re.compile("pause"))
    lab.page.wait_for_function(PLAYED, timeout=45_000)
    lab.screenshot("playground-playing", root)
    pg.play_button.click()  # pause
    expect(pg.play_button).to_have_text(re.compile("play"))
    samples = lab.page.evaluate(SAMPLES)
    steps = [_read(s["status"])[0] for s in samples]
    assert steps == sorted(steps), f"the step counter went back: {steps}"
    assert len(set(steps)) >= 3, f"the step counter barely moved while playing: {steps}"
    pictures = {s["src"] for s in samples}
    assert len(pictures) >= 3, "the picture (loss curve, boundary) was not redrawn while playing"

    # Pause: once the last chunk of training and its picture have landed, nothing moves.
    paused, picture = pg.settled()
    lab.page.wait_for_timeout(1000)
    assert pg.state() == paused, "training went on after pause"
    assert root.locator(".widget-image").get_attribute("src") == picture
    paused_at, paused_loss = paused
    assert paused_loss < 0.8 * start_loss, (start_loss, paused_loss)
    check_loss_axis_reaches(pg.loss_panel(), paused_at)
    lab.screenshot("playground-paused", root)

    # The learning rate takes effect: the same three steps from the same start go much
    # further with a large rate than with a tiny one.
    tiny_first, tiny_last = pg.losses_after_steps("0.0001", 3)
    large_first, large_last = pg.losses_after_steps("0.3", 3)
    assert tiny_first == large_first == start_loss, (tiny_first, large_first, start_loss)
    tiny, large = abs(tiny_first - tiny_last), abs(large_first - large_last)
    assert large > 10 * max(tiny, 1e-4), f"loss change: {tiny} at lr 0.0001, {large} at lr 0.3"
    assert not lab.errors()


def check_loss_axis_reaches(panel: dict, step: int) -> None:
    """The rendered loss axis runs from step 0 to ``step`` (read from its tick labels), and
    both curves end at ``step`` on it, inside the frame."""
    frame, ticks = panel["frame"], panel["ticks"]
    left, right = (axis_value_at(ticks, frame[side]) for side in ("left", "right"))
    assert abs(left) <= 0.02 * step + 0.5, f"the loss axis starts at step {left:.1f}, not 0"
    assert step - 0.5 <= right <= 1.02 * step + 0.5, (
        f"after {step} steps the loss axis ends at step {right:.1f}: "
        f"tick labels {[t['label'] for t in ticks]}")
    assert len(panel["curves"]) == 2, f"expected train and test curves: {panel['curves']}"
    for curve in panel["curves"]:
        end = axis_value_at(ticks, curve["right"])
        assert abs(end - step) <= 0.02 * step + 0.5, f"a curve ends at step {end:.1f}, not {step}"
        assert inside(curve, frame), f"a curve leaves the loss panel's frame: {curve} {frame}"


def check_legible_and_whole(panel: dict) -> None:
    """Every piece of text is at least ``LEGIBLE_PX`` tall and inside the picture, the picture
    inside the cell's output, and the network picture shown at its full (HiDPI) size."""
    small = [(t["text"], round(t["px"], 1)) for t in panel["texts"] if t["px"] < LEGIBLE_PX]
    assert not small, f"text smaller than {LEGIBLE_PX} px in the loss panel: {small}"
    cut = [t["text"] for t in panel["texts"] if not inside(t["box"], panel["svg"])]
    assert not cut, f"text cut off at the loss panel's edge: {cut}"
    assert inside(panel["svg"], panel["output"]), (panel["svg"], panel["output"])
    assert panel["overflow"] <= 1, f"the Playground is {panel['overflow']} px too wide"
    assert panel["status_px"] >= LEGIBLE_PX, f"status line at {panel['status_px']} px"
    image = panel["image"]
    assert image is not None, "the network picture is not in the page"
    assert inside(image["box"], panel["output"]), (image["box"], panel["output"])
    scale = image["natural"] / image["box"]["width"]
    assert 1.9 <= scale <= 2.1, f"the network PNG is shown at 1/{scale:.2f} of its pixels, not 1/2"


def test_playground_loss_axis_follows_the_steps(lab):
    steps = 600
    lab.open(lab.write_notebook(
        "playground_axis.ipynb",
        "from autograd_nb import viz\n"
        "pg = viz.Playground(dataset='spirals', noise=0.05, hidden=[8, 8], seed=0)\npg",
        f"pg.step({steps});"))
    lab.run_all()
    assert not lab.errors()
    root = lab.cell_outputs(0).filter(has=lab.page.locator(".agnb-playground-status")).first
    pg = PlaygroundPage(lab, root)
    final_loss = pg.wait_step(steps)
    assert final_loss < 0.2, final_loss
    expect(root.locator(".agnb-playground-loss svg")).to_contain_text(f"step {steps}")
    panel = pg.loss_panel()
    check_loss_axis_reaches(panel, steps)
    check_legible_and_whole(panel)

    # The pixels agree: inside the frame, the train curve's colour is painted up to the
    # frame's right edge and no further (screenshot coordinates start at the panel's corner).
    view = root.locator(".agnb-playground-loss svg")
    shot = lab.screenshot("playground-loss-axis", view).read_bytes()
    frame, svg = panel["frame"], panel["svg"]
    rows = (frame["top"] - svg["top"], frame["bottom"] - svg["top"])
    columns = curve_columns(shot, TRAIN_COLOR, rows) + svg["left"]
    assert columns.size, "no train curve painted in the loss panel"
    assert columns.max() <= frame["right"] + 2, "the curve is painted past the frame"
    assert columns.max() >= frame["right"] - 0.02 * frame["width"], (
        f"the curve is painted up to x = {columns.max():.0f} px; the axis ends at "
        f"{frame['right']:.0f} px")
    assert columns.min() <= frame["left"] + 0.02 * frame["width"], "the curve starts late"
    lab.screenshot("playground-after-600-steps", root)


def test_playground_graph_of_one_sample_is_the_sweep_player(lab):
    """"graph of one sample" shows the sweep player inside the Playground: each layer one box
    of readable text that opens on click, the whole player within the cell's width."""
    lab.open(lab.write_notebook(
        "playground_graph.ipynb",
        "from autograd_nb import viz\n"
        "pg = viz.Playground(dataset='moons', hidden=[8, 8], seed=0)\npg"))
    lab.run_all()
    assert not lab.errors()
    root = lab.cell_outputs(0).filter(has=lab.page.locator(".agnb-playground-status")).first
    pg = PlaygroundPage(lab, root)
    pg.wait_step(0)
    pg.click("graph of one sample")
    player = root.locator(".agnb-player")
    expect(player).to_have_count(1)
    expect(player.locator(".agnb-heading")).to_contain_text("loss on training sample 0")
    layers = player.locator("g.ag-group")
    expect(layers).to_have_count(3)  # three Linear layers, each one box
    assert layers.first.locator("text").first.text_content().startswith("layers.0 Linear")
    texts = player.evaluate("""(el) => {
      const stage = el.querySelector('.agnb-stage').getBoundingClientRect();
      return [...el.querySelectorAll('.agnb-stage g.ag-node text')]
        .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect())
        .filter(r => r.left >= stage.left && r.right <= stage.right).map(r => r.height);
    }""")
    assert texts and min(texts) >= 11, sorted(texts)[:5]
    out, box = root.bounding_box(), player.bounding_box()
    assert box["x"] + box["width"] <= out["x"] + out["width"] + 1, (box, out)
    before = player.locator("g.ag-node").count()
    player.locator(".agnb-search").fill("layers.0")  # the first layer is out of view: find it
    player.locator(".agnb-search").press("Enter")
    player.locator("g.ag-group", has_text="layers.0 ").click()
    expect(player.locator("g.agnb-frame", has_text="layers.0")).to_have_count(1)
    assert player.locator("g.ag-node").count() == before + 2  # weight, bias and linear
    player.locator(".agnb-last").click()
    expect(player.locator(".agnb-count")).to_contain_text("step")
    lab.screenshot("playground-graph-of-one-sample", root)
    assert not lab.errors()
