"""The layered layout: no overlaps, edges left to right, few crossings, deterministic."""

import numpy as np

from autograd_nb.viz.layout import crossings, layered_layout


def random_dag(rng, n, p=0.15):
    edges = []
    for dst in range(1, n):
        srcs = [s for s in range(dst) if rng.random() < p] or [int(rng.integers(dst))]
        edges += [(s, dst, k) for k, s in enumerate(srcs[:3])]
    sizes = {v: (float(rng.integers(60, 160)), float(rng.integers(30, 70))) for v in range(n)}
    return list(range(n)), edges, sizes


def overlap(a, b):
    (xa, ya), (wa, ha) = a
    (xb, yb), (wb, hb) = b
    return abs(xa - xb) < (wa + wb) / 2 and abs(ya - yb) < (ha + hb) / 2


def test_no_overlaps_and_edges_go_left_to_right(rng):
    nodes, edges, sizes = random_dag(rng, 40)
    lay = layered_layout(nodes, edges, sizes)
    boxes = [(lay.positions[v], lay.sizes[v]) for v in nodes]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not overlap(boxes[i], boxes[j]), (i, j)
    for key in edges:
        s, d, _ = key
        assert lay.layers[s] < lay.layers[d]
        xs = [x for x, _ in lay.routes[key]]
        assert xs == sorted(xs)
        assert xs[0] == lay.positions[s][0] + sizes[s][0] / 2
        assert xs[-1] == lay.positions[d][0] - sizes[d][0] / 2
    assert all(0 <= x <= lay.width and 0 <= y <= lay.height for x, y in lay.positions.values())


def test_inputs_left_output_right():
    # d = (a + b) * (a * c): a, b, c in column 0, the two products in 1, d in 2
    edges = [(0, 3, 0), (1, 3, 1), (0, 4, 0), (2, 4, 1), (3, 5, 0), (4, 5, 1)]
    lay = layered_layout(range(6), edges, {v: (80.0, 40.0) for v in range(6)})
    assert [lay.layers[v] for v in range(6)] == [0, 0, 0, 1, 1, 2]
    assert crossings(lay.order, {0: [(0, 3), (1, 3), (0, 4), (2, 4)], 1: [(3, 5), (4, 5)]}) == 0


def test_an_input_used_late_sits_next_to_its_consumer():
    # a chain 0 -> 1 -> 2 -> 3 and an input 4 used only by the last step
    edges = [(0, 1, 0), (1, 2, 0), (2, 3, 0), (4, 3, 1)]
    lay = layered_layout(range(5), edges, {v: (50.0, 30.0) for v in range(5)})
    assert lay.layers[4] == lay.layers[3] - 1
    assert len(lay.routes[(4, 3, 1)]) == 2  # no bend points: the edge skips no column


def test_long_edges_bend_between_boxes(rng):
    # 0 feeds 1 and also the end of a long chain: its edge passes every column in between
    edges = [(v, v + 1, 0) for v in range(6)] + [(0, 6, 1)]
    lay = layered_layout(range(7), edges, {v: (60.0, 30.0) for v in range(7)})
    route = lay.routes[(0, 6, 1)]
    assert len(route) == 2 + 5
    for x, y in route[1:-1]:
        for v in range(7):
            assert not overlap(((x, y), (0.0, 0.0)), (lay.positions[v], lay.sizes[v]))


def test_barycenter_sweeps_remove_avoidable_crossings():
    # two independent pairs listed crosswise: 0 -> 3, 1 -> 2
    edges = [(0, 3, 0), (1, 2, 0)]
    lay = layered_layout(range(4), edges, {v: (40.0, 20.0) for v in range(4)})
    assert crossings(lay.order, {0: [(0, 3), (1, 2)]}) == 0
    y = {v: lay.positions[v][1] for v in range(4)}
    assert (y[0] < y[1]) == (y[3] < y[2])


def test_same_input_same_layout(rng):
    nodes, edges, sizes = random_dag(rng, 60)
    first = layered_layout(nodes, edges, sizes)
    second = layered_layout(list(reversed(nodes)), list(edges), dict(sizes))
    assert first == second


def test_a_chain_is_straight():
    edges = [(v, v + 1, 0) for v in range(299)]
    lay = layered_layout(range(300), edges, {v: (70.0, 40.0) for v in range(300)})
    ys = np.array([lay.positions[v][1] for v in range(300)])
    assert np.all(ys == ys[0])
    assert lay.layers[299] == 299
