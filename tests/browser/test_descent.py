"""The descent explorer in JupyterLab, inside a Tab: its picture drawn sharp (twice the pixels
of its size on the page), every optimizer's path visible in the screenshot, a row of controls
per optimizer, and a slider moved with the keyboard redrawing the picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = (
    "import ipywidgets as widgets\n"
    "from autograd_nb.viz.descent import descent_widget, rosenbrock\n"
    "explorer = descent_widget(rosenbrock, (-1.5, 2.0), steps=150,\n"
    "                          lr={'sgd': 1e-3, 'momentum': 1e-3, 'adam': 0.05})\n"
    "tabs = widgets.Tab([explorer])\n"
    "tabs.titles = ('Rosenbrock',)\n"
    "tabs"
)
COLORS = {"sgd": (213, 94, 0), "momentum": (0, 114, 178), "adam": (0, 158, 115)}
LEGIBLE_PX = 11


def test_explorer_in_a_tab_is_sharp_shows_every_path_and_redraws(lab):
    lab.open(lab.write_notebook("descent.ipynb", SETUP))
    lab.run_all()
    assert not lab.errors(), lab.errors()
    root = lab.cell_outputs(0).first
    image = root.locator("img.widget-image")
    expect(image).to_be_visible()
    root.scroll_into_view_if_needed()

    natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert shown >= 600, f"the picture is squeezed to {shown:.0f} px"
    assert natural >= 2 * shown - 1, f"{natural} px drawn into {shown:.0f} CSS px: blurry"

    rows = root.locator(".widget-gridbox .widget-html", has_text="sgd")
    expect(rows).to_have_count(1)
    for name in COLORS:
        expect(root.locator(".widget-gridbox .widget-html", has_text=name).first).to_be_visible()
    assert root.locator(".widget-gridbox .widget-slider").count() == 12
    header_px = root.locator(".widget-gridbox .widget-html b").first.evaluate(
        "b => parseFloat(getComputedStyle(b).fontSize)")
    assert header_px >= LEGIBLE_PX

    shot = lab.screenshot("descent_explorer", image)
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    for name, rgb in COLORS.items():
        near = (np.abs(pixels - np.array(rgb)).max(axis=-1) <= 30).sum()
        assert near >= 40, f"{name}'s path is not visible in the page ({near} pixels)"
    lab.screenshot("descent_explorer_output", root)

    before = image.get_attribute("src")
    adam_rate = root.locator(".widget-gridbox .widget-slider").nth(8)  # adam: third row, rate
    adam_rate.locator(".noUi-handle").focus()
    lab.page.keyboard.press("ArrowLeft")
    expect(image).not_to_have_attribute("src", before, timeout=20_000)
    after = Image.open(io.BytesIO(image.screenshot()))
    assert after.size[0] >= 600
