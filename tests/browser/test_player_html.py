"""The page ``BackwardPlayer.save`` writes, in a real browser with no kernel and no network:
its own JavaScript steps, slides, plays and stops on the last frame, showing each frame."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import autograd_nb as ag
from autograd_nb import viz

pytestmark = pytest.mark.browser


def _player():
    a, b, c = (ag.tensor(v, requires_grad=True, name=n) for v, n in
               ((2.0, "a"), (-3.0, "b"), (10.0, "c")))
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    return viz.BackwardPlayer(d)


def _shows(page, frame, n: int) -> None:
    expect(page.locator(".agnb-count")).to_have_text(f"step {frame.index + 1} / {n}")
    expect(page.locator(".agnb-equation")).to_have_text(frame.equation)
    expect(page.locator("tr.agnb-current")).to_have_attribute("data-step", str(frame.index))
    lit = page.locator(".agnb-stage g.ag-node.ag-highlight")
    expect(lit).to_have_count(len(frame.nodes))
    assert sorted(lit.evaluate_all("gs => gs.map(g => g.id)")) == sorted(
        f"node-{i}" for i in frame.nodes)


def test_saved_page_plays_offline(page, tmp_path):
    player = _player()
    frames, n = player.frames, len(player.frames)
    url = player.save(tmp_path / "sweep.html").as_uri()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    _shows(page, frames[0], n)

    page.click(".agnb-next")
    page.click(".agnb-next")
    _shows(page, frames[2], n)
    page.click(".agnb-prev")
    _shows(page, frames[1], n)
    page.locator(".agnb-slider").fill("7")  # the slider counts from 0, the label from 1
    _shows(page, frames[7], n)
    page.click(".agnb-last")
    _shows(page, frames[-1], n)

    page.select_option(".agnb-speed", "4")
    page.click(".agnb-first")
    page.click(".agnb-play")
    expect(page.locator(".agnb-play")).to_contain_text("pause")
    expect(page.locator(".agnb-count")).to_have_text(f"step {n} / {n}", timeout=30_000)
    expect(page.locator(".agnb-play")).to_contain_text("play")  # stopped at the end
    _shows(page, frames[-1], n)

    page.focus(".agnb-player")
    page.keyboard.press("ArrowLeft")
    _shows(page, frames[-2], n)

    page.goto(url + "#step=5")  # counted from 1, as the page shows steps
    _shows(page, frames[4], n)
    assert all(r.startswith("file:") for r in requests), requests
    assert not page.console_errors
