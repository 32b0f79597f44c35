// The graph of a sweep as the player shows it: which boxes are shown with some groups closed
// (``shownGraph``), where they go (``placeGraph``, with ``layeredLayout`` from ``layout.js``)
// and the SVG text that draws them (``graphMarkup``). The boxes' sizes, colours and lines of
// text come from the data (``sweep_data.py``), as the Python pictures draw them.
//
// Like ``layout.js``, this file holds only functions (nothing runs when it loads): it is put
// in front of ``sweep_player.js`` as text, and the player calls it.

// text safe inside HTML and SVG, and a coordinate with one decimal
function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
                                                    '"': "&quot;" })[c]);
}

function f1(v) {
  return (Math.round(v * 10) / 10).toFixed(1);
}

// ------------------------------------------------------------------ what is shown, and where
// With some groups closed, each node is shown by itself or by the outermost closed group
// around it (box id: number of nodes + group id), and the arrows between the same two shown
// boxes become one. Arrows that stay what they were keep their local derivative as a label.
function shownGraph(data, closed) {
  const N = data.nodes.length;
  const parent = new Map(data.groups.map((g) => [g.id, g.parent]));
  const outer = new Map();  // group id -> the outermost closed group around it (or itself), -1
  function outermostClosed(g) {
    if (g === undefined || g === null) return -1;
    if (!outer.has(g)) {
      const above = outermostClosed(parent.get(g));
      outer.set(g, above >= 0 ? above : (closed.has(g) ? g : -1));
    }
    return outer.get(g);
  }
  const rep = data.nodes.map((nd) => {  // -1: not shown (a number of a big graph)
    if (nd.hide) return -1;
    const g = outermostClosed(nd.g);
    return g >= 0 ? N + g : nd.id;
  });
  const name = (id) => (id < N ? data.nodes[id].lines[0][0] : data.groups[id - N].label);
  const arrows = [], arrowOf = [], merged = new Map(), slots = new Map();
  data.edges.forEach((e) => {
    const s = rep[e.src], d = rep[e.dst];
    if (s === d || s < 0) { arrowOf.push(-1); return; }  // inside a closed group, or hidden
    if (s === e.src && d === e.dst) {
      arrowOf.push(arrows.length);
      arrows.push({ key: [s, d, e.pos], label: e.label, tip: e.tip });
      return;
    }
    const pair = `${s},${d}`;
    if (!merged.has(pair)) {
      let pos = e.pos;  // the input slot of an operation; into a group, in order of arrival
      if (d >= N) { pos = slots.get(d) || 0; slots.set(d, pos + 1); }
      merged.set(pair, arrows.length);
      arrows.push({ key: [s, d, pos], tip: `${name(s)} \u2192 ${name(d)}` });
    }
    arrowOf.push(merged.get(pair));
  });
  const boxes = [...new Set(rep)].filter((id) => id >= 0).sort((a, b) => a - b);
  // open groups whose boxes are shown get a frame, outer frames around inner ones
  const frames = data.groups.filter((g) => !closed.has(g.id) &&
                                           outermostClosed(g.parent) < 0);
  return { rep, boxes, arrows, arrowOf, frames, outermostClosed };
}

function placeGraph(data, shown) {
  const N = data.nodes.length;
  const sizes = new Map(), labels = new Map();
  for (const id of shown.boxes) {
    const b = id < N ? data.nodes[id] : data.groups[id - N];
    sizes.set(id, [b.w, b.h]);
  }
  for (const a of shown.arrows) {
    if (a.label) labels.set(a.key.join(","), [a.label.length * data.font.char + 8, 16]);
  }
  // a frame is padded by 8 px for each open group inside it, and its name sits above its
  // right end (where a group's result is)
  const framed = new Set(shown.frames.map((g) => g.id)), nesting = new Map();
  const depth = (g) => (g.parent === null ? 0 : 1 + depth(data.groups[g.parent]));
  const innerFirst = [...shown.frames].sort((a, b) => depth(b) - depth(a));
  for (const g of innerFirst) {
    const inner = nesting.get(g.id) || 0;
    if (g.parent !== null && framed.has(g.parent)) {
      nesting.set(g.parent, Math.max(nesting.get(g.parent) || 0, inner + 1));
    }
  }
  const deepest = Math.max(-1, ...shown.frames.map((g) => nesting.get(g.id) || 0));
  const margin = 16 + (deepest >= 0 ? 8 * (deepest + 1) + 20 : 0);
  const lay = layeredLayout(shown.boxes, shown.arrows.map((a) => a.key), sizes, labels,
                            { margin });
  const members = new Map(shown.frames.map((g) => [g.id, new Set()]));
  for (const nd of data.nodes) {  // the shown boxes inside each framed group
    for (let g = nd.g; g !== undefined && g !== null; g = data.groups[g].parent) {
      if (members.has(g) && shown.rep[nd.id] >= 0) members.get(g).add(shown.rep[nd.id]);
    }
  }
  const frames = [];
  for (const g of shown.frames) {
    const ids = [...members.get(g.id)];
    if (!ids.length) continue;
    const pad = 8 * ((nesting.get(g.id) || 0) + 1);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const [x, y] = lay.positions.get(id), [w, h] = lay.sizes.get(id);
      x0 = Math.min(x0, x - w / 2); x1 = Math.max(x1, x + w / 2);
      y0 = Math.min(y0, y - h / 2); y1 = Math.max(y1, y + h / 2);
    }
    // the layout does not keep a group's boxes together: a tint behind each of its own
    // boxes says which are members, the dashed outline only how far the group reaches (a
    // group that was open from the start, around the whole network, gets no tint)
    const halos = !g.closed ? [] : ids.map((id) => {
      const [x, y] = lay.positions.get(id), [w, h] = lay.sizes.get(id);
      return { x: x - w / 2 - 5, y: y - h / 2 - 5, w: w + 10, h: h + 10 };
    });
    frames.push({ group: g, x: x0 - pad, y: y0 - pad, w: x1 - x0 + 2 * pad,
                  h: y1 - y0 + 2 * pad, halos });
  }
  return { ...lay, frames };
}

// ------------------------------------------------------------------ the graph, as SVG text
function edgeMarkup(a, k, lay, pal, font) {
  const key = a.key.join(",");
  const points = lay.routes.get(key);
  const [x, y] = points[points.length - 1];
  const head = `${f1(x)},${f1(y)} ${f1(x - 8)},${f1(y - 4)} ${f1(x - 8)},${f1(y + 4)}`;
  let out = `<g id="edge-${a.key.join("-")}" class="ag-edge" data-arrow="${k}">` +
    `<title>${esc(a.tip)}</title>` +
    `<path d="${layoutPathData(points)}" fill="none" stroke="${pal.edge}" stroke-width="1.3"/>` +
    `<polygon points="${head}" fill="${pal.edge}"/>`;
  if (a.label) {
    const w = a.label.length * font.char + 8;
    const [lx, ly] = lay.labelPoints.get(key);
    out += `<rect x="${f1(lx - w / 2)}" y="${f1(ly - 8)}" width="${f1(w)}" height="16" rx="4" ` +
      `fill="${pal.label_fill}" stroke="${pal.label_stroke}"/>` +
      `<text x="${f1(lx)}" y="${f1(ly + 4)}" text-anchor="middle" fill="${pal.text}">` +
      `${esc(a.label)}</text>`;
  }
  return out + "</g>";
}

function lineY(top, i, font) {
  return top + font.pad / 2 + font.line * (i + 1) - 4;
}

function nodeMarkup(id, n, at, pal, font, valueColor) {
  // a box: its fixed lines, then a line for the running sum (or tangent) and one for the note
  const left = at[0] - n.w / 2, top = at[1] - n.h / 2;
  const dash = n.dashed ? ' stroke-dasharray="4 3"' : "";
  let out = `<g id="node-${id}" class="${n.cls}" data-node="${id}"><title>${esc(n.tip)}</title>` +
    `<rect class="agnb-ring" x="${f1(left - 4)}" y="${f1(top - 4)}" width="${f1(n.w + 8)}" ` +
    `height="${f1(n.h + 8)}" rx="9" fill="none" stroke="${pal.highlight}" stroke-width="4"/>` +
    `<rect class="agnb-found-ring" x="${f1(left - 7)}" y="${f1(top - 7)}" width="${f1(n.w + 14)}" ` +
    `height="${f1(n.h + 14)}" rx="11" fill="none" stroke="#2563eb" stroke-width="3" ` +
    `stroke-dasharray="6 3"/>` +
    `<rect x="${f1(left)}" y="${f1(top)}" width="${f1(n.w)}" height="${f1(n.h)}" rx="6" ` +
    `fill="${n.fill}" stroke="${n.stroke}" stroke-width="${f1(n.sw)}"${dash}/>`;
  const x = f1(left + font.pad);
  n.lines.forEach(([lead, text, color], i) => {
    if (!lead && !text) return;
    const bold = lead ? `<tspan font-weight="bold">${esc(lead)}</tspan>` : "";
    out += `<text x="${x}" y="${f1(lineY(top, i, font))}" fill="${pal[color]}" ` +
      `xml:space="preserve">${bold}${esc(text)}</text>`;
  });
  const k = n.lines.length;
  out += `<text class="agnb-value" x="${x}" y="${f1(lineY(top, k, font))}" ` +
    `fill="${pal[valueColor]}" xml:space="preserve"></text>` +
    `<text class="agnb-mark" x="${x}" y="${f1(lineY(top, k + 1, font))}" fill="${pal.note}" ` +
    `xml:space="preserve"></text>`;
  return out + "</g>";
}

function groupBox(g) {
  // a closed group drawn as a box of its own (purple, as draw's merged boxes)
  return { cls: "ag-node ag-collapsed ag-group", w: g.w, h: g.h, fill: g.fill, stroke: g.stroke,
           sw: 2, dashed: false, tip: g.tip, lines: g.lines };
}

function frameMarkup(f, font) {
  const g = f.group, kind = g.kind === "chain" || g.kind === g.label ? "" : ` \u00b7 ${g.kind}`;
  const halos = f.halos.map((h) => `<rect class="agnb-halo" x="${f1(h.x)}" y="${f1(h.y)}" ` +
    `width="${f1(h.w)}" height="${f1(h.h)}" rx="9"/>`).join("");
  return `<g class="agnb-frame" data-group="${g.id}"><title>${esc(g.label)}: click its name ` +
    `to close it into one box</title>${halos}<rect class="agnb-outline" x="${f1(f.x)}" ` +
    `y="${f1(f.y)}" width="${f1(f.w)}" height="${f1(f.h)}" rx="10"/>` +
    `<text x="${f1(f.x + f.w - 4)}" y="${f1(f.y - 5)}" text-anchor="end" ` +
    `font-size="${font.size}">\u25BE ${esc(g.label)}${esc(kind)}</text></g>`;
}

function graphMarkup(data, shown, lay) {
  const pal = data.palette, font = data.font, N = data.nodes.length;
  // reverse: the running sum is the gradient line; forward: the tangent is a note line
  const valueColor = data.direction === "forward" ? "note" : "grad";
  const boxes = shown.boxes.map((id) => nodeMarkup(
    id, id < N ? data.nodes[id] : groupBox(data.groups[id - N]), lay.positions.get(id), pal,
    font, valueColor));
  return `<svg class="ag-graph" font-family="${esc(font.family)}" font-size="${font.size}" ` +
    `width="${f1(lay.width)}" height="${f1(lay.height)}" ` +
    `viewBox="0 0 ${f1(lay.width)} ${f1(lay.height)}">` +
    `<g class="agnb-frames">${lay.frames.map((f) => frameMarkup(f, font)).join("")}</g>` +
    `<g class="agnb-edges">${shown.arrows.map((a, k) => edgeMarkup(a, k, lay, pal, font))
      .join("")}</g><g class="agnb-nodes">${boxes.join("")}</g></svg>`;
}
