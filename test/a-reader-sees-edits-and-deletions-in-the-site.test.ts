/**
 * A reader's view of what `check` found, in a real browser from disk (file://) on a phone: the newer
 * version of an edited article marks the changed characters, the edits page lists it, and the
 * deletions page lists the article that `check` found gone, with a feed that feedparser reads cleanly.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { readSourceState } from "../src/store/files/state.js";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
const routes: Routes = new Map();
let origin: TestServer | undefined;
let browser: Browser | undefined;
let dir: string | undefined;

const text = (s: string) =>
  `<div class="story"><p>${s}</p><p>${"这一段没有改动，读者不必再读一遍。".repeat(8)}</p></div>`;

before(async () => {
  origin = await serveHttp(routeHandler(routes));
  const url = origin.url;
  for (const p of ["gone", "edited", "alive"])
    routes.set(`/a/${p}`, { body: text(`美国之音${p}报道：国防部长李尚福今天会见俄罗斯海军总司令。`) });
  routes.set("/feed.xml", {
    type: "application/rss+xml",
    body: rss(
      ["gone", "edited", "alive"].map((p, i) => ({
        title: `文章${p}`,
        link: `${url}/a/${p}`,
        guid: p,
        pubDate: new Date(Date.now() - (i + 1) * 3_600_000).toUTCString(),
        description: "<p>摘要</p>",
      })),
    ),
  });
  dir = tempDir();
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\nfetch:\n  retries: 0\n  timeout: { connect: 2s, headers: 2s, body: 2s }\n` +
      `sources:\n  - { id: rfa, name: 自由亚洲, url: "${url}/feed.xml", fulltext: { selector: ".story" } }\n`,
  );
  assert.equal((await cli(dir, "run")).code, 0);
  routes.delete("/a/gone");
  routes.set("/a/edited", { body: text("美国之音edited报道：国防部长李尚富昨天会见俄罗斯海军总司令。") });
  const checked = await cli(dir, "check", "--since", "30d", "--json");
  assert.equal(checked.code, 0, checked.err);
  const build = await cli(dir, "build");
  assert.equal(build.code, 0, build.err);
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

// Runs even when set-up failed half-way, so no server or browser outlives the test.
after(async () => {
  await browser?.close().catch(() => undefined);
  await origin?.close();
  if (dir) removeDir(dir);
});

function articleFile(title: string): string {
  const state = readSourceState(dir as string, "rfa");
  const record = state?.records.find((r) => r.title === title);
  assert.ok(record, title);
  return join(dir as string, "site", "a", "rfa", `${record.n}.html`);
}

test("SITE-E01: the newer version of an edited article marks the changed characters, and the edits page lists it", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(pathToFileURL(articleFile("文章edited")).href);
  // 李尚福今天 → 李尚富昨天: only the two changed characters are marked, not the sentence.
  assert.deepEqual(await page.locator(".changes .diff del").allTextContents(), ["福今"]);
  assert.deepEqual(await page.locator(".changes .diff ins").allTextContents(), ["富昨"]);
  await page.screenshot({ path: join(ARTIFACTS, "edited-article-phone.png"), fullPage: true });
  await page.goto(pathToFileURL(join(dir as string, "site", "edited.html")).href);
  assert.deepEqual(await page.locator("ul.list li a").allTextContents(), ["文章edited"]);
  await page.close();
});

test("SITE-E02: the deletions page lists the article check found gone, and its feeds parse in feedparser", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const site = join(dir as string, "site");
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(pathToFileURL(join(site, "index.html")).href);
  await page.click('a[href="gone.html"]');
  assert.deepEqual(await page.locator("ul.list li > a").allTextContents(), ["文章gone"]);
  assert.match(
    (await page.locator("ul.list li").textContent()) ?? "",
    /存档 .*发现原文已删除 .*HTTP 404\/410/,
  );
  await page.screenshot({ path: join(ARTIFACTS, "deletions-phone.png"), fullPage: true });
  await page.close();
  const feeds = readdirSync(join(site, "feeds"))
    .filter((f) => f.startsWith("gone") && !f.endsWith(".json"))
    .map((f) => join(site, "feeds", f));
  assert.equal(feeds.length, 4);
  const script = `
import feedparser, sys
for path in sys.argv[1:]:
    d = feedparser.parse(open(path, "rb").read())
    assert d.bozo == 0, (path, repr(d.get("bozo_exception")))
    assert [e.title for e in d.entries] == ["原文已删除：文章gone"], (path, [e.title for e in d.entries])
print("ok")
`;
  try {
    execFileSync("/usr/bin/python3", ["-c", "import feedparser"], { stdio: "ignore" });
  } catch {
    if (process.env.CI) assert.fail("python3-feedparser is missing (apt-get install -y python3-feedparser)");
    t.skip("python3-feedparser is not installed");
    return;
  }
  assert.match(execFileSync("/usr/bin/python3", ["-c", script, ...feeds], { encoding: "utf8" }), /ok/);
});
