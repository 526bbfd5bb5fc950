// stabsim serve: the page. Plain script, no build step, nothing fetched
// from the network but this server. Colours are the Okabe-Ito palette
// (colour-blind safe) as in the charts (src/plot/style.rs, src/plot/map.rs).
"use strict";

const $ = (id) => document.getElementById(id);
const OKABE = { orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E4A2",
  blue: "#0072B2", vermillion: "#D55E00", purple: "#CC79A7", black: "#000000" };
const ARM_COLOURS = [OKABE.blue, OKABE.orange];
const TERRAIN = { open: "#E8E0C8", urban: "#8C8C8C", rubble: "#B8865B", sea: "#A6CEE3",
  border: "#333333", crossing: "#D55E00", buffer: "#D98C8C", blocked: "#FFFFFF" };
// Occupant codes of the cell byte (src/serve/session.rs, mod occupant).
const OCCUPANTS = [null,
  ["civilians", "#7a7a7a"], ["active civilians", OKABE.orange], ["fighters", OKABE.vermillion],
  ["mission contingents", OKABE.blue], ["local police", OKABE.sky], ["private military", OKABE.purple]];
// Control codes (src/mission/frames.rs, Control).
const CONTROL = [["police (handed over)", OKABE.sky], ["mission", OKABE.blue],
  ["contested", OKABE.yellow], ["armed groups", OKABE.vermillion], ["no presence", "#E8E8E8"]];
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];

// Stepping back in time: the page keeps the compact frames the server
// streamed (nothing more is asked of the server), bounded in memory:
// every day's metrics row, incidents and log lines (small: about 60 numbers
// per mandate-day), and the map layers (two bytes per cell and day) up to
// MAP_BUDGET bytes. Past the budget the older maps are thinned to every
// 2nd, 4th, ... day (the newest is always kept), so a 3,650-day Gaza run
// with two mandates (18 kB per mandate-day) keeps every 4th day's map.
const MAP_BUDGET = 48 * 1024 * 1024;

const state = {
  scenarios: [], levers: [], run: null, source: null, stat: null, names: [],
  history: [[], []], cells: [null, null], trust: [null, null], incidents: [null, null],
  terrainRgb: null, images: [null, null], dirty: true, playing: false,
  fps: 0, rafCount: 0, fpsStart: performance.now(), framesReceived: 0, lastDay: -1,
  // Per arm, by day: {cells, trust} (thinned, see MAP_BUDGET) and the
  // day's incidents as [cell, count, cell, count, ...].
  maps: [[], []], incDays: [[], []], mapBytes: 0, mapStride: 1,
  // The narrative log: {day, arm, line}, in day order.
  logLines: [],
  // The day shown, or null for the live end.
  view: null, viewCache: null, chartsAt: 0,
  // The scenario whose levers are shown, and how many times the run went
  // back to an earlier day (a reset or a re-run from a day).
  leversFor: null, rewinds: 0,
};
window.stabsim = state; // for the browser test

function showError(msg) {
  const box = $("error");
  box.textContent = msg;
  box.hidden = !msg;
}

async function api(method, path, body, raw) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.body = typeof body === "string" ? body : JSON.stringify(body);
    opts.headers["Content-Type"] = typeof body === "string" ? "text/plain" : "application/json";
  }
  const res = await fetch(path, opts);
  const text = await res.text();
  if (!res.ok) {
    let msg = text;
    try { msg = JSON.parse(text).error || text; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  return raw ? text : JSON.parse(text);
}

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function hex(c) {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const d = digits !== undefined ? digits : Number.isInteger(v) || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 1 : 3;
  // No "-0" on an axis or in a difference.
  if (Math.abs(v) < 0.5 * 10 ** -d) v = 0;
  return v.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
}

// ---------------------------------------------------------------- scenarios and levers

async function loadScenarios(select) {
  const { scenarios } = await api("GET", "/api/scenarios");
  state.scenarios = scenarios;
  const sel = $("scenario");
  sel.innerHTML = "";
  let group = null;
  for (const s of scenarios) {
    if (!group || group.label !== s.pack) {
      group = document.createElement("optgroup");
      group.label = s.pack;
      sel.appendChild(group);
    }
    const o = document.createElement("option");
    o.value = s.id;
    o.textContent = `${s.id} (${s.name})`;
    group.appendChild(o);
  }
  const wanted = select || new URLSearchParams(location.search).get("scenario");
  if (wanted && scenarios.some((s) => s.id === wanted)) sel.value = wanted;
  await loadLevers(true);
}

// Shows the levers of the chosen scenario. What the user typed is kept
// unless the scenario changes: a change event on the scenario already
// shown does nothing, and an answer for a scenario no longer chosen (the
// user chose again while it loaded) is dropped.
async function loadLevers(force) {
  const id = $("scenario").value;
  if (id === state.leversFor && !force) return;
  const table = await api("GET", `/api/levers?scenario=${encodeURIComponent(id)}`);
  if ($("scenario").value !== id) return;
  state.leversFor = id;
  state.levers = table.levers;
  $("description").textContent = table.description;
  $("seed").value = table.seed;
  $("days").value = table.days;
  const pack = id.split("/")[0];
  $("report").href = `/report/${pack === "upload" ? "gaza" : pack}`;
  const box = $("levers");
  box.innerHTML = "";
  for (const lever of state.levers) box.appendChild(leverRow(lever));
  markPending();
}

function inputFor(lever, arm) {
  const id = `lever-${arm}-${lever.key}`;
  let el;
  if (lever.kind === "choice") {
    el = document.createElement("select");
    for (const name of lever.options) {
      const o = document.createElement("option");
      o.value = o.textContent = name;
      el.appendChild(o);
    }
    el.value = lever.value;
  } else if (lever.kind === "flag") {
    el = document.createElement("input");
    el.type = "checkbox";
    el.checked = lever.value === true;
  } else {
    el = document.createElement("input");
    el.type = "number";
    el.min = lever.min; el.max = lever.max;
    el.step = lever.kind === "integer" ? 1 : "any";
    el.value = lever.value;
  }
  el.id = id;
  el.dataset.key = lever.key;
  el.dataset.arm = arm;
  el.setAttribute("aria-label", `${lever.label} (mandate ${arm === 0 ? "A" : "B"})`);
  el.addEventListener("change", markPending);
  return el;
}

function leverRow(lever) {
  const div = document.createElement("div");
  div.className = "lever";
  const range = lever.min !== null && lever.min !== undefined ? `accepts ${lever.min.toLocaleString("en-GB")}–${lever.max.toLocaleString("en-GB")}` : "";
  const plausible = lever.plausible ? ` · plausible ${lever.plausible[0]}–${lever.plausible[1]}` : "";
  const options = lever.kind === "choice" ? `one of ${lever.options.join(", ")}` : lever.kind === "flag" ? "yes or no" : "";
  div.innerHTML = `<div class="name"></div><div class="meaning"></div><div class="unit"></div><div class="inputs"></div>`;
  div.querySelector(".name").textContent = lever.label;
  div.querySelector(".meaning").textContent = lever.meaning;
  div.querySelector(".unit").textContent = [lever.unit && lever.unit !== "—" ? lever.unit : "", range || options].filter(Boolean).join(" · ") + plausible;
  const inputs = div.querySelector(".inputs");
  for (const arm of [0, 1]) {
    const tag = document.createElement("span");
    tag.textContent = arm === 0 ? "A" : "B";
    if (arm === 1) tag.className = "b";
    const input = inputFor(lever, arm);
    if (arm === 1) input.classList.add("b");
    inputs.append(tag, input);
    if (arm === 0 && (lever.kind === "number" || lever.kind === "integer")) {
      // A slider over the plausible range (or what is accepted), tied to the box.
      const slider = document.createElement("input");
      slider.type = "range";
      const [lo, hi] = lever.plausible || [lever.min, Math.min(lever.max, Math.max(lever.value * 4, lever.kind === "integer" ? 100 : 1))];
      slider.min = Math.min(lo, lever.value); slider.max = Math.max(hi, lever.value);
      slider.step = lever.kind === "integer" ? 1 : (slider.max - slider.min) / 100;
      slider.value = lever.value;
      slider.id = `slider-${lever.key}`;
      slider.setAttribute("aria-label", `${lever.label} slider (mandate A)`);
      slider.addEventListener("input", () => { input.value = slider.value; markPending(); });
      input.addEventListener("input", () => { slider.value = input.value; });
      inputs.append(slider);
    }
  }
  return div;
}

function leverValues(arm) {
  const out = {};
  for (const lever of state.levers) {
    const el = $(`lever-${arm}-${lever.key}`);
    let v;
    if (lever.kind === "flag") v = el.checked;
    else if (lever.kind === "choice") v = el.value;
    else v = el.value === "" ? NaN : Number(el.value);
    // Only what differs from the scenario, so the export stays readable;
    // B's levers apply after A's, so B also sends those A changed.
    const changedInA = arm === 1 && leverValues(0)[lever.key] !== undefined;
    if (v !== lever.value || changedInA) out[lever.key] = Number.isNaN(v) ? el.value : v;
  }
  return out;
}

function settings() {
  const s = { scenario: $("scenario").value, levers: leverValues(0) };
  if ($("seed").value !== "") s.seed = Number($("seed").value);
  if ($("days").value !== "") s.days = Number($("days").value);
  if ($("compare").checked) s.compare = leverValues(1);
  return s;
}

function markPending() {
  $("pending").hidden = !state.run;
}

// ---------------------------------------------------------------- runs

async function startRun() {
  showError("");
  await stopRun();
  let created;
  try {
    created = await api("POST", "/api/runs", settings());
  } catch (e) {
    showError(e.message);
    return;
  }
  state.run = created.id;
  state.stat = created.static;
  state.names = created.static.names;
  forgetFrom(0);
  state.lastDay = -1;
  state.framesReceived = 0;
  state.view = null;
  $("pending").hidden = true;
  document.body.classList.toggle("comparing", created.static.arm_names.length > 1);
  $("figB").hidden = created.static.arm_names.length < 2;
  $("capA").textContent = `A: ${created.static.arm_names[0]}, seed ${created.static.seed}`;
  $("capB").textContent = `B: the same scenario and seed, other levers`;
  setupMaps();
  for (const id of ["play", "pause", "step", "reset"]) $(id).disabled = false;
  showStatus();
  const es = new EventSource(`/api/runs/${created.id}/stream`);
  state.source = es;
  es.onmessage = (ev) => onFrame(JSON.parse(ev.data));
  es.onerror = () => {
    if (state.source === es && es.readyState === EventSource.CLOSED) showError("The run's stream closed (the server stopped?).");
  };
  await control({ action: "speed", speed: Number($("speed").value) });
}

async function stopRun() {
  if (state.source) state.source.close();
  state.source = null;
  if (state.run) {
    const id = state.run;
    state.run = null;
    try { await api("DELETE", `/api/runs/${id}`); } catch (_) { /* already gone */ }
  }
  state.playing = false;
}

// Controls reach the server one after another, in the order they were
// clicked (a pause clicked while a re-run from a day is still computing
// comes after that re-run's play, not before it); each goes to the run it
// was clicked for.
let controls = Promise.resolve();
function control(body) {
  const id = state.run;
  controls = controls.then(async () => {
    if (!id || state.run !== id) return;
    try {
      const r = await api("POST", `/api/runs/${id}/control`, body);
      if (state.run === id) state.playing = r.playing;
    } catch (e) {
      showError(e.message);
    }
  });
  return controls;
}

function col(name) {
  return state.names.indexOf(name);
}

// Drops what is kept from day `day` on (a reset, or a re-run from a day).
function forgetFrom(day) {
  for (let k = 0; k < 2; k++) {
    state.history[k].length = Math.min(state.history[k].length, day);
    state.incDays[k].length = Math.min(state.incDays[k].length, day);
    for (let d = day; d < state.maps[k].length; d++) {
      if (state.maps[k][d]) state.mapBytes -= mapSize(state.maps[k][d]);
    }
    state.maps[k].length = Math.min(state.maps[k].length, day);
    // Live layers: the newest kept day before `day`, until the next frame.
    const kept = nearestMap(k, day - 1);
    state.cells[k] = kept ? kept.cells : null;
    state.trust[k] = kept ? kept.trust : null;
    state.incidents[k] = null;
    if (state.stat && day > 0) state.incidents[k] = cumulativeIncidents(k, day - 1);
  }
  if (state.mapBytes === 0) state.mapStride = 1;
  state.logLines = state.logLines.filter((l) => l.day < day);
  state.viewCache = null;
  renderLog();
}

function mapSize(m) {
  return m.cells.length + m.trust.length;
}

// The newest kept map of arm k on or before `day`.
function nearestMap(k, day) {
  for (let d = Math.min(day, state.maps[k].length - 1); d >= 0; d--) {
    if (state.maps[k][d]) return { ...state.maps[k][d], day: d };
  }
  return null;
}

// Incidents of arm k summed over days 0..=day.
function cumulativeIncidents(k, day) {
  const out = new Float32Array(state.stat.width * state.stat.height);
  const days = state.incDays[k];
  for (let d = 0; d <= Math.min(day, days.length - 1); d++) {
    const pairs = days[d];
    for (let i = 0; i + 1 < pairs.length; i += 2) out[pairs[i]] += pairs[i + 1];
  }
  return out;
}

// Keeps day `day`'s map of arm k within MAP_BUDGET (see there).
function keepMap(k, day, cells, trust) {
  const maps = state.maps[k];
  // The previous newest stays only if it is on the stride.
  const prev = maps.length - 1;
  if (prev >= 0 && maps[prev] && prev % state.mapStride !== 0) {
    state.mapBytes -= mapSize(maps[prev]);
    maps[prev] = undefined;
  }
  maps[day] = { cells, trust };
  state.mapBytes += cells.length + trust.length;
  while (state.mapBytes > MAP_BUDGET && state.mapStride < 1 << 20) {
    state.mapStride *= 2;
    for (const arm of state.maps) {
      for (let d = 0; d < arm.length - 1; d++) {
        if (arm[d] && d % state.mapStride !== 0) {
          state.mapBytes -= mapSize(arm[d]);
          arm[d] = undefined;
        }
      }
    }
  }
}

function onFrame(frame) {
  if (frame.day <= state.lastDay) {
    // A reset (day 0) or a re-run from an earlier day: that day again.
    forgetFrom(frame.day);
    state.rewinds++;
  }
  state.lastDay = frame.day;
  state.framesReceived++;
  frame.arms.forEach((arm, k) => {
    state.history[k][frame.day] = arm.row;
    if (arm.cells) state.cells[k] = b64bytes(arm.cells);
    if (arm.trust) state.trust[k] = b64bytes(arm.trust);
    if (arm.cells && arm.trust) keepMap(k, frame.day, state.cells[k], state.trust[k]);
    if (!state.incidents[k]) state.incidents[k] = new Float32Array(state.stat.width * state.stat.height);
    const pairs = new Int32Array(2 * (arm.incidents || []).length);
    (arm.incidents || []).forEach(([i, n], j) => { state.incidents[k][i] += n; pairs[2 * j] = i; pairs[2 * j + 1] = n; });
    state.incDays[k][frame.day] = pairs;
    for (const line of arm.events) {
      state.logLines.push({ day: frame.day, arm: k, line });
      if (state.view === null) logEvent(line, k, frame.arms.length);
    }
  });
  if (frame.day >= state.stat.days) state.playing = false;
  showStatus();
  // Drawn at the next animation frame, once however many days arrived.
  if (state.view === null) state.dirty = true;
  state.chartsDirty = true;
}

// The day on show: the one stepped back to, or the newest.
function viewDay() {
  return state.view === null ? state.lastDay : state.view;
}

function showStatus() {
  const scrub = $("scrub");
  scrub.max = Math.max(0, state.lastDay);
  scrub.value = viewDay();
  scrub.disabled = state.lastDay < 1;
  $("back").disabled = viewDay() <= 0;
  $("forward").disabled = state.view === null;
  $("live").disabled = state.view === null;
  const days = state.stat ? state.stat.days : 0;
  let text;
  if (state.view === null) {
    text = `Day ${state.lastDay} of ${days}` + (state.playing ? " (running)" : "");
  } else {
    const shown = nearestMap(0, state.view);
    const map = shown && shown.day !== state.view ? `; the map is day ${shown.day}'s, the nearest kept` : "";
    text = `Day ${state.view} of ${days}, stepped back (the run has reached day ${state.lastDay}${map})`;
  }
  $("status").textContent = text;
}

// Shows day `day` (null: the live end) on the map, charts, summary and log.
function setView(day) {
  if (day !== null) day = Math.max(0, Math.min(state.lastDay, Math.round(day)));
  if (day === state.lastDay) day = null;
  state.view = day;
  state.viewCache = null;
  state.dirty = true;
  state.chartsDirty = true;
  state.chartsAt = 0;
  renderLog();
  showStatus();
}

// Steps back: pauses the run and shows an earlier day.
function stepBack(day) {
  if (state.playing) control({ action: "pause" });
  state.playing = false;
  setView(day);
}

// Continues from the day shown: the server re-runs the run from day 0 to
// that day on the same seed (deterministic: the same days again), and the
// page forgets the days after it.
function runFromView(then) {
  const day = state.view;
  if (day === null) return control(then);
  state.view = null;
  control({ action: "seek", day });
  return control(then);
}

function renderLog() {
  const log = $("log");
  log.innerHTML = "";
  const day = viewDay();
  const arms = state.stat ? state.stat.arm_names.length : 1;
  const shown = state.logLines.filter((l) => l.day <= day).slice(-300);
  for (const l of shown) logEvent(l.line, l.arm, arms);
}

function logEvent(line, arm, arms) {
  const li = document.createElement("li");
  li.className = arm === 0 ? "a" : "b";
  li.textContent = arms > 1 ? `${arm === 0 ? "A" : "B"}: ${line}` : line;
  const log = $("log");
  log.insertBefore(li, log.firstChild);
  while (log.children.length > 300) log.removeChild(log.lastChild);
}

// ---------------------------------------------------------------- the map

function setupMaps() {
  const { width, height } = state.stat;
  const scale = Math.max(1, Math.min(4, Math.floor(560 / height), Math.floor(260 / width)));
  for (const id of ["mapA", "mapB"]) {
    const c = $(id);
    c.width = width * scale;
    c.height = height * scale;
  }
  const terrain = b64bytes(state.stat.terrain);
  const names = state.stat.terrain_names;
  state.terrainRgb = Array.from(terrain, (t) => hex(TERRAIN[names[t]] || "#FFFFFF"));
  state.sectors = b64bytes(state.stat.sectors);
  state.offscreen = [0, 1].map(() => {
    const c = document.createElement("canvas");
    c.width = width; c.height = height;
    return c;
  });
  state.cells = [null, null];
  state.trust = [null, null];
  drawLegend();
  state.dirty = true;
}

function fade([r, g, b], k) {
  return [r + (255 - r) * k, g + (255 - g) * k, b + (255 - b) * k];
}

function paint(k) {
  const { width, height } = state.stat;
  const off = state.offscreen[k];
  const ctx = off.getContext("2d");
  const img = ctx.createImageData(width, height);
  const px = img.data;
  const overlay = $("overlay").value;
  let cells = state.cells[k];
  let trust = state.trust[k];
  let inc = state.incidents[k];
  if (state.view !== null) {
    const kept = nearestMap(k, state.view);
    cells = kept ? kept.cells : null;
    trust = kept ? kept.trust : null;
    if (overlay === "incidents") {
      if (!state.viewCache || state.viewCache.day !== state.view) state.viewCache = { day: state.view, inc: [] };
      if (!state.viewCache.inc[k]) state.viewCache.inc[k] = cumulativeIncidents(k, state.view);
      inc = state.viewCache.inc[k];
    }
  }
  let incMax = 1;
  if (overlay === "incidents" && inc) for (const v of inc) incMax = Math.max(incMax, v);
  const sectorEdge = (i) => {
    const x = i % width, s = state.sectors[i];
    return s !== 255 && ((x + 1 < width && state.sectors[i + 1] !== s && state.sectors[i + 1] !== 255) ||
      (i + width < state.sectors.length && state.sectors[i + width] !== s && state.sectors[i + width] !== 255));
  };
  for (let i = 0; i < width * height; i++) {
    let rgb = state.terrainRgb[i];
    const byte = cells ? cells[i] : 0;
    const walled = (byte >> 3) === 7;
    if (overlay === "terrain") {
      if (sectorEdge(i)) rgb = [0, 0, 0];
    } else if (overlay === "agents") {
      rgb = fade(rgb, 0.55);
      const occ = byte & 7;
      if (occ && OCCUPANTS[occ]) rgb = hex(OCCUPANTS[occ][1]);
    } else if (overlay === "control") {
      const c = byte >> 3;
      if (!walled && CONTROL[c]) rgb = hex(CONTROL[c][1]);
    } else if (overlay === "trust") {
      const t = trust ? trust[i] : 255;
      rgb = t === 255 ? (walled ? rgb : [232, 232, 232]) : hex(VIRIDIS[Math.min(9, Math.floor(t / 25.5))]);
    } else if (overlay === "incidents") {
      const v = inc ? inc[i] : 0;
      rgb = v > 0 ? hex(VIRIDIS[Math.min(9, Math.floor(10 * Math.sqrt(v / incMax)))]) : (walled ? rgb : fade(rgb, 0.6));
    }
    px[4 * i] = rgb[0]; px[4 * i + 1] = rgb[1]; px[4 * i + 2] = rgb[2]; px[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function drawMaps() {
  if (!state.stat) return;
  const arms = state.stat.arm_names.length;
  for (let k = 0; k < arms; k++) {
    if (state.dirty) paint(k);
    const c = $(k === 0 ? "mapA" : "mapB");
    const ctx = c.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(state.offscreen[k], 0, 0, c.width, c.height);
  }
  state.dirty = false;
}

function drawLegend() {
  const overlay = $("overlay").value;
  let items = [];
  if (overlay === "agents") items = OCCUPANTS.filter(Boolean);
  else if (overlay === "control") items = CONTROL;
  else if (overlay === "terrain") items = Object.entries(TERRAIN).concat([["sector boundary", "#000000"]]);
  else if (overlay === "trust") items = [["trust 0", VIRIDIS[0]], ["0.5", VIRIDIS[5]], ["1", VIRIDIS[9]], ["nobody there", "#E8E8E8"]];
  else items = [["few incidents", VIRIDIS[0]], ["most incidents (square-root scale)", VIRIDIS[9]]];
  $("legend").innerHTML = "";
  for (const [label, colour] of items) {
    const span = document.createElement("span");
    span.innerHTML = `<i style="background:${colour}"></i>`;
    span.append(label);
    $("legend").appendChild(span);
  }
}

function frameLoop(now) {
  state.rafCount++;
  if (now - state.fpsStart >= 1000) {
    state.fps = (state.rafCount * 1000) / (now - state.fpsStart);
    state.rafCount = 0;
    state.fpsStart = now;
  }
  drawMaps();
  // Charts at most ten times a second while days stream in (they redraw
  // the whole run), at once when the day shown changes.
  if (state.chartsDirty && now - state.chartsAt >= 100) {
    state.chartsDirty = false;
    state.chartsAt = now;
    drawCharts();
    drawSummary();
  }
  requestAnimationFrame(frameLoop);
}

// ---------------------------------------------------------------- charts

function smooth(values, n) {
  const out = [];
  let sum = 0, count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    sum += v; count++;
    if (i >= n) { sum -= values[i - n] ?? 0; count--; }
    out.push(sum / count);
  }
  return out;
}

function series(k, name, smoothDays) {
  const c = col(name);
  const v = state.history[k].map((row) => (row ? row[c] : null));
  return smoothDays ? smooth(v, smoothDays) : v;
}

// Draws lines (and bands) on a canvas: axes, ticks, legend, all by hand.
function lineChart(canvas, lines, opts) {
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height;
  const m = { l: 46, r: 10, t: 16, b: 24 };
  ctx.clearRect(0, 0, W, H);
  ctx.font = "11px 'DejaVu Sans', sans-serif";
  const days = Math.max(2, opts.days);
  let lo = opts.min ?? Infinity, hi = opts.max ?? -Infinity;
  if (opts.min === undefined || opts.max === undefined) {
    for (const l of lines) for (const arr of [l.values, l.lo, l.hi]) for (const v of arr || []) {
      if (v === null || Number.isNaN(v)) continue;
      if (opts.min === undefined) lo = Math.min(lo, v);
      if (opts.max === undefined) hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) {
    // One value (day 0, or a flat line): a unit range above a fixed floor
    // (counts), else a narrow band around it, so trust at 0.35 is not drawn
    // on an axis that runs to 1.35.
    if (opts.min !== undefined) hi = lo + 1;
    else { const pad = Math.max(0.05, Math.abs(lo) * 0.1); lo -= pad; hi += pad; }
  }
  const x = (d) => m.l + (d / days) * (W - m.l - m.r);
  const y = (v) => H - m.b - ((v - lo) / (hi - lo)) * (H - m.t - m.b);
  ctx.strokeStyle = "#E3E3E3"; ctx.fillStyle = "#555"; ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    ctx.beginPath(); ctx.moveTo(m.l, y(v)); ctx.lineTo(W - m.r, y(v)); ctx.stroke();
    ctx.textAlign = "right"; ctx.fillText(fmt(v, hi - lo < 2 ? 2 : 0), m.l - 4, y(v) + 4);
  }
  ctx.textAlign = "center";
  for (let i = 0; i <= 4; i++) ctx.fillText(`${Math.round((days * i) / 4)}`, x((days * i) / 4), H - 8);
  ctx.textAlign = "left"; ctx.fillText("day", 4, H - 8);
  if (lo < 0 && hi > 0) { ctx.strokeStyle = "#777"; ctx.beginPath(); ctx.moveTo(m.l, y(0)); ctx.lineTo(W - m.r, y(0)); ctx.stroke(); }
  if (opts.cursor !== undefined && opts.cursor !== null) {
    // The day stepped back to.
    ctx.strokeStyle = "#222"; ctx.setLineDash([2, 2]);
    ctx.beginPath(); ctx.moveTo(x(opts.cursor), m.t); ctx.lineTo(x(opts.cursor), H - m.b); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#222"; ctx.textAlign = x(opts.cursor) > W - 60 ? "right" : "left";
    ctx.fillText(`day ${opts.cursor}`, x(opts.cursor) + (ctx.textAlign === "right" ? -3 : 3), m.t + 10);
    ctx.textAlign = "left";
  }
  let lx = m.l + 4;
  for (const l of lines) {
    if (l.lo && l.hi) {
      ctx.fillStyle = l.colour + "33";
      ctx.beginPath();
      l.hi.forEach((v, d) => ctx.lineTo(x(d), y(v ?? 0)));
      for (let d = l.lo.length - 1; d >= 0; d--) ctx.lineTo(x(d), y(l.lo[d] ?? 0));
      ctx.closePath(); ctx.fill();
    }
    ctx.strokeStyle = l.colour; ctx.lineWidth = 1.8; ctx.setLineDash(l.dash || []);
    ctx.beginPath();
    l.values.forEach((v, d) => (d ? ctx.lineTo(x(d), y(v ?? 0)) : ctx.moveTo(x(d), y(v ?? 0))));
    ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = l.colour; ctx.fillRect(lx, 4, 14, 3);
    ctx.fillStyle = "#222"; ctx.fillText(l.label, lx + 18, 10);
    lx += 26 + ctx.measureText(l.label).width;
  }
}

function drawCharts() {
  if (!state.stat) return;
  const arms = state.stat.arm_names.length;
  const days = state.stat.days;
  const label = (k) => (arms > 1 ? (k === 0 ? "A" : "B") : "incidents");
  const v = [], t = [];
  for (let k = 0; k < arms; k++) {
    v.push({ values: series(k, "incidents", 7), colour: ARM_COLOURS[k], label: label(k), dash: k ? [6, 3] : [] });
    t.push({ values: series(k, "trust_mean"), colour: ARM_COLOURS[k], label: arms > 1 ? label(k) : "trust", dash: k ? [6, 3] : [] });
  }
  const cursor = state.view;
  lineChart($("chartViolence"), v, { days, min: 0, cursor });
  lineChart($("chartTrust"), t, { days, cursor });
  if (arms > 1) {
    const diff = v[1].values.map((b, d) => b - v[0].values[d]);
    lineChart($("chartDiff"), [{ values: diff, colour: OKABE.purple, label: "B − A" }], { days, cursor });
  }
}

const SUMMARY = [
  ["incidents today", "incidents"], ["incidents so far", "cumulative_incidents"],
  ["civilian deaths so far", "cumulative_civilian_deaths"], ["trust in the mission", "trust_mean"],
  ["fighters", "fighters"], ["troops on duty", "troops"], ["sectors handed over", "sectors_handed_over"],
  ["contributors withdrawn", "contributors_withdrawn"],
];

function drawSummary() {
  const body = $("summary").tBodies[0];
  body.innerHTML = "";
  const last = (k) => state.history[k][Math.min(viewDay(), state.history[k].length - 1)];
  for (const [label, name] of SUMMARY) {
    const c = col(name);
    if (c < 0) continue;
    const a = last(0)?.[c];
    const b = last(1)?.[c];
    const tr = document.createElement("tr");
    tr.innerHTML = `<td></td><td></td><td class="b"></td><td class="b"></td>`;
    tr.children[0].textContent = label;
    tr.children[1].textContent = fmt(a);
    tr.children[2].textContent = fmt(b);
    tr.children[3].textContent = b === undefined || a === undefined ? "–" : (b - a > 0 ? "+" : "") + fmt(b - a);
    body.appendChild(tr);
  }
}

// ---------------------------------------------------------------- ensemble and export

async function runEnsemble() {
  showError("");
  const n = Number($("replicates").value);
  $("ensembleNote").textContent = `Running ${n} replicates of each mandate…`;
  $("ensemble").disabled = true;
  try {
    const r = await api("POST", "/api/ensemble", { settings: settings(), replicates: n });
    const lines = r.arms.map((bands, k) => {
      const b = bands.find((x) => x.metric === "incidents");
      return { values: smooth(b.p50, 7), lo: smooth(b.p10, 7), hi: smooth(b.p90, 7), colour: ARM_COLOURS[k],
        label: r.arms.length > 1 ? `${k ? "B" : "A"} median, 10–90 %` : "median, 10–90 %", dash: k ? [6, 3] : [] };
    });
    lineChart($("chartEnsemble"), lines, { days: lines[0].values.length - 1, min: 0 });
    $("ensembleNote").textContent = `Incidents per day (7-day mean) over ${r.replicates} replicates per mandate, common random numbers.`;
  } catch (e) {
    showError(e.message);
    $("ensembleNote").textContent = "Ensemble refused: see the message above.";
  } finally {
    $("ensemble").disabled = false;
  }
}

async function exportToml() {
  showError("");
  try {
    const text = await api("POST", "/api/export", settings(), true);
    $("exported").textContent = text;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const name = (text.match(/^name = "([^"]*)"/m) || [0, "scenario"])[1];
    a.download = `${name}.toml`;
    document.body.appendChild(a); a.click(); a.remove();
  } catch (e) {
    showError(e.message);
  }
}

async function upload(file) {
  showError("");
  try {
    const text = await file.text();
    const entry = await api("POST", `/api/scenarios?name=${encodeURIComponent(file.name)}`, text);
    await loadScenarios(entry.id);
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- wiring

function wire() {
  $("scenario").addEventListener("change", () => loadLevers().catch((e) => showError(e.message)));
  $("upload").addEventListener("change", (ev) => ev.target.files[0] && upload(ev.target.files[0]));
  for (const id of ["seed", "days"]) $(id).addEventListener("change", markPending);
  $("compare").addEventListener("change", () => {
    document.body.classList.toggle("comparing", $("compare").checked);
    markPending();
  });
  $("start").addEventListener("click", async () => { await startRun(); });
  // From a day stepped back to, run and step continue from that day (the
  // server re-runs to it); "Back to the newest day" returns without re-running.
  $("play").addEventListener("click", () => {
    state.playing = true;
    runFromView({ action: "play" });
  });
  $("pause").addEventListener("click", () => control({ action: "pause" }));
  $("step").addEventListener("click", () => runFromView({ action: "step" }));
  $("scrub").addEventListener("input", () => stepBack(Number($("scrub").value)));
  $("back").addEventListener("click", () => stepBack(viewDay() - 1));
  $("forward").addEventListener("click", () => setView(viewDay() + 1));
  $("live").addEventListener("click", () => setView(null));
  $("reset").addEventListener("click", () => control({ action: "reset" }));
  $("speed").addEventListener("change", () => control({ action: "speed", speed: Number($("speed").value) }));
  $("overlay").addEventListener("change", () => { drawLegend(); state.dirty = true; });
  $("ensemble").addEventListener("click", runEnsemble);
  $("export").addEventListener("click", exportToml);
  window.addEventListener("pagehide", () => { if (state.source) state.source.close(); });
  drawLegend();
  requestAnimationFrame(frameLoop);
  loadScenarios().catch((e) => showError(e.message));
}

wire();
