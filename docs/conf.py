"""Sphinx configuration for the autograd_nb documentation.

The course pages are the notebooks in ``notebooks/`` (reached through the ``docs/notebooks``
link), rendered by myst-nb from their stored outputs: the docs build runs no kernel. The API
reference comes from the docstrings (autodoc).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

project = "autograd_nb"
author = "the autograd_nb authors"
copyright = "2026, the autograd_nb authors"
release = version = importlib.import_module("autograd_nb").__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]

exclude_patterns = [
    "_build", "**/_build", "**/.ipynb_checkpoints", "Thumbs.db", ".DS_Store",
    "api_names.txt",
]
templates_path: list[str] = []

# -- MyST and notebooks -------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # render the outputs stored in the notebooks; run no kernel
nb_merge_streams = True
# A widget saved in a notebook has no kernel behind it in the docs, so a static picture of it
# (the text/html, SVG or PNG the widget also puts in its output) is shown before the live view,
# and no widget JavaScript is fetched from elsewhere: the pages work offline.
nb_mime_priority_overrides = [
    (builder, "application/vnd.jupyter.widget-view+json", 95) for builder in ("html", "dirhtml")
]
nb_ipywidgets_js: dict = {}

# -- API reference ------------------------------------------------------------------------
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autosummary_generate = False
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True

# -- Formulas, offline -----------------------------------------------------------------
# MathJax is served from the built site (the copy that jupyter-server-mathjax packages), not
# from a CDN: the pages show their formulas with no network.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
# MyST marks a page's body "ignore" and its formulas with the class "math" (MathJax 3's way):
# MathJax 2 is told the same.
mathjax2_config = {"tex2jax": {
    "inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True,
    "ignoreClass": "tex2jax_ignore|mathjax_ignore",
    "processClass": "math|tex2jax_process|mathjax_process|output_area",
}, "HTML-CSS": {  # the font the packaged copy carries
    "availableFonts": ["STIX-Web"], "preferredFont": "STIX-Web", "webFont": "STIX-Web",
    "imageFont": None,
}}

# -- HTML ---------------------------------------------------------------------------------
html_theme = "furo"
html_title = "autograd_nb"
html_static_path: list[str] = []
html_show_sourcelink = False


def _resolve(dotted: str):
    """The object named ``dotted`` (``autograd_nb.viz.draw``), or None when it is not there yet.

    Attributes win over submodules of the same name (``autograd_nb.tensor`` is the function,
    not the module ``tensor.py``). Only absence is forgiven: a module that exists but fails to
    import raises, and fails the build.
    """
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for k in range(1, len(parts)):
        try:
            obj = getattr(obj, parts[k])
            continue
        except ModuleNotFoundError as err:  # a lazily loaded name whose module is not written
            if err.name and err.name.startswith(parts[0]):
                return None
            raise
        except AttributeError:
            pass
        name = ".".join(parts[: k + 1])
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            return None
        obj = importlib.import_module(name)
    return obj


def _not_yet(name: str) -> nodes.Node:
    return nodes.note("", nodes.paragraph(text=f"{name} is not part of this release yet."))


class _Api(SphinxDirective):
    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="api"), self.content_offset, container)
        return container.children


class ApiModule(_Api):
    """``.. api-module:: autograd_nb.nn``: autodoc of a module and its members.

    The package's modules are written one after another; a module that does not exist yet gets
    a short note instead of a failed import, so the reference fills in as they land.
    """

    required_arguments = 1
    option_spec = {"inherited-members": lambda x: x}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if _resolve(name) is None:
            return [_not_yet(name)]
        lines = [f".. automodule:: {name}", "   :members:"]
        lines += [f"   :{k}: {v or ''}".rstrip() for k, v in self.options.items()]
        return self._parse([*lines, ""])


class Api(_Api):
    """``.. api:: autograd_nb.grad autograd_nb.Tape ...``: autodoc of each name in turn
    (``autoclass`` with its members for classes, ``autofunction`` for functions), or a note for a
    name that is not there yet. Options given to the directive go to every ``autoclass``."""

    required_arguments = 1
    optional_arguments = 100
    option_spec = {"undoc-members": lambda x: x, "special-members": lambda x: x}

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for name in self.arguments:
            obj = _resolve(name)
            if obj is None:
                out.append(_not_yet(name))
                continue
            if isinstance(obj, type):
                lines = [f".. autoclass:: {name}", "   :members:"]
                lines += [f"   :{k}: {v or ''}".rstrip() for k, v in self.options.items()]
            elif callable(obj):
                lines = [f".. autofunction:: {name}"]
            else:
                lines = [f".. autodata:: {name}"]
            out += self._parse([*lines, ""])
        return out


_LITERAL = re.compile(r"(``.+?``)")


def _plain_bars(app, what, name, obj, options, lines: list[str]) -> None:
    """Docstrings write |x| for an absolute value; in reStructuredText ``|x|`` would be a
    substitution. Escape bars outside literals (and leave table rows alone)."""
    for n, line in enumerate(lines):
        row = line.strip()
        if "|" in line and not (row.startswith(("| ", "+-", "+=")) and row.endswith(("|", "+"))):
            parts = _LITERAL.split(line)
            lines[n] = "".join(p if p.startswith("``") else p.replace("|", r"\|") for p in parts)


def _links_between_notebooks(app, doctree) -> None:
    """``[next](02_x.ipynb)`` in a notebook: Sphinx resolves the ``docs/notebooks`` link to the
    real folder, outside the docs; point such references back at the course pages."""
    real = f"{(ROOT / 'notebooks').resolve()}/"
    for node in doctree.findall(addnodes.pending_xref):
        target = node.get("reftarget", "")
        if node.get("reftype") == "myst" and target.startswith(real):
            node["reftarget"] = "notebooks/" + target[len(real):]


def _hide_test_markers(app, doctree) -> None:
    """Drop the ``# NBVAL_...`` first line of notebook cells: it tells the notebook tests which
    outputs to compare, and is noise on a page."""
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if text.startswith("# NBVAL_"):
            rest = text.split("\n", 1)[1].lstrip("\n") if "\n" in text else ""
            block.rawsource = rest
            block.children = [nodes.Text(rest)]


def _write_players(app) -> None:
    """Save the sweep player of the seed's two-chain example into the built site, so the tour
    can embed the same offline page that ``BackwardPlayer.save`` writes, playing in the page."""
    if app.builder.format != "html":
        return
    import autograd_nb as ag
    from autograd_nb import viz

    a, b, c = (ag.tensor(v, requires_grad=True, name=n) for v, n in ((2.0, "a"), (-3.0, "b"),
                                                                    (10.0, "c")))
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    out = Path(app.outdir) / "_players"
    out.mkdir(parents=True, exist_ok=True)
    viz.BackwardPlayer(d).save(out / "sweep_two_chains.html")


_GROUPS = [  # registry module -> heading on "What differentiates"
    ("arithmetic", "Arithmetic"), ("elementwise", "Elementwise functions"),
    ("ufuncs", "More elementwise functions"), ("reductions", "Reductions"),
    ("scans", "Reductions and scans"), ("shaping", "Shapes and indexing"),
    ("assembly", "Shapes and assembly"), ("linalg", "Linear algebra"), ("losses", "Losses"),
    ("order_stats", "Order statistics and NaN-skipping reductions"),
]


def _numpy_names(op) -> str:
    names = []
    for target in op.numpy:
        module = getattr(target, "__module__", None) or "numpy"
        prefix = "np.linalg." if "linalg" in module else "np."
        names.append(prefix + target.__name__)
    if op.operator:
        names.append(op.operator if op.operator != "unary -" else "-t")
    return ", ".join(names)


def _cell(text: str, literal: bool = False) -> nodes.entry:
    """A table cell: ``text`` as code, or as prose whose ``double backquotes`` are code."""
    para = nodes.paragraph()
    if literal:
        if text:
            para += nodes.literal(text=text)
        return nodes.entry("", para)
    for k, piece in enumerate(re.split(r"``(.+?)``", text)):
        if piece:
            para += nodes.literal(text=piece) if k % 2 else nodes.Text(piece)
    return nodes.entry("", para)


class Differentiates(SphinxDirective):
    """``.. differentiates::``: every primitive and composite of the registry, in a table per
    group: its NumPy names, its ag. function and method, and its derivative in one line (the
    first line of its docstring). Made at build time, so it always lists what the engine has."""

    def run(self) -> list[nodes.Node]:
        from autograd_nb.primitives import COMPOSITES, REGISTRY

        out: list[nodes.Node] = []
        ops = [*REGISTRY.values(), *COMPOSITES.values()]
        for module, heading in _GROUPS:
            rows = [op for op in ops
                    if op.__wrapped__.__module__ == f"autograd_nb.primitives.{module}"]
            if not rows:
                continue
            section = nodes.section(ids=[f"differentiates-{module}"])
            section += nodes.title(text=heading)
            table = nodes.table()
            group = nodes.tgroup(cols=5)
            table += group
            for width in (14, 22, 22, 10, 40):
                group += nodes.colspec(colwidth=width)
            head = nodes.thead()
            row = nodes.row()
            for title in ("operation", "NumPy", "ag / method", "kind", "derivative"):
                row += _cell(title)
            head += row
            group += head
            body = nodes.tbody()
            for op in rows:
                doc = (op.__wrapped__.__doc__ or "").strip().splitlines()
                spelled = ", ".join(filter(None, [
                    f"ag.{op.function}" if op.function else "",
                    f"t.{op.method}()" if op.method else ""]))
                row = nodes.row()
                row += _cell(op.name, literal=True)
                row += _cell(_numpy_names(op), literal=True)
                row += _cell(spelled, literal=True)
                row += _cell("composite" if op in COMPOSITES.values() else "primitive")
                row += _cell(doc[0] if doc else "")
                body += row
            group += body
            section += table
            out.append(section)
        return out


def _write_engine_pictures(app) -> None:
    """Draw the pictures of ``engine.md`` with ``viz.draw`` into the built site (``_engine/``),
    from the same computations as the page's examples, so they always show the current engine."""
    if app.builder.format != "html":
        return
    import numpy as np

    import autograd_nb as ag
    from autograd_nb import viz

    out = Path(app.outdir) / "_engine"
    out.mkdir(parents=True, exist_ok=True)

    a, b, c = (ag.tensor(v, requires_grad=True, name=n) for v, n in ((2.0, "a"), (-3.0, "b"),
                                                                    (10.0, "c")))
    with ag.Tape():
        h = a + b
        h.name = "h"
        i = a * c
        i.name = "i"
        d = h * i
        d.name = "d"
    d.backward()
    viz.draw(d).save(out / "tape_two_chains.svg")

    x = ag.tensor(2.0, requires_grad=True, name="x")
    y = np.sin(x) * x
    y.backward(create_graph=True)
    g = x.grad
    g.name = "g"
    viz.draw(g).save(out / "recorded_sweep.svg")

    @ag.primitive(elementwise=True)
    def softplus(x):
        return np.logaddexp(0.0, x)

    ag.defvjp(softplus, lambda g, ans, x: g / (1 + np.exp(-x)))
    ag.defjvp(softplus, lambda t, ans, x: t / (1 + np.exp(-x)))
    x = ag.tensor(1.0, requires_grad=True, name="x")
    w = ag.tensor(-2.0, requires_grad=True, name="w")
    with ag.Tape():
        z = w * x
        z.name = "z"
        y = softplus(z)
        y.name = "y"
    y.backward()
    viz.draw(y).save(out / "softplus.svg")


def _copy_mathjax(app, exception) -> None:
    """Put the packaged MathJax into the built site's ``_static/mathjax`` (see mathjax_path)."""
    if exception is not None or app.builder.format != "html":
        return
    import shutil

    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(source, Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True)


def setup(app):
    app.connect("builder-inited", _write_players)
    app.connect("build-finished", _copy_mathjax)
    app.connect("builder-inited", _write_engine_pictures)
    app.add_directive("api-module", ApiModule)
    app.add_directive("api", Api)
    app.add_directive("differentiates", Differentiates)
    app.connect("autodoc-process-docstring", _plain_bars)
    app.connect("doctree-read", _links_between_notebooks)
    app.connect("doctree-read", _hide_test_markers)
