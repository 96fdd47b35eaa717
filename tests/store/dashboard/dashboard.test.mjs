// The KPI dashboard at `/` in headless Chromium against a real aspm-store: two scans are uploaded
// with a finding fixed between them (and a triage decision), the page is opened, a project and
// token typed in, and every number it renders is compared with the KPI API's reply for the same
// project. The charts are checked for their data (one trend point per day, one bar per bucket),
// the page must make no request outside the store, a wrong token must show the store's refusal,
// and a screenshot is saved.
//
//   node dashboard.test.mjs <aspm-store binary> <output directory>
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [storeBinary, outDir] = process.argv.slice(2);
if (!storeBinary || !outDir) {
  console.error("usage: node dashboard.test.mjs <aspm-store> <output directory>");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "aspm-dashboard-"));
const db = `sqlite:${join(work, "store.db")}`;
const project = "shop";
const token = execFileSync(storeBinary, ["token", "create", "--db", db, "--project", project, "--role", "security",
                                         "--name", "lead"]).toString().trim();

// Starts the store on a free port; resolves with its base URL once it prints "listening on".
function startStore() {
  const child = spawn(storeBinary, ["serve", "--db", db, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("aspm-store did not start within 20 s")), 20000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (\S+):(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: `http://127.0.0.1:${m[2]}` }); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`aspm-store exited with ${code}`)); });
  });
}

const finding = (id, kind, severity, bucket, riskScore, exploitable) =>
  ({ id, ruleId: `rule-${id}`, tool: "semgrep", kind, severity, bucket, riskScore, exploitable, path: `src/${id}.py` });

// The same rules as the page's format(); the test states them independently.
function expected(value, kind) {
  if (value === null || value === undefined) return "–";
  if (kind === "text") return String(value);
  if (kind === "percent") return (value * 100).toFixed(1) + "%";
  if (kind === "days") return value.toFixed(2) + " d";
  if (kind === "round") return String(Math.round(value));
  return String(value);
}
const get = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

const { child: store, url } = await startStore();
let browser;
try {
  const api = async (method, path, body) => {
    const res = await fetch(url + path, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
                                          body: body && JSON.stringify(body) });
    const json = await res.json();
    return { status: res.status, json };
  };
  let r = await api("POST", `/v1/projects/${project}/scans`, {
    revision: "1111111", kinds: ["sast", "sca"], repository: "web",
    findings: [finding("A", "sast", "critical", "immediate", 910, true), finding("B", "sast", "high", "out-of-cycle", 620, false),
               finding("C", "sca", "medium", "scheduled", 300, false), finding("D", "sast", "low", "defer", 40, false)] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  r = await api("POST", `/v1/projects/${project}/scans`, {
    revision: "2222222", kinds: ["sast"], repository: "web",
    findings: [finding("A", "sast", "critical", "immediate", 910, true), finding("D", "sast", "low", "defer", 40, false)] });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.fixed, 1, "B is fixed by the second scan");
  r = await api("PUT", `/v1/projects/${project}/decisions/D`, { status: "false_positive", reason: "test code" });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const kpis = (await api("GET", `/v1/projects/${project}/kpis?days=30`)).json;
  assert.equal(kpis.open, 3);
  assert.equal(kpis.fix.fixed, 1);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const foreign = [];
  page.on("request", (req) => { if (!req.url().startsWith(url)) foreign.push(req.url()); });
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  const res = await page.goto(url + "/");
  assert.equal(res.status(), 200);
  assert.match(res.headers()["content-type"], /text\/html/);
  await page.fill("#project", project);
  await page.fill("#token", token);
  await page.click("#load");
  await page.waitForSelector("body[data-loaded]", { timeout: 15000 });
  assert.equal(await page.getAttribute("body", "data-loaded"), "true", await page.textContent("#status"));

  // Every number on the page against the API.
  const shown = await page.$$eval("[data-kpi]", (nodes) =>
    nodes.map((n) => ({ path: n.dataset.kpi, format: n.dataset.format || "", text: n.textContent })));
  assert.ok(shown.length >= 25, `only ${shown.length} numbers rendered`);
  for (const s of shown) {
    if (s.path === "generatedAt") continue;  // the reply the page fetched is a moment later than ours
    assert.equal(s.text, expected(get(kpis, s.path), s.format), `rendered ${s.path}`);
  }
  // The headline figures, spelled out.
  const text = async (path) => page.textContent(`.value[data-kpi="${path}"]`);
  assert.equal(await text("open"), "3");
  assert.equal(await text("exploitableOpen"), "1");
  assert.equal(await text("fix.rate"), "25.0%");
  assert.equal(await text("falsePositive.rate"), "100.0%");
  assert.equal(await text("triage.rate"), "25.0%");
  assert.equal(await text("risk.sum"), "1250");
  assert.equal(await text("mttrDays.critical"), "–");
  assert.match(await text("mttrDays.high"), /^0\.00 d$/);

  // Charts: a point per day on each trend line, the last one today's numbers; a bar per bucket.
  const lines = await page.$$eval("#trend polyline", (ps) => ps.map((p) => ({ series: p.dataset.series, n: p.getAttribute("points").split(" ").length })));
  assert.deepEqual(lines.map((l) => l.series), ["open", "fixed", "exploitable"]);
  for (const l of lines) assert.equal(l.n, kpis.series.length);
  assert.equal(kpis.series.at(-1).open, 3);
  assert.equal(kpis.series.at(-1).fixed, 1);
  const bars = await page.$$eval("#buckets [data-bucket-count]", (ts) => Object.fromEntries(ts.map((t) => [t.dataset.bucketCount, Number(t.textContent)])));
  assert.deepEqual(bars, kpis.risk.byBucket);
  const coverage = await page.$$eval("#coverage tr", (rows) => rows.map((r) => r.dataset.coverage));
  assert.deepEqual(coverage, Object.keys(kpis.coverage.byKind));

  await page.screenshot({ path: join(outDir, "dashboard.png"), fullPage: true });

  // The project and token live in sessionStorage: a reload shows the numbers without typing.
  await page.reload();
  await page.waitForSelector("body[data-loaded]", { timeout: 15000 });
  assert.equal(await text("open"), "3");

  // A wrong token shows the store's refusal and no numbers.
  await page.fill("#token", "not-a-token");
  await page.click("#load");
  await page.waitForFunction(() => document.body.dataset.loaded === "error", null, { timeout: 15000 });
  assert.match(await page.textContent("#status"), /401/);
  assert.equal(await page.isHidden("#report"), true);

  assert.deepEqual(foreign, [], "the page requested something outside the store");
  assert.deepEqual(consoleErrors.filter((e) => !/401/.test(e)), []);
  console.log(`dashboard: ${shown.length} numbers match the API; screenshot ${join(outDir, "dashboard.png")}`);
} finally {
  if (browser) await browser.close();
  store.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
