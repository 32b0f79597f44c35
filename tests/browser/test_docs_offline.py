"""The documentation site shows its formulas with the network cut: MathJax comes with the site.

The site is built once (as ``make docs`` builds it) and a course page is opened from its
``file://`` path in chromium, offline, every network request aborted and counted. Its formulas
must be typeset (MathJax's rendered elements present, none of the raw ``\\(...\\)`` left in the
text) and no request may leave the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(ROOT / "docs"), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return out


def test_formulas_render_offline(offline_page, site):
    page = offline_page
    left: list[str] = []
    page.on("request", lambda r: r.url.startswith(("http:", "https:")) and left.append(r.url))
    page.goto((site / "notebooks" / "01_why_autodiff.html").as_uri())
    page.wait_for_function(
        "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
        " && document.querySelectorAll('.MathJax').length > 0",
        timeout=30_000,
    )
    typeset = page.evaluate("document.querySelectorAll('.MathJax').length")
    raw = page.evaluate(
        "[...document.querySelectorAll('span.math')].filter(s => s.innerText.includes('\\\\(')).length"
    )
    page.screenshot(path=str(ARTIFACTS / "docs-offline-formulas.png"))
    assert typeset > 10, f"only {typeset} formulas typeset"
    assert raw == 0, f"{raw} formulas left as raw LaTeX"
    assert not left, f"the page asked the network for {left}"
