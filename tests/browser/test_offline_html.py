"""The saved sweep (``player.save("sweep.html")``) plays from a ``file://`` path, network cut.

No JupyterLab here: the player is built in this process and saved; chromium opens the file
in a context that is offline, with every network request aborted (and counted: there must be
none). The page runs the same front-end module as the widget (``static/sweep_player.js``). Play must walk through the frames to the end with the table row and equation following,
step back must work, and the console must stay free of errors.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .sweep import SAMPLER, SAMPLES, check_played, expected_sweep, lit, shown_grad

pytestmark = pytest.mark.browser


def _check_frame(page, frame, n: int) -> None:
    k = frame.index
    expect(page.locator(".agnb-count")).to_have_text(f"step {k + 1} / {n}")
    expect(page.locator(".agnb-heading")).to_contain_text(f"step {k + 1} of {n}")
    ids = page.locator(".agnb-stage g.ag-node.ag-highlight").evaluate_all(
        "gs => gs.map(g => g.id)")
    assert " ".join(sorted(ids)) == lit(frame)
    expect(page.locator(".agnb-equation")).to_have_text(frame.equation)
    expect(page.locator("tr.agnb-current")).to_have_attribute("data-step", str(k))
    expect(page.locator("tr.agnb-current td").nth(2)).to_have_text(frame.row[2])


def test_saved_sweep_plays_offline(offline_page, tmp_path):
    page = offline_page
    reference, grads, ids = expected_sweep()
    frames, n = reference.frames, len(reference.frames)
    path = reference.save(tmp_path / "sweep.html")

    requests: list[str] = []
    page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
    page.goto(path.as_uri())
    _check_frame(page, frames[0], n)

    page.locator(".agnb-speed").select_option("4")
    page.locator("body").evaluate(SAMPLER)
    page.locator(".agnb-play").click()
    expect(page.locator(".agnb-count")).to_have_text(f"step {n} / {n}", timeout=30_000)
    _check_frame(page, frames[-1], n)
    check_played(page.evaluate(SAMPLES), frames)
    for name, value in grads.items():
        shown = shown_grad(page.locator(f".agnb-stage g#node-{ids[name]}").text_content())
        assert shown is not None and math.isclose(shown, value, rel_tol=1e-3), (name, shown)
    page.screenshot(path=str(ARTIFACTS / "offline-html-last-step.png"), full_page=True)

    page.locator(".agnb-prev").click()
    _check_frame(page, frames[-2], n)
    # stepping back takes the last step's note out of its box: one note, in the step's box
    notes = page.locator(".agnb-stage .agnb-mark").evaluate_all(
        "ts => ts.filter(t => t.textContent).map(t => t.closest('g.ag-node').id)")
    assert notes == [f"node-{frames[-2].nodes[-1]}"], notes
    page.locator(".agnb-first").click()
    _check_frame(page, frames[0], n)

    assert not requests, f"the saved page asked the network for {requests}"
    assert not page.console_errors, page.console_errors
