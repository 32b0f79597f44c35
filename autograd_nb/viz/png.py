"""PNG of a graph picture: matplotlib draws the same ``Scene`` the SVG is written from.

matplotlib is already a dependency and rasterises offline with its bundled DejaVu fonts, so a
PNG needs no Cairo, no browser and no Graphviz. Coordinates are the SVG's pixels.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon
from matplotlib.path import Path as MplPath

from .svg import CHAR_WIDTH, FONT_SIZE, LINE_HEIGHT, PAD, PALETTE, Scene

__all__ = ["save_png"]

_PT = 0.72  # one SVG pixel (1/100 inch here) in typographic points
_MONO = "DejaVu Sans Mono"


def _curve(points) -> MplPath:
    verts, codes = [points[0]], [MplPath.MOVETO]
    (x0, y0) = points[0]
    for x1, y1 in points[1:]:
        mid = (x1 - x0) / 2
        verts += [(x0 + mid, y0), (x1 - mid, y1), (x1, y1)]
        codes += [MplPath.CURVE4] * 3
        x0, y0 = x1, y1
    return MplPath(verts, codes)


def save_png(s: Scene, path: str | Path, scale: float = 2.0) -> None:
    """Write ``s`` as a PNG at ``scale`` device pixels per SVG pixel."""
    fig = Figure(figsize=(s.width / 100, s.height / 100), dpi=100 * scale)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, s.width)
    ax.set_ylim(s.height, 0)
    ax.axis("off")
    fs = FONT_SIZE * _PT
    ax.add_patch(FancyBboxPatch((0.5, 0.5), s.width - 1, s.height - 1,
                                boxstyle="round,pad=0,rounding_size=8",
                                facecolor=PALETTE["background"], edgecolor=PALETTE["frame"]))
    if s.title:
        ax.text(16, 22, s.title, fontsize=15 * _PT, fontweight="bold", color=PALETTE["text"],
                va="baseline")
    for a in s.arrows:
        ax.add_patch(PathPatch(_curve(a.points), facecolor="none", edgecolor=a.color,
                               linewidth=a.width * _PT))
        x, y = a.points[-1]
        ax.add_patch(Polygon([(x, y), (x - 8, y - 4), (x - 8, y + 4)], closed=True,
                             facecolor=a.color, edgecolor="none"))
        if a.label:
            lx, ly = a.label_at
            w = len(a.label) * CHAR_WIDTH + 8
            ax.add_patch(FancyBboxPatch((lx - w / 2, ly - 8), w, 16,
                                        boxstyle="round,pad=0,rounding_size=4",
                                        facecolor=PALETTE["label_fill"],
                                        edgecolor=PALETTE["label_stroke"], linewidth=_PT))
            ax.text(lx, ly + 4, a.label, fontsize=fs, family=_MONO, ha="center",
                    va="baseline", color=PALETTE["text"])
    for b in s.boxes:
        left, top = b.x - b.w / 2, b.y - b.h / 2
        if "ag-highlight" in b.classes:
            ax.add_patch(FancyBboxPatch((left - 4, top - 4), b.w + 8, b.h + 8,
                                        boxstyle="round,pad=0,rounding_size=9",
                                        facecolor="none", edgecolor=PALETTE["highlight"],
                                        linewidth=4 * _PT))
        ax.add_patch(FancyBboxPatch((left, top), b.w, b.h, boxstyle="round,pad=0,rounding_size=6",
                                    facecolor=b.fill, edgecolor=b.stroke,
                                    linewidth=b.stroke_width * _PT,
                                    linestyle=(0, (4, 3)) if b.dashed else "-"))
        for i, line in enumerate(b.lines):
            y = top + PAD / 2 + LINE_HEIGHT * (i + 1) - 4
            color = PALETTE[line.color]
            if line.lead:
                ax.text(left + PAD, y, line.lead, fontsize=fs, family=_MONO, fontweight="bold",
                        va="baseline", color=color)
            if line.text:
                ax.text(left + PAD + len(line.lead) * CHAR_WIDTH, y, line.text, fontsize=fs,
                        family=_MONO, va="baseline", color=color)
    y = s.height - 8 - LINE_HEIGHT * (len(s.footer) - 1)
    for i, line in enumerate(s.footer):
        ax.text(16, y + i * LINE_HEIGHT - 4, line, fontsize=11 * _PT, family=_MONO,
                va="baseline", color=PALETTE["muted"])
    fig.savefig(path, format="png", dpi=100 * scale)
