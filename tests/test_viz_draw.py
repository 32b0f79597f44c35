"""draw(): the picture of the graph is valid SVG, shows the real numbers, and is deterministic."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb.graph import describe
from autograd_nb.viz.draw import GraphPicture, draw, side_by_side
from autograd_nb.viz.svg import layout_for, render

SVG = "{http://www.w3.org/2000/svg}"


def two_chains():
    """The seed's d = (a + b)·(a·c) with a = 2, b = -3, c = 10, recorded on a tape.

    h = a + b is named and i = a·c is not, so the pictures show both kinds of label.
    """
    with ag.Tape() as tape:
        a = ag.tensor(2.0, requires_grad=True, name="a")
        b = ag.tensor(-3.0, requires_grad=True, name="b")
        c = ag.tensor(10.0, requires_grad=True, name="c")
        h = a + b
        h.name = "h"
        d = h * (a * c)
        d.name = "d"
    return tape, d


def plain_two_chains():
    """The same d = h·i as a learner writes it: no Tape, no ``.name``, then ``backward()``."""
    a = ag.tensor(2.0, requires_grad=True)
    b = ag.tensor(-3.0, requires_grad=True)
    c = ag.tensor(10.0, requires_grad=True)
    h = a + b
    i = a * c
    d = h * i
    d.backward()
    return locals()


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def groups(svg: str, cls: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()}


def test_svg_parses_and_shows_labels_and_values():
    _, d = two_chains()
    svg = draw(d).to_svg()
    lines = texts(svg)
    assert "h = a + b" in lines and "v2 = a · c" in lines and "d = h · v2" in lines
    for shown in ("value 2", "value -3", "value 10", "value -1", "value 20", "value -20"):
        assert shown in lines
    assert not any(line.startswith("grad") for line in lines)
    # local derivatives on the edges: ∂d/∂h = a·c = 20, ∂d/∂v2 = a + b = -1, ∂v2/∂a = c = 10
    assert {"∂d/∂h = 20", "∂d/∂v2 = -1", "∂v2/∂a = 10", "∂h/∂b = 1"} <= set(lines)


def test_gradients_appear_after_backward():
    _, d = two_chains()
    d.backward()
    lines = texts(draw(d).to_svg())
    # ∂d/∂a sums two chains: 20·1 + (-1)·10 = 10
    for shown in ("grad  10", "grad  20", "grad  -2", "grad  -1", "grad  1"):
        assert shown in lines
    assert not any(line.startswith("grad") for line in texts(draw(d, show_grads=False).to_svg()))


def edge_labels(svg: str) -> dict[str, list[str]]:
    """The texts drawn on each edge, by the edge's id."""
    return {key: ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
            for key, g in groups(svg, "ag-edge").items()}


def test_after_a_plain_backward_every_edge_shows_its_local_derivative():
    """No Tape: the engine keeps each operation's inputs, so backward() loses no edge label."""
    names = plain_two_chains()
    svg = draw(names["d"], names=names).to_svg()
    expected = {"edge-0-3-0": "∂h/∂a = 1", "edge-1-3-1": "∂h/∂b = 1",
                "edge-0-4-0": "∂i/∂a = 10", "edge-2-4-1": "∂i/∂c = 2",
                "edge-3-5-0": "∂d/∂h = 20", "edge-4-5-1": "∂d/∂i = -1"}
    assert edge_labels(svg) == {key: [label] for key, label in expected.items()}
    lines = texts(svg)
    # the inputs show what backward() left in .grad: ∂d/∂a = 20·1 + (-1)·10 = 10
    assert {"grad  10", "grad  20", "grad  -2"} <= set(lines)
    for shown in ("value 2", "value -3", "value 10", "value -1", "value 20", "value -20"):
        assert shown in lines


def test_names_from_locals_label_the_boxes_h_i_d():
    names = plain_two_chains()
    pic = draw(names["d"], names=names)
    assert [n.label for n in pic.graph.nodes] == ["a", "b", "c", "h", "i", "d"]
    assert {"h = a + b", "i = a · c", "d = h · i"} <= set(texts(pic.to_svg()))
    assert repr(pic) == "GraphPicture: 6 nodes (a, b, c, h, i, d), 6 edges"
    # without names the same graph falls back to tape-order labels
    assert [n.label for n in draw(names["d"]).graph.nodes] == ["x1", "x2", "x3", "v1", "v2", "v3"]


def test_names_rules_first_name_wins_underscores_skipped_constants_named():
    a = ag.tensor(2.0, requires_grad=True, name="old")
    scale = ag.tensor(3.0)  # a constant: no node, labelled through the tensor itself
    y = a * scale
    names = {"_": y, "_3": a, "a": a, "also_a": a, "scale": scale, "y": y, "n": 5, "out": y}
    pic = draw(y, names=names)
    assert [n.label for n in pic.graph.nodes] == ["a", "scale", "y"]
    assert "y = a · scale" in texts(pic.to_svg())
    with pytest.raises(TypeError, match="draw: names must be a dict"):
        draw(y, names=["a", "y"])


def test_nodes_and_edges_are_marked_for_pages():
    _, d = two_chains()
    svg = draw(d).to_svg()
    nodes = groups(svg, "ag-node")
    assert set(nodes) == {f"node-{i}" for i in range(6)}
    assert "ag-leaf" in nodes["node-0"].get("class")
    assert "ag-op" in nodes["node-3"].get("class")
    assert "ag-output" in nodes["node-5"].get("class")
    assert set(groups(svg, "ag-edge")) == {
        "edge-0-3-0", "edge-1-3-1", "edge-0-4-0", "edge-2-4-1", "edge-3-5-0", "edge-4-5-1"}
    fills = {nodes[f"node-{i}"].find(f"{SVG}rect").get("fill") for i in (0, 3, 5)}
    assert len(fills) == 3  # leaf, operation and output look different


def test_two_runs_give_identical_svg():
    first = draw(two_chains()[1]).to_svg()
    second = draw(two_chains()[1]).to_svg()
    assert first == second
    _, d = two_chains()
    d.backward()
    code = (
        "import autograd_nb as ag\n"
        "from autograd_nb.viz import draw\n"
        "a = ag.tensor(2.0, requires_grad=True, name='a')\n"
        "b = ag.tensor(-3.0, requires_grad=True, name='b')\n"
        "c = ag.tensor(10.0, requires_grad=True, name='c')\n"
        "with ag.Tape():\n"
        "    h = a + b\n    h.name = 'h'\n    d = h * (a * c)\n    d.name = 'd'\n"
        "d.backward()\n"
        "print(draw(d).to_svg(), end='')\n"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert other == draw(d).to_svg()


def test_boxes_read_like_the_program(rng):
    x = ag.tensor(rng.normal(size=(4, 4)), requires_grad=True, name="x")
    y = (x[0] + x[:, 1] + x[::-1, 2]).reshape(2, 2).sum(axis=0) * 0.5
    lines = texts(draw(y).to_svg())
    for shown in ("v1 = x[0]", "v2 = x[:, 1]", "v4 = x[::-1, 2]", "v3 = v1 + v2",
                  "v6 = reshape(v5, shape=(2, 2))", "v7 = sum(v6, axis=0)", "v8 = v7 · 0.5"):
        assert shown in lines


def test_render_options_for_frames():
    _, d = two_chains()
    graph = describe(d)
    layout = layout_for(graph, note_lines=1)
    svg = render(graph, grads={0: np.array(-10.0)}, highlight_nodes=[4],
                 highlight_edges=[(0, 4, 0)], edge_labels={(0, 4, 0): "-1 · 10 = -10"},
                 node_notes={0: "term 1 of 2"}, layout=layout, title="step 3")
    lines = texts(svg)
    assert {"grad  -10", "-1 · 10 = -10", "term 1 of 2", "step 3"} <= set(lines)
    assert "ag-highlight" in groups(svg, "ag-node")["node-4"].get("class")
    # frames share positions: the boxes are where the layout put them
    again = render(graph, layout=layout)
    rect = groups(again, "ag-node")["node-2"].find(f"{SVG}rect")
    assert rect.get("x") == groups(svg, "ag-node")["node-2"].find(f"{SVG}rect").get("x")


def test_picture_displays_and_saves(tmp_path):
    tape, d = two_chains()
    d.backward()
    pic = draw(d)
    assert isinstance(pic, GraphPicture)
    bundle = pic._repr_mimebundle_()
    assert bundle["image/svg+xml"] == pic.to_svg() == pic._repr_svg_()
    assert bundle["text/plain"].startswith("GraphPicture: 6 nodes")
    svg_path = pic.save(tmp_path / "g.svg")
    assert svg_path.read_text(encoding="utf-8") == pic.to_svg()
    png_path = pic.save(tmp_path / "g.png")
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="svg or .png"):
        pic.save(tmp_path / "g.pdf")
    html = side_by_side(pic, tape)._repr_html_()
    assert "<svg" in html and "autograd-nb-table" in html


def test_a_tape_draws_all_its_records():
    tape, d = two_chains()
    from_tape, from_output = draw(tape).to_svg(), draw(d).to_svg()
    assert from_tape == from_output


def test_nothing_recorded_says_so():
    pic = draw(ag.tensor(3.0))
    assert any("nothing recorded" in t for t in texts(pic.to_svg()))


def test_a_300_node_chain_draws(rng):
    x = ag.tensor(rng.normal(size=4), requires_grad=True, name="x")
    y = x
    for _ in range(299):
        y = ag.tanh(y)
    pic = draw(y, max_nodes=None)
    assert len(pic.graph) == 300 and not pic.notes
    assert len(groups(pic.to_svg(), "ag-node")) == 300


def test_thousands_of_nodes_collapse_and_say_so(rng):
    # a loop of tanh(w·x + 0.1): one long chain of 3 ops per step
    x = ag.tensor(rng.normal(size=3), requires_grad=True, name="x")
    w = ag.tensor(0.9, requires_grad=True, name="w")
    y = x
    for _ in range(1700):
        y = ag.tanh(w * y + 0.1)
    assert len(describe(y)) > 5000
    pic = draw(y, max_nodes=50)
    assert len(pic.graph) <= 50
    lines = texts(pic.to_svg())
    assert "(mul → add → tanh) ×1700" in " ".join(lines)
    assert any(line.startswith("collapsed 5,100 operations") for line in lines)


def test_wide_graphs_keep_the_end_and_say_so(rng):
    xs = [ag.tensor(v, requires_grad=True) for v in rng.normal(size=1700)]
    total = xs[0] * xs[1]
    for i in range(2, 1700):
        total = total + xs[i] * xs[i - 1]
    total.backward()
    full = describe(total)
    assert len(full) > 5000
    pic = draw(total, max_nodes=80)
    assert len(pic.graph) <= 80
    assert any("merged the first" in line for line in texts(pic.to_svg()))
    assert sum(len(m) for m in pic.members.values()) == len(full)
    ET.fromstring(pic.to_svg())


def test_import_autograd_nb_loads_no_pictures():
    code = (
        "import sys, autograd_nb as ag\n"
        "t = ag.tensor(2.0, requires_grad=True)\n"
        "(t * t).backward()\n"
        "bad = [m for m in sys.modules if m.startswith(('matplotlib', 'ipywidgets', "
        "'autograd_nb.viz', 'IPython'))]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_viz_names_stay_functions_after_their_module_loads():
    """``viz.draw`` is the function at every use, not the module ``viz/draw.py`` it lives in."""
    import subprocess
    import sys

    code = (
        "import autograd_nb as ag\nfrom autograd_nb import viz\n"
        "x = ag.tensor(1.0, requires_grad=True)\ny = x * 2\n"
        "viz.draw(y); viz.draw(y); viz.descent\n"
        "assert callable(viz.draw) and callable(viz.descent) and callable(viz.LossPlot)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
