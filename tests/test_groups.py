"""Groups of boxes: each call of an ``nn.Module`` (``describe``), chains of single steps, and
which of them a player starts closed (``viz.grouping``), as the player's data carries them."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import nn
from autograd_nb.graph import describe
from autograd_nb.viz.grouping import player_groups, shown_boxes
from autograd_nb.viz.recording import record_backward
from autograd_nb.viz.sweep_data import sweep_data


def _by_label(graph):
    return {n.label: n.id for n in graph.nodes}


def _group(graph, label):
    return next(g for g in graph.groups if g.label == label)


def _mlp_loss():
    model = nn.MLP(2, [4, 4], 1, rng=0)
    x = ag.tensor(np.ones((3, 2)), name="x")
    return nn.mse_loss(model(x), np.zeros((3, 1)))


def test_each_linear_call_is_a_group_with_its_parameters_and_nothing_else():
    graph = describe(_mlp_loss())
    ids = _by_label(graph)
    assert [(g.label, g.kind) for g in graph.groups] == [
        ("MLP", "MLP"), ("layers.0", "Linear"), ("layers.2", "Linear"), ("layers.4", "Linear")]
    first = _group(graph, "layers.0")
    labels = {graph.nodes[i].label for i in first.nodes}
    assert {"layers.0.weight", "layers.0.bias"} <= labels
    assert [graph.nodes[i].op for i in first.nodes if graph.nodes[i].kind == "op"] == ["linear"]
    assert "x" not in labels  # the data given to a module stays outside it
    whole = _group(graph, "MLP")
    assert first.parent == whole.id and whole.parent is None
    assert set(first.nodes) < set(whole.nodes)
    loss = next(n for n in graph.nodes if n.is_output)
    assert loss.id not in whole.nodes and ids["x"] not in whole.nodes
    # the activations (one operation each) are no groups of their own, but inside the MLP
    tanhs = [n.id for n in graph.nodes if n.op == "tanh"]
    assert len(tanhs) == 2 and set(tanhs) <= set(whole.nodes)


class Neuron(nn.Module):
    def __init__(self, n_in, rng):
        self.w = [ag.tensor(rng.normal(), requires_grad=True) for _ in range(n_in)]
        self.b = ag.tensor(0.1, requires_grad=True)

    def forward(self, xs):
        total = self.b
        for w, x in zip(self.w, xs):
            total = total + w * x
        return ag.tanh(total * 0.5)


class Layer(nn.Module):
    def __init__(self, n_in, n_out, rng):
        self.neurons = [Neuron(n_in, rng) for _ in range(n_out)]

    def forward(self, xs):
        return [n(xs) for n in self.neurons]  # a list: every tensor in it is marked


def test_scalar_modules_returning_lists_nest_and_keep_their_numbers():
    rng = np.random.default_rng(0)
    layer = Layer(3, 2, rng)
    xs = [ag.tensor(v, name=f"x{i}") for i, v in enumerate([1.0, 2.0, 3.0])]
    out = layer(xs)
    total = out[0] + out[1]
    graph = describe(total)
    names = [(g.label, g.kind, g.parent) for g in graph.groups]
    assert names == [("Layer", "Layer", None), ("neurons.0", "Neuron", 0),
                     ("neurons.1", "Neuron", 0)]
    neuron = _group(graph, "neurons.0")
    inside = [graph.nodes[i] for i in neuron.nodes]
    # 3 weights and the bias, 3 products, 3 sums, × 0.5, tanh
    assert sum(n.kind == "leaf" for n in inside) == 4
    assert sum(n.kind == "op" for n in inside) == 8
    # the 0.5 written in forward is one constant used by both neurons: it is the layer's
    half = next(n for n in graph.nodes if n.kind == "const" and not n.name)
    assert half.id not in neuron.nodes and half.id in _group(graph, "Layer").nodes
    assert not any(graph.nodes[i].label.startswith("x") for i in _group(graph, "Layer").nodes)
    assert graph.nodes[graph.outputs[0]].id not in _group(graph, "Layer").nodes


def test_a_module_called_twice_makes_two_groups_and_shares_its_parameters():
    cell = nn.Linear(2, 2, rng=0)
    x = ag.tensor(np.ones(2), name="x")
    y = cell(ag.tanh(cell(x)))
    graph = describe(y.sum())
    # one operation per call: too small to be a group, so the calls show as themselves
    assert graph.groups == ()
    seq = nn.Sequential(nn.Linear(2, 2, rng=1), nn.Tanh())
    z = seq(seq(x))
    graph = describe(z.sum())
    labels = [g.label for g in graph.groups]
    assert labels == ["Sequential (call 1)", "Sequential (call 2)"]
    for g in graph.groups:  # the shared parameters belong to neither call
        assert not any(graph.nodes[i].kind == "leaf" for i in g.nodes)


def test_no_modules_no_groups_and_scopes_cost_no_gradient():
    a = ag.tensor(2.0, requires_grad=True)
    assert describe(a * 3).groups == ()
    model = nn.MLP(2, [3], 1, rng=0)
    x = np.ones((4, 2))
    model(x).sum().backward()
    with_scopes = [np.array(p.grad) for p in model.parameters()]
    model.zero_grad()
    model.layers.forward(x).sum().backward()  # the same work without the module calls
    for g, h in zip(with_scopes, (p.grad for p in model.parameters())):
        np.testing.assert_array_equal(g, np.array(h))


def test_innermost_modules_start_closed_and_small_graphs_stay_open():
    graph = describe(_mlp_loss())
    groups = {g.label: g for g in player_groups(graph)}
    assert [label for label, g in groups.items() if g.closed] == [
        "layers.0", "layers.2", "layers.4"]
    assert not groups["MLP"].closed
    assert groups["layers.0"].summary == "linear"
    closed = {g.id for g in groups.values() if g.closed}
    # 3 Linear boxes + x + 2 tanh + target + loss
    assert shown_boxes(list(groups.values()), len(graph.nodes), closed) == 8
    a = ag.tensor(2.0, requires_grad=True)
    chain = player_groups(describe(ag.tanh(ag.tanh(ag.tanh(a)))))
    assert [(g.kind, g.closed) for g in chain] == [("chain", False)]  # open: it fits


def test_big_graphs_close_level_by_level_and_chains_become_groups():
    x = ag.tensor(0.3, requires_grad=True, name="x")
    y = x
    for _ in range(150):
        y = ag.tanh(y * 0.9)
    graph = describe(y)
    groups = player_groups(graph, max_nodes=100)
    assert len(groups) == 1 and groups[0].kind == "chain" and groups[0].closed
    assert groups[0].summary == "(mul → tanh) ×150"
    assert shown_boxes(groups, len(graph.nodes), {0}) <= 100
    opened = player_groups(graph, max_nodes=1000)
    assert not opened[0].closed  # a graph that fits starts open


@pytest.mark.parametrize("max_boxes", [100, 40])
def test_the_players_data_holds_groups_and_each_nodes_smallest_group(max_boxes):
    graph = describe(_mlp_loss())
    recording = record_backward(_mlp_loss(), None, caller="test")
    data = sweep_data(recording, "t", max_boxes=max_boxes)
    assert [g["label"] for g in data["groups"]] == [g.label for g in graph.groups]
    by_label = {g["label"]: g for g in data["groups"]}
    linear = by_label["layers.0"]
    assert linear["closed"] and linear["kind"] == "Linear" and linear["parent"] == 0
    assert linear["lines"][0][:2] == ["layers.0", " Linear"]
    for node in data["nodes"]:
        owners = [g for g in graph.groups if node["id"] in g.nodes]
        if not owners:
            assert "g" not in node
        else:
            assert node["g"] == min(owners, key=lambda g: len(g.nodes)).id
    assert "x" not in data["nodes"][0] and "d" not in data["edges"][0]  # the page lays out


def test_draw_collapses_module_calls_first_each_named_by_its_path():
    from autograd_nb import viz

    rng = np.random.default_rng(1)
    layers = [Layer(4, 12, rng), Layer(12, 12, rng)]
    xs = [ag.tensor(v, name=f"x{i}") for i, v in enumerate(rng.normal(size=4))]
    for layer in layers:
        xs = layer(xs)
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    full = describe(total)
    assert len(full.nodes) > 300
    picture = viz.draw(total)  # at most 100 boxes
    labels = [n.label for n in picture.graph.nodes]
    assert not any(label.startswith("Layer") for label in labels)  # not the layers, but
    assert sum(label.startswith("neurons.") for label in labels) == 24  # 24 neuron boxes
    # two layers called on their own both have a "neurons.3": numbered, not "called again"
    assert "neurons.3 #1" in labels and "neurons.3 #2" in labels
    assert any("module call" in note for note in picture.notes)
    neuron = next(n for n in picture.graph.nodes if n.label == "neurons.3 #1")
    # the box stands for the neuron's result: its value is the neuron's output
    members = picture.members[neuron.id]
    result = full.nodes[max(members)]
    assert result.op == "tanh" and np.array_equal(neuron.value, result.value)
    assert set(members) == set(next(g for g in full.groups if g.label == "neurons.3 #1").nodes)
    small = viz.draw(total, max_nodes=None)  # every node when asked
    assert len(small.graph.nodes) == len(full.nodes)


def test_a_big_players_static_picture_is_collapsed_with_the_final_gradients():
    from autograd_nb import viz

    rng = np.random.default_rng(2)
    layer = Layer(8, 12, rng)
    xs = [ag.tensor(v, name=f"x{i}") for i, v in enumerate(rng.normal(size=8))]
    out = layer(xs)
    total = out[0]
    for x in out[1:]:
        total = total + x
    player = viz.BackwardPlayer(total)
    assert len(player.recording.graph.nodes) > 100
    svg = player.final_svg()
    assert svg.count('class="ag-node') <= 100 and "neurons.4" in svg
    assert "module call" in svg  # the picture says what it merged
    total.backward()
    grad = layer.neurons[0].w[0].grad  # inside a merged box: not drawn, but the sum is right
    assert player.final_value("neurons.0.w.0") == pytest.approx(float(grad))


def test_every_box_is_as_wide_as_the_longest_sum_written_into_it():
    from autograd_nb.viz.svg import CHAR_WIDTH, PAD

    data = sweep_data(record_backward(_mlp_loss(), None, caller="test"), "t")
    width = {n["id"]: n["w"] for n in data["nodes"]}
    out_width = {g["out"]: g["w"] for g in data["groups"]}
    for step in data["steps"]:
        node, text = step["set"]
        need = len(text) * CHAR_WIDTH + 2 * PAD
        assert width[node] >= need - 0.05, (text, width[node])
        if node in out_width:  # a closed layer shows its result's gradient too
            assert out_width[node] >= need - 0.05, (text, out_width[node])


def test_a_big_graphs_numbers_are_left_out_of_the_page_and_a_small_ones_kept():
    x = ag.tensor(0.3, requires_grad=True, name="x")
    y = x
    for _ in range(60):
        y = ag.tanh(y * 0.9)
    data = sweep_data(record_backward(y, None, caller="test"), "t")
    hidden = [n for n in data["nodes"] if n.get("hide")]
    assert len(data["nodes"]) > 100 and len(hidden) == 1  # the one 0.9 all the loop uses
    assert hidden[0]["lines"][0][:2] == ["c1", " constant"]
    uses = [n for n in data["nodes"] if "· 0.9" in n["lines"][0][1]]
    assert len(uses) == 60  # the formulas still show it
    small = sweep_data(record_backward(ag.tanh(x * 0.9), None, caller="test"), "t")
    assert not any(n.get("hide") for n in small["nodes"])


def test_a_big_graph_without_modules_or_chains_merges_its_earliest_part_as_draw_does():
    rng = np.random.default_rng(1)
    acts = [ag.tensor(v, name=f"x{i}") for i, v in enumerate(rng.normal(size=4))]
    for _ in range(2):
        acts = [ag.tanh(sum((ag.tensor(rng.normal(), requires_grad=True) * a for a in acts),
                            ag.tensor(0.1, requires_grad=True))) for _ in range(16)]
    loss = sum(acts[1:], acts[0])
    graph = describe(loss)
    assert len(graph.nodes) > 1000 and graph.groups == ()
    groups = player_groups(graph, max_nodes=100)
    early = groups[-1]
    assert early.kind == "earlier part" and early.closed and early.parent is None
    assert early.label == f"first {len(early.nodes):,} nodes"
    closed = {g.id for g in groups if g.closed}
    assert shown_boxes(groups, len(graph.nodes), closed) <= 100
    inside = set(early.nodes)
    # nothing kept outside feeds the merged box: the picture stays acyclic
    assert not any(e.dst in inside and e.src not in inside for e in graph.edges)
    assert graph.outputs[0] not in inside
    assert player_groups(graph, max_nodes=2000) == ()  # a graph that fits keeps every box


def test_a_module_that_returns_what_it_did_not_make_marks_nothing():
    """A module passing its input through, or returning its own parameter, leaves no mark on
    that tensor's node (a parameter's node lives across steps: marks would pile up)."""

    class Through(nn.Module):
        def forward(self, x):
            return x

    class Table(nn.Module):
        def __init__(self):
            self.weight = ag.tensor(np.ones(3), requires_grad=True)

        def forward(self):
            return self.weight

    from autograd_nb.scopes import scopes_of

    table, through = Table(), Through()
    x = ag.tensor(np.ones(3), requires_grad=True)
    for _ in range(100):
        y = through(x) * table()
    assert scopes_of(table.weight._node) == () and scopes_of(x._node) == ()
    assert describe(y.sum()).groups == ()
