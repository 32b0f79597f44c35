"""What the Playground's loss panel looks like in the page, read from the rendered DOM and pixels.

The panel is inline SVG (matplotlib's, text kept as ``<text>``): the browser lays it out, so
its tick labels, curves and frame have real on-screen boxes. ``read_loss_panel`` collects them;
``axis_value_at`` turns a screen x into a step by the tick labels the learner reads;
``curve_columns`` finds, in a screenshot, the columns where a curve's colour is painted.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

# Everything a learner sees in the loss panel, in CSS pixels of the page.
READ_LOSS_PANEL = """(root) => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                     width: r.width, height: r.height});
  const view = root.querySelector('.agnb-playground-loss');
  const svg = view && view.querySelector('svg');
  if (!svg) return null;
  const shown = svg.getBoundingClientRect();
  const scale = shown.width / svg.viewBox.baseVal.width;  // CSS px per SVG unit
  const axes = svg.querySelector('#agnb-loss-axes');
  const texts = [...svg.querySelectorAll('text')].map(t => ({
    text: t.textContent.trim(), box: box(t.getBoundingClientRect()),
    px: parseFloat(getComputedStyle(t).fontSize) * scale}));
  const ticks = [...axes.querySelectorAll('g[id^="xtick_"] text')].map(t => {
    const r = t.getBoundingClientRect();
    return {label: t.textContent.trim(), x: (r.left + r.right) / 2};
  });
  const curves = [...axes.querySelectorAll(':scope > g[id^="line2d_"] path')]
    .map(p => box(p.getBoundingClientRect()));
  const status = root.querySelector('.agnb-playground-status');
  const image = root.querySelector('.agnb-playground-network img, img.agnb-playground-network');
  const output = root.closest('.jp-OutputArea-output') || root;
  return {
    svg: box(shown), frame: box(axes.querySelector('g[id^="patch_"] path').getBoundingClientRect()),
    ticks, curves, texts, output: box(output.getBoundingClientRect()),
    overflow: output.scrollWidth - output.clientWidth,
    status_px: status ? parseFloat(getComputedStyle(status).fontSize) : 0,
    image: image ? {box: box(image.getBoundingClientRect()), natural: image.naturalWidth} : null,
  };
}"""


def axis_value_at(ticks: list[dict], x: float) -> float:
    """The step at screen ``x``, read from the x tick labels (a straight-line fit of label
    against position: the learner's own reading of the axis)."""
    values = np.array([float(t["label"].replace("−", "-")) for t in ticks])
    where = np.array([t["x"] for t in ticks])
    assert len(values) >= 3, f"the loss axis shows too few tick labels: {ticks}"
    slope, intercept = np.polyfit(where, values, 1)
    return float(slope * x + intercept)


def inside(inner: dict, outer: dict, tolerance: float = 1.0) -> bool:
    """True when box ``inner`` lies within box ``outer`` (CSS px, give or take ``tolerance``)."""
    return (inner["left"] >= outer["left"] - tolerance
            and inner["right"] <= outer["right"] + tolerance
            and inner["top"] >= outer["top"] - tolerance
            and inner["bottom"] <= outer["bottom"] + tolerance)


def curve_columns(png: bytes, color: str, rows: tuple[float, float],
                  tolerance: int = 40) -> np.ndarray:
    """Columns of the screenshot ``png`` where ``color`` ("#rrggbb") is painted, looking only
    at ``rows`` (top, bottom: the plot's frame, so that the legend does not count)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    rgb = rgb[max(int(rows[0]), 0):int(np.ceil(rows[1]))]
    target = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])
    hit = np.abs(rgb - target).sum(axis=2) <= tolerance
    return np.flatnonzero(hit.any(axis=0))
