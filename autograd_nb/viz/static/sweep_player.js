// The sweep player: one front-end renderer for the live widget (anywidget) and the saved page.
//
// It reads the plain data of ``sweep_data.py``: the graph once (boxes, arrows, labels placed
// by the Python layout) and every step as what it changes (highlights, equation, note, its
// table row, the full values, the one running sum or tangent it writes). The graph is drawn
// once; a step only toggles classes and rewrites a few texts, so playing needs no kernel and
// costs the same on a graph of ten nodes or a thousand.
//
// ``mount(el, data, hooks)`` builds the player inside ``el`` (the saved page calls it);
// ``export default { render }`` is the anywidget entry point (the widget calls it).

const CSS = `
.agnb-player{font-family:system-ui,sans-serif;font-size:14px;line-height:1.4;color:inherit;
  outline:none}
.agnb-player button{min-width:2.4em;font-size:13px}
.agnb-controls,.agnb-viewbar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;
  margin-bottom:6px}
.agnb-heading{font-weight:bold;font-size:15px;margin:2px 0 6px}
.agnb-count{font-variant-numeric:tabular-nums;min-width:8em}
.agnb-hint{opacity:0.7;font-size:12px}
.agnb-search{width:12em;font-size:13px}
.agnb-main{display:flex;flex-direction:column;gap:10px}
.agnb-main.agnb-wide{flex-direction:row;align-items:flex-start}
.agnb-stage{position:relative;width:100%;min-width:0;border:1px solid #d0d7de;border-radius:8px;
  background:#ffffff;overflow:hidden;cursor:grab;touch-action:none}
.agnb-wide .agnb-stage{flex:1 1 auto}
.agnb-stage.agnb-dragging{cursor:grabbing}
.agnb-stage svg{position:absolute;left:0;top:0;transform-origin:0 0;
  user-select:none;overflow:visible}
.agnb-side{min-width:0}
.agnb-wide .agnb-side{flex:0 0 min(44%, 640px)}
.agnb-equation{font-family:ui-monospace,monospace;font-size:15px;padding:6px 8px;
  border-left:4px solid #e8a500;background:rgba(232,165,0,0.12);margin-bottom:4px;
  overflow-wrap:anywhere}
.agnb-note{opacity:0.85;margin-bottom:6px}
.agnb-trace{position:relative;max-height:300px;overflow:auto;
  border:1px solid rgba(128,128,128,0.4)}
.agnb-trace table{border-collapse:collapse;min-width:100%;font-family:ui-monospace,monospace;
  font-size:12px}
.agnb-trace th{position:sticky;top:0;background:#f6f8fa;color:#1f2328}
.agnb-trace td,.agnb-trace th{padding:2px 8px;text-align:left;white-space:nowrap;
  border-bottom:1px solid rgba(128,128,128,0.2);line-height:1.35}
.agnb-trace tr[data-step]{cursor:pointer}
.agnb-trace tr.agnb-future td{opacity:0.45}
.agnb-trace tr.agnb-future td:nth-child(n+3){visibility:hidden}
.agnb-trace tr.agnb-current{background:rgba(232,165,0,0.35)}
.agnb-detail{font-size:12px;max-height:200px;overflow:auto;white-space:pre;margin:4px 0}
.agnb-legend{font-size:12px;opacity:0.75;margin-top:4px;white-space:pre-wrap}
.ag-node{cursor:pointer}
.ag-node .agnb-ring,.ag-node .agnb-found-ring{display:none}
.ag-node.ag-highlight .agnb-ring{display:inline}
.ag-node.agnb-found .agnb-found-ring{display:inline}
.ag-edge.agnb-lit path{stroke:#f59e0b;stroke-width:3}
.ag-edge.agnb-lit polygon{fill:#f59e0b}
`;

const SPEEDS = [1, 2, 4, 8, 16, 32, 60];  // steps per second the speed menu offers
const READABLE = 11 / 12;  // smallest zoom at which the 12-px text of a box stays >= 11 px
const MAX_ZOOM = 1.25;  // fitting a small graph never blows its text up more than this
const STAGE_MAX = 600;  // px: the tallest the graph's panel grows before it pans instead
const WIDE = 1500;  // px: from this width on, the table sits beside the graph

function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
                                                    '"': "&quot;" })[c]);
}

function f1(v) {
  return (Math.round(v * 10) / 10).toFixed(1);
}

// ------------------------------------------------------------------ the graph, drawn once
function edgeMarkup(e, pal, font) {
  const [x, y] = e.end;
  const head = `${f1(x)},${f1(y)} ${f1(x - 8)},${f1(y - 4)} ${f1(x - 8)},${f1(y + 4)}`;
  let out = `<g id="edge-${e.src}-${e.dst}-${e.pos}" class="ag-edge"><title>${esc(e.tip)}</title>` +
    `<path d="${e.d}" fill="none" stroke="${pal.edge}" stroke-width="1.3"/>` +
    `<polygon points="${head}" fill="${pal.edge}"/>`;
  if (e.label) {
    const w = e.label.length * font.char + 8;
    const [lx, ly] = e.at;
    out += `<rect x="${f1(lx - w / 2)}" y="${f1(ly - 8)}" width="${f1(w)}" height="16" rx="4" ` +
      `fill="${pal.label_fill}" stroke="${pal.label_stroke}"/>` +
      `<text x="${f1(lx)}" y="${f1(ly + 4)}" text-anchor="middle" fill="${pal.text}">` +
      `${esc(e.label)}</text>`;
  }
  return out + "</g>";
}

function lineY(top, i, font) {
  return top + font.pad / 2 + font.line * (i + 1) - 4;
}

function nodeMarkup(n, pal, font, valueColor) {
  const left = n.x - n.w / 2, top = n.y - n.h / 2;
  const dash = n.dashed ? ' stroke-dasharray="4 3"' : "";
  let out = `<g id="node-${n.id}" class="${n.cls}" data-node="${n.id}"><title>${esc(n.tip)}</title>` +
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

function graphMarkup(data) {
  const pal = data.palette, font = data.font;
  // reverse: the running sum is the gradient line; forward: the tangent is a note line
  const valueColor = data.direction === "forward" ? "note" : "grad";
  return `<svg class="ag-graph" font-family="${esc(font.family)}" font-size="${font.size}" ` +
    `width="${data.width}" height="${data.height}" viewBox="0 0 ${data.width} ${data.height}">` +
    `<g class="agnb-edges">${data.edges.map((e) => edgeMarkup(e, pal, font)).join("")}</g>` +
    `<g class="agnb-nodes">${data.nodes.map((n) => nodeMarkup(n, pal, font, valueColor)).join("")}` +
    "</g></svg>";
}

function tableMarkup(data) {
  const head = data.columns.map((c) => `<th>${esc(c)}</th>`).join("");
  // Every row is written once, numbers included, so the columns never change width; a
  // future row hides its numbers (``visibility``: no new layout of a long table per step)
  // and shows only what the step will do.
  const rows = data.steps.map((s, k) =>
    `<tr data-step="${k}" class="agnb-future">` +
    s.row.map((c) => `<td>${esc(c)}</td>`).join("") + "</tr>").join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function shellMarkup(data) {
  const n = data.steps.length;
  const speeds = SPEEDS.map((v) =>
    `<option value="${v}"${v === 2 ? " selected" : ""}>${v}</option>`).join("");
  const labels = [...new Set(data.nodes.map((nd) => nd.lines[0][0]))].sort();
  return `<style>${CSS}</style>` +
    '<div class="agnb-controls">' +
    '<button class="agnb-play" title="play / pause (space)">\u25B6 play</button>' +
    '<button class="agnb-first" title="first step">\u25C0\u25C0</button>' +
    '<button class="agnb-prev" title="step back">\u25C0</button>' +
    '<button class="agnb-next" title="step forward">\u25B6</button>' +
    '<button class="agnb-last" title="last step">\u25B6\u25B6</button>' +
    `<input class="agnb-slider" type="range" min="0" max="${Math.max(n - 1, 0)}" value="0" ` +
    'aria-label="step">' +
    `<span class="agnb-count">step 1 / ${n}</span>` +
    `<label>speed <select class="agnb-speed">${speeds}</select> steps/s</label></div>` +
    `<div class="agnb-heading">${esc(data.title)}</div>` +
    '<div class="agnb-viewbar">' +
    '<button class="agnb-zoom-out" title="zoom out">\u2212</button>' +
    '<button class="agnb-zoom-in" title="zoom in">+</button>' +
    '<button class="agnb-fit" title="the whole graph">fit</button>' +
    '<label><input type="checkbox" class="agnb-follow" checked> follow the step</label>' +
    '<input class="agnb-search" type="search" placeholder="find a node by name" ' +
    'aria-label="find a node by name" list="">' +
    `<datalist>${labels.map((l) => `<option value="${esc(l)}">`).join("")}</datalist>` +
    '<span class="agnb-hint">drag to pan, ctrl + wheel to zoom, click a box for its step</span>' +
    "</div>" +
    '<div class="agnb-main"><div class="agnb-stage"></div><div class="agnb-side">' +
    '<div class="agnb-equation"></div><div class="agnb-note"></div>' +
    '<div class="agnb-trace"></div>' +
    '<details><summary>values</summary><pre class="agnb-detail"></pre></details>' +
    `</div></div><div class="agnb-legend">${data.legend.map(esc).join("\n")}</div>`;
}

// ------------------------------------------------------------------ the player
export function mount(el, data, hooks = {}) {
  const steps = data.steps, n = steps.length;
  const root = document.createElement("div");
  root.className = "agnb-player";
  root.tabIndex = 0;
  root.innerHTML = shellMarkup(data);
  el.appendChild(root);
  const q = (s) => root.querySelector(s);
  const stage = q(".agnb-stage"), trace = q(".agnb-trace"), slider = q(".agnb-slider");
  const play = q(".agnb-play"), speed = q(".agnb-speed"), follow = q(".agnb-follow");
  const search = q(".agnb-search"), main = q(".agnb-main");
  stage.innerHTML = graphMarkup(data);
  trace.innerHTML = tableMarkup(data);
  const listId = `agnb-names-${Math.random().toString(36).slice(2)}`;
  q("datalist").id = listId;
  search.setAttribute("list", listId);
  const svg = stage.querySelector("svg");
  const nodeEl = new Map(), valueEl = new Map(), markEl = new Map(), box = new Map();
  for (const nd of data.nodes) box.set(nd.id, nd);
  for (const g of svg.querySelectorAll("g.ag-node")) {
    const id = Number(g.dataset.node);
    nodeEl.set(id, g);
    valueEl.set(id, g.querySelector(".agnb-value"));
    markEl.set(id, g.querySelector(".agnb-mark"));
  }
  const edgeEl = [...svg.querySelectorAll("g.ag-edge")];
  const rows = [...trace.querySelectorAll("tr[data-step]")];
  const shownValue = new Map();  // node id -> the running sum (or tangent) text on screen
  let current = -1, timer = null, mark = null, drag = null, dragged = false;
  let view = { cx: data.width / 2, cy: data.height / 2, s: 1 };

  // ---- zoom and pan: the view is a centre and a scale, written into the viewBox
  function size() {
    return [stage.clientWidth || 800, stage.clientHeight || 400];
  }
  function applyView() {
    // a CSS transform of the whole drawing: the browser moves the painted layer instead of
    // laying out a thousand boxes again, so following the step costs nothing per step
    const [w, h] = size();
    const tx = w / 2 - view.cx * view.s, ty = h / 2 - view.cy * view.s;
    svg.style.transform = `translate(${f1(tx)}px, ${f1(ty)}px) scale(${view.s.toFixed(4)})`;
  }
  function fitScale() {
    const [w, h] = size();
    return Math.min(w / data.width, h / data.height, MAX_ZOOM);
  }
  function fit() {
    view = { cx: data.width / 2, cy: data.height / 2, s: fitScale() };
    applyView();
  }
  function zoom(factor, at) {
    const s = Math.min(4, Math.max(0.05, view.s * factor));
    if (at) {  // keep the graph point under the pointer where it is
      view.cx = at[0] + (view.cx - at[0]) * view.s / s;
      view.cy = at[1] + (view.cy - at[1]) * view.s / s;
    }
    view.s = s;
    applyView();
  }
  function bounds(ids) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const b = box.get(id);
      x0 = Math.min(x0, b.x - b.w / 2); x1 = Math.max(x1, b.x + b.w / 2);
      y0 = Math.min(y0, b.y - b.h / 2); y1 = Math.max(y1, b.y + b.h / 2);
    }
    return [x0, y0, x1, y1];
  }
  function reveal(ids, centre) {
    // pan (never zoom) so the boxes sit inside the middle of the view
    const [x0, y0, x1, y1] = bounds(ids);
    const [w, h] = size();
    const vw = w / view.s, vh = h / view.s;
    const inside = x0 >= view.cx - 0.4 * vw && x1 <= view.cx + 0.4 * vw &&
      y0 >= view.cy - 0.4 * vh && y1 <= view.cy + 0.4 * vh;
    if (centre || !inside) {
      view.cx = clamp((x0 + x1) / 2, vw, data.width);
      view.cy = clamp((y0 + y1) / 2, vh, data.height);
      applyView();
    }
  }
  function clamp(c, span, extent) {
    // a centre that shows no more empty space than it must (a graph that fits stays put)
    return span >= extent ? extent / 2 : Math.min(Math.max(c, span / 2), extent - span / 2);
  }
  function layoutStage() {
    const wide = root.clientWidth >= WIDE;
    main.classList.toggle("agnb-wide", wide);
    const w = stage.clientWidth || 800;
    const s = Math.min(w / data.width, MAX_ZOOM);
    const scale = s >= READABLE ? s : 1;  // too small to read fitted: full size, and pan
    stage.style.height = `${Math.round(Math.min(data.height * scale + 2, STAGE_MAX))}px`;
    view.s = scale;
    if (s >= READABLE) fit(); else reveal(current >= 0 ? steps[current].nodes : [], true);
  }

  // ---- one step: only what it changes
  function setValue(id, text) {
    if (shownValue.get(id) === text) return;
    shownValue.set(id, text);
    valueEl.get(id).textContent = text;
  }
  function valuesAt(k) {
    // the running sum (or tangent) of every node after step k: the last step that wrote it
    const at = new Map();
    for (let j = 0; j <= k; j++) at.set(steps[j].set[0], steps[j].set[1]);
    return at;
  }
  function fillRow(k, reached) {
    rows[k].classList.toggle("agnb-future", !reached);
  }
  function light(k, on) {
    if (k < 0) return;
    for (const id of steps[k].nodes) nodeEl.get(id).classList.toggle("ag-highlight", on);
    for (const e of steps[k].edges) edgeEl[e].classList.toggle("agnb-lit", on);
    rows[k].classList.toggle("agnb-current", on);
  }
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === current) return;
    const before = current;
    light(before, false);
    if (k === before + 1) {
      setValue(steps[k].set[0], steps[k].set[1]);
    } else {
      const at = valuesAt(k);
      for (const id of shownValue.keys()) if (!at.has(id)) setValue(id, "");
      for (const [id, text] of at) setValue(id, text);
    }
    for (let j = Math.min(before, k) + 1; j <= Math.max(before, k); j++) fillRow(j, j <= k);
    if (mark !== null) markEl.get(mark).textContent = "";  // node 0 is a node too
    mark = steps[k].mark ? steps[k].mark[0] : null;
    if (mark !== null) markEl.get(mark).textContent = steps[k].mark[1];
    current = k;
    light(k, true);
    const s = steps[k];
    q(".agnb-heading").textContent = `${data.title} \u2014 step ${k + 1} of ${n}`;
    q(".agnb-count").textContent = `step ${k + 1} / ${n}`;
    q(".agnb-equation").textContent = s.eq;
    q(".agnb-note").textContent = s.note;
    q(".agnb-detail").textContent = s.detail;
    slider.value = k;
    const row = rows[k];
    if (row.offsetTop < trace.scrollTop + 24 ||
        row.offsetTop + row.offsetHeight > trace.scrollTop + trace.clientHeight) {
      trace.scrollTop = row.offsetTop - trace.clientHeight / 2;
    }
    if (follow.checked) reveal(s.nodes, false);
  }

  // ---- playing: in the page, no kernel involved
  function settle() {
    if (hooks.settle) hooks.settle(current);
  }
  function stop(quiet = false) {
    if (timer === null) return;
    cancelAnimationFrame(timer);
    timer = null;
    play.textContent = "\u25B6 play";
    if (!quiet) settle();
  }
  function start() {
    // Steps follow the clock, not the frames: at v steps/s, step k0 + v·t is shown at time t.
    // When the machine is slow to paint, steps in between are passed over, never slowed down.
    if (current >= n - 1) show(0);
    const k0 = current, t0 = performance.now(), rate = Number(speed.value);
    const tick = (now) => {
      const k = Math.min(n - 1, k0 + Math.floor((now - t0) * rate / 1000));
      if (k > current) show(k);
      timer = requestAnimationFrame(tick);
      if (current >= n - 1) stop();  // the end of the sweep
    };
    timer = requestAnimationFrame(tick);
    play.textContent = "\u275A\u275A pause";
  }
  function go(k) {
    stop(true);
    show(k);
    settle();
  }
  function nextStepOf(id) {
    // the step after the current one that processes box ``id`` (its first step if none)
    for (let j = 1; j <= n; j++) {
      const k = (current + j) % n;
      if (steps[k].nodes[0] === id) return k;
    }
    return -1;
  }
  let found = null, foundAt = -1;
  function find(text) {
    const want = text.trim().toLowerCase();
    if (!want) return;
    const hits = data.nodes.filter((nd) => nd.lines[0][0].toLowerCase() === want);
    const matches = hits.length ? hits :
      data.nodes.filter((nd) => nd.lines[0][0].toLowerCase().startsWith(want));
    if (!matches.length) { search.setCustomValidity("no node has that name"); return; }
    search.setCustomValidity("");
    foundAt = (foundAt + 1) % matches.length;
    const hit = matches[foundAt];
    if (found !== null) nodeEl.get(found).classList.remove("agnb-found");
    found = hit.id;
    nodeEl.get(found).classList.add("agnb-found");
    follow.checked = false;  // stay on what was found
    view.s = Math.max(view.s, 1);
    reveal([found], true);
  }

  play.onclick = () => (timer !== null ? stop() : start());
  q(".agnb-prev").onclick = () => go(current - 1);
  q(".agnb-next").onclick = () => go(current + 1);
  q(".agnb-first").onclick = () => go(0);
  q(".agnb-last").onclick = () => go(n - 1);
  slider.oninput = () => { stop(true); show(Number(slider.value)); };
  slider.onchange = settle;
  speed.onchange = () => { if (timer !== null) { stop(true); start(); } };
  q(".agnb-zoom-in").onclick = () => zoom(1.25);
  q(".agnb-zoom-out").onclick = () => zoom(0.8);
  q(".agnb-fit").onclick = () => { follow.checked = false; fit(); };
  follow.onchange = () => { if (follow.checked) reveal(steps[current].nodes, true); };
  search.onkeydown = (e) => { if (e.key === "Enter") { e.preventDefault(); find(search.value); } };
  search.onchange = () => find(search.value);
  trace.onclick = (e) => {
    const row = e.target.closest("tr[data-step]");
    if (row) go(Number(row.dataset.step));
  };
  svg.addEventListener("click", (e) => {
    const g = e.target.closest("g.ag-node");
    if (g && !dragged) { const k = nextStepOf(Number(g.dataset.node)); if (k >= 0) go(k); }
  });
  root.onkeydown = (e) => {
    if (e.target.closest("input, select")) return;
    if (e.key === "ArrowRight") go(current + 1);
    else if (e.key === "ArrowLeft") go(current - 1);
    else if (e.key === " ") { e.preventDefault(); play.onclick(); }
  };
  // drag to pan; ctrl (or cmd) + wheel to zoom, so a plain wheel still scrolls the notebook
  stage.addEventListener("pointerdown", (e) => {
    drag = [e.clientX, e.clientY, view.cx, view.cy];
    dragged = false;
  });
  stage.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!dragged) { dragged = true; stage.setPointerCapture(e.pointerId); }
    stage.classList.add("agnb-dragging");
    follow.checked = false;
    view.cx = drag[2] - dx / view.s;
    view.cy = drag[3] - dy / view.s;
    applyView();
  });
  const endDrag = () => { drag = null; stage.classList.remove("agnb-dragging"); };
  stage.addEventListener("pointerup", endDrag);
  stage.addEventListener("pointercancel", endDrag);
  stage.addEventListener("wheel", (e) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    const r = stage.getBoundingClientRect(), [w, h] = size();
    const at = [view.cx + (e.clientX - r.left - w / 2) / view.s,
                view.cy + (e.clientY - r.top - h / 2) / view.s];
    zoom(Math.exp(-e.deltaY / 300), at);
  }, { passive: false });
  const resize = new ResizeObserver(() => layoutStage());
  resize.observe(root);

  show(0);
  layoutStage();
  return {
    show, go, stop, start, find,
    get step() { return current; },
    get playing() { return timer !== null; },
    get view() { return { ...view }; },
    zoom, fit,
    destroy() { stop(); resize.disconnect(); root.remove(); },
  };
}

// ------------------------------------------------------------------ the widget (anywidget)
function render({ model, el }) {
  const player = mount(el, model.get("data"), {
    settle(k) {  // the kernel hears where the learner stopped, never each played step
      if (model.get("step") !== k) { model.set("step", k); model.save_changes(); }
    },
  });
  player.show(model.get("step"));
  const moved = () => {  // the kernel asked for a step (``player.go(k)``, ``step_forward()``)
    if (player.step !== model.get("step")) { player.stop(true); player.show(model.get("step")); }
  };
  model.on("change:step", moved);
  return () => { model.off("change:step", moved); player.destroy(); };
}

export default { render };
