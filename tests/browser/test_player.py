"""``viz.BackwardPlayer`` in JupyterLab: play, follow, step back, end on the engine's gradients.

The test builds the same graph in this process, so it knows every frame the player must show
(``player.frames``: the highlighted nodes, the equation, the table row) and the gradients the
engine's own ``backward()`` gives. In the page, a sampler records every state the widget goes
through while it plays.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GRAPH = """\
import autograd_nb as ag
from autograd_nb import viz
a = ag.tensor(1.5, requires_grad=True, name="a")
b = ag.tensor(-0.5, requires_grad=True, name="b")
c = ag.tensor(3.0, requires_grad=True, name="c")
d = (a + b) * (a * c)
d.name = "d"
"""
SHOW = "player = viz.BackwardPlayer(d)\nplayer"

# Records each distinct state of the player's parts (ten times per animation frame at most).
SAMPLER = """(root) => {
  window.agnbSamples = [];
  let last = '';
  const read = () => {
    const svg = root.querySelector('svg.ag-graph');
    const heading = svg && svg.textContent.match(/step (\\d+) of (\\d+)/);
    const lit = svg ? [...svg.querySelectorAll('g.ag-node.ag-highlight')].map(g => g.id) : [];
    const eq = root.querySelector('.agnb-equation');
    const row = root.querySelector('tr.agnb-current');
    return {svg: heading ? Number(heading[1]) - 1 : null, lit: lit.sort().join(' '),
            eq: eq ? eq.textContent : null, row: row ? Number(row.dataset.step) : null};
  };
  window.agnbSampler = setInterval(() => {
    const state = read(), key = JSON.stringify(state);
    if (key !== last) { window.agnbSamples.push(state); last = key; }
  }, 4);
}"""


def _expected():
    import autograd_nb as ag
    from autograd_nb import viz

    scope: dict = {}
    exec(GRAPH, scope)
    player = viz.BackwardPlayer(scope["d"])
    scope["d"].backward()
    grads = {name: scope[name].grad.item() for name in "abc"}
    ids = {node.label: node.id for node in player.recording.graph.nodes}
    assert isinstance(scope["d"], ag.Tensor)
    return player.frames, grads, ids


def _lit(frame) -> str:
    return " ".join(sorted(f"node-{i}" for i in frame.nodes))


def _in_order(seen: list, frames: list, what: str) -> list[int]:
    """Indices of ``frames`` matching ``seen`` in order (never going back); fails otherwise."""
    steps, pos = [], 0
    for value in seen:
        while pos < len(frames) and frames[pos] != value:
            pos += 1
        assert pos < len(frames), f"{what}: {value!r} is out of order or not a frame"
        steps.append(pos)
    return steps


def _check_frame(player, frame, n: int) -> None:
    """The graph, the highlighted nodes, the equation line and the table row show ``frame``."""
    k = frame.index
    expect(player.locator("svg.ag-graph")).to_contain_text(f"step {k + 1} of {n}")
    lit = player.locator("svg.ag-graph g.ag-node.ag-highlight")
    expect(lit).to_have_count(len(frame.nodes))
    assert sorted(lit.evaluate_all("gs => gs.map(g => g.id)")) == sorted(_lit(frame).split())
    expect(player.locator(".agnb-equation")).to_have_text(frame.equation)
    row = player.locator("tr.agnb-current")
    expect(row).to_have_attribute("data-step", str(k))
    expect(row.locator("td").first).to_have_text(frame.row[0])


def test_backward_player_plays_follows_and_steps_back(lab):
    frames, grads, ids = _expected()
    n = len(frames)
    lab.open(lab.write_notebook("player.ipynb", GRAPH, SHOW))
    lab.run_all()
    assert not lab.errors()
    player = lab.cell_outputs(1).filter(has=lab.page.locator(".widget-play")).first
    expect(player).to_be_visible()
    _check_frame(player, frames[0], n)
    lab.screenshot("player-first-step", player)

    player.locator(".widget-dropdown select").select_option(label="4×")
    player.evaluate(SAMPLER)
    player.locator(".widget-play button").first.click()  # ▶ play
    expect(player.locator("svg.ag-graph")).to_contain_text(f"step {n} of {n}", timeout=30_000)
    _check_frame(player, frames[-1], n)
    samples = lab.page.evaluate("clearInterval(window.agnbSampler); window.agnbSamples")

    # Play walked the sweep forward, and every picture it showed was a real frame.
    pictures = [s for s in samples if s["svg"] is not None]
    for state in pictures:
        assert state["lit"] == _lit(frames[state["svg"]]), state
    shown = [s["svg"] for s in pictures]
    assert shown == sorted(shown) and shown[-1] == n - 1, shown
    assert len(set(shown)) >= n // 2, f"play showed only steps {sorted(set(shown))} of {n}"
    lit_order = [state["lit"] for state in pictures]
    assert len(set(lit_order)) >= 3, "the highlight did not move through the graph"
    # The equation line and the table row followed, also in order.
    _in_order([s["eq"] for s in samples], [f.equation for f in frames], "equation line")
    rows = [s["row"] for s in samples if s["row"] is not None]
    assert rows == sorted(rows) and rows[-1] == n - 1, rows
    assert len(set(rows)) >= n // 2, f"the table row visited only {sorted(set(rows))}"

    # The last frame shows the gradients that backward() gives.
    graph = player.locator("svg.ag-graph")
    for name, value in grads.items():
        text = graph.locator(f"g#node-{ids[name]}").text_content()
        shown_grad = re.search(r"grad\s+(-?[\d.]+(?:e[-+]?\d+)?)", text)
        assert shown_grad, f"node {name} shows no gradient: {text!r}"
        assert math.isclose(float(shown_grad[1]), value, rel_tol=1e-3), (name, text, value)
    lab.screenshot("player-last-step", player)

    back = player.locator("button[title='step back']")
    back.click()
    _check_frame(player, frames[-2], n)
    back.click()
    _check_frame(player, frames[-3], n)
    player.locator("button[title='step forward']").click()
    _check_frame(player, frames[-2], n)
    lab.screenshot("player-step-back", player)
