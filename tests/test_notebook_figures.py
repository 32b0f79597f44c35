"""Every figure stored in the tutorials is sharp: at least 100 dpi worth of pixels for its size.

A figure is read as a learner's browser gets it: the PNG in the notebook's stored outputs, its
resolution from the PNG's own ``pHYs`` chunk (matplotlib writes the dpi there), and, where the
notebook says how wide to show it, at least as many pixels as CSS pixels (no upscaling blur).
"""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))


def _dpi(png: bytes) -> float | None:
    """The resolution a PNG declares (pixels per inch), or ``None`` when it declares none."""
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind = png[at + 4:at + 8]
        if kind == b"pHYs":
            per_x, _, unit = struct.unpack(">IIB", png[at + 8:at + 17])
            return per_x * 0.0254 if unit == 1 else None
        if kind == b"IDAT":
            return None
        at += 12 + length
    return None


def _figures(path: Path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                png = base64.b64decode(data["image/png"])
                shown = output.get("metadata", {}).get("image/png", {})
                yield number, png, shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_figures_have_100_dpi_or_more(path):
    for number, png, shown in _figures(path):
        width = struct.unpack(">I", png[16:20])[0]
        dpi = _dpi(png)
        assert dpi is not None, f"{path.name} cell {number}: the PNG declares no resolution"
        assert round(dpi) >= 100, f"{path.name} cell {number}: {dpi:.0f} dpi"
        if "width" in shown:
            assert width >= shown["width"], (
                f"{path.name} cell {number}: {width} px shown {shown['width']} px wide")
