"""The sweep players: frames recorded from the engine's own sweeps, widget state, offline HTML."""

import json
import re

import anywidget
import ipywidgets
import numpy as np
import pytest
import traitlets

import autograd_nb as ag
from autograd_nb.backward import record_sweep
from autograd_nb.viz import BackwardPlayer, ForwardPlayer
from autograd_nb.viz.html_export import player_script
from autograd_nb.viz.recording import record_backward, record_forward_mode
from autograd_nb.viz.sweep_data import sweep_data, sweep_json


def seed_example():
    """The seed's d = (a + b)·(a·c) at a=2, b=-3, c=10, every value named."""
    a, b, c = (ag.tensor(v, requires_grad=True, name=n) for v, n in
               ((2.0, "a"), (-3.0, "b"), (10.0, "c")))
    return (a, b, c), two_chains(a, b, c)


def two_chains(a, b, c):
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    return d


def random_graph(rng, shape=(), n_leaves=3, n_ops=8):
    """A random DAG of elementwise ops over named leaves; reduced to a scalar at the end."""
    leaves = [ag.tensor(rng.normal(size=shape), requires_grad=True, name=f"x{k}")
              for k in range(n_leaves)]
    pool = list(leaves)
    for _ in range(n_ops):
        x, y = (pool[k] for k in rng.integers(len(pool), size=2))
        op = int(rng.integers(5))
        pool.append([x + y, x * y, x - y, ag.tanh(x) * y, ag.sin(x) + 2.0 * y][op])
    out = pool[-1] * pool[-2] + pool[-3]
    return leaves, out.sum() if shape else out


def leaf_id(graph, name):
    return next(n.id for n in graph.nodes if n.label == name)


def test_one_frame_per_step_of_the_engines_sweep():
    _, d = seed_example()
    recording = record_backward(d)
    steps = record_sweep(d)
    assert len(recording.frames) == len(steps) == len(BackwardPlayer(d).frames)
    assert [f.kind for f in recording.frames] == [s.kind for s in steps]


def test_recording_leaves_grad_alone_and_the_graph_alive():
    (a, b, c), d = seed_example()
    BackwardPlayer(d)
    assert a.grad is None and b.grad is None
    d.backward()  # the recording kept the saved values
    assert a.grad.item() == 10.0


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_final_frame_equals_engine_grads_on_random_graphs(rng, shape):
    for _ in range(5):
        leaves, out = random_graph(rng, shape)
        recording = record_backward(out)
        out.backward()
        final = recording.final_values
        for leaf in leaves:
            if leaf.grad is None:
                continue
            node = leaf_id(recording.graph, leaf.name)
            np.testing.assert_allclose(final[node], leaf.grad.data, rtol=1e-12)


def test_chain_terms_sum_to_every_running_total(rng):
    _, out = random_graph(rng, (4,))
    for frame in record_backward(out).frames:
        if frame.kind == "edge":
            target = frame.nodes[1]
            total = sum(t.value for t in frame.terms)
            np.testing.assert_allclose(total, frame.values[target], rtol=1e-12)


def test_the_two_chains_of_a_are_two_terms():
    (a, _, _), d = seed_example()
    recording = record_backward(d)
    graph = recording.graph
    a_id = leaf_id(graph, "a")
    last = [f for f in recording.frames if f.node == a_id or a_id in f.nodes][-1]
    assert [t.symbol for t in last.terms] == ["∂d/∂h·∂h/∂a", "∂d/∂i·∂i/∂a"]
    assert [t.numbers for t in last.terms] == ["20·1", "(-1)·10"]
    assert sum(t.value for t in last.terms) == 10.0
    assert last.equation == "∂d/∂a = ∂d/∂h·∂h/∂a + ∂d/∂i·∂i/∂a = 20·1 + (-1)·10 = 10"
    d.backward()
    assert recording.final_values[a_id] == a.grad.item()
    # before the second chain arrives, the running sum holds one term
    first = next(f for f in recording.frames if f.kind == "edge" and f.nodes[1] == a_id)
    assert len(first.terms) == 1 and first.values[a_id] == -10.0


def test_tensor_frames_show_shapes_and_norms():
    W = ag.tensor(np.arange(6.0).reshape(3, 2) / 10, requires_grad=True, name="W")
    x = ag.tensor([[1.0, -2.0, 0.5]], name="x")
    loss = ag.tanh(x @ W).sum()
    recording = record_backward(loss)
    w_frame = [f for f in recording.frames if f.kind == "edge"][-1]
    assert "[3×2 ‖" in w_frame.equation
    assert "vjp(" in w_frame.equation  # matmul's local derivative is not a diagonal
    assert "running sum" in w_frame.detail and "[[" in w_frame.detail


def test_broadcast_terms_say_they_are_summed_back():
    x = ag.tensor(np.ones((4, 2)), name="x")
    b = ag.tensor([0.5, -1.0], requires_grad=True, name="b")
    y = (x + b).sum()
    b_frame = [f for f in record_backward(y).frames if f.kind == "edge"][-1]
    assert b_frame.term.numbers.endswith("summed to [2]")
    y.backward()
    np.testing.assert_array_equal(b_frame.values[b_frame.nodes[1]], b.grad.data)


def test_widget_state_follows_the_step():
    _, d = seed_example()
    player = BackwardPlayer(d)
    assert player.step == 0 and player.equation == "∂d/∂d = 1"
    seen = set()
    for k in range(len(player.frames)):
        player.step = k  # what the page sends when playing stops, or a learner's player.go(k)
        assert player.highlighted_nodes == player.frames[k].nodes
        assert player.highlighted_edges == player.frames[k].edges
        assert player.equation == player.frames[k].equation
        seen.add((player.highlighted_nodes, player.highlighted_edges))
    assert len(seen) > 5
    player.go(3)
    player.step_forward()
    assert player.step == 4
    player.step_back()
    player.step_back()
    assert player.step == 2
    player.go(7)
    assert "20·1 + (-1)·10" in player.equation
    player.go(-1)
    player.step_forward()
    assert player.step == len(player.frames) - 1


def test_the_widget_runs_the_shared_module_on_synced_data():
    _, d = seed_example()
    player = BackwardPlayer(d)
    assert isinstance(player, anywidget.AnyWidget) and isinstance(player, ipywidgets.Widget)
    assert player._esm == player_script() and "export default" in player._esm
    state = player.get_state()
    assert {"data", "step", "_esm"} <= set(state)
    assert "highlighted_nodes" not in state  # derived in Python; never sent
    assert json.loads(sweep_json(player.data)) == player.data  # JSON-ready as it stands


def test_step_data_is_the_recording(rng):
    """Each step of the data carries its frame's texts and the value the frame writes."""
    _, out = random_graph(rng, n_ops=12)
    recording = record_backward(out)
    data = sweep_data(recording, "t")
    edges = [(e["src"], e["dst"], e["pos"]) for e in data["edges"]]
    assert sorted(edges) == sorted((e.src, e.dst, e.position) for e in recording.graph.edges)
    assert [n["id"] for n in data["nodes"]] == [n.id for n in recording.graph.nodes]
    assert len(data["steps"]) == len(recording.frames)
    written: dict[int, str] = {}
    for step, frame in zip(data["steps"], recording.frames):
        assert step["eq"] == frame.equation and step["row"] == list(frame.row)
        assert step["nodes"] == list(frame.nodes)
        assert [edges[k] for k in step["edges"]] == list(frame.edges)
        node, text = step["set"]
        written[node] = text
    for node in recording.graph.nodes:
        if node.kind == "leaf" and node.id in written:
            shown = float(written[node.id].split()[-1])
            grad = recording.final_values[node.id]
            np.testing.assert_allclose(shown, grad, rtol=1e-3, atol=1e-12)


def test_page_size_grows_with_nodes_plus_steps():
    """Each step adds its own few texts to the page, never another picture of the graph."""
    def ladder(n):
        x = [ag.tensor(0.1 * k, requires_grad=True, name=f"x{k}") for k in range(n)]
        y = x[0]
        for xk in x[1:]:
            y = ag.tanh(y * xk + 1.0)
        return y

    sizes, steps = [], []
    for n in (10, 40):
        player = BackwardPlayer(ladder(n))
        sizes.append(len(player.to_html().encode()))
        steps.append(len(player.frames))
    per_step = (sizes[1] - sizes[0]) / (steps[1] - steps[0])
    assert per_step < 1500, per_step


def test_step_is_checked():
    _, d = seed_example()
    player = BackwardPlayer(d)
    player.step = 2
    assert player.get_state("step") == {"step": 2}
    with pytest.raises(traitlets.TraitError, match="outside the recording"):
        player.step = len(player.frames)
    assert player.step == 2


def test_no_kernel_output_shows_the_final_graph_with_gradients():
    _, d = seed_example()
    player = BackwardPlayer(d)
    bundle = player._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "BackwardPlayer(backward from d: 12 steps)"
    static = bundle["text/html"]
    assert "<svg" in static and "ag-highlight" not in static
    for grad in ("grad  10", "grad  20", "grad  -2"):  # a, b, c
        assert grad in static


def test_saved_html_is_offline_and_holds_every_step(tmp_path):
    _, d = seed_example()
    player = BackwardPlayer(d)
    path = player.save(tmp_path / "sweep.html")
    text = path.read_text(encoding="utf-8")
    assert "http" not in text
    assert "<script" in text and "src=" not in text
    assert player_script() in text  # the very module the widget runs
    found = re.search(r'<script type="application/json" id="agnb-data">(.*?)</script>', text)
    assert json.loads(found[1]) == player.data
    assert len(player.data["steps"]) == len(player.frames)
    assert "20·1 + (-1)·10 = 10" in text


def test_forward_frames_end_with_the_jvp(rng):
    (a, b, c), _ = seed_example()
    player = ForwardPlayer(two_chains, (a, b, c), (1.0, 0.0, 0.0))
    last = player.frames[-1]
    _, expected = ag.jvp(two_chains, (a, b, c), (1.0, 0.0, 0.0))
    assert last.node == player.recording.output
    assert last.values[last.node] == expected.item() == 10.0
    assert last.equation == "dd = ∂d/∂h·dh + ∂d/∂i·di = 20·1 + (-1)·10 = 10"
    assert [f.kind for f in player.frames] == ["seed"] * 3 + ["op"] * 3
    assert a.grad is None

    x = rng.normal(size=(2, 3))
    t = rng.normal(size=(2, 3))

    def f(x):
        return (ag.tanh(x) * x).sum()

    recording = record_forward_mode(f, (x,), (t,))
    _, expected = ag.jvp(f, (x,), (t,))
    np.testing.assert_allclose(recording.final_values[recording.output], expected, rtol=1e-12)


def test_forward_player_state_and_html(tmp_path):
    (a, b, c), _ = seed_example()
    player = ForwardPlayer(two_chains, (a, b, c), (1.0, 0.0, 0.0))
    player.go(-1)
    assert player.highlighted_edges == ((3, 5, 0), (4, 5, 1))
    text = player.save(tmp_path / "forward.html").read_text(encoding="utf-8")
    assert "http" not in text and len(player.data["steps"]) == len(player.frames)
    assert player.data["direction"] == "forward"
    assert player.data["steps"][-1]["set"] == [player.recording.output, "dd = 10"]
    assert "dd = 10" in player.final_svg()


def test_errors_name_the_player():
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(ag.AutogradError, match="BackwardPlayer: the output has shape"):
        BackwardPlayer(y)
    assert len(BackwardPlayer(y, grad=np.ones(2)).frames) == 3
    with pytest.raises(ag.AutogradError, match="BackwardPlayer: .* requires_grad=True"):
        BackwardPlayer(ag.tensor(3.0) * 2)


def test_forward_player_needs_an_output_that_depends_on_the_inputs():
    with pytest.raises(ValueError, match="does not depend on its arguments"):
        ForwardPlayer(lambda x: ag.tensor(1.0), (2.0,), (1.0,))


def test_players_refuse_released_graphs():
    _, d = seed_example()
    d.backward()
    with pytest.raises(ag.ReleasedGraphError, match="retain_graph=True"):
        BackwardPlayer(d)


def test_a_recording_holds_one_value_per_step_not_every_value_per_frame():
    """Frames share what the steps wrote and replay it: the recording of a 2,001-node chain
    (4,001 steps) stays small, where a copy of every running sum per frame would hold about
    four million values."""
    import tracemalloc

    from autograd_nb.viz.recording import record_backward

    x = ag.tensor(0.3, requires_grad=True, name="x")
    y = x
    for _ in range(1000):
        y = ag.tanh(y * 0.9)
    tracemalloc.start()
    try:
        recording = record_backward(y)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    frames = recording.frames
    assert len(frames) == 4001
    assert held < 20e6, f"the recording holds {held / 1e6:.0f} MB"
    history = frames[0].history
    assert all(f.history is history for f in frames) and len(history.writes) == len(frames)
    last = frames[-1]
    assert last.kind == "leaf" and last.values[last.node] == last.value
    y.backward()
    assert float(last.value) == pytest.approx(float(x.grad))
    assert len(last.final) == len(recording.graph.nodes) - 1  # all but the constant 0.9
