"""``viz.BackwardPlayer`` in JupyterLab: play, follow, step back, end on the engine's gradients.

The test builds the same graph in this process (``sweep.py``), so it knows every frame the
player must show (the highlighted nodes, the equation, the table row) and the gradients the
engine's own ``backward()`` gives. In the page, a sampler records every state the widget goes
through while it plays.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from .sweep import GRAPH, SAMPLER, SAMPLES, check_played, expected_sweep, lit, shown_grad

pytestmark = pytest.mark.browser


def _check_frame(player, frame, n: int) -> None:
    """The graph, the highlighted nodes, the equation line and the table row show ``frame``."""
    k = frame.index
    expect(player.locator(".agnb-heading")).to_contain_text(f"step {k + 1} of {n}")
    highlighted = player.locator("svg.ag-graph g.ag-node.ag-highlight")
    expect(highlighted).to_have_count(len(frame.nodes))
    ids = highlighted.evaluate_all("gs => gs.map(g => g.id)")
    assert " ".join(sorted(ids)) == lit(frame)
    expect(player.locator(".agnb-equation")).to_have_text(frame.equation)
    row = player.locator("tr.agnb-current")
    expect(row).to_have_attribute("data-step", str(k))
    expect(row.locator("td").first).to_have_text(frame.row[0])


def test_backward_player_plays_follows_and_steps_back(lab):
    reference, grads, ids = expected_sweep()
    frames, n = reference.frames, len(reference.frames)
    lab.open(lab.write_notebook("player.ipynb", GRAPH, "player = viz.BackwardPlayer(d)\nplayer"))
    lab.run_all()
    assert not lab.errors()
    player = lab.cell_outputs(1).filter(has=lab.page.locator(".agnb-player")).first
    expect(player).to_be_visible()
    _check_frame(player, frames[0], n)
    lab.screenshot("player-first-step", player)

    player.locator(".agnb-speed").select_option("4")
    player.evaluate(SAMPLER)
    sent = []  # what the page sends the kernel while it plays
    assert lab.kernel_sockets, "no websocket to the kernel seen"
    for socket in lab.kernel_sockets:
        socket.on("framesent", lambda payload: sent.append(payload))
    player.locator(".agnb-play").click()  # ▶ play: in the page, no kernel round trip per step
    expect(player.locator(".agnb-heading")).to_contain_text(f"step {n} of {n}", timeout=30_000)
    _check_frame(player, frames[-1], n)
    check_played(lab.page.evaluate(SAMPLES), frames)
    lab.page.wait_for_timeout(500)
    # at most the one message that tells the kernel where playing stopped, never one a step
    assert len(sent) <= 1, f"{len(sent)} messages to the kernel while playing {n} steps"

    # The last frame shows the gradients that backward() gives.
    graph = player.locator("svg.ag-graph")
    for name, value in grads.items():
        text = graph.locator(f"g#node-{ids[name]}").text_content()
        shown = shown_grad(text)
        assert shown is not None, f"node {name} shows no gradient: {text!r}"
        assert math.isclose(shown, value, rel_tol=1e-3), (name, text, value)
    lab.screenshot("player-last-step", player)

    back = player.locator("button[title='step back']")
    played = len(sent)
    back.click()
    _check_frame(player, frames[-2], n)
    # a step by hand does tell the kernel (player.step follows): the count above can see it
    expect(player.locator(".agnb-count")).to_have_text(f"step {n - 1} / {n}")
    lab.page.wait_for_timeout(300)
    assert len(sent) > played, "the page's messages to the kernel are not being counted"
    back.click()
    _check_frame(player, frames[-3], n)
    player.locator("button[title='step forward']").click()
    _check_frame(player, frames[-2], n)
    lab.screenshot("player-step-back", player)


def test_the_kernel_moves_the_player(lab):
    """``player.go(k)`` in a later cell moves the drawn player: the step is synced state."""
    reference, _, _ = expected_sweep()
    frames, n = reference.frames, len(reference.frames)
    lab.open(lab.write_notebook("player_go.ipynb", GRAPH,
                                "player = viz.BackwardPlayer(d)\nplayer", "player.go(4)"))
    lab.run_all()
    assert not lab.errors()
    player = lab.cell_outputs(1).filter(has=lab.page.locator(".agnb-player")).first
    _check_frame(player, frames[4], n)
