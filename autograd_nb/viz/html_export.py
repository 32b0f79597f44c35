"""One self-contained HTML page that plays a recorded sweep offline.

Every frame is inlined as a ``<template>`` holding its SVG, its equation and its details; a
few lines of JavaScript swap them in (play/pause, step, slider, speed, arrow keys). Nothing is
loaded from the network, and the page contains no ``http`` reference at all: SVG inlined in
HTML needs no ``xmlns``, so it is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .recording import Recording

__all__ = ["page", "trace_table", "inline_svg"]

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

SCRIPT = """
(function () {
  var root = document.currentScript.parentNode;
  var frames = root.querySelectorAll('template.agnb-frame');
  var n = frames.length, i = 0, timer = null;
  function q(s) { return root.querySelector(s); }
  var stage = q('.agnb-stage'), eq = q('.agnb-equation'), note = q('.agnb-note');
  var detail = q('.agnb-detail'), slider = q('.agnb-slider'), count = q('.agnb-count');
  var play = q('.agnb-play'), speed = q('.agnb-speed'), trace = q('.agnb-trace');
  var rows = root.querySelectorAll('tr[data-step]');
  function part(t, s) { var e = t.content.querySelector(s); return e ? e.innerHTML : ''; }
  function show(k) {
    i = Math.max(0, Math.min(n - 1, k));
    var t = frames[i];
    stage.innerHTML = part(t, '.f-svg');
    eq.innerHTML = part(t, '.f-equation');
    note.innerHTML = part(t, '.f-note');
    if (detail) { detail.innerHTML = part(t, '.f-detail'); }
    slider.value = i;
    count.textContent = 'step ' + (i + 1) + ' / ' + n;
    for (var r = 0; r < rows.length; r++) {
      var on = Number(rows[r].getAttribute('data-step')) === i;
      rows[r].classList.toggle('agnb-current', on);
      if (on) { trace.scrollTop = rows[r].offsetTop - trace.clientHeight / 2; }
    }
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = '\\u25B6 play'; }
  function tick() { show(i + 1); if (i >= n - 1) { stop(); } }
  function start() {
    if (i >= n - 1) { show(0); }
    timer = setInterval(tick, 1000 / Number(speed.value));
    play.textContent = '\\u275A\\u275A pause';
  }
  play.onclick = function () { if (timer) { stop(); } else { start(); } };
  q('.agnb-prev').onclick = function () { stop(); show(i - 1); };
  q('.agnb-next').onclick = function () { stop(); show(i + 1); };
  q('.agnb-first').onclick = function () { stop(); show(0); };
  q('.agnb-last').onclick = function () { stop(); show(n - 1); };
  slider.oninput = function () { stop(); show(Number(slider.value)); };
  speed.onchange = function () { if (timer) { stop(); start(); } };
  root.tabIndex = 0;
  root.onkeydown = function (e) {
    if (e.key === 'ArrowRight') { stop(); show(i + 1); }
    else if (e.key === 'ArrowLeft') { stop(); show(i - 1); }
    else if (e.key === ' ') { e.preventDefault(); play.onclick(); }
  };
  function fromHash() {  // page.html#step=8 opens (or jumps) at "step 8", counted from 1
    var m = /step=([0-9]+)/.exec(window.location.hash);
    if (m) { stop(); show(Number(m[1]) - 1); }
  }
  window.addEventListener('hashchange', fromHash);
  show(0);
  fromHash();
})();
"""


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


def page(recording: Recording, svgs: Sequence[str], title: str) -> str:
    """The whole HTML document: controls, stage, equation, trace table and every frame."""
    if len(svgs) != len(recording.frames):
        raise ValueError(f"page: {len(svgs)} pictures for {len(recording.frames)} frames")
    n = len(recording.frames)
    templates = []
    for frame, svg in zip(recording.frames, svgs):
        templates.append(
            f'<template class="agnb-frame" data-step="{frame.index}">'
            f'<div class="f-svg">{inline_svg(svg)}</div>'
            f'<div class="f-equation">{html.escape(frame.equation)}</div>'
            f'<div class="f-note">{html.escape(frame.note)}</div>'
            f'<div class="f-detail">{html.escape(frame.detail)}</div></template>'
        )
    speeds = "".join(
        f'<option value="{v}"{" selected" if v == 1 else ""}>{v}×</option>'
        for v in (0.25, 0.5, 1, 2, 4)
    )
    body = (
        f'<div class="agnb-player"><h3>{html.escape(title)}</h3>'
        '<div class="agnb-controls">'
        '<button class="agnb-play">\u25b6 play</button>'
        '<button class="agnb-first" title="first step">\u25c0\u25c0</button>'
        '<button class="agnb-prev" title="step back">\u25c0</button>'
        '<button class="agnb-next" title="step forward">\u25b6</button>'
        '<button class="agnb-last" title="last step">\u25b6\u25b6</button>'
        f'<input class="agnb-slider" type="range" min="0" max="{max(n - 1, 0)}" value="0">'
        f'<span class="agnb-count">step 1 / {n}</span>'
        f'<label>speed <select class="agnb-speed">{speeds}</select> steps/s</label></div>'
        '<div class="agnb-main"><div class="agnb-stage"></div><div class="agnb-side">'
        '<div class="agnb-equation"></div><div class="agnb-note"></div>'
        f'<div class="agnb-trace">{trace_table(recording)}</div>'
        '<details open><summary>values</summary><pre class="agnb-detail"></pre></details>'
        f'</div></div>{"".join(templates)}<script>{SCRIPT}</script></div>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
