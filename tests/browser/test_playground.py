"""``viz.Playground`` in JupyterLab: play trains while the page watches, pause stops it, and the
learning-rate control changes how far a step goes.

What the page shows is read from the status line (``step N · train loss L · …``, class
``agnb-playground-status``) and the picture (an image widget, redrawn while training: each
redraw gives the ``<img>`` a new ``src``). A sampler in the page records both as they change.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
    lab.screenshot("playground-paused", root)

    # The learning rate takes effect: the same three steps from the same start go much
    # further with a large rate than with a tiny one.
    tiny_first, tiny_last = pg.losses_after_steps("0.0001", 3)
    large_first, large_last = pg.losses_after_steps("0.3", 3)
    assert tiny_first == large_first == start_loss, (tiny_first, large_first, start_loss)
    tiny, large = abs(tiny_first - tiny_last), abs(large_first - large_last)
    assert large > 10 * max(tiny, 1e-4), f"loss change: {tiny} at lr 0.0001, {large} at lr 0.3"
    assert not lab.errors()
