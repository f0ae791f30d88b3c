/**
 * A reader's path through the built site in a real browser (Debian chromium driven by playwright-core):
 * the seed feed is archived from a loopback server (images included), the site is built and served,
 * and the reader searches, opens an article, sees its image from the site, and browses a source list,
 * without one request leaving the site. The same site opened from disk (file://) still renders.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { runMain } from "../src/cli/main.js";
import { loadConfig } from "../src/config/index.js";
import { type RunningServer, startServer } from "../src/publish/site/serve.js";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { SEED } from "./support/fixtures.js";
import { serveHttp, type TestServer } from "./support/http.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
/** A 2×2 red PNG: the archived copy of every seed image. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

let dir: string;
let feedServer: TestServer | undefined;
let site: RunningServer;
let browser: Browser | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "newsark-browser-"));
  // The seed feed as VOA's mirror serves it, with its images moved onto the same loopback server.
  const feeds = await serveHttp((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    if (path === "/voa.xml") {
      const xml = readFileSync(SEED.feed, "utf8").replace(
        /https:\/\/images\.weserv\.nl\?url=gdb\.voanews\.com\//g,
        `${feeds.url}/img/`,
      );
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(xml);
    } else if (path.startsWith("/img/")) {
      res.writeHead(200, { "content-type": "image/png", "content-length": PNG.length }).end(PNG);
    } else {
      res.writeHead(404).end();
    }
  });
  feedServer = feeds;
  writeFileSync(
    join(dir, "newsark.yaml"),
    `timezone: Asia/Shanghai\nallowNetworks: ["127.0.0.0/8"]\nsources:\n  - { id: voa, name: 美国之音, url: "${feeds.url}/voa.xml", images: archive }\n`,
  );
  let printed = "";
  const io = {
    stdout: (t: string) => (printed += t),
    stderr: (t: string) => (printed += t),
    isTTY: false,
    cwd: dir,
    env: {},
  };
  assert.equal(await runMain(["run", "--quiet"], io), 0, printed);
  const images = [...readImageManifest(dir).values()];
  assert.equal(images.length, 3, "every seed image is in the manifest");
  assert.ok(
    images.every((r) => r.status === "ok" && r.file),
    JSON.stringify(images),
  );
  // The feed server goes away: from here on the site must stand on its own.
  await feedServer.close();
  feedServer = undefined;
  site = await startServer(loadConfig(dir), { port: 0, host: "127.0.0.1", outDir: join(dir, "site") });
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-gpu",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await feedServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every URL the page requests, to prove none leaves the site. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}

test("a reader searches the site in the browser, reads the seed article with its archived image, and nothing leaves the site", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const origin = new URL(site.url).origin;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const requests = recordRequests(page);

  await page.goto(site.url);
  assert.equal(await page.locator("h1").textContent(), "新闻存档");
  await page.screenshot({ path: join(ARTIFACTS, "home.png"), fullPage: true });

  await page.fill('input[name="q"]', "李尚福");
  await page.press('input[name="q"]', "Enter");
  await page.waitForSelector("#results li a");
  const titles = await page.locator("#results li a").allTextContents();
  assert.equal(titles.length, 2, titles.join(" | "));
  assert.match((await page.locator("#status").textContent()) ?? "", /找到 2 条/);
  // Traditional characters find the simplified title through the shared tokenizer.
  await page.goto(`${site.url}search.html?q=${encodeURIComponent("國防")}`);
  await page.waitForSelector("#results li a");

  await page.goto(`${site.url}search.html?q=${encodeURIComponent("李尚福")}`);
  await page.click("#results li a >> text=俄白联盟秘书长");
  await page.waitForURL(/\/a\/voa\/1048573\.html$/);
  assert.match(
    (await page.locator(".content").textContent()) ?? "",
    /中国国防部长李尚福出访俄罗斯和白俄罗斯/,
  );
  const image = await page
    .locator(".content img")
    .first()
    .evaluate(async (img: HTMLImageElement) => {
      await img.decode().catch(() => undefined);
      return { width: img.naturalWidth, src: img.currentSrc };
    });
  assert.ok(image.width > 0, "the archived image loaded");
  assert.ok(image.src.startsWith(`${origin}/images/`), image.src);
  await page.screenshot({ path: join(ARTIFACTS, "article.png"), fullPage: true });

  await page.click(".crumb a");
  await page.waitForURL(/\/s\/voa\/index\.html$/);
  assert.equal(await page.locator("ul.list li").count(), 2);

  assert.ok(requests.length > 5);
  const outside = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:"));
  assert.deepEqual(outside, []);
  await page.close();
});

test("the site opened from disk (file://) renders the article and searches", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const out = join(dir, "site");
  const page = await browser.newPage();
  const requests = recordRequests(page);
  await page.goto(pathToFileURL(join(out, "a", "voa", "1048573.html")).href);
  assert.match((await page.locator("h1").textContent()) ?? "", /俄白联盟秘书长称李尚福到访/);
  assert.match(
    (await page.locator(".content").textContent()) ?? "",
    /中国国防部长李尚福出访俄罗斯和白俄罗斯/,
  );
  // The stylesheet applies (relative link from a file:// page).
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).maxWidth), "736px");
  const width = await page
    .locator(".content img")
    .first()
    .evaluate(async (img: HTMLImageElement) => {
      await img.decode().catch(() => undefined);
      return img.naturalWidth;
    });
  assert.ok(width > 0, "the archived image loads from disk");
  // Search loads its shards as classic scripts, which file:// pages allow.
  await page.goto(`${pathToFileURL(join(out, "search.html")).href}?q=${encodeURIComponent("李尚福")}`);
  await page.waitForSelector("#results li a");
  assert.equal(await page.locator("#results li a").count(), 2);
  assert.deepEqual(
    requests.filter((u) => !u.startsWith("file://") && !u.startsWith("data:")),
    [],
  );
  await page.close();
});
