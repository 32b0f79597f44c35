// A layered layout of a DAG, in the browser: the same steps as ``viz/layout.py`` (read it
// first), so a page can lay a graph out again (groups opened or closed) without Python.
//
// The classic Sugiyama steps, small and deterministic:
//
// 1. layers by longest path to the output (a node sits just left of its first consumer);
// 2. edges that skip layers get invisible bend points ("dummies"), one per skipped layer;
// 3. a few barycenter sweeps reorder each layer to reduce crossings;
// 4. vertical positions: each node is pulled towards the mean height of its neighbours, then
//    the layer is made non-overlapping with the fewest moves (isotonic regression);
// 5. horizontal positions: one column per layer, gaps wide enough for the edge labels.
//
// Same input, same numbers as the Python, to the last digit: every step keeps Python's order
// (sorted ids, insertion-ordered dicts, stable sorts) and does its arithmetic in the same
// order. One difference of form, for speed: inside, a box or bend point is not its id but a
// "vertex" number, an index into plain arrays. The nodes are vertices 0, 1, ... in sorted id
// order and the bend points follow in the order they are made, which is exactly the order
// of Python's dict ``all_layer``; bend point n + i is Python's dummy -(i + 1).
//
// This file holds only ``function``s and ``const``s (no import, no export, nothing runs when
// it loads): it is put in front of the player module as text, or loaded as a plain <script>.
// Every name starts with ``lay`` so it cannot clash with the code it is joined to.
//
// Public: ``layeredLayout(nodes, edges, sizes, labelSizes, options)`` and
// ``layoutPathData(points)``; ``layoutEdgeKey(src, dst, position)`` names an edge in the maps.

const LAYOUT_DEFAULTS = { nodeGap: 18.0, layerGap: 56.0, margin: 16.0, sweeps: 4 };
const LAYOUT_DUMMY_SIZE = [0.0, 6.0]; // a bend point: no width, a little height

// The key of edge (src, dst, position) in ``labelSizes``, ``routes`` and ``labelPoints``
// (Python's tuple key ``(src, dst, position)`` written as "src,dst,position").
function layoutEdgeKey(src, dst, position) {
  return `${src},${dst},${position}`;
}

// Python's ``max(values, default=...)``: the first largest value (only a larger one replaces
// it). ``Math.max`` would do for most numbers, but not for NaN, nor 0.0 against -0.0.
function layMax(values, fallback) {
  if (values.length === 0) return fallback;
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] > best) best = values[i];
  return best;
}

// Python's ``min(values, default=...)``.
function layMin(values, fallback) {
  if (values.length === 0) return fallback;
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] < best) best = values[i];
  return best;
}

// Each node as far right as it can go: the output in the last column, every other node just
// left of its earliest consumer (longest path to a sink). ``preds[v]``, ``succs[v]``: the
// vertices at the other end of v's edges. Returns each node's layer.
function layLayers(preds, succs) {
  const n = succs.length;
  const outdegree = Int32Array.from(succs, (s) => s.length);
  // Kahn's algorithm from the sinks, largest id first. Python keeps a min-heap of negated
  // ids; a max-heap of vertex numbers (which follow the ids) gives the same order.
  const heap = [];
  const push = (v) => {
    let i = heap.length;
    heap.push(v);
    while (i > 0 && heap[(i - 1) >> 1] < v) {
      heap[i] = heap[(i - 1) >> 1];
      i = (i - 1) >> 1;
    }
    heap[i] = v;
  };
  const pop = () => {
    const top = heap[0], last = heap.pop();
    if (heap.length) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heap.length) break;
        if (child + 1 < heap.length && heap[child + 1] > heap[child]) child++;
        if (heap[child] <= last) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  };
  for (let v = 0; v < n; v++) if (outdegree[v] === 0) push(v);
  const height = new Int32Array(n);
  let done = 0;
  while (heap.length) {
    const v = pop();
    let h = -1;
    for (const s of succs[v]) h = Math.max(h, height[s]);
    height[v] = 1 + h;
    done++;
    for (const p of preds[v]) if (--outdegree[p] === 0) push(p);
  }
  if (done !== n) throw new Error("layeredLayout: the graph has a cycle");
  const top = layMax(height, 0);
  return Array.from(height, (h) => top - h);
}

// Crossings between two adjacent layers ``upper`` and ``lower`` (vertex lists), whose links
// are ``down[a]`` for each a in ``upper``: the inversions of the lower ends once the links
// are sorted by (upper index, lower index), counted with a Fenwick tree. ``at`` is scratch
// space, one slot per vertex, for the index of each vertex in its layer.
function layCountBetween(upper, lower, down, at) {
  upper.forEach((v, i) => { at[v] = i; });
  lower.forEach((v, i) => { at[v] = i; });
  const n = lower.length;
  let m = 0;
  for (const a of upper) m += down[a].length;
  // (i, j) as the one number i * n + j: sorting the numbers sorts the pairs
  const pairs = new Float64Array(m);
  m = 0;
  for (const a of upper) for (const b of down[a]) pairs[m++] = at[a] * n + at[b];
  pairs.sort();
  const tree = new Int32Array(n + 1);
  let count = 0;
  for (let seen = 0; seen < pairs.length; seen++) {
    const j = pairs[seen] % n;
    let i = j + 1, below = 0; // how many earlier pairs end at or left of j
    while (i > 0) {
      below += tree[i];
      i -= i & -i;
    }
    count += seen - below;
    for (i = j + 1; i <= n; i += i & -i) tree[i] += 1;
  }
  return count;
}

// Total edge crossings of an ordering (``order[k]``: the vertices of layer k, top to bottom);
// the edges from layer k to k + 1 are ``down[a]`` for the vertices a of layer k.
function layCrossings(order, down, at) {
  let total = 0;
  for (let k = 0; k < order.length - 1; k++) {
    total += layCountBetween(order[k], order[k + 1], down, at);
  }
  return total;
}

// One barycenter sweep over the layers ``ks``: each vertex moves to the mean rank of its
// neighbours in the layer just swept (one without any keeps its index); ties keep the
// current order, as Python's sort of (mean, index, id) does.
function layBarycenter(order, neighbours, ks, rank) {
  for (const k of ks) {
    const vs = order[k];
    const mean = new Float64Array(vs.length);
    let inOrder = true;
    for (let i = 0; i < vs.length; i++) {
      const near = neighbours[vs[i]];
      let sum = 0; // ranks are integers: the sum is exact, as in Python
      for (const u of near) sum += rank[u];
      mean[i] = near.length ? sum / near.length : i;
      if (i && mean[i] < mean[i - 1]) inOrder = false;
    }
    if (inOrder) continue; // sorting would change nothing (and the sweeps often get here)
    const slots = vs.map((_, i) => i);
    slots.sort((a, b) => (mean[a] < mean[b] ? -1 : mean[a] > mean[b] ? 1 : a - b));
    order[k] = slots.map((i) => vs[i]);
    order[k].forEach((v, i) => { rank[v] = i; });
  }
}

// Closest positions to ``targets`` (least squares) with y[i+1] - y[i] >= seps[i]: pool
// adjacent violators on the targets with the separations taken out.
function layIsotonic(targets, seps) {
  const n = targets.length;
  const offsets = new Float64Array(n);
  for (let i = 1; i < n; i++) offsets[i] = offsets[i - 1] + seps[i - 1];
  // a stack of pooled runs: mean[b], weight[b] (how many targets the run holds)
  const mean = new Float64Array(n), weight = new Float64Array(n);
  let runs = 0;
  for (let i = 0; i < n; i++) {
    mean[runs] = targets[i] - offsets[i];
    weight[runs] = 1.0;
    runs++;
    while (runs > 1 && mean[runs - 2] > mean[runs - 1]) {
      const m2 = mean[runs - 1], w2 = weight[runs - 1];
      runs--;
      const m1 = mean[runs - 1], w1 = weight[runs - 1];
      mean[runs - 1] = (m1 * w1 + m2 * w2) / (w1 + w2);
      weight[runs - 1] = w1 + w2;
    }
  }
  const out = new Float64Array(n);
  let i = 0;
  for (let b = 0; b < runs; b++) {
    for (let r = 0; r < weight[b]; r++, i++) out[i] = mean[b] + offsets[i];
  }
  return out;
}

// One pass of the vertical positions ``y`` over the layers ``ks``: each vertex is pulled to
// the mean height of its ``neighbours`` (one without any stays), then the layer is spread
// out again with the fewest moves.
function layRelax(order, neighbours, ks, seps, y) {
  for (const k of ks) {
    const vs = order[k];
    const targets = new Float64Array(vs.length);
    for (let i = 0; i < vs.length; i++) {
      const near = neighbours[vs[i]];
      // left to right, as Python's sum() before 3.12 (3.12 compensates the rounding)
      let sum = 0;
      for (const u of near) sum += y[u];
      targets[i] = near.length ? sum / near.length : y[vs[i]];
    }
    const pos = layIsotonic(targets, seps[k]);
    for (let i = 0; i < vs.length; i++) y[vs[i]] = pos[i];
  }
}

// Python's ``range(start, stop, step)`` as an array.
function layRange(start, stop, step) {
  const out = [];
  for (let k = start; step > 0 ? k < stop : k > stop; k += step) out.push(k);
  return out;
}

// Lay out the DAG with node ids ``nodes`` (integers >= 0) and edges [src, dst, position].
//
// ``sizes``: Map id -> [width, height] of each box; ``labelSizes``: Map "src,dst,position"
// -> [w, h] of an edge's label, which widens the gap the label sits in (may be omitted);
// ``options``: {nodeGap, layerGap, margin, sweeps}, defaults as in Python.
//
// Returns {positions: Map id -> [x, y] centre of its box, sizes: Map id -> [w, h],
// layers: Map id -> column (0 = leftmost), routes: Map "s,d,p" -> [[x, y], ...] from the
// source box's right side through the bend points to the destination's left side,
// labelPoints: Map "s,d,p" -> [x, y] centre of the label, width, height,
// order: Map layer -> ids top to bottom (bend points have ids -1, -2, ...)}; pixels, y down.
function layeredLayout(nodes, edges, sizes, labelSizes, options) {
  const { nodeGap, layerGap, margin, sweeps } = { ...LAYOUT_DEFAULTS, ...(options || {}) };
  labelSizes = labelSizes || new Map();
  const ids = [...nodes].sort((a, b) => a - b); // vertex v < n is node ids[v]
  const n = ids.length;
  const vertexOf = new Map(ids.map((id, v) => [id, v]));
  if (vertexOf.size !== n || ids.some((id) => !Number.isInteger(id) || id < 0)) {
    throw new Error("layeredLayout: node ids must be distinct integers >= 0");
  }
  const idOf = (v) => (v < n ? ids[v] : n - 1 - v); // bend points are -1, -2, ...
  const preds = ids.map(() => []), succs = ids.map(() => []);
  const ends = edges.map(([s, d]) => {
    const a = vertexOf.get(s), b = vertexOf.get(d);
    if (a === undefined || b === undefined) {
      throw new Error(`layeredLayout: edge ${s} -> ${d} names a node not in nodes`);
    }
    preds[b].push(a);
    succs[a].push(b);
    return [a, b];
  });
  const layer = layLayers(preds, succs); // grows below: the bend points' layers follow

  // chains of bend points for edges that skip layers
  const chains = new Map(); // edge key -> its bend points
  const up = ids.map(() => []), down = ids.map(() => []); // neighbours one layer left / right
  edges.forEach(([s, d, p], e) => {
    const [a, b] = ends[e];
    const chain = [];
    for (let k = layer[a] + 1; k < layer[b]; k++) {
      chain.push(layer.length);
      layer.push(k);
      up.push([]);
      down.push([]);
    }
    chains.set(layoutEdgeKey(s, d, p), chain);
    const path = [a, ...chain, b];
    for (let i = 0; i + 1 < path.length; i++) {
      down[path[i]].push(path[i + 1]);
      up[path[i + 1]].push(path[i]);
    }
  });
  const count = layer.length; // nodes and bend points

  const nLayers = 1 + layMax(layer, 0);
  let order = layRange(0, nLayers, 1).map(() => []);
  for (let v = 0; v < count; v++) order[layer[v]].push(v); // nodes by id, then bend points

  const rank = new Int32Array(count); // index of each vertex in its layer
  for (const vs of order) vs.forEach((v, i) => { rank[v] = i; });
  const at = new Int32Array(count);
  const downLayers = layRange(1, nLayers, 1), upLayers = layRange(nLayers - 2, -1, -1);
  let best = order.map((vs) => [...vs]);
  let bestCount = layCrossings(order, down, at);
  for (let t = 0; t < sweeps; t++) {
    if (bestCount === 0) break;
    layBarycenter(order, up, downLayers, rank);
    layBarycenter(order, down, upLayers, rank);
    const crossed = layCrossings(order, down, at);
    if (crossed < bestCount) { // only a strictly better ordering replaces the best one
      best = order.map((vs) => [...vs]);
      bestCount = crossed;
    }
  }
  order = best;

  const boxW = new Float64Array(count), boxH = new Float64Array(count);
  for (let v = 0; v < count; v++) {
    const size = v < n ? sizes.get(ids[v]) : LAYOUT_DUMMY_SIZE;
    if (size === undefined) throw new Error(`layeredLayout: no size for node ${ids[v]}`);
    [boxW[v], boxH[v]] = size;
  }

  // vertical positions: start stacked and centred, then relax towards neighbours
  const y = new Float64Array(count);
  const seps = order.map((vs) => {
    const sep = new Float64Array(Math.max(vs.length - 1, 0));
    for (let i = 0; i < sep.length; i++) {
      const a = vs[i], b = vs[i + 1];
      sep[i] = (boxH[a] + boxH[b]) / 2 + (a < n || b < n ? nodeGap : 6.0);
    }
    return sep;
  });
  order.forEach((vs, k) => {
    const pos = layIsotonic(new Float64Array(vs.length), seps[k]);
    const shift = vs.length ? (pos[0] + pos[vs.length - 1]) / 2 : 0.0;
    vs.forEach((v, i) => { y[v] = pos[i] - shift; });
  });
  for (let t = 0; t < 4; t++) {
    layRelax(order, up, downLayers, seps, y);
    layRelax(order, down, upLayers, seps, y);
  }

  // horizontal positions: columns, and gaps wide enough for the labels ending in them
  const colWidth = order.map((vs) => layMax(vs.map((v) => boxW[v]), 0.0));
  const gap = new Array(nLayers).fill(layerGap); // gap[k]: space left of column k
  for (const [key, [w]] of labelSizes) {
    const dst = vertexOf.get(Number(String(key).split(",")[1]));
    if (dst === undefined) throw new Error(`layeredLayout: label of edge ${key}: no such node`);
    gap[layer[dst]] = layMax([gap[layer[dst]], w + 24.0]);
  }
  const xCol = [];
  let x = margin;
  for (let k = 0; k < nLayers; k++) {
    if (k) x += gap[k];
    xCol.push(x + colWidth[k] / 2);
    x += colWidth[k];
  }
  const width = x + margin;

  const top = layMin(Array.from(y, (yv, v) => yv - boxH[v] / 2), 0.0);
  const bottom = layMax(Array.from(y, (yv, v) => yv + boxH[v] / 2), 0.0);
  const dy = margin - top;
  const where = (v) => [xCol[layer[v]], y[v] + dy];

  const incoming = ids.map(() => []); // edge numbers, by destination
  ends.forEach(([, b], e) => incoming[b].push(e));
  const routes = new Map(), labelPoints = new Map();
  for (let d = 0; d < n; d++) {
    const [xd, yd] = where(d);
    const nIn = incoming[d].length;
    // inputs enter a box at different heights, ordered by where they come from (the height
    // of the last bend point, else of the source; then the position), so the chains into a
    // product stay apart and do not cross at the box; ties keep the edge order
    const entering = incoming[d].map((e) => {
      const [s, dd, p] = edges[e];
      const key = layoutEdgeKey(s, dd, p);
      const chain = chains.get(key);
      const from = chain.length ? chain[chain.length - 1] : ends[e][0];
      return { e, key, chain, cameFrom: y[from] + dy, position: p };
    });
    entering.sort((a, b) => (a.cameFrom < b.cameFrom ? -1 : a.cameFrom > b.cameFrom ? 1
      : a.position < b.position ? -1 : a.position > b.position ? 1 : a.e - b.e));
    const spread = layMin([boxH[d] * 0.5, 12.0 * (nIn - 1)]);
    entering.forEach(({ e, key, chain }, slot) => {
      const a = ends[e][0];
      const [xs, ys] = where(a);
      const offset = nIn > 1 ? -spread / 2 + spread * slot / (nIn - 1) : 0.0;
      const points = [[xs + boxW[a] / 2, ys], ...chain.map(where),
        [xd - boxW[d] / 2, yd + offset]];
      routes.set(key, points);
      const [x0, y0] = points[points.length - 2], [x1, y1] = points[points.length - 1];
      labelPoints.set(key, [(x0 + x1) / 2, (y0 + y1) / 2]);
    });
  }

  return {
    positions: new Map(ids.map((id, v) => [id, where(v)])),
    sizes: new Map(ids.map((id) => [id, sizes.get(id)])),
    layers: new Map(ids.map((id, v) => [id, layer[v]])),
    routes,
    labelPoints,
    width,
    height: bottom - top + 2 * margin,
    order: new Map(order.map((vs, k) => [k, vs.map(idOf)])),
  };
}

// A number with one decimal, exactly as Python's ``f"{v:.1f}"`` in ``svg._f`` (and never
// "-0.0"). ``toFixed`` rounds the exact binary value like Python does, except on a tie,
// where it rounds away from zero and Python to the even digit. A tie needs the value to be
// exactly k.x5, and the only such doubles are k.25 and k.75: k.75 gives k.8 both ways, k.25
// gives k.3 here and k.2 in Python.
function layFormat(v) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  let text;
  if (a >= 1e21) text = `${v < 0 ? "-" : ""}${BigInt(a)}.0`; // toFixed switches to 1e+21
  else if ((a * 4) % 4 === 1) text = `${v < 0 ? "-" : ""}${Math.floor(a).toFixed(0)}.2`;
  else text = v.toFixed(1);
  return text === "-0.0" ? "0.0" : text;
}

// Smooth curve through ``points`` with horizontal tangents (a cubic per segment): the SVG
// path ``d`` that Python's ``svg.path_data`` writes, character for character.
function layoutPathData(points) {
  let [x0, y0] = points[0];
  const parts = [`M${layFormat(x0)},${layFormat(y0)}`];
  for (const [x1, y1] of points.slice(1)) {
    const mid = (x1 - x0) / 2;
    parts.push(`C${layFormat(x0 + mid)},${layFormat(y0)} ${layFormat(x1 - mid)},` +
      `${layFormat(y1)} ${layFormat(x1)},${layFormat(y1)}`);
    [x0, y0] = [x1, y1];
  }
  return parts.join(" ");
}
