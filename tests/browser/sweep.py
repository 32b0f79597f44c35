"""What a played sweep must show, worked out in this process, and a sampler for the page.

The graph is the seed's two-chain example ``d = (a + b)·(a·c)`` with the course's names and
values (h = a + b, i = a·c; a = 2, b = -3, c = 10), which make every gradient a different
number. ``expected_sweep()`` builds it here and returns the player's frames, the gradients
``backward()`` gives and the graph's node ids; the browser tests then check the page against
them. ``benchmark()`` loads ``benchmarks/player_size.py``, whose graphs the tests at scale use.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").exists())


def benchmark():
    """``benchmarks/player_size.py`` as a module: the graphs at scale and the size targets."""
    spec = importlib.util.spec_from_file_location("player_size",
                                                  REPO / "benchmarks" / "player_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GRAPH = """\
import autograd_nb as ag
from autograd_nb import viz
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")
h = a + b
h.name = "h"
i = a * c
i.name = "i"
d = h * i
d.name = "d"
"""

# Installed on a root element, it records each distinct state of the player's parts: the
# step the heading above the graph names, the highlighted nodes, the equation and the table row.
SAMPLER = """(root) => {
  window.agnbSamples = [];
  let last = '';
  const read = () => {
    const svg = root.querySelector('svg.ag-graph');
    const title = root.querySelector('.agnb-heading');
    const heading = title && title.textContent.match(/step (\\d+) of (\\d+)/);
    const lit = svg ? [...svg.querySelectorAll('g.ag-node.ag-highlight')].map(g => g.id) : [];
    const eq = root.querySelector('.agnb-equation');
    const row = root.querySelector('tr.agnb-current');
    return {svg: heading ? Number(heading[1]) - 1 : null, lit: lit.sort().join(' '),
            eq: eq ? eq.textContent : null, row: row ? Number(row.dataset.step) : null};
  };
  window.agnbSampler = setInterval(() => {
    const state = read(), key = JSON.stringify(state);
    if (key !== last) { window.agnbSamples.push(state); last = key; }
  }, 4);
}"""
SAMPLES = "clearInterval(window.agnbSampler); window.agnbSamples"


def expected_sweep():
    """``(frames, grads, ids)``: the player's frames for ``GRAPH``, ``{name: grad}`` from
    ``d.backward()``, and ``{label: node id}``."""
    from autograd_nb import viz

    scope: dict = {}
    exec(GRAPH, scope)
    player = viz.BackwardPlayer(scope["d"])
    scope["d"].backward()
    grads = {name: scope[name].grad.item() for name in "abc"}
    ids = {node.label: node.id for node in player.recording.graph.nodes}
    return player, grads, ids


def lit(frame) -> str:
    """The ids of the nodes ``frame`` highlights, as the sampler writes them."""
    return " ".join(sorted(f"node-{i}" for i in frame.nodes))


def in_order(seen: list, values: list, what: str) -> list[int]:
    """Indices into ``values`` matching ``seen`` in order, never going back; fails otherwise."""
    steps, pos = [], 0
    for value in seen:
        while pos < len(values) and values[pos] != value:
            pos += 1
        assert pos < len(values), f"{what}: {value!r} is out of order or not a frame"
        steps.append(pos)
    return steps


def check_played(samples: list[dict], frames) -> None:
    """The states seen while playing walk the sweep forward, showing only real frames, to the
    end; the equation line and the table row follow."""
    n = len(frames)
    pictures = [s for s in samples if s["svg"] is not None]
    for state in pictures:
        assert state["lit"] == lit(frames[state["svg"]]), state
    shown = [s["svg"] for s in pictures]
    assert shown == sorted(shown) and shown[-1] == n - 1, shown
    assert len(set(shown)) >= n // 2, f"play showed only steps {sorted(set(shown))} of {n}"
    assert len({s["lit"] for s in pictures}) >= 3, "the highlight did not move through the graph"
    in_order([s["eq"] for s in samples if s["eq"] is not None],
             [f.equation for f in frames], "equation line")
    rows = [s["row"] for s in samples if s["row"] is not None]
    assert rows == sorted(rows) and rows[-1] == n - 1, rows
    assert len(set(rows)) >= n // 2, f"the table row visited only {sorted(set(rows))}"


def shown_grad(node_text: str) -> float | None:
    """The number after ``grad`` in a node's text, if any."""
    import re

    found = re.search(r"grad\s+(-?[\d.]+(?:e[-+]?\d+)?)", node_text)
    return float(found[1]) if found else None
