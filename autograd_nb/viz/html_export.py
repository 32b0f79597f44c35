"""One self-contained HTML page that plays a recorded sweep offline; the static trace table.

The page holds the player module (``static/sweep_player.js``, the same one the live widget
runs) and the sweep as JSON data (``sweep_data``): the graph once, then what each step
changes, so its size grows with nodes + steps. Nothing is loaded from the network, and the
page contains no ``http`` reference at all. ``trace_table`` and ``STYLE`` serve the static
output shown where no JavaScript runs.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .recording import Recording
from .sweep_data import sweep_json

__all__ = ["page", "player_script", "trace_table", "inline_svg", "STYLE"]

_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")

STYLE = """
.agnb-player{font-family:system-ui,sans-serif;font-size:14px;line-height:1.4;
  color:inherit}
.agnb-controls{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.agnb-controls button{min-width:2.5em}
.agnb-main{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}
.agnb-stage{flex:1 1 480px;min-width:300px;max-width:900px;overflow:auto}
.agnb-stage svg{width:100%;height:auto}
.agnb-side{flex:1 1 340px;min-width:280px}
.agnb-equation{font-family:ui-monospace,monospace;font-size:15px;padding:6px 8px;
  border-left:4px solid #e8a500;background:rgba(232,165,0,0.12);margin-bottom:4px}
.agnb-note{opacity:0.8;margin-bottom:6px}
.agnb-trace{max-height:320px;overflow:auto;border:1px solid rgba(128,128,128,0.4)}
.agnb-trace table{border-collapse:collapse;width:100%;font-family:ui-monospace,monospace;
  font-size:12px}
.agnb-trace td,.agnb-trace th{padding:2px 6px;text-align:left;
  border-bottom:1px solid rgba(128,128,128,0.2);line-height:1.3;white-space:nowrap}
.agnb-trace tr.agnb-current{background:rgba(232,165,0,0.35)}
.agnb-detail{font-size:12px;max-height:200px;overflow:auto;white-space:pre}
"""

STATIC = Path(__file__).with_name("static")
# the player's module, in this order: plain functions (the layered layout, as layout.py; the
# graph as shown, placed and drawn), then the player, which uses them
PLAYER_FILES = ("layout.js", "graph_view.js", "sweep_player.js")

# After the module's code, in the same <script type="module">: read the data, mount the
# player, and let ``page.html#step=8`` open (or jump) at "step 8", counted from 1.
BOOT = """
const agnbRoot = document.getElementById("agnb-root");
const agnbPlayer = mount(agnbRoot, JSON.parse(document.getElementById("agnb-data").textContent));
function agnbFromHash() {
  const m = /step=([0-9]+)/.exec(window.location.hash);
  if (m) agnbPlayer.go(Number(m[1]) - 1);
}
window.addEventListener("hashchange", agnbFromHash);
agnbFromHash();
agnbRoot.firstElementChild.focus({ preventScroll: true });
"""


def player_script() -> str:
    """The front-end player module, shared with the widget: ``PLAYER_FILES`` joined into one
    ES module."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in PLAYER_FILES)


def inline_svg(svg: str) -> str:
    """SVG text ready to sit inside HTML: no XML prolog, no namespace URLs."""
    return _XMLNS.sub("", _PROLOG.sub("", svg))


def trace_table(recording: Recording, current: int | None = None,
                window: int | None = None) -> str:
    """The frames as an HTML table, one row per step (``data-step``), ``current`` marked.

    With ``window``, only the rows within ``window`` steps of ``current`` are written (a
    widget redraws its table at every step, which would scroll a long one back to the top).
    """
    head = "".join(f"<th>{html.escape(c)}</th>" for c in recording.columns)
    frames = recording.frames
    if window is not None and current is not None:
        lo = max(0, min(current - window, len(frames) - 2 * window - 1))
        frames = frames[lo:lo + 2 * window + 1]
    rows = []
    if frames and frames[0].index > 0:
        rows.append(f'<tr><td colspan="{len(recording.columns)}">… '
                    f"{_steps(frames[0].index)} before</td></tr>")
    for frame in frames:
        mark = ' class="agnb-current"' if frame.index == current else ""
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in frame.row)
        rows.append(f'<tr data-step="{frame.index}"{mark}>{cells}</tr>')
    after = len(recording.frames) - 1 - (frames[-1].index if frames else -1)
    if after > 0:
        rows.append(f'<tr><td colspan="{len(recording.columns)}">… {_steps(after)} after</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def page(data: dict) -> str:
    """The whole HTML document: the player module and the sweep's data (``sweep_data``),
    inline; it draws the graph once and plays every step in the page, offline."""
    title = html.escape(data["title"])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>body{{margin:12px}}</style></head><body>"
        '<div id="agnb-root"></div>'
        f'<script type="application/json" id="agnb-data">{sweep_json(data)}</script>'
        f'<script type="module">{player_script()}{BOOT}</script>'
        "</body></html>\n"
    )
