// The sweep player: one front-end renderer for the live widget (anywidget) and the saved page.
//
// It reads the plain data of ``sweep_data.py``: the graph once (boxes, arrows, labels, and the
// groups that can be closed into one box: module calls, chains of single steps) and every step
// as what it changes (highlights, equation, note, its table row, the full values, the one
// running sum or tangent it writes). The page lays the graph out and draws it itself with
// ``graph_view.js`` and ``layout.js`` (written in front of this module: the same layout as
// the Python pictures), again whenever a group opens or closes. A step only toggles classes and rewrites a few
// texts, so playing needs no kernel and costs the same on a graph of ten nodes or a thousand.
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
.agnb-frame .agnb-outline{fill:none;stroke:#6d28d9;stroke-width:1.2;stroke-dasharray:6 4}
.agnb-frame .agnb-halo{fill:rgba(109,40,217,0.10);stroke:none}
.agnb-frame text{fill:#6d28d9;font-weight:bold;cursor:pointer;paint-order:stroke;
  stroke:#ffffff;stroke-width:4px;stroke-linejoin:round}
`;

const SPEEDS = [1, 2, 4, 8, 16, 32, 60];  // steps per second the speed menu offers
const READABLE = 11 / 12;  // smallest zoom at which the 12-px text of a box stays >= 11 px
const MAX_ZOOM = 1.25;  // fitting a small graph never blows its text up more than this
const STAGE_MAX = 600;  // px: the tallest the graph's panel grows before it pans instead
const WIDE = 1500;  // px: from this width on, the table sits beside the graph

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
  const labels = [...new Set([...data.nodes.filter((nd) => !nd.hide).map((nd) => nd.lines[0][0]),
                              ...data.groups.map((g) => g.label)])].sort();
  const grouping = data.groups.length ?
    '<button class="agnb-open-all" title="open every group">open all</button>' +
    '<button class="agnb-regroup" title="close the groups as at first">regroup</button>' : "";
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
    grouping + '<span class="agnb-opened"></span>' +
    '<input class="agnb-search" type="search" placeholder="find a node by name" ' +
    'aria-label="find a node by name" list="">' +
    `<datalist>${labels.map((l) => `<option value="${esc(l)}">`).join("")}</datalist>` +
    `<span class="agnb-hint">drag to pan, ctrl + wheel to zoom, click a box for its step` +
    `${data.groups.length ? ", a purple box to open it, \u2715 to close it" : ""}</span>` +
    "</div>" +
    '<div class="agnb-main"><div class="agnb-stage"></div><div class="agnb-side">' +
    '<div class="agnb-equation"></div><div class="agnb-note"></div>' +
    '<div class="agnb-trace"></div>' +
    '<details><summary>values</summary><pre class="agnb-detail"></pre></details>' +
    `</div></div><div class="agnb-legend">${data.legend.map(esc).join("\n")}</div>`;
}

// ------------------------------------------------------------------ the player
export function mount(el, data, hooks = {}) {
  const steps = data.steps, n = steps.length, N = data.nodes.length;
  const root = document.createElement("div");
  root.className = "agnb-player";
  root.tabIndex = 0;
  root.innerHTML = shellMarkup(data);
  el.appendChild(root);
  const q = (s) => root.querySelector(s);
  const stage = q(".agnb-stage"), trace = q(".agnb-trace"), slider = q(".agnb-slider");
  const play = q(".agnb-play"), speed = q(".agnb-speed"), follow = q(".agnb-follow");
  const search = q(".agnb-search"), main = q(".agnb-main");
  trace.innerHTML = tableMarkup(data);
  const listId = `agnb-names-${Math.random().toString(36).slice(2)}`;
  q("datalist").id = listId;
  search.setAttribute("list", listId);
  const rows = [...trace.querySelectorAll("tr[data-step]")];
  const firstClosed = data.groups.filter((g) => g.closed).map((g) => g.id);
  const closed = new Set(firstClosed);
  const shownValue = new Map();  // node id -> its running sum (or tangent) text, shown or not
  let shown = null, lay = null, svg = null;
  let nodeEl = new Map(), valueEl = new Map(), markEl = new Map(), arrowEl = [];
  let current = -1, timer = null, mark = null, found = null, drag = null, dragged = false;
  let view = { cx: 0, cy: 0, s: 1 };

  // ---- the graph as the open and closed groups show it: laid out and drawn again
  function draw() {
    shown = shownGraph(data, closed);
    lay = placeGraph(data, shown);
    stage.innerHTML = graphMarkup(data, shown, lay);
    svg = stage.querySelector("svg");
    nodeEl = new Map(); valueEl = new Map(); markEl = new Map();
    for (const g of svg.querySelectorAll("g.ag-node")) {
      const id = Number(g.dataset.node);
      nodeEl.set(id, g);
      valueEl.set(id, g.querySelector(".agnb-value"));
      markEl.set(id, g.querySelector(".agnb-mark"));
    }
    arrowEl = [...svg.querySelectorAll("g.ag-edge")];
    for (const [id, text] of shownValue) writeValue(id, text);
    mark = null;  // the new boxes are written afresh
    if (current >= 0) { writeMark(current); light(current, true); }
    if (found !== null && nodeEl.has(found)) nodeEl.get(found).classList.add("agnb-found");
    // a button per group the learner opened, to close it again from wherever the view is
    q(".agnb-opened").innerHTML = shown.frames.filter((g) => firstClosed.includes(g.id))
      .map((g) => `<button class="agnb-close" data-group="${g.id}" title="close ` +
                  `${esc(g.label)} into one box">\u2715 ${esc(g.label)}</button>`).join("");
    applyView();
  }
  function boxesOf(ids) {
    return [...new Set(ids.map((id) => shown.rep[id]))].filter((box) => box >= 0);
  }
  function regroup(change, focus, whole = false) {
    // open or close groups, lay the graph out again, and bring ``focus`` (node ids) to view:
    // ``whole`` zooms out until all of it shows (a group just opened), else only pans
    change();
    draw();
    layoutStage();
    if (focus && whole) frame(boxesOf(focus));
    else if (focus) reveal(boxesOf(focus), true);
  }
  function openAround(id) {
    // open every closed group around node ``id``, so its own box shows
    let opened = false;
    for (let g = data.nodes[id].g; g !== undefined && g !== null; g = data.groups[g].parent) {
      opened = closed.delete(g) || opened;
    }
    return opened;
  }

  // ---- zoom and pan: the view is a centre and a scale
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
    return Math.min(w / lay.width, h / lay.height, MAX_ZOOM);
  }
  function fit() {
    view = { cx: lay.width / 2, cy: lay.height / 2, s: fitScale() };
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
  function bounds(boxes) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of boxes) {
      const [x, y] = lay.positions.get(id), [w, h] = lay.sizes.get(id);
      x0 = Math.min(x0, x - w / 2); x1 = Math.max(x1, x + w / 2);
      y0 = Math.min(y0, y - h / 2); y1 = Math.max(y1, y + h / 2);
    }
    return [x0, y0, x1, y1];
  }
  function reveal(boxes, centre) {
    // pan (never zoom) so the boxes sit inside the middle of the view
    if (!boxes.length) return;
    const [x0, y0, x1, y1] = bounds(boxes);
    const [w, h] = size();
    const vw = w / view.s, vh = h / view.s;
    const inside = x0 >= view.cx - 0.4 * vw && x1 <= view.cx + 0.4 * vw &&
      y0 >= view.cy - 0.4 * vh && y1 <= view.cy + 0.4 * vh;
    if (centre || !inside) {
      view.cx = clamp((x0 + x1) / 2, vw, lay.width);
      view.cy = clamp((y0 + y1) / 2, vh, lay.height);
      applyView();
    }
  }
  function followStep(s, centre) {
    // the step's boxes in view; when they lie too far apart to share it, the box the step
    // writes to (its running sum and note)
    const boxes = boxesOf(s.nodes);
    const [x0, y0, x1, y1] = bounds(boxes);
    const [w, h] = size();
    const together = x1 - x0 <= 0.8 * w / view.s && y1 - y0 <= 0.8 * h / view.s;
    reveal(together ? boxes : boxesOf([s.set[0]]), centre);
  }
  function frame(boxes) {
    // centre the boxes, zooming out (never in) until all of them fit; where that would make
    // the text too small to read, stay readable and centre the last box (a group's result)
    const [x0, y0, x1, y1] = bounds(boxes);
    const [w, h] = size();
    const s = Math.min(w / (x1 - x0 + 48), h / (y1 - y0 + 48), view.s);
    if (s >= READABLE) {
      view = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, s };
      applyView();
    } else {
      view.s = Math.max(view.s, READABLE);
      reveal([boxes.reduce((a, b) => (lay.positions.get(b)[0] > lay.positions.get(a)[0] ? b : a))],
             true);
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
    const s = Math.min(w / lay.width, MAX_ZOOM);
    const scale = s >= READABLE ? s : 1;  // too small to read fitted: full size, and pan
    stage.style.height = `${Math.round(Math.min(lay.height * scale + 2, STAGE_MAX))}px`;
    view.s = scale;
    if (s >= READABLE) fit();
    else if (current >= 0) followStep(steps[current], true);
  }

  // ---- one step: only what it changes
  function setValue(id, text) {
    if (shownValue.get(id) === text) return;
    shownValue.set(id, text);
    writeValue(id, text);
  }
  function writeValue(id, text) {
    // in the node's own box, or in the closed group's box when the node is the group's result
    const box = shown.rep[id];
    if (box === id || data.groups[box - N].out === id) valueEl.get(box).textContent = text;
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
    for (const id of boxesOf(steps[k].nodes)) nodeEl.get(id).classList.toggle("ag-highlight", on);
    for (const e of steps[k].edges) {
      const a = shown.arrowOf[e];
      if (a >= 0) arrowEl[a].classList.toggle("agnb-lit", on);
    }
    rows[k].classList.toggle("agnb-current", on);
  }
  function writeMark(k) {
    // the note of step k in the box it writes to; a closed group says which box inside
    if (mark !== null) markEl.get(mark).textContent = "";
    mark = null;
    if (!steps[k].mark) return;
    const [id, text] = steps[k].mark;
    mark = shown.rep[id];
    if (mark === id) { markEl.get(mark).textContent = text; return; }
    const room = Math.floor((data.groups[mark - N].w - 2 * data.font.pad) / data.font.char);
    const line = `${data.nodes[id].lines[0][0]} ${text}`;
    markEl.get(mark).textContent = line.length <= room ? line : `${line.slice(0, room - 1)}\u2026`;
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
    current = k;
    writeMark(k);
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
    if (follow.checked) followStep(s, false);
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
    // the step after the current one that processes node ``id`` (its first step if none)
    for (let j = 1; j <= n; j++) {
      const k = (current + j) % n;
      if (steps[k].nodes[0] === id) return k;
    }
    return -1;
  }
  let foundAt = -1;
  function find(text) {
    // a node (or a group) by its name; the groups closed around it open
    const want = text.trim().toLowerCase();
    if (!want) return;
    const named = [...data.nodes.filter((nd) => !nd.hide).map((nd) => [nd.lines[0][0], nd.id, null]),
                   ...data.groups.map((g) => [g.label, null, g])];
    const hits = named.filter(([name]) => name.toLowerCase() === want);
    const matches = hits.length ? hits :
      named.filter(([name]) => name.toLowerCase().startsWith(want));
    if (!matches.length) { search.setCustomValidity("no node has that name"); return; }
    search.setCustomValidity("");
    foundAt = (foundAt + 1) % matches.length;
    const [, id, group] = matches[foundAt];
    let opened = false;
    if (id !== null) opened = openAround(id);
    for (let g = group ? group.parent : null; g !== null; g = data.groups[g].parent) {
      opened = closed.delete(g) || opened;
    }
    if (found !== null && nodeEl.has(found)) nodeEl.get(found).classList.remove("agnb-found");
    if (opened) draw();
    // the box found: the node's own, or the group's while it is closed (its frame when open)
    found = id !== null ? id : (closed.has(group.id) ? N + group.id : null);
    if (found !== null) nodeEl.get(found).classList.add("agnb-found");
    follow.checked = false;  // stay on what was found
    view.s = Math.max(view.s, 1);
    reveal(boxesOf(id !== null ? [id] : members(group.id)), true);
  }
  function inGroup(id, gid) {
    for (let g = data.nodes[id].g; g !== undefined && g !== null; g = data.groups[g].parent) {
      if (g === gid) return true;
    }
    return false;
  }
  function members(gid) {
    return data.nodes.filter((nd) => inGroup(nd.id, gid)).map((nd) => nd.id);
  }
  function openGroup(gid) {
    follow.checked = false;  // look at what opened
    regroup(() => closed.delete(gid), members(gid), true);
  }
  function closeGroup(gid) {
    regroup(() => closed.add(gid), members(gid));
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
  if (data.groups.length) {
    q(".agnb-open-all").onclick = () => regroup(() => closed.clear(), null);
    q(".agnb-regroup").onclick = () => regroup(() => {
      closed.clear();
      for (const g of firstClosed) closed.add(g);
    }, null);
  }
  q(".agnb-opened").onclick = (e) => {
    const button = e.target.closest(".agnb-close");
    if (button) closeGroup(Number(button.dataset.group));
  };
  follow.onchange = () => { if (follow.checked) followStep(steps[current], true); };
  search.onkeydown = (e) => { if (e.key === "Enter") { e.preventDefault(); find(search.value); } };
  search.onchange = () => find(search.value);
  trace.onclick = (e) => {
    const row = e.target.closest("tr[data-step]");
    if (row) go(Number(row.dataset.step));
  };
  stage.addEventListener("click", (e) => {
    if (dragged) return;
    const frame = e.target.closest("g.agnb-frame");
    if (frame && e.target.tagName === "text") { closeGroup(Number(frame.dataset.group)); return; }
    const g = e.target.closest("g.ag-node");
    if (!g) return;
    const id = Number(g.dataset.node);
    if (id >= N) { openGroup(id - N); return; }  // a closed group opens
    const k = nextStepOf(id);
    if (k >= 0) go(k);
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
  let laidOutAt = 0;  // the width the stage was laid out for: a new height is no reason
  const resize = new ResizeObserver(() => {
    if (root.clientWidth !== laidOutAt) { laidOutAt = root.clientWidth; layoutStage(); }
  });
  resize.observe(root);

  draw();
  show(0);
  layoutStage();
  return {
    show, go, stop, start, find, openGroup, closeGroup,
    get step() { return current; },
    get playing() { return timer !== null; },
    get view() { return { ...view }; },
    get closed() { return [...closed].sort((a, b) => a - b); },
    get boxes() { return shown.boxes.length; },
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
