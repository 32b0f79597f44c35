"""``viz.BackwardPlayer`` in Jupyter Notebook 7: the widget's front end runs, plays, follows the
kernel and ends on the engine's gradients.

Notebook 7 (the ``notebook`` package, pages at ``/notebooks/<path>``) loads the widget
manager and anywidget as JupyterLab extensions, in a page of its own. The test builds the
same graph in this process (``sweep.py``), so it knows how many steps the player has, the ids
of its boxes and the gradients ``backward()`` gives; in the page it checks what a learner sees.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from .conftest import NOTEBOOK7_LOAD_ERRORS
from .sweep import GRAPH, expected_sweep, shown_grad

pytestmark = pytest.mark.browser

# a network of two Linear layers: each layer one box that opens on click
MODULES = """\
import numpy as np
from autograd_nb import nn
model = nn.MLP(2, [3], 1, rng=0)
loss = nn.mse_loss(model(ag.tensor(np.ones((1, 2)), name="x")), np.zeros((1, 1)))
viz.BackwardPlayer(loss)
"""


def _widget_error(output, page) -> str:
    """What the widget manager shows instead of a view that failed (its message and stack are
    revealed by a click), with the page's console errors."""
    shown = output.locator(".jupyter-widgets-error-widget")
    if shown.count():
        shown.first.click()
        page.wait_for_timeout(300)
    return f"no player drawn: {output.all_inner_texts()!r}; console: {page.console_errors!r}"


def _check_step(player, k: int, n: int) -> None:
    """The counter and the heading above the graph both name step ``k`` (1-based)."""
    expect(player.locator(".agnb-count")).to_have_text(f"step {k} / {n}")
    expect(player.locator(".agnb-heading")).to_contain_text(f"step {k} of {n}")


def _check_gradients(player, ids: dict, grads: dict) -> None:
    """Each leaf's box shows the gradient that backward() gives."""
    graph = player.locator("svg.ag-graph")
    for name, value in grads.items():
        text = graph.locator(f"g#node-{ids[name]}").text_content()
        shown = shown_grad(text)
        assert shown is not None, f"node {name} shows no gradient: {text!r}"
        assert math.isclose(shown, value, rel_tol=1e-3), (name, text, value)


def test_backward_player_in_notebook7(notebook7):
    reference, grads, ids = expected_sweep()  # the seed's d = (a + b)·(a·c), worked out here
    n = len(reference.frames)
    assert grads == {"a": 10.0, "b": 20.0, "c": -2.0}
    page = notebook7.page
    notebook7.open(notebook7.write_notebook(
        "player_nb7.ipynb", GRAPH + "player = viz.BackwardPlayer(d)\nplayer",
        "player.step", "player.go(0)", "player.go(-1)", MODULES))

    # The widget's own front end, not the static picture kept for readers without a kernel.
    notebook7.run_cell(0)
    assert not notebook7.errors()
    output = notebook7.cell_outputs(0)
    expect(output).to_have_count(1)
    player = output.locator(".agnb-player")
    output.locator(".agnb-player, .jupyter-widgets-error-widget").first.wait_for()
    assert player.count() == 1, _widget_error(output, page)
    expect(player).to_be_visible()
    expect(player.locator(".agnb-controls button.agnb-play")).to_be_visible()  # no static copy
    expect(player.locator("svg.ag-graph")).to_be_visible()
    expect(player.locator("svg.ag-graph g.ag-node")).to_have_count(len(ids))
    _check_step(player, 1, n)
    notebook7.screenshot("notebook7-player-first-step", player)

    # ▶ steps forward; ▶ play runs in the page to the last step, which shows the gradients.
    player.locator("button.agnb-next").click()
    _check_step(player, 2, n)
    player.locator(".agnb-speed").select_option("8")
    player.locator("button.agnb-play").click()
    _check_step(player, n, n)
    expect(player.locator("button.agnb-play")).to_contain_text("play")  # stopped at the end
    _check_gradients(player, ids, grads)

    # The page told the kernel where playing stopped; the kernel moves the page.
    notebook7.run_cell(1)
    expect(notebook7.cell_outputs(1)).to_have_text(str(n - 1))
    notebook7.run_cell(2)
    _check_step(player, 1, n)
    notebook7.run_cell(3)
    _check_step(player, n, n)
    _check_gradients(player, ids, grads)
    notebook7.screenshot("notebook7-player-last-step", player)

    # A module's call is one box; a click opens it in a frame, ✕ closes it again.
    notebook7.run_cell(4)
    layers = notebook7.cell_outputs(4).locator(".agnb-player")
    expect(layers.locator("g.ag-group")).to_have_count(2)
    boxes = layers.locator("g.ag-node").count()
    layers.locator("g.ag-group", has_text="layers.0 ").click()
    expect(layers.locator("g.agnb-frame", has_text="layers.0")).to_have_count(1)
    expect(layers.locator("g.ag-node")).to_have_count(boxes + 2)  # weight, bias, linear
    notebook7.screenshot("notebook7-player-layer-open", layers)
    layers.locator(".agnb-close", has_text="layers.0").click()
    expect(layers.locator("g.ag-node")).to_have_count(boxes)

    assert not notebook7.errors()
    errors = [e for e in page.console_errors if e not in NOTEBOOK7_LOAD_ERRORS]
    assert not errors, errors
