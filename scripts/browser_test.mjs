// Drives `stabsim serve` in headless Chromium (playwright-core, the
// system's Chromium): picks a scenario, moves a lever, runs days, compares
// two mandates, steps back in time and runs again from an earlier day,
// runs an ensemble, exports the TOML, checks a refused
// setting, measures the map's frames per second and takes screenshots.
// Usage: node browser_test.mjs URL  (see browser_test.sh)
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const url = process.argv[2];
const shots = process.env.SHOTS_DIR || "/tmp/stabsim-browser-test";
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(shots, { recursive: true });

const failures = [];
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "stabsim-chromium-")), {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1500, height: 1000 },
  acceptDownloads: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
// Refused requests (the bad lever below, the favicon) log "Failed to load
// resource"; anything else on the console is a script error.
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
});
const lever = (arm, key) => `[id="lever-${arm}-mission.mandate.${key}"]`;
const text = (sel) => page.locator(sel).innerText();

try {
  await page.goto(url);
  await page.waitForSelector("#levers .lever");
  check((await page.locator("#levers .lever").count()) >= 20, "the lever table is shown");
  check((await text("#levers")).includes("multiplier"), "levers show their unit");

  // Pick a scenario, move a lever, add a second mandate.
  await page.selectOption("#scenario", "gaza/baseline");
  // Its levers loaded (typing before they arrive would be undone).
  await page.waitForFunction(() => window.stabsim.leversFor === "gaza/baseline");
  await page.fill("#days", "400");
  await page.fill(lever(0, "force_scale"), "1.5");
  await page.check("#compare");
  await page.fill(lever(1, "force_scale"), "0.5");
  await page.selectOption(lever(1, "disarmament"), "forced");
  await page.click("#start");
  await page.waitForFunction(() => /Day 0 of 400/.test(document.querySelector("#status").textContent));
  check(await page.locator("#mapB").isVisible(), "the second mandate's map is shown");

  // Step, then run as fast as it goes and measure the map's frame rate.
  await page.click("#step");
  await page.waitForFunction(() => window.stabsim.lastDay >= 1);
  // At 30 days per second, then as fast as the server steps.
  // The window is 3 s, or until the run's last day if that comes first: on
  // a fast machine the server steps the rest of the run within seconds at
  // full speed, and a window after the last day would count no days.
  const measure = async (speed, settle) => {
    await page.selectOption("#speed", speed);
    await page.waitForTimeout(settle);
    const t0 = Date.now();
    const d0 = await page.evaluate(() => window.stabsim.lastDay);
    await page
      .waitForFunction(() => window.stabsim.lastDay >= 400, null, { timeout: 3000 })
      .catch(() => {});
    const r = await page.evaluate(() => ({ fps: window.stabsim.fps, day: window.stabsim.lastDay }));
    return { fps: r.fps, daysPerSecond: ((r.day - d0) * 1000) / Math.max(1, Date.now() - t0), days: r.day - d0 };
  };
  await page.click("#play");
  const perf = { at30: await measure("30", 1200), atMax: await measure("0", 200) };
  for (const [k, p] of Object.entries(perf)) {
    console.log(`map (${k}): ${p.fps.toFixed(1)} frames per second, ${p.daysPerSecond.toFixed(1)} days per second over ${p.days} days (two mandates, Gaza)`);
  }
  check(perf.at30.fps >= 20 && perf.atMax.fps >= 20, "the map draws at >= 20 frames per second");
  await page.waitForFunction(() => window.stabsim.lastDay >= 400, null, { timeout: 240000 });
  check((await text("#status")).includes("Day 400 of 400"), "the run reaches its last day");
  const summary = await text("#summary");
  check(summary.includes("B − A") && summary.includes("civilian deaths so far"), "the summary shows both mandates and their difference");
  const log = await page.locator("#log li").count();
  console.log(`narrative log: ${log} lines`);
  check(log > 0, "the narrative log says what happened");
  const inked = await page.evaluate(() => {
    const c = document.getElementById("chartViolence");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
    return n;
  });
  check(inked > 2000, "the violence chart is drawn");
  await page.screenshot({ path: join(shots, "page-agents.png"), fullPage: true });
  for (const overlay of ["control", "trust", "incidents", "terrain"]) {
    await page.selectOption("#overlay", overlay);
    await page.waitForTimeout(200);
    await page.locator("#view").screenshot({ path: join(shots, `map-${overlay}.png`) });
  }

  // Step back in time: the slider to day 150, then one day back; the map,
  // summary and log show that day; then run again from there (the server
  // re-runs from day 0 on the same seed) and get the same days.
  await page.selectOption("#overlay", "agents");
  const before = await page.evaluate(() => {
    const s = window.stabsim;
    const sum = (a) => Array.from(a).reduce((x, y) => (x * 31 + y) >>> 0, 7);
    return { rows: s.history.map((h) => JSON.stringify(h.slice(140, 201))), map150: sum(s.maps[0][150].cells),
      map400: sum(s.maps[0][400].cells), incidentsSoFar: s.history[0][149][s.names.indexOf("cumulative_incidents")] };
  });
  await page.locator("#scrub").fill("150");
  await page.waitForFunction(() => /Day 150 of 400, stepped back/.test(document.querySelector("#status").textContent));
  await page.click("#back");
  await page.waitForFunction(() => /Day 149 of 400, stepped back/.test(document.querySelector("#status").textContent));
  const shown = await page.evaluate(() => {
    const row = [...document.querySelectorAll("#summary tr")].find((tr) => tr.children[0].textContent === "incidents so far");
    const days = [...document.querySelectorAll("#log li")].map((li) => Number((li.textContent.match(/Day (\d+)/) || [0, -1])[1]));
    return { incidentsSoFar: row.children[1].textContent, logMax: Math.max(...days), logLines: days.length };
  });
  check(shown.incidentsSoFar === before.incidentsSoFar.toLocaleString("en-GB"), `stepped back, the summary shows day 149 (incidents so far ${shown.incidentsSoFar})`);
  check(shown.logLines > 0 && shown.logMax <= 149, `stepped back, the log ends at day 149 (latest line: day ${shown.logMax})`);
  await page.locator("#view").screenshot({ path: join(shots, "view-stepped-back.png") });
  // The README's picture (docs/images/serve.png): the top of the page.
  await page.screenshot({ path: join(shots, "readme.png") });
  await page.locator("#side").screenshot({ path: join(shots, "side-stepped-back.png") });
  await page.click("#forward");
  await page.waitForFunction(() => /Day 150 of 400, stepped back/.test(document.querySelector("#status").textContent));
  const mapShown = await page.evaluate(() => {
    const c = document.getElementById("mapA");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    return Array.from(px).reduce((x, y) => (x * 31 + y) >>> 0, 7);
  });
  await page.click("#live");
  await page.waitForFunction(() => /^Day 400 of 400/.test(document.querySelector("#status").textContent));
  const mapLive = await page.evaluate(() => {
    const c = document.getElementById("mapA");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    return Array.from(px).reduce((x, y) => (x * 31 + y) >>> 0, 7);
  });
  check(mapShown !== mapLive && before.map150 !== before.map400, "the map of day 150 differs from the newest day's");
  await page.locator("#scrub").fill("140");
  await page.waitForFunction(() => window.stabsim.view === 140);
  await page.selectOption("#speed", "0");
  const rewinds = await page.evaluate(() => window.stabsim.rewinds);
  await page.click("#play");
  // Day 140 came back from the server (a re-run), then the days after it.
  await page.waitForFunction((r) => window.stabsim.rewinds > r && window.stabsim.view === null && window.stabsim.lastDay >= 200,
    rewinds, { timeout: 240000 });
  await page.click("#pause");
  const after = await page.evaluate(() => {
    const s = window.stabsim;
    const sum = (a) => Array.from(a).reduce((x, y) => (x * 31 + y) >>> 0, 7);
    return { rows: s.history.map((h) => JSON.stringify(h.slice(140, 201))), map150: sum(s.maps[0][150].cells) };
  });
  check(after.rows[0] === before.rows[0] && after.rows[1] === before.rows[1] && after.map150 === before.map150,
    "run again from day 140: days 140-200 and day 150's map are the days first shown");

  // Reset goes back to day 0.
  await page.click("#reset");
  await page.waitForFunction(() => window.stabsim.lastDay === 0);
  check(true, "reset returns to day 0");

  // Ensemble in the background.
  await page.fill("#days", "60");
  await page.fill("#replicates", "4");
  await page.click("#ensemble");
  await page.waitForFunction(() => /over 4 replicates/.test(document.querySelector("#ensembleNote").textContent), null, { timeout: 240000 });
  check(true, "the ensemble shows bands");
  await page.locator("#side").screenshot({ path: join(shots, "side.png") });

  // Export the settings as a scenario file.
  const download = page.waitForEvent("download");
  await page.click("#export");
  const file = await download;
  await page.waitForFunction(() => document.querySelector("#exported").textContent.includes("[mission.mandate]"));
  const exported = await text("#exported");
  check(exported.includes("force_scale = 1.5") && exported.includes("seed = 2026"), "the export holds the lever and the seed");
  await file.saveAs(join(shots, "exported.toml"));
  writeFileSync(join(shots, "exported-shown.toml"), exported);

  // A malformed upload: the loader's located message on the page.
  await page.setInputFiles("#upload", { name: "mine.toml", mimeType: "text/plain",
    buffer: Buffer.from('name = "mine"\n[run]\nticks = -3\n') });
  await page.waitForFunction(() => document.querySelector("#error").textContent.includes("mine.toml:3:"));
  check(true, `a malformed upload shows the located message (${(await text("#error")).split("\n")[0]})`);

  // A refused setting: the server's message on the page.
  await page.fill(lever(0, "force_scale"), "11");
  await page.click("#start");
  await page.waitForSelector("#error:not([hidden])");
  const err = await text("#error");
  check(err.includes("mission.mandate.force_scale") && err.includes("expected"), `a bad lever shows the located message (${err})`);
  await page.screenshot({ path: join(shots, "page-error.png") });
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
  writeFileSync(join(shots, "perf.json"), JSON.stringify(perf, null, 1));
} catch (e) {
  failures.push(String(e));
  console.log(`FAIL ${e}`);
  // Where it stopped: the line of this script that waited, and the page.
  const at = String(e.stack || "").split("\n").find((l) => l.includes("browser_test.mjs"));
  console.log(`     at ${at ? at.trim() : "an unknown line"}`);
  const state = await page
    .evaluate(() => ({ status: document.querySelector("#status")?.textContent, lastDay: window.stabsim?.lastDay, view: window.stabsim?.view }))
    .catch(() => ({}));
  console.log(`     page: ${JSON.stringify(state)}`);
  await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
} finally {
  await context.close();
}
console.log(failures.length ? `browser test: ${failures.length} failed` : `browser test: all passed; screenshots in ${shots}`);
process.exit(failures.length ? 1 : 0);
