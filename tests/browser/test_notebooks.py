"""Every tutorial notebook, run top to bottom in JupyterLab: no errors, every widget drawn.

For each notebook in ``notebooks/`` (a copy of it, in the served folder): open it, Run All,
then save it from the browser so that the outputs the kernel sent can be compared with what
the page shows. Each output that carries a widget view must show as a live widget, not as
"Error displaying widget" and not as its text fallback (``VBox(...)``, ``Playground(...)``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import NOTEBOOKS

pytestmark = pytest.mark.browser

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# No tutorial found is a failure (of the one case below), never an empty, skipped test.
TUTORIALS = sorted(path.name for path in NOTEBOOKS.glob("[0-9]*.ipynb")) or ["(none)"]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _widget_outputs(cell: dict) -> list[dict]:
    return [out for out in cell.get("outputs", []) if WIDGET_MIME in out.get("data", {})]


@pytest.mark.parametrize("name", TUTORIALS)
def test_tutorial_runs_in_jupyterlab(lab, name):
    assert name != "(none)", f"no tutorial notebooks (NN_*.ipynb) in {NOTEBOOKS}"
    path = f"notebooks/{name}"
    lab.open(path)
    lab.run_all()
    saved = lab.save(path)

    code_cells = [cell for cell in saved["cells"] if cell["cell_type"] == "code"]
    tracebacks = [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(code_cells) for out in cell.get("outputs", [])
        if out["output_type"] == "error"
    ]
    assert not tracebacks, f"{name} raised:\n" + "\n".join(tracebacks)
    assert not lab.errors(), f"{name} shows errors:\n" + "\n\n".join(lab.errors())
    unrun = [i for i, cell in enumerate(code_cells)
             if _text(cell["source"]).strip() and cell.get("execution_count") is None]
    assert not unrun, f"{name}: code cells {unrun} did not run"

    page = lab.page
    assert page.locator(".jp-CodeCell").count() == len(code_cells)
    for i, cell in enumerate(code_cells):
        expected = _widget_outputs(cell)
        if not expected:
            continue
        outputs = lab.cell_outputs(i)
        # ipywidgets' own views carry .jupyter-widgets; the players (anywidget) draw .agnb-player
        drawn = outputs.filter(has=page.locator(".jupyter-widgets, .agnb-player"))
        try:  # a widget whose front end is an ES module (the players) draws a moment later
            expect(drawn).to_have_count(len(expected), timeout=15_000)
        except AssertionError:
            raise AssertionError(
                f"{name}, code cell {i}: {len(expected)} widget(s) sent by the kernel, "
                f"{drawn.count()} drawn in the page") from None
        fallbacks = [_text(out["data"].get("text/plain", "")) for out in expected]
        texts = outputs.all_inner_texts()
        for fallback in filter(None, fallbacks):
            assert not any(fallback.strip() in text for text in texts), (
                f"{name}, code cell {i}: the widget shows as text: {fallback!r}")
