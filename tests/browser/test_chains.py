"""``viz.chains`` in JupyterLab: the picture of every chain is shown, legible, chains lit.

JupyterLab may show an ``image/svg+xml`` output inline or as an image, and shrinks it to the
width of the output area: the text size a learner sees is the SVG's font size times that
scale, measured in the page. The highlighted chains are found in the screenshot's pixels.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GRAPH = """\
import autograd_nb as ag
from autograd_nb import viz
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")
h = a + b; h.name = "h"
i = a * c; i.name = "i"
d = h * i; d.name = "d"
"""

AMBER = np.array([0xF5, 0x9E, 0x0B]) / 255  # PALETTE["highlight"]

# The smallest font size in the SVG, and how much the page scales the picture.
MEASURE = """
async (out) => {
  let svg = out.querySelector('svg.ag-chains');
  let shown;
  if (svg) {
    shown = svg.getBoundingClientRect().width;
  } else {
    const img = out.querySelector('img');
    shown = img.getBoundingClientRect().width;
    const text = decodeURIComponent(img.src.split(',')[1]);
    svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  }
  const sizes = [...svg.querySelectorAll('text')].map(t => {
    let node = t;
    while (node && !node.getAttribute('font-size')) node = node.parentElement;
    return parseFloat(node ? node.getAttribute('font-size') : '16');
  });
  return {natural: parseFloat(svg.getAttribute('width')), shown, smallest: Math.min(...sizes),
          lit: svg.querySelectorAll('g.ag-highlight').length,
          text: svg.textContent};
}
"""


def test_chains_picture_is_legible_with_the_chains_lit(lab):
    from matplotlib.image import imread

    lab.open(lab.write_notebook("chains.ipynb", GRAPH, "viz.chains(d, a)"))
    lab.run_all()
    assert not lab.errors()
    out = lab.cell_outputs(1).first
    expect(out).to_be_visible()
    seen = out.evaluate(MEASURE)
    assert "-10" in seen["text"] and "✓ the same" in seen["text"]
    assert seen["lit"] == 6  # three nodes on each of the two chains
    scale = seen["shown"] / seen["natural"]
    assert seen["smallest"] * scale >= 11, seen
    path = lab.screenshot("chains-two-chains", out)
    pixels = imread(io.BytesIO(path.read_bytes()))[..., :3]
    amber = np.all(np.abs(pixels - AMBER) < 0.08, axis=-1)
    assert amber.sum() > 800, "the highlighted chains do not show in the page"
    # both panels are lit: amber in the upper and in the lower half of the picture
    rows = np.flatnonzero(amber.any(axis=1))
    assert rows.min() < pixels.shape[0] * 0.4 and rows.max() > pixels.shape[0] * 0.5
