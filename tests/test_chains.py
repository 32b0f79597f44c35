"""``viz.chains``: every chain from x to the output, its products, their count and the picture.

The sum of the chain products is checked against the engine's own gradient on random small
DAGs; the count by dynamic programming against brute-force enumeration, and for speed on a
60-rung ladder (2⁶⁰ chains) that no enumeration could finish.
"""

import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_nb as ag
from autograd_nb import viz
from autograd_nb.graph import describe
from autograd_nb.viz.chains import Chains, _all_paths, count_paths

PNG = b"\x89PNG\r\n\x1a\n"


def two_chains():
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    c = ag.tensor(10.0, requires_grad=True, name="c")
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    return a, b, c, d


def ladder(rungs, start=0.5):
    x = ag.tensor(start, requires_grad=True, name="x")
    top = x
    for _ in range(rungs):
        top = ag.sin(top) + ag.cos(top)
    return x, top


UNARY = [ag.sin, ag.cos, ag.tanh, ag.sigmoid, lambda v: v * v, lambda v: -v]
BINARY = [lambda u, v: u + v, lambda u, v: u * v, lambda u, v: u - v]


@st.composite
def small_dags(draw):
    """A random program of scalar operations on 1-3 inputs, each op using earlier values."""
    n_inputs = draw(st.integers(1, 3))
    values = [ag.tensor(draw(st.floats(-1.5, 1.5)), requires_grad=True, name=f"x{k}")
              for k in range(n_inputs)]
    for _ in range(draw(st.integers(1, 7))):
        if draw(st.booleans()):
            op = draw(st.sampled_from(UNARY))
            values.append(op(draw(st.sampled_from(values))))
        else:
            op = draw(st.sampled_from(BINARY))
            values.append(op(draw(st.sampled_from(values)), draw(st.sampled_from(values))))
    inputs = values[:n_inputs]
    out = values[-1]
    for v in values[n_inputs:-1]:  # every value feeds the output: more shared chains
        if draw(st.booleans()):
            out = out + v
    return inputs, out


# --------------------------------------------------------------------------- the README example
def test_two_chains_are_minus_ten_and_twenty_and_sum_to_a_grad():
    a, _, _, d = two_chains()
    ch = viz.chains(d, a)
    assert isinstance(ch, Chains)
    assert ch.paths == (("a", "i", "d"), ("a", "h", "d"))
    assert ch.products == (-10.0, 20.0)
    assert ch.total == 10.0 and ch.count == 2 and ch.complete
    assert a.grad is None  # the engine's sweep ran without writing .grad
    d.backward()
    assert a.grad.item() == sum(ch.products)
    assert "  = (-1)·10 + 20·1" in ch.formula()


def test_chain_records_hold_factors_and_symbols():
    a, b, c, d = two_chains()
    first, second = viz.chains(d, a).chains
    assert first.factors == (10.0, -1.0) and first.symbol == "∂d/∂i·∂i/∂a"
    assert first.numbers == "(-1)·10"
    assert second.factors == (1.0, 20.0)
    assert viz.chains(d, b).products == (20.0,)
    assert viz.chains(d, c).products == (-2.0,)


def test_intermediate_output_itself_and_unreached_inputs():
    a, b, _, d = two_chains()
    h = ag.tensor(0.0)  # not in the graph: no requires_grad
    with pytest.raises(ValueError, match="requires_grad"):
        viz.chains(d, h)
    assert viz.chains(d, d).products == (1.0,)
    other = ag.tensor(1.0, requires_grad=True, name="z")
    lone = viz.chains(d, other)
    assert lone.count == 0 and lone.total == 0.0 and lone.paths == ()
    assert "does not reach" in lone.to_svg()


def test_after_backward_the_total_is_a_grad():
    a, _, _, d = two_chains()
    d.backward()
    ch = viz.chains(d, a)
    assert ch.total == 10.0 and "your backward()" in ch.total_from
    assert sum(ch.products) == 10.0


def test_refuses_what_it_cannot_draw():
    x = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    y = x * 3
    with pytest.raises(ValueError, match="one number"):
        viz.chains(y, x)
    with pytest.raises(ValueError, match="index="):
        viz.chains(y.sum(), x)
    with pytest.raises(IndexError, match="one element"):
        viz.chains(y.sum(), x, index=5)
    with pytest.raises(TypeError, match="tensor"):
        viz.chains(y.sum(), [1.0])


# --------------------------------------------------------------------------- tensors
def test_an_element_of_a_vector_follows_elementwise_ops_and_a_sum():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
    w = ag.tensor(0.5, requires_grad=True, name="w")
    t = ag.tanh(x)
    t.name = "t"
    y = (w * t + x * x).sum()
    for k in range(3):
        ch = viz.chains(y, x, index=k)
        assert ch.count == 3
        assert sum(ch.products) == pytest.approx(ch.total)
        assert ch.total == pytest.approx(0.5 * (1 - np.tanh(k + 1.0) ** 2) + 2 * (k + 1))
        assert all(label.endswith(f"[{k}]") for label in ch.paths[-1][:-1])
    # w is broadcast to all three elements: one chain through the product carries them all
    assert viz.chains(y, w).total == pytest.approx(np.tanh([1.0, 2.0, 3.0]).sum())


# --------------------------------------------------------------------------- the property
@given(small_dags())
def test_chain_products_sum_to_the_engines_gradient(program):
    inputs, out = program
    for x in inputs:
        ch = viz.chains(out, x, max_listed=10_000)
        if ch.source is None:
            assert ch.total == 0.0
            continue
        assert ch.complete and len(ch.products) == ch.count
        assert sum(ch.products) == pytest.approx(ch.total, rel=1e-9, abs=1e-12)
    out.backward(retain_graph=True)  # and backward() itself agrees
    for x in inputs:
        ch = viz.chains(out, x, max_listed=10_000)
        expected = 0.0 if x.grad is None else x.grad.item()
        assert ch.total == pytest.approx(expected)


# --------------------------------------------------------------------------- counting
def brute_force_count(graph, source, target):
    """Every path by walking every sequence of edges: the definition, slowly."""
    out = {}
    for e in graph.edges:
        out.setdefault(e.src, []).append(e.dst)
    count, stack = 0, [source]
    while stack:
        node = stack.pop()
        if node == target:
            count += 1
        stack.extend(out.get(node, ()))
    return count


@given(small_dags())
def test_count_matches_brute_force_enumeration(program):
    inputs, out = program
    graph = describe(out)
    target = graph.outputs[0]
    for source in range(len(graph)):
        expected = brute_force_count(graph, source, target)
        assert count_paths(graph, source, target) == expected
        assert len(_all_paths(graph, source, target)) == expected


@pytest.mark.parametrize("rungs", [1, 2, 3, 5, 8])
def test_ladder_has_two_to_the_n_chains(rungs):
    x, top = ladder(rungs)
    ch = viz.chains(top, x, max_listed=1000)
    assert ch.count == 2 ** rungs == len(ch.paths)
    assert sum(ch.products) == pytest.approx(ch.total)


def test_sixty_rungs_are_counted_fast_and_the_largest_are_the_largest():
    x, top = ladder(60)
    start = time.perf_counter()
    ch = viz.chains(top, x)
    assert time.perf_counter() - start < 1.0
    assert ch.count == 2 ** 60 and not ch.complete and len(ch.chains) == 4
    assert ch.sweep_edges == 240
    sizes = [abs(p) for p in ch.products]
    assert sizes == sorted(sizes, reverse=True)
    # on a small ladder the k-best search finds exactly the k largest of the full list
    x, top = ladder(6)
    every = sorted((abs(p) for p in viz.chains(top, x, max_listed=64).products), reverse=True)
    best = [abs(p) for p in viz.chains(top, x, max_listed=8, top=5).products]
    assert best == pytest.approx(every[:5])


def test_many_chains_picture_says_how_many_and_contrasts_costs():
    x, top = ladder(60)
    svg = viz.chains(top, x).to_svg()
    assert "1,152,921,504,606,846,976 = 2⁶⁰" in svg
    assert "the 4 largest" in svg and "240 edges, each used once" in svg


# --------------------------------------------------------------------------- the picture
def test_picture_has_one_highlighted_graph_per_chain_and_the_formula():
    a, _, _, d = two_chains()
    ch = viz.chains(d, a)
    svg = ch.to_svg()
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    panels = root.findall("s:g[@class='ag-chain']", ns)
    assert len(panels) == 2
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # every id unique across the panels
    for panel in panels:
        lit = [g.get("id") for g in panel.iter(f"{{{ns['s']}}}g")
               if "ag-highlight" in (g.get("class") or "").split()]
        assert len(lit) == 3  # a, the middle node, d
    text = "".join(root.itertext())
    assert "∂i/∂a = 10" in text and "∂d/∂i = -1" in text and "∂d/∂h = 20" in text
    assert "(the engine's reverse sweep)  ✓ the same" in text
    sizes = [float(t.get("font-size")) for t in root.iter(f"{{{ns['s']}}}text")
             if t.get("font-size")]
    assert min(sizes) >= 11
    bundle = ch._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg and bundle["text/plain"].startswith("Chains: 2")
    assert svg == viz.chains(d, a).to_svg()  # deterministic


def test_save_svg_and_png(tmp_path):
    a, _, _, d = two_chains()
    ch = viz.chains(d, a)
    assert ch.save(tmp_path / "c.svg").read_text(encoding="utf-8") == ch.to_svg()
    png = ch.save(tmp_path / "c.png").read_bytes()
    assert png.startswith(PNG)
    from matplotlib.image import imread

    pixels = imread(tmp_path / "c.png")[..., :3]
    amber = np.all(np.abs(pixels - np.array([0xF5, 0x9E, 0x0B]) / 255) < 0.06, axis=-1)
    assert amber.sum() > 500  # the highlighted chains are drawn, not only the text
    with pytest.raises(ValueError, match=".svg or .png"):
        ch.save(tmp_path / "c.pdf")

