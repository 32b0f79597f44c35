"""The documentation: the Sphinx site builds with warnings as errors, every public name of the
API contract appears in its API reference, and the examples on its pages give the output shown.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NEEDED = ("sphinx", "myst_nb", "furo")


def _require_docs_extra() -> None:
    missing = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    if missing:
        pytest.fail(
            f"the docs tools are not installed ({', '.join(missing)} missing): "
            f"run  pip install -e '.[docs]'  (make test installs them)",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def built_html(tmp_path_factory) -> Path:
    """The site built once, from the stored notebook outputs, with warnings as errors."""
    _require_docs_extra()
    out = tmp_path_factory.mktemp("docs")
    html, doctrees = out / "html", out / "doctrees"
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
           "-d", str(doctrees), str(DOCS), str(html)]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        pytest.fail(f"the docs build failed (make docs shows the same):\n{run.stderr}{run.stdout}",
                    pytrace=False)
    return html


@pytest.mark.slow
def test_docs_build_without_warnings(built_html):
    for page in ("index", "getting-started", "tour", "engine", "bad-input", "course",
                 "differentiates",
                 "api/index",
                 "notebooks/01_why_autodiff"):
        assert (built_html / f"{page}.html").is_file(), page
    # The course shows every notebook, from the outputs stored in it.
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        assert (built_html / "notebooks" / f"{nb.stem}.html").is_file(), nb.name
    course = (built_html / "notebooks" / "01_why_autodiff.html").read_text()
    assert "forward primal trace" in course and "reverse adjoint trace" in course


def _public_names() -> list[str]:
    lines = (DOCS / "api_names.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _lookup(dotted: str):
    """(the object, the class holding it or None) for a public dotted name; None if absent."""
    parts = dotted.split(".")
    obj, owner = importlib.import_module(parts[0]), None
    for attr in parts[1:]:
        try:
            value = getattr(obj, attr)
        except (AttributeError, ModuleNotFoundError):
            # a dataclass field without a default is an attribute of instances only
            if not (isinstance(obj, type) and attr in getattr(obj, "__dataclass_fields__", {})):
                return None
            value = None
        owner = obj if isinstance(obj, type) else None
        obj = value
    return obj, owner


def _anchors(dotted: str, owner) -> set[str]:
    """Where autodoc may have put ``dotted``: its own id, or that of the base class that defines
    the attribute (``optim.SGD.zero_grad`` documented once on ``optim.Optimizer``)."""
    ids = {dotted}
    if owner is not None:
        prefix, _, attr = dotted.rpartition(".")
        module = prefix.rpartition(".")[0]
        ids |= {f"{module}.{base.__name__}.{attr}" for base in owner.__mro__
                if attr in vars(base)}
    return ids


@pytest.mark.slow
def test_every_public_name_is_in_the_api_reference(built_html):
    text = "\n".join(p.read_text() for p in (built_html / "api").glob("*.html"))
    documented = set(re.findall(r'id="(autograd_nb[\w.]*)"', text))
    names = _public_names()
    assert len(names) > 100
    absent, undocumented = [], []
    for name in names:
        found = _lookup(name)
        if found is None:
            absent.append(name)
        elif not _anchors(name, found[1]) & documented:
            undocumented.append(name)
    assert not absent, f"public names of the API that do not exist: {absent}"
    assert not undocumented, f"public names missing from the API reference: {undocumented}"


@pytest.mark.parametrize("page", ["tour.md", "getting-started.md", "engine.md"])
def test_examples_on_the_pages(page):
    failures, tried = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False,
        report=True,
    )
    assert tried > 0
    assert failures == 0, f"{failures} example(s) in docs/{page} give other output (see above)"


@pytest.mark.slow
def test_the_tour_embeds_the_offline_sweep_player(built_html):
    page = built_html / "_players" / "sweep_two_chains.html"
    assert page.is_file(), "the docs build did not save the sweep player"
    text = page.read_text(encoding="utf-8")
    assert "http" not in text and "<script" in text
    assert 'src="_players/sweep_two_chains.html"' in (built_html / "tour.html").read_text()


@pytest.mark.slow
def test_what_differentiates_lists_every_registered_operation(built_html):
    from autograd_nb.primitives import COMPOSITES, REGISTRY

    page = (built_html / "differentiates.html").read_text(encoding="utf-8")
    for name, op in [*REGISTRY.items(), *COMPOSITES.items()]:
        if op.__wrapped__.__module__.startswith("autograd_nb.primitives"):
            assert f">{name}<" in page, f"{name} is missing from What differentiates"
    assert ">np.exp<" in page and ">ag.exp,<" in page and ">t.exp()<" in page
