"""The sweep player at the size of a real network, offline from ``file://``, at 1280 px.

The graphs are the benchmark's (``benchmarks/player_size.py``): one layer of eight tanh
neurons written with scalars (about 80 nodes) and a 4-16-16-1 scalar network (about 1,000
nodes). Each page is built and saved here, then opened in an offline chromium context. What
is checked is what a learner sees: the page's size and how soon its first frame shows, the
rate it plays at, the last frame's sums against ``.grad``, the text size of the graph, a
table that never cuts a column, future rows without numbers, zoom, pan, the view following
the step, and the search box.
"""

from __future__ import annotations

import math
import re
import time

import pytest
from playwright.sync_api import expect

from autograd_nb.graph import describe

from .conftest import ARTIFACTS
from .sweep import benchmark, shown_grad

pytestmark = pytest.mark.browser

WIDTH = 1280
MIN_TEXT_PX = 11.0
MIN_STEPS_PER_SECOND = 20.0


def _open(page, path, requests: list[str]) -> float:
    """Open ``path`` and return the milliseconds until the first frame is on screen."""
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function(
        "document.querySelector('.agnb-heading')?.textContent.includes('step 1 of')")
    return page.evaluate("performance.now()")


def _stage_box(page) -> dict:
    return page.locator(".agnb-stage").bounding_box()


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["y"] >= outer["y"] - 1
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def _text_heights(page) -> list[float]:
    """Heights in pixels of the graph's text lines that are on screen in the stage."""
    return page.evaluate("""() => {
      const stage = document.querySelector('.agnb-stage').getBoundingClientRect();
      return [...document.querySelectorAll('.agnb-stage g.ag-node text')]
        .filter(t => t.textContent.trim())
        .map(t => t.getBoundingClientRect())
        .filter(r => r.top >= stage.top && r.bottom <= stage.bottom
                     && r.left >= stage.left && r.right <= stage.right)
        .map(r => r.height);
    }""")


def _text_outside_boxes(page) -> list[str]:
    """The lines of text that run past the right edge of their box (none should)."""
    return page.evaluate("""() => {
      const out = [];
      for (const g of document.querySelectorAll('.agnb-stage g.ag-node')) {
        const box = g.querySelector('rect:not(.agnb-ring):not(.agnb-found-ring)')
          .getBoundingClientRect();
        for (const t of g.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.width && r.right > box.right + 1) out.push(t.textContent);
        }
      }
      return out;
    }""")


def _written_box(page) -> dict:
    """Where the lit box the step writes to is on screen (the one showing the step's note)."""
    lit = page.locator(".agnb-stage g.ag-node.ag-highlight").filter(
        has=page.locator(".agnb-mark", has_text=re.compile(r"\S")))
    expect(lit).to_have_count(1)
    return lit.bounding_box()


def _check_table_and_future_rows(page, k: int) -> None:
    """At step ``k`` (from 0): no cell is cut off, rows up to ``k`` show numbers, later rows
    none (``innerText``: the text a learner sees)."""
    clipped = page.evaluate("""() => {
      const trace = document.querySelector('.agnb-trace');
      const scrolls = trace.offsetHeight - trace.clientHeight > 0;  // a horizontal scrollbar
      const cut = [...trace.querySelectorAll('td, th')]
        .filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent);
      return {cut, wide: trace.scrollWidth > trace.clientWidth, scrolls};
    }""")
    assert not clipped["cut"], f"table cells cut off: {clipped['cut'][:3]}"
    assert not clipped["wide"] or clipped["scrolls"], "the table is wider than its panel"
    rows = page.evaluate("""() => [...document.querySelectorAll('.agnb-trace tr[data-step]')]
      .map(r => [Number(r.dataset.step), r.cells[2].innerText, r.cells[3].innerText])""")
    for step, numbers, total in rows:
        if step <= k:
            assert total, f"row {step + 1} is reached but shows no running sum"
        else:
            assert numbers == "" and total == "", f"row {step + 1} is in the future: {total!r}"


def test_the_layer_of_neurons_reads_at_1280px(offline_page, tmp_path):
    """About 80 nodes: a small page, the graph full width above the table, text >= 11 px,
    zoom and pan, the view follows the step, search finds a box, no future numbers."""
    from autograd_nb import viz

    bench = benchmark()
    path = viz.BackwardPlayer(bench.layer_of_neurons()).save(tmp_path / "layer.html")
    assert path.stat().st_size <= bench.LAYER_PAGE_LIMIT, path.stat().st_size
    page, requests = offline_page, []
    _open(page, path, requests)

    root, stage = page.locator(".agnb-player").bounding_box(), _stage_box(page)
    assert stage["width"] >= 0.95 * root["width"], "the graph does not take the full width"
    trace = page.locator(".agnb-trace").bounding_box()
    assert trace["y"] >= stage["y"] + stage["height"], "the table is not below the graph"
    heights = _text_heights(page)
    assert len(heights) >= 10 and min(heights) >= MIN_TEXT_PX, sorted(heights)[:5]
    _check_table_and_future_rows(page, 0)

    # halfway: the step's box is in view, earlier rows have numbers, later ones none
    page.goto(path.as_uri() + "#step=70")
    expect(page.locator(".agnb-count")).to_contain_text("step 70 /")
    assert _inside(_written_box(page), _stage_box(page)), "the view did not follow the step"
    _check_table_and_future_rows(page, 69)
    assert not _text_outside_boxes(page)
    page.screenshot(path=str(ARTIFACTS / "player-layer-1280.png"), full_page=True)

    # zoom in: the same text gets bigger; drag: the graph moves with the pointer
    before = page.locator(".agnb-stage g.ag-node text").first.bounding_box()
    page.locator(".agnb-zoom-in").click()
    after = page.locator(".agnb-stage g.ag-node text").first.bounding_box()
    assert after["height"] > before["height"] * 1.15, (before, after)
    box = page.locator(".agnb-stage g.ag-node").first.bounding_box()
    stage = _stage_box(page)
    page.mouse.move(stage["x"] + 300, stage["y"] + 200)
    page.mouse.down()
    page.mouse.move(stage["x"] + 220, stage["y"] + 150, steps=5)
    page.mouse.up()
    moved = page.locator(".agnb-stage g.ag-node").first.bounding_box()
    assert math.isclose(moved["x"] - box["x"], -80, abs_tol=3), (box, moved)
    assert math.isclose(moved["y"] - box["y"], -50, abs_tol=3), (box, moved)
    assert not page.locator(".agnb-follow").is_checked()  # panning by hand stops following

    # search: the box found is marked and brought into view
    page.locator(".agnb-search").fill("w31")
    page.locator(".agnb-search").press("Enter")
    found = page.locator(".agnb-stage g.ag-node.agnb-found")
    expect(found).to_have_count(1)
    assert found.locator("text").first.text_content().startswith("w31")
    assert _inside(found.bounding_box(), _stage_box(page))
    page.screenshot(path=str(ARTIFACTS / "player-layer-search.png"), full_page=True)
    assert not requests and not page.console_errors, (requests, page.console_errors)


def test_a_thousand_node_network_plays_offline(offline_page, tmp_path):
    """About 1,000 nodes: ≤ 3 MB built and saved in ≤ 2 s, first frame within 2 s, ≥ 20
    steps/s with nothing but the page (each neuron one box), and the last frame's sums,
    every group opened, equal ``.grad``."""
    from autograd_nb import viz

    bench = benchmark()
    loss = bench.scalar_network()
    start = time.perf_counter()
    player = viz.BackwardPlayer(loss)
    path = player.save(tmp_path / "network.html")
    built = time.perf_counter() - start
    n = len(player.frames)
    size = path.stat().st_size
    assert len(player.recording.graph.nodes) >= 1000 and n >= 2000
    assert size <= bench.NETWORK_PAGE_LIMIT, size
    assert built <= bench.NETWORK_BUILD_LIMIT, built
    loss.backward()
    leaves = {node.label: node for node in describe(loss).nodes if node.kind == "leaf"}

    page, requests = offline_page, []
    first_frame_ms = _open(page, path, requests)
    assert first_frame_ms <= 2000, first_frame_ms
    heights = _text_heights(page)
    assert heights and min(heights) >= MIN_TEXT_PX, sorted(heights)[:5]

    page.locator(".agnb-speed").select_option("60")
    rate = page.evaluate("""() => new Promise(done => {
      const count = () => Number(document.querySelector('.agnb-count')
                                   .textContent.match(/step (\\d+)/)[1]);
      document.querySelector('.agnb-play').click();
      const k0 = count(), t0 = performance.now();
      setTimeout(() => {
        const k1 = count(), t1 = performance.now();
        document.querySelector('.agnb-play').click();
        done((k1 - k0) / ((t1 - t0) / 1000));
      }, 3000);
    })""")
    assert rate >= MIN_STEPS_PER_SECOND, f"played {rate:.1f} steps/s"
    assert _inside(_written_box(page), _stage_box(page)), "the view lost the step while playing"

    page.locator(".agnb-last").click()
    expect(page.locator(".agnb-count")).to_have_text(f"step {n} / {n}")
    page.locator(".agnb-open-all").click()  # every neuron open: every leaf in its own box
    numbers = sum(1 for n in describe(loss).nodes  # as in draw: numbers need no box here
                  if n.kind == "const" and not n.name and n.value.size == 1)
    assert numbers == 2  # the loss's 0.5 and its square's 2
    expect(page.locator(".agnb-stage g.ag-node")).to_have_count(
        len(describe(loss).nodes) - numbers)
    shown = page.evaluate("""() => Object.fromEntries(
      [...document.querySelectorAll('.agnb-stage g.ag-node')]
        .map(g => [g.querySelector('text').textContent.split(' ')[0],
                   g.querySelector('.agnb-value').textContent]))""")
    checked = 0
    for label, node in leaves.items():
        if node.grad is None:
            continue
        value = shown_grad(shown[label])
        assert value is not None, f"{label} shows no gradient"
        assert math.isclose(value, float(node.grad), rel_tol=1e-3, abs_tol=1e-12), (label, value)
        checked += 1
    assert checked >= 300
    assert not _text_outside_boxes(page)
    _check_table_and_future_rows(page, n - 1)
    page.screenshot(path=str(ARTIFACTS / "player-network-last-step.png"))
    print(f"\n1,000-node page: {len(leaves)} leaves, {n} steps, {size / 1e6:.2f} MB, built+saved "
          f"{built:.2f} s, first frame {first_frame_ms:.0f} ms, {rate:.1f} steps/s")
    assert not requests and not page.console_errors, (requests, page.console_errors)


def _boxes(page) -> int:
    return page.locator(".agnb-stage g.ag-node").count()


def test_modules_are_boxes_that_open_and_close(offline_page, tmp_path):
    """The 1,000-node network written with ``Neuron`` modules: each neuron is one box of
    readable text; a click opens it (its own boxes laid out inside a frame, in view), the
    frame's name closes it again; a step inside a closed neuron lights the neuron's box and
    writes its note there; the search box finds a weight inside a closed neuron by opening it."""
    from autograd_nb import viz

    bench = benchmark()
    loss = bench.scalar_network()
    graph = describe(loss)
    neuron = next(g for g in graph.groups if g.label == "layers.1.neurons.3")
    path = viz.BackwardPlayer(loss).save(tmp_path / "network.html")
    page, requests = offline_page, []
    _open(page, path, requests)
    closed = _boxes(page)
    assert closed <= 100, f"{closed} boxes at first: the neurons did not start closed"
    box = page.locator(".agnb-stage g.ag-group", has_text="layers.1.neurons.3 ")
    expect(box).to_have_count(1)
    assert box.locator("text").first.text_content().startswith("layers.1.neurons.3 Neuron")
    heights = _text_heights(page)
    assert heights and min(heights) >= MIN_TEXT_PX, sorted(heights)[:5]

    # a step inside the closed neuron: its box is lit and says which of its nodes is written
    player = viz.BackwardPlayer(loss)
    inside = set(neuron.nodes)
    k = next(f.index for f in player.frames if f.kind == "edge" and f.nodes[1] in inside)
    page.goto(path.as_uri() + f"#step={k + 1}")
    expect(page.locator(".agnb-count")).to_contain_text(f"step {k + 1} /")
    expect(box).to_have_class(re.compile("ag-highlight"))
    target = graph.nodes[player.frames[k].nodes[1]].label
    assert box.locator(".agnb-mark").text_content().startswith(target[:10])
    assert not _text_outside_boxes(page)
    assert _inside(box.bounding_box(), _stage_box(page)), "the view did not follow the step"

    # click: the neuron opens in a frame, its boxes in view and readable
    box.click()
    opened = _boxes(page)
    assert opened == closed - 1 + len(neuron.nodes), (closed, opened, len(neuron.nodes))
    frame = page.locator(".agnb-stage g.agnb-frame", has_text="layers.1.neurons.3")
    expect(frame).to_have_count(1)
    # a tint behind each of its own boxes, and each tint behind one of them
    halos = frame.locator("rect.agnb-halo")
    expect(halos).to_have_count(len(neuron.nodes))
    members = {f"node-{i}" for i in neuron.nodes}
    behind = page.evaluate("""(ids) => {
      const frame = [...document.querySelectorAll('.agnb-stage g.agnb-frame')]
        .find(f => f.textContent.includes('layers.1.neurons.3'));
      const halos = [...frame.querySelectorAll('rect.agnb-halo')]
        .map(r => r.getBoundingClientRect());
      return [...document.querySelectorAll('.agnb-stage g.ag-node')].filter(g => {
        const b = g.querySelector('rect:not(.agnb-ring):not(.agnb-found-ring)')
          .getBoundingClientRect();
        return halos.some(h => h.left <= b.left && h.right >= b.right &&
                               h.top <= b.top && h.bottom >= b.bottom);
      }).map(g => g.id);
    }""", sorted(members))
    assert set(behind) == members, set(behind) ^ members
    heights = _text_heights(page)
    assert heights and min(heights) >= MIN_TEXT_PX, sorted(heights)[:5]
    page.screenshot(path=str(ARTIFACTS / "player-network-neuron-open.png"))

    # its button above the graph closes it again, and so does its name on the frame
    page.locator(".agnb-close", has_text="layers.1.neurons.3").click()
    expect(page.locator(".agnb-stage g.ag-node")).to_have_count(closed)
    expect(box).to_have_count(1)
    expect(page.locator(".agnb-close")).to_have_count(0)
    box.click()
    expect(page.locator(".agnb-stage g.ag-node")).to_have_count(opened)
    frame.locator("text").dispatch_event("click")
    expect(page.locator(".agnb-stage g.ag-node")).to_have_count(closed)

    # search for a weight inside a closed neuron: the neuron opens and the weight is found
    page.locator(".agnb-search").fill("layers.0.neurons.5.w.2")
    page.locator(".agnb-search").press("Enter")
    found = page.locator(".agnb-stage g.ag-node.agnb-found")
    expect(found).to_have_count(1)
    assert found.locator("text").first.text_content().startswith("layers.0.neurons.5.w.2 ")
    assert _inside(found.bounding_box(), _stage_box(page))
    page.screenshot(path=str(ARTIFACTS / "player-network-search.png"))
    assert not requests and not page.console_errors, (requests, page.console_errors)
