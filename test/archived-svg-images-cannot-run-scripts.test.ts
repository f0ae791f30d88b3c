import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { cli, FAST_FETCH, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const CHROMIUM = "/usr/bin/chromium";
const routes: Routes = new Map();
let site: TestServer;
const dirs: string[] = [];

before(async () => {
  site = await serveHttp(routeHandler(routes));
});
after(async () => {
  await site.close();
  for (const d of dirs) removeDir(d);
});

test("SVG-E01: an archived SVG is stored without its scripts and handlers, and its record keeps the original's sha256", async () => {
  const original = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('${site.url}/stolen')"><script>document.title='pwned'</script><circle r="4"/></svg>`,
  );
  routes.set("/chart.svg", { body: original, type: "image/svg+xml" });
  routes.set("/svg.xml", {
    type: "application/rss+xml",
    body: rss([
      { title: "图表", link: `${site.url}/news/svg`, description: `<img src="${site.url}/chart.svg">` },
    ]),
  });
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}sources:\n  - { id: svg, name: Svg, url: "${site.url}/svg.xml", images: archive }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  const record = readImageManifest(dir).get(`${site.url}/chart.svg`);
  assert.equal(record?.status, "ok", record?.error);
  assert.equal(record?.sha256, createHash("sha256").update(original).digest("hex"));
  assert.equal(record?.type, "image/svg+xml");
  const stored = readFileSync(join(dir, record?.file ?? "-"), "utf8");
  assert.ok(!/script|onload|fetch/.test(stored), stored);
  assert.match(stored, /<circle r="4">/);
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  // Opened directly in a browser, the original runs its script; the stored copy does not.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const raw = join(dir, "original.svg");
    writeFileSync(raw, original);
    await page.goto(pathToFileURL(raw).href);
    assert.equal(await page.evaluate(() => document.title), "pwned", "the original would run");
    await page.goto(pathToFileURL(join(dir, record?.file ?? "-")).href);
    assert.equal(await page.evaluate(() => document.title), "");
    assert.equal(
      await page.evaluate(() => document.querySelectorAll("circle").length),
      1,
      "the drawing is there",
    );
    const stolen = site.hits.filter((h) => h === "/stolen").length;
    await page.close();
    assert.equal(site.hits.filter((h) => h === "/stolen").length, stolen, "the stored copy sent nothing");
  } finally {
    await browser.close();
  }
});
