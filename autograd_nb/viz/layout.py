"""A layered layout of a DAG: inputs on the left, the output on the right.

The classic Sugiyama steps, small and deterministic:

1. layers by longest path to the output (a node sits just left of its first consumer);
2. edges that skip layers get invisible bend points ("dummies"), one per skipped layer;
3. a few barycenter sweeps reorder each layer to reduce crossings (ties by current order, and
   the start order is by node id, so nothing depends on hashing or ``id()``);
4. vertical positions: each node is pulled towards the mean height of its neighbours, then
   the layer is made non-overlapping with the fewest moves (isotonic regression);
5. horizontal positions: one column per layer, wide enough for its widest box, with gaps wide
   enough for the edge labels that sit in them.

Pure Python and NumPy-free on purpose: it works on ids and sizes, not on graphs or pictures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush

__all__ = ["Layout", "layered_layout", "crossings"]

EdgeKey = tuple[int, int, int]  # (src, dst, position)
Point = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """Where everything goes; coordinates in pixels, y pointing down.

    positions    node id -> centre (x, y) of its box
    sizes        node id -> (width, height)
    layers       node id -> column index (0 = leftmost)
    routes       edge key -> points from the source box's right side, through the bend
                 points, to the destination box's left side
    label_points edge key -> centre of the edge's label (in the last gap before ``dst``)
    """

    positions: dict[int, Point]
    sizes: dict[int, Point]
    layers: dict[int, int]
    routes: dict[EdgeKey, tuple[Point, ...]]
    label_points: dict[EdgeKey, Point]
    width: float
    height: float
    order: dict[int, list[int]] = field(default_factory=dict, repr=False)  # layer -> ids


def _layers(nodes: Sequence[int], preds: dict, succs: dict) -> dict[int, int]:
    """Each node as far right as it can go: the output in the last column, every other node
    just left of its earliest consumer (longest path to a sink). Inputs then sit next to the
    operation that first uses them, and a value made early but used late is made late in
    the picture, so few edges skip columns."""
    outdegree = {v: len(succs[v]) for v in nodes}
    ready = [-v for v in nodes if outdegree[v] == 0]
    heapify(ready)
    height: dict[int, int] = {}
    while ready:  # Kahn's algorithm from the sinks, largest id first: the same order every time
        v = -heappop(ready)
        height[v] = 1 + max((height[s] for s in succs[v]), default=-1)
        for p in preds[v]:
            outdegree[p] -= 1
            if outdegree[p] == 0:
                heappush(ready, -p)
    if len(height) != len(nodes):
        raise ValueError("layered_layout: the graph has a cycle")
    top = max(height.values(), default=0)
    return {v: top - height[v] for v in nodes}


def _count_between(upper: list[int], lower: list[int], links: list[tuple[int, int]]) -> int:
    """Crossings between two adjacent layers (inversions of the lower ends, by a Fenwick tree)."""
    up = {v: i for i, v in enumerate(upper)}
    low = {v: i for i, v in enumerate(lower)}
    pairs = sorted((up[a], low[b]) for a, b in links)
    tree = [0] * (len(lower) + 1)
    count = 0
    for seen, (_, j) in enumerate(pairs):
        i, below = j + 1, 0  # how many earlier pairs end at or left of j
        while i > 0:
            below += tree[i]
            i -= i & -i
        count += seen - below
        i = j + 1
        while i <= len(lower):
            tree[i] += 1
            i += i & -i
    return count


def crossings(order: dict[int, list[int]], links: dict[int, list[tuple[int, int]]]) -> int:
    """Total edge crossings of an ordering; ``links[k]`` are the edges from layer k to k + 1."""
    return sum(_count_between(order[k], order[k + 1], links.get(k, []))
               for k in range(len(order) - 1))


def _barycenter(order, neighbours, layer_range, rank):
    for k in layer_range:
        keyed = []
        for i, v in enumerate(order[k]):
            near = [rank[u] for u in neighbours[v]]
            keyed.append((sum(near) / len(near) if near else float(i), i, v))
        keyed.sort()
        order[k] = [v for _, _, v in keyed]
        rank.update({v: i for i, v in enumerate(order[k])})


def _isotonic(targets: list[float], seps: list[float]) -> list[float]:
    """Closest positions to ``targets`` (least squares) with y[i+1] - y[i] >= seps[i]."""
    offsets = [0.0]
    for s in seps:
        offsets.append(offsets[-1] + s)
    blocks: list[list[float]] = []  # [mean, weight] of pooled runs (pool adjacent violators)
    for t, o in zip(targets, offsets):
        blocks.append([t - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks[-1]
            blocks[-1] = [(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2]
    z = [m for m, w in blocks for _ in range(int(w))]
    return [zi + o for zi, o in zip(z, offsets)]


def layered_layout(
    nodes: Sequence[int],
    edges: Sequence[EdgeKey],
    sizes: Mapping[int, Point],
    *,
    label_sizes: Mapping[EdgeKey, Point] | None = None,
    node_gap: float = 18.0,
    layer_gap: float = 56.0,
    margin: float = 16.0,
    sweeps: int = 4,
) -> Layout:
    """Lay out the DAG with node ids ``nodes`` and edges ``(src, dst, position)``.

    ``sizes`` gives each box's (width, height); ``label_sizes`` the size of an edge's label,
    which widens the gap the label sits in. Same input, same output, to the last digit.
    """
    nodes = sorted(nodes)
    label_sizes = label_sizes or {}
    preds: dict[int, list[int]] = {v: [] for v in nodes}
    succs: dict[int, list[int]] = {v: [] for v in nodes}
    for s, d, _ in edges:
        preds[d].append(s)
        succs[s].append(d)
    layer = _layers(nodes, preds, succs)

    # chains of bend points for edges that skip layers; negative ids never clash with nodes
    chains: dict[EdgeKey, list[int]] = {}
    all_layer = dict(layer)
    up: dict[int, list[int]] = {v: [] for v in nodes}  # neighbours one layer left
    down: dict[int, list[int]] = {v: [] for v in nodes}  # neighbours one layer right
    next_dummy = -1
    for key in edges:
        s, d, _ = key
        chain = []
        for k in range(layer[s] + 1, layer[d]):
            all_layer[next_dummy] = k
            up[next_dummy], down[next_dummy] = [], []
            chain.append(next_dummy)
            next_dummy -= 1
        chains[key] = chain
        path = [s, *chain, d]
        for a, b in zip(path, path[1:]):
            down[a].append(b)
            up[b].append(a)

    n_layers = 1 + max(all_layer.values(), default=0)
    order: dict[int, list[int]] = {k: [] for k in range(n_layers)}
    for v in nodes:
        order[layer[v]].append(v)
    for v in range(-1, next_dummy, -1):
        order[all_layer[v]].append(v)
    links = {k: [] for k in range(n_layers)}
    for a in all_layer:
        links[all_layer[a]].extend((a, b) for b in down[a])

    rank = {v: i for k in order for i, v in enumerate(order[k])}
    best = {k: list(vs) for k, vs in order.items()}
    best_count = crossings(order, links)
    for _ in range(sweeps):
        if best_count == 0:
            break
        _barycenter(order, up, range(1, n_layers), rank)
        _barycenter(order, down, range(n_layers - 2, -1, -1), rank)
        count = crossings(order, links)
        if count < best_count:
            best, best_count = {k: list(vs) for k, vs in order.items()}, count
    order = best

    def size(v: int) -> Point:
        return sizes[v] if v >= 0 else (0.0, 6.0)

    # vertical positions: start stacked and centred, then relax towards neighbours
    y: dict[int, float] = {}
    seps: dict[int, list[float]] = {}
    for k, vs in order.items():
        seps[k] = [
            (size(a)[1] + size(b)[1]) / 2 + (node_gap if a >= 0 or b >= 0 else 6.0)
            for a, b in zip(vs, vs[1:])
        ]
        pos = _isotonic([0.0] * len(vs), seps[k])
        shift = (pos[0] + pos[-1]) / 2 if vs else 0.0
        y.update({v: p - shift for v, p in zip(vs, pos)})
    for _ in range(4):
        for neighbours, ks in ((up, range(1, n_layers)), (down, range(n_layers - 2, -1, -1))):
            for k in ks:
                vs = order[k]
                targets = [
                    sum(y[u] for u in neighbours[v]) / len(neighbours[v]) if neighbours[v]
                    else y[v]
                    for v in vs
                ]
                y.update(zip(vs, _isotonic(targets, seps[k])))

    # horizontal positions: columns, and gaps wide enough for the labels ending in them
    col_width = [max((size(v)[0] for v in order[k]), default=0.0) for k in range(n_layers)]
    gap = [layer_gap] * n_layers  # gap[k]: space left of column k
    for key, (w, _) in label_sizes.items():
        k = layer[key[1]]
        gap[k] = max(gap[k], w + 24.0)
    x_col, x = [], margin
    for k in range(n_layers):
        if k:
            x += gap[k]
        x_col.append(x + col_width[k] / 2)
        x += col_width[k]
    width = x + margin

    top = min((y[v] - size(v)[1] / 2 for v in all_layer), default=0.0)
    bottom = max((y[v] + size(v)[1] / 2 for v in all_layer), default=0.0)
    dy = margin - top
    where = {v: (x_col[all_layer[v]], y[v] + dy) for v in all_layer}
    positions = {v: where[v] for v in nodes}

    incoming: dict[int, list[EdgeKey]] = {v: [] for v in nodes}
    for key in edges:
        incoming[key[1]].append(key)
    routes: dict[EdgeKey, tuple[Point, ...]] = {}
    label_points: dict[EdgeKey, Point] = {}
    for d in nodes:
        (xd, yd), (wd, hd) = where[d], size(d)
        n_in = len(incoming[d])
        # inputs enter a box at different heights, ordered by where they come from, so the
        # chains into a product stay apart and do not cross at the box
        def came_from(key: EdgeKey) -> tuple[float, int]:
            return (where[(chains[key] or [key[0]])[-1]][1], key[2])

        spread = min(hd * 0.5, 12.0 * (n_in - 1))
        for slot, key in enumerate(sorted(incoming[d], key=came_from)):
            s = key[0]
            (xs, ys), (ws, _) = where[s], size(s)
            offset = -spread / 2 + spread * slot / (n_in - 1) if n_in > 1 else 0.0
            points = [(xs + ws / 2, ys), *(where[c] for c in chains[key]),
                      (xd - wd / 2, yd + offset)]
            routes[key] = tuple(points)
            (x0, y0), (x1, y1) = points[-2], points[-1]
            label_points[key] = ((x0 + x1) / 2, (y0 + y1) / 2)
    return Layout(positions, {v: size(v) for v in nodes}, dict(layer), routes, label_points,
                  width, bottom - top + 2 * margin, order)
