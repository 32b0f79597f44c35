"""The browser's layout (``viz/static/layout.js``) gives the same picture as the Python one.

``layeredLayout`` is a port of ``viz/layout.py``'s ``layered_layout`` and ``layoutPathData`` of
``svg.path_data``, so a page can lay a graph out again (groups opened or closed) without a
kernel. Here both run on the same input and every number is compared: positions, sizes,
layers, the order of each layer, route points, label points, width and height (to 1e-6), and
the path strings character for character. The inputs are small hand-made DAGs, the inputs
``svg.layout_for`` gives ``layered_layout`` for real computations (up to the 1,000-node
scalar network of ``benchmarks/player_size.py``) and seeded random DAGs.

The script is loaded into an empty offline page as a classic ``<script>``: it must define
its functions and nothing else.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb.graph import describe
from autograd_nb.viz import svg
from autograd_nb.viz.layout import layered_layout
from autograd_nb.viz.svg import path_data

from .conftest import REPO
from .sweep import benchmark

pytestmark = pytest.mark.browser

LAYOUT_JS = REPO / "autograd_nb" / "viz" / "static" / "layout.js"
TOL = 1e-6

# Plain arrays in, plain arrays out: Maps are built and read inside the page.
RUN = """
(cases) => cases.map(([nodes, edges, sizes, labels, options]) => {
  const t0 = performance.now();
  const lay = layeredLayout(nodes, edges, new Map(sizes), new Map(labels), options);
  const ms = performance.now() - t0;
  const routes = [...lay.routes].map(([k, pts]) => [k, pts, layoutPathData(pts)]);
  return {
    positions: [...lay.positions], sizes: [...lay.sizes], layers: [...lay.layers],
    routes, labelPoints: [...lay.labelPoints], width: lay.width, height: lay.height,
    order: [...lay.order], ms,
  };
})
"""


# ---------------------------------------------------------------------------------- inputs
def _case(nodes, edges, sizes, labels=None, options=None):
    """One input as (Python keyword arguments, JS arguments)."""
    labels = labels or {}
    options = options or {}
    py = {"nodes": list(nodes), "edges": [tuple(e) for e in edges], "sizes": dict(sizes),
          "label_sizes": dict(labels), **options}
    js = [list(nodes), [list(e) for e in edges],
          [[v, list(s)] for v, s in sizes.items()],
          [[",".join(map(str, k)), list(s)] for k, s in labels.items()],
          {_camel(k): v for k, v in options.items()}]
    return py, js


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _boxes(ids, w=60.0, h=30.0):
    return {v: (w, h) for v in ids}


HAND_MADE = {
    "empty": _case([], [], {}),
    "one node": _case([7], [], {7: (80.0, 40.0)}),
    "diamond": _case(range(4), [(0, 1, 0), (0, 2, 0), (1, 3, 0), (2, 3, 1)], _boxes(range(4))),
    "skips layers": _case(
        range(5), [(0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 4, 0), (0, 4, 1), (1, 3, 1),
                   (0, 3, 2)],
        {0: (40.0, 20.0), 1: (90.0, 44.5), 2: (70.0, 30.0), 3: (55.5, 64.0), 4: (80.0, 30.0)},
        {(0, 4, 1): (120.0, 16.0), (1, 3, 1): (40.0, 16.0)}),
    "parallel edges": _case(
        [3, 1, 2], [(1, 2, 0), (1, 2, 1), (2, 3, 0), (1, 3, 1), (1, 3, 2)],
        _boxes([1, 2, 3], 50.0, 40.0), {(1, 2, 1): (30.0, 16.0)}),
    "nodes with no edges": _case(
        [5, 1, 3, 0, 9], [(1, 3, 0)], {0: (30.0, 30.0), 1: (40.0, 20.0), 3: (50.0, 60.0),
                                       5: (20.0, 10.0), 9: (100.0, 25.0)}),
    "crossings": _case(  # the start order crosses: the sweeps have work to do
        range(9), [(0, 8, 0), (1, 7, 0), (2, 6, 0), (0, 6, 1), (2, 8, 1), (6, 3, 0),
                   (7, 3, 1), (8, 4, 0), (6, 4, 1), (3, 5, 0), (4, 5, 1), (7, 5, 2)],
        _boxes(range(9), 45.0, 28.0), options={"node_gap": 10.0, "sweeps": 6}),
    "repeated edge": _case(  # the same key twice: the later route wins, as in a dict
        range(3), [(0, 2, 0), (1, 2, 1), (0, 2, 0), (0, 1, 0)], _boxes(range(3), 40.0, 80.0)),
    "options": _case(
        range(6), [(0, 2, 0), (1, 2, 1), (2, 5, 0), (3, 5, 1), (4, 5, 2), (0, 5, 3)],
        _boxes(range(6), 33.3, 21.7), {(2, 5, 0): (200.0, 16.0)},
        {"node_gap": 7.5, "layer_gap": 31.0, "margin": 3.0, "sweeps": 1}),
}


def _from_layout_for(graph):
    """The arguments ``svg.layout_for`` gives ``layered_layout`` for ``graph``."""
    with mock.patch.object(svg, "layered_layout", wraps=layered_layout) as spy:
        svg.layout_for(graph)
    (nodes, edges, sizes), kwargs = spy.call_args
    return _case(nodes, edges, sizes, kwargs.get("label_sizes"))


def _expression():
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    c = a * b + a
    d = ag.tanh(c) * c + b ** 2
    d.backward()
    return describe(d)


def _tensors():
    rng = np.random.default_rng(3)
    x = ag.tensor(rng.normal(size=(4, 3)), name="x")
    w = ag.tensor(rng.normal(size=(3, 2)), requires_grad=True, name="W")
    bias = ag.tensor(rng.normal(size=2), requires_grad=True, name="b")
    h = ag.tanh(x @ w + bias)
    loss = ag.sum((h - 0.5) ** 2)
    return describe(loss)


def _real_graphs():
    bench = benchmark()
    return {
        "expression": lambda: _from_layout_for(_expression()),
        "tensors": lambda: _from_layout_for(_tensors()),
        "layer of neurons": lambda: _from_layout_for(describe(bench.layer_of_neurons())),
    }


def _random_dag(seed: int):
    """A DAG on scattered ids (edges from lower to higher id), given in shuffled order, with
    random box sizes, parallel edges and labels on some edges."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    ids = sorted(int(v) for v in rng.choice(400, size=n, replace=False))
    density = float(rng.uniform(0.02, 0.25))
    edges, inputs = [], {v: 0 for v in ids}
    for j, d in enumerate(ids):
        for s in ids[:j]:
            for _ in range(1 + int(rng.random() < 0.1)):  # now and then a parallel edge
                if rng.random() < density:
                    edges.append((s, d, inputs[d]))
                    inputs[d] += 1
    rng.shuffle(edges)
    sizes = {v: (float(rng.uniform(10, 220)), float(rng.uniform(12, 90))) for v in ids}
    if seed % 3 == 0:  # whole numbers too, as hand-written sizes are
        sizes = {v: (float(round(w)), float(round(h))) for v, (w, h) in sizes.items()}
    labels = {e: (float(rng.uniform(8, 160)), 16.0) for e in edges if rng.random() < 0.3}
    options = {}
    if seed % 5 == 4:
        options = {"node_gap": float(rng.uniform(2, 30)), "layer_gap": float(rng.uniform(20, 90)),
                   "margin": float(rng.uniform(0, 30)), "sweeps": int(rng.integers(0, 8))}
    nodes = list(ids)
    rng.shuffle(nodes)
    return _case(nodes, edges, sizes, labels, options)


# ---------------------------------------------------------------------------------- checks
@pytest.fixture
def layout_page(offline_page):
    """An empty offline page with ``layout.js`` loaded as a classic script."""
    offline_page.set_content("<html><body></body></html>")
    offline_page.add_script_tag(content=LAYOUT_JS.read_text())
    yield offline_page
    assert not offline_page.console_errors, offline_page.console_errors


def _close(a, b, what) -> None:
    assert abs(a - b) <= TOL, f"{what}: JS {a!r}, Python {b!r}"


def _points_close(js, py, what) -> None:
    assert len(js) == len(py), f"{what}: JS {js}, Python {py}"
    for i, (p, q) in enumerate(zip(js, py)):
        _close(p[0], q[0], f"{what}[{i}].x")
        _close(p[1], q[1], f"{what}[{i}].y")


def _compare(name: str, py_args: dict, js: dict) -> None:
    """Every number of the JS layout against Python's ``layered_layout`` on the same input."""
    lay = layered_layout(**py_args)
    positions = {v: p for v, p in js["positions"]}
    assert list(positions) == list(lay.positions), f"{name}: node order"
    for v, p in lay.positions.items():
        _points_close([positions[v]], [p], f"{name}: position of {v}")
    assert {v: tuple(s) for v, s in js["sizes"]} == lay.sizes, f"{name}: sizes"
    assert dict(js["layers"]) == lay.layers, f"{name}: layers"
    assert {k: vs for k, vs in js["order"]} == lay.order, f"{name}: order of the layers"
    routes = {tuple(map(int, k.split(","))): (pts, d) for k, pts, d in js["routes"]}
    assert list(routes) == list(lay.routes), f"{name}: route keys"
    for key, points in lay.routes.items():
        pts, d = routes[key]
        _points_close(pts, points, f"{name}: route {key}")
        assert d == path_data(points), f"{name}: path of {key}"
    labels = {tuple(map(int, k.split(","))): p for k, p in js["labelPoints"]}
    assert list(labels) == list(lay.label_points), f"{name}: label keys"
    for key, point in lay.label_points.items():
        _points_close([labels[key]], [point], f"{name}: label point of {key}")
    _close(js["width"], lay.width, f"{name}: width")
    _close(js["height"], lay.height, f"{name}: height")


def _run(page, cases: dict) -> dict:
    """Lay out every case in the page; results by case name."""
    results = page.evaluate(RUN, [js for _, js in cases.values()])
    return dict(zip(cases, results))


def test_script_defines_functions_only(layout_page):
    """Loaded as a classic script it adds its functions and constants, nothing else runs."""
    assert layout_page.evaluate(
        "[typeof layeredLayout, typeof layoutPathData, typeof layoutEdgeKey]"
    ) == ["function", "function", "function"]
    source = LAYOUT_JS.read_text()
    assert "import " not in source and "export " not in source
    # top-level statements are only function and const declarations (and comments)
    for line in source.splitlines():
        if line and not line.startswith((" ", "}", "//")):
            assert line.startswith(("function lay", "const LAYOUT_")), line


@pytest.mark.parametrize("name", list(HAND_MADE))
def test_hand_made(layout_page, name):
    py, _ = HAND_MADE[name]
    (result,) = _run(layout_page, {name: HAND_MADE[name]}).values()
    _compare(name, py, result)


def test_real_graphs(layout_page):
    cases = {name: build() for name, build in _real_graphs().items()}
    for name, result in _run(layout_page, cases).items():
        _compare(name, cases[name][0], result)


def test_scalar_network_of_a_thousand_nodes(layout_page):
    """The benchmark's 4-16-16-1 network: the same layout (the time it took is printed, not
    tested: speed is for benchmarks)."""
    case = _from_layout_for(describe(benchmark().scalar_network()))
    assert len(case[0]["nodes"]) >= 900
    (result,) = _run(layout_page, {"scalar network": case}).values()
    _compare("scalar network", case[0], result)
    print(f"layeredLayout, {len(case[0]['nodes'])} nodes: {result['ms']:.1f} ms in chromium")


def test_random_dags(layout_page):
    cases = {f"seed {seed}": _random_dag(seed) for seed in range(30)}
    for name, result in _run(layout_page, cases).items():
        _compare(name, cases[name][0], result)


def test_cycle_is_refused(layout_page):
    message = layout_page.evaluate("""() => {
      try {
        layeredLayout([0, 1, 2], [[0, 1, 0], [1, 2, 0], [2, 1, 1]],
                      new Map([[0, [1, 1]], [1, [1, 1]], [2, [1, 1]]]));
      } catch (e) { return e.message; }
    }""")
    assert message == "layeredLayout: the graph has a cycle"
    with pytest.raises(ValueError, match="cycle"):
        layered_layout([0, 1, 2], [(0, 1, 0), (1, 2, 0), (2, 1, 1)], _boxes(range(3)))


def test_path_numbers_round_as_python(layout_page):
    """One decimal, rounded as Python's ``f"{v:.1f}"``: ties (k.25, k.75) to the even digit,
    no "-0.0", large and whole numbers written out."""
    values = [0.0, -0.0, 0.25, 0.75, 1.25, -0.25, -1.75, 2.5, 0.05, 0.15, 0.35, -0.04, -0.05,
              1e-9, 12345.25, 99.95, 99.96, -99.95, 1e21, -3e22, 2.0 ** 52 + 0.5, 123456789.25,
              1 / 3, -2 / 3]
    rng = np.random.default_rng(0)
    values += [float(v) for v in rng.uniform(-1000, 1000, 200)]
    values += [round(float(v)) / 4 for v in rng.uniform(-4000, 4000, 100)]  # many ties
    values += [round(float(v)) / 20 for v in rng.uniform(-4000, 4000, 100)]
    paths = [[(v, -v), (v + 1.0, v / 2), (2 * v, v)] for v in values] + [[(0.25, 0.75)]]
    shown = layout_page.evaluate("(paths) => paths.map(layoutPathData)",
                                 [[list(p) for p in path] for path in paths])
    for path, d in zip(paths, shown):
        assert d == path_data(path), path
