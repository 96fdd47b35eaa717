// The dashboard page's bytes: plain HTML, CSS and script, no framework and no external asset (the
// server's Content-Security-Policy forbids them), so it works offline and behind any proxy. The
// project and token the user types are kept in sessionStorage (gone when the tab closes) and
// sent as a bearer token to /v1/projects/{p}/kpis; every number on the page comes from that one
// reply, and each carries data-kpi="<its JSON path>" so tests and scripts can find it.
#include "store/server/dashboard.h"

namespace aspm::store::server {
namespace {

constexpr std::string_view kPage = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aspm-store · KPIs</title>
<style>
  :root { --fg:#1d2330; --muted:#5b6475; --line:#d8dde6; --bg:#f6f7f9; --card:#fff;
          --open:#c2410c; --fixed:#15803d; --expl:#b91c1c; --accent:#1d4ed8; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
  header { display:flex; flex-wrap:wrap; gap:12px; align-items:center; padding:12px 20px; background:#111827; color:#fff; }
  header h1 { font-size:16px; margin:0 16px 0 0; font-weight:600; }
  header form { display:flex; flex-wrap:wrap; gap:8px; align-items:center; }
  header label { font-size:12px; color:#cbd5e1; display:flex; gap:6px; align-items:center; }
  header input, header select { font:inherit; padding:4px 6px; border-radius:4px; border:1px solid #374151; background:#1f2937; color:#fff; }
  header button { font:inherit; padding:4px 12px; border-radius:4px; border:0; background:var(--accent); color:#fff; cursor:pointer; }
  main { padding:20px; max-width:1200px; margin:0 auto; }
  #status { margin:0 0 16px; color:var(--muted); }
  #status.error { color:var(--expl); font-weight:600; }
  .grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(170px, 1fr)); gap:12px; margin-bottom:20px; }
  .card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  .card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
  .card .value { font-size:26px; font-weight:600; margin-top:4px; font-variant-numeric:tabular-nums; }
  .card .note { color:var(--muted); font-size:12px; margin-top:2px; }
  .charts { display:grid; grid-template-columns:2fr 1fr; gap:12px; }
  @media (max-width: 800px) { .charts { grid-template-columns:1fr; } }
  .chart h2 { font-size:13px; margin:0 0 8px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.04em; }
  svg { width:100%; height:auto; display:block; }
  svg text { font-size:11px; fill:var(--muted); }
  .legend span { display:inline-block; margin-right:12px; font-size:12px; color:var(--muted); }
  .legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
  table { border-collapse:collapse; width:100%; }
  td, th { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line); font-variant-numeric:tabular-nums; }
  th { color:var(--muted); font-weight:600; font-size:12px; }
  [hidden] { display:none !important; }
</style>
</head>
<body>
<header>
  <h1>aspm-store KPIs</h1>
  <form id="login" autocomplete="off">
    <label>Project <input id="project" name="project" required size="14"></label>
    <label>Token <input id="token" name="token" type="password" required size="24"></label>
    <label>Window <select id="days" name="days">
      <option value="7">7 days</option><option value="30" selected>30 days</option>
      <option value="90">90 days</option><option value="365">365 days</option></select></label>
    <button type="submit" id="load">Show</button>
  </form>
</header>
<main>
  <p id="status" role="status">Enter a project and a token of that project.</p>
  <section id="report" hidden>
    <div class="grid">
      <div class="card"><div class="label">Open findings</div><div class="value" data-kpi="open"></div>
        <div class="note"><span data-kpi="scans"></span> scans in the window</div></div>
      <div class="card"><div class="label">Exploitable open</div><div class="value" data-kpi="exploitableOpen"></div>
        <div class="note">KEV, or likely and reachable</div></div>
      <div class="card"><div class="label">MTTR critical</div><div class="value" data-kpi="mttrDays.critical" data-format="days"></div>
        <div class="note"><span data-kpi="mttrSamples.critical"></span> fixed in the window</div></div>
      <div class="card"><div class="label">MTTR high</div><div class="value" data-kpi="mttrDays.high" data-format="days"></div>
        <div class="note"><span data-kpi="mttrSamples.high"></span> fixed in the window</div></div>
      <div class="card"><div class="label">Open risk</div><div class="value" data-kpi="risk.sum" data-format="round"></div>
        <div class="note">max <span data-kpi="risk.max" data-format="round"></span></div></div>
      <div class="card"><div class="label">Fix rate</div><div class="value" data-kpi="fix.rate" data-format="percent"></div>
        <div class="note"><span data-kpi="fix.fixed"></span> fixed, <span data-kpi="fix.open"></span> open</div></div>
      <div class="card"><div class="label">Triage rate</div><div class="value" data-kpi="triage.rate" data-format="percent"></div>
        <div class="note"><span data-kpi="triage.triaged"></span> of <span data-kpi="triage.tracked"></span> triaged</div></div>
      <div class="card"><div class="label">False-positive rate</div><div class="value" data-kpi="falsePositive.rate" data-format="percent"></div>
        <div class="note"><span data-kpi="falsePositive.falsePositives"></span> of <span data-kpi="falsePositive.decisions"></span> decisions</div></div>
    </div>
    <div class="charts">
      <div class="card chart"><h2>Trend: open, fixed and exploitable per day</h2>
        <div class="legend"><span><i style="background:var(--open)"></i>open</span><span><i style="background:var(--fixed)"></i>fixed</span><span><i style="background:var(--expl)"></i>exploitable</span></div>
        <svg id="trend" viewBox="0 0 640 220" role="img" aria-label="open, fixed and exploitable findings per day"></svg></div>
      <div class="card chart"><h2>Open findings by bucket</h2>
        <svg id="buckets" viewBox="0 0 320 220" role="img" aria-label="open findings by bucket"></svg></div>
    </div>
    <div class="card" style="margin-top:12px"><h2 style="font-size:13px;margin:0 0 8px;color:var(--muted)">SCAN COVERAGE</h2>
      <table><thead><tr><th>Kind</th><th>Repositories with a scan in the window</th><th>Coverage</th></tr></thead>
      <tbody id="coverage"></tbody></table>
      <p class="note" style="color:var(--muted);font-size:12px"><span data-kpi="coverage.repositories"></span> repositories seen · generated <span data-kpi="generatedAt" data-format="text"></span></p></div>
  </section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function get(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}
// The one formatting of every number, shared with the tests through data-format.
function format(value, kind) {
  if (value === null || value === undefined) return "–";
  if (kind === "text") return String(value);
  if (kind === "percent") return (value * 100).toFixed(1) + "%";
  if (kind === "days") return value.toFixed(2) + " d";
  if (kind === "round") return String(Math.round(value));
  return String(value);
}
function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawTrend(series) {
  const svg = $("trend");
  svg.replaceChildren();
  const W = 640, H = 220, L = 40, R = 10, T = 10, B = 30;
  const max = Math.max(1, ...series.flatMap((d) => [d.open, d.fixed, d.exploitable]));
  const x = (i) => L + (series.length <= 1 ? 0 : (i * (W - L - R)) / (series.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  for (let g = 0; g <= 4; g++) {
    const v = Math.round((max * g) / 4);
    svg.append(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e5e7eb" }));
    svg.append(el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  const step = Math.max(1, Math.ceil(series.length / 6));
  series.forEach((d, i) => {
    if (i % step === 0 || i === series.length - 1)
      svg.append(el("text", { x: x(i), y: H - 10, "text-anchor": i === series.length - 1 ? "end" : "middle" }, d.date.slice(5)));
  });
  for (const [key, color] of [["open", "var(--open)"], ["fixed", "var(--fixed)"], ["exploitable", "var(--expl)"]]) {
    const points = series.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(" ");
    svg.append(el("polyline", { points, fill: "none", stroke: color, "stroke-width": 2, "data-series": key }));
  }
}

function drawBuckets(byBucket) {
  const svg = $("buckets");
  svg.replaceChildren();
  const order = ["immediate", "out-of-cycle", "scheduled", "defer"];
  const names = [...order.filter((b) => b in byBucket), ...Object.keys(byBucket).filter((b) => !order.includes(b))];
  const colors = { immediate: "#b91c1c", "out-of-cycle": "#c2410c", scheduled: "#ca8a04", defer: "#64748b" };
  if (names.length === 0) {
    svg.append(el("text", { x: 160, y: 110, "text-anchor": "middle" }, "no open findings"));
    return;
  }
  const max = Math.max(1, ...names.map((n) => byBucket[n]));
  const rowH = Math.min(40, 200 / names.length);
  names.forEach((n, i) => {
    const yy = 10 + i * rowH, w = (byBucket[n] / max) * 170;
    svg.append(el("text", { x: 90, y: yy + rowH / 2 + 4, "text-anchor": "end" }, n));
    svg.append(el("rect", { x: 96, y: yy + 4, width: Math.max(w, 1), height: rowH - 8, rx: 3,
                            fill: colors[n] || "#1d4ed8", "data-bucket": n }));
    svg.append(el("text", { x: 100 + w, y: yy + rowH / 2 + 4, "data-bucket-count": n }, String(byBucket[n])));
  });
}

function render(k) {
  for (const node of document.querySelectorAll("[data-kpi]"))
    node.textContent = format(get(k, node.dataset.kpi), node.dataset.format);
  drawTrend(k.series || []);
  drawBuckets((k.risk && k.risk.byBucket) || {});
  const body = $("coverage");
  body.replaceChildren();
  for (const [kind, c] of Object.entries((k.coverage && k.coverage.byKind) || {})) {
    const tr = document.createElement("tr");
    tr.dataset.coverage = kind;
    for (const [text, path, fmt] of [[kind], [null, `coverage.byKind.${kind}.covered`], [null, `coverage.byKind.${kind}.rate`, "percent"]]) {
      const td = document.createElement("td");
      if (path) { td.dataset.kpi = path; if (fmt) td.dataset.format = fmt; td.textContent = format(get(k, path), fmt); }
      else td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  $("report").hidden = false;
}

async function load() {
  const project = sessionStorage.getItem("aspm.project"), token = sessionStorage.getItem("aspm.token");
  const days = sessionStorage.getItem("aspm.days") || "30";
  if (!project || !token) return;
  const status = $("status");
  status.className = "";
  status.textContent = `Loading ${project}…`;
  try {
    const res = await fetch(`v1/projects/${encodeURIComponent(project)}/kpis?days=${encodeURIComponent(days)}`,
                            { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, cache: "no-store" });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${res.status}: ${body.error || res.statusText}`);
    render(body);
    status.textContent = `Project ${body.project}, last ${body.days} days (since ${body.windowStart}).`;
    document.body.dataset.loaded = "true";
  } catch (e) {
    status.className = "error";
    status.textContent = `Cannot load the KPIs: ${e.message}`;
    $("report").hidden = true;
    document.body.dataset.loaded = "error";
  }
}

$("login").addEventListener("submit", (ev) => {
  ev.preventDefault();
  sessionStorage.setItem("aspm.project", $("project").value.trim());
  sessionStorage.setItem("aspm.token", $("token").value.trim());
  sessionStorage.setItem("aspm.days", $("days").value);
  load();
});
$("project").value = sessionStorage.getItem("aspm.project") || "";
$("token").value = sessionStorage.getItem("aspm.token") || "";
$("days").value = sessionStorage.getItem("aspm.days") || "30";
load();
</script>
</body>
</html>
)html";

}  // namespace

std::string_view dashboardHtml() { return kPage; }

}  // namespace aspm::store::server
