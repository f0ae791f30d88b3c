/**
 * A reader's path through the built site in a real browser (Debian chromium driven by playwright-core):
 * the seed feed is archived from a loopback server (images included), the site is built and served,
 * and the reader searches, opens an article, sees its image from the site, and browses a source list,
 * without one request leaving the site. The same site opened from disk (file://) still renders.
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { runMain } from "../src/cli/main.js";
import { loadConfig } from "../src/config/index.js";
import { buildSite } from "../src/publish/site/index.js";
import { type RunningServer, startServer } from "../src/publish/site/serve.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { SEED } from "./support/fixtures.js";
import { type Handler, serveHttp, type TestServer } from "./support/http.js";
import { writeConfig } from "./support/site.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
/** A 2×2 red PNG: the archived copy of every seed image. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

let dir: string | undefined;
let feedServer: TestServer | undefined;
let site: RunningServer | undefined;
let mirror: TestServer | undefined;
let mirrorUrl: string;
let browser: Browser | undefined;

/**
 * A plain static server that serves the built site under /mirror/, as a mirror on a subpath of a
 * static host would: no directory index except index.html, no API, nothing outside the folder.
 */
function staticMirror(root: string): Handler {
  return (req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] as string);
    const rel = path.startsWith("/mirror/") ? path.slice("/mirror/".length) : undefined;
    const file =
      rel === undefined
        ? undefined
        : resolve(root, rel === "" || rel.endsWith("/") ? `${rel}index.html` : rel);
    if (file === undefined || !file.startsWith(`${root}/`) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const types: Record<string, string> = {
      html: "text/html; charset=utf-8",
      js: "text/javascript; charset=utf-8",
      css: "text/css; charset=utf-8",
      svg: "image/svg+xml",
      png: "image/png",
    };
    res.writeHead(200, { "content-type": types[file.split(".").pop() ?? ""] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  };
}

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
  await site.ready;
  mirror = await serveHttp(staticMirror(join(dir, "site")));
  mirrorUrl = `${mirror.url}/mirror/`;
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

// Runs even when set-up failed half-way: every server and the browser are closed, so the process exits.
after(async () => {
  await browser?.close().catch(() => undefined);
  await site?.close();
  await feedServer?.close();
  await mirror?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every URL the page requests, to prove none leaves the site. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}

test("a reader searches the site in the browser, reads the seed article with its archived image, and nothing leaves the site", async (t) => {
  if (!browser || !site) {
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
  if (!browser || !dir) {
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

/**
 * Requests that failed or answered an error, which a reader would see as a broken page. A request the
 * browser itself cancelled because the page moved on (net::ERR_ABORTED, e.g. the favicon of a page left
 * at once) broke nothing, and whether it happens depends on timing, so it is not counted.
 */
function recordFailures(page: Page): string[] {
  const failed: string[] = [];
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    if (why !== "net::ERR_ABORTED") failed.push(`${r.url()} ${why}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`);
  });
  return failed;
}

test("BRW-03: with no server, 臺灣 finds the seed article by its body, with the match marked in the snippet", async (t) => {
  if (!browser || !dir) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const failed = recordFailures(page);
  await page.goto(pathToFileURL(join(dir, "site", "index.html")).href);
  // By keyboard only: the skip link comes first, then the site links, then the search box.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "skip");
  await page.focus('input[name="q"]');
  await page.keyboard.type("臺灣");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#results li a");
  const titles = await page.locator("#results li a").allTextContents();
  assert.ok(
    titles.some((x) => x.startsWith("中国防长李尚福会见俄罗斯海军总司令")),
    titles.join(" | "),
  );
  await page.screenshot({ path: join(ARTIFACTS, "search-file-phone.png"), fullPage: true });
  // Latin words whole and case-insensitive, through the same tokenizer.
  await page.goto(
    `${pathToFileURL(join(dir, "site", "search.html")).href}?q=${encodeURIComponent("國防部 台灣")}`,
  );
  await page.waitForSelector("#results li a");
  assert.deepEqual(failed, []);
  await page.close();
});

test("BRW-04: from a subpath of a plain static host, on a phone, search, filters and every page load without a failed request", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true });
  const failed = recordFailures(page);
  await page.goto(mirrorUrl);
  assert.equal(await page.locator("html").getAttribute("lang"), "zh-Hans");
  await page.goto(`${mirrorUrl}search.html?q=${encodeURIComponent("台湾")}`);
  await page.waitForSelector("#results li a");
  assert.ok((await page.locator("#results mark").count()) > 0, "matches are marked");
  await page.screenshot({ path: join(ARTIFACTS, "search-mirror-phone.png"), fullPage: true });
  // A source that does not exist filters everything out; a date range after the seed does too.
  await page.goto(`${mirrorUrl}search.html?q=${encodeURIComponent("台湾")}&from=2099-01-01`);
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "没有找到。");
  await page.goto(`${mirrorUrl}search.html?q=${encodeURIComponent("台湾")}&source=voa&to=2099-01-01`);
  await page.waitForSelector("#results li a");
  assert.deepEqual(failed, []);
  // The favicon every page names is there (its request may have been cancelled by a navigation above).
  assert.equal((await page.request.get(`${mirrorUrl}favicon.svg`)).status(), 200);
  await page.close();
});

test("BRW-05: an article left out by site.maxBytes is still found by search, linked to its file in the repository", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "newsark-brw-cap-"));
  try {
    mkdirSync(join(root, "articles", "voa"), { recursive: true });
    for (let n = 1; n <= 3; n++)
      writeFileSync(
        join(root, "articles", "voa", `${n}.md`),
        formatArticle({
          published: Date.UTC(2025, 2, 1) + n * 3_600_000,
          title: `第${n}篇新闻`,
          url: `https://www.voachinese.com/a/${n}.html`,
          content: `<p>${n === 1 ? "乌鲁木齐" : "别的城市"}的报道。</p>`,
        }),
      );
    const repo = "https://github.com/owner/repo/blob/main/";
    // Too small for any article page: every article links to its file.
    const config = writeConfig(root, [["voa", "美国之音"]], `site:\n  maxBytes: 1KB\n  repoUrl: ${repo}\n`);
    await buildSite(config, join(root, "site"));
    const page = await browser.newPage();
    await page.goto(
      `${pathToFileURL(join(root, "site", "search.html")).href}?q=${encodeURIComponent("乌鲁木齐")}`,
    );
    await page.waitForSelector("#results li a");
    assert.deepEqual(
      await page.locator("#results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
      [`${repo}articles/voa/1.md`],
    );
    await page.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("BRW-06: after hourly builds, a one-character query finds new titles, and an edited title only by its new words", async (t) => {
  if (!browser) {
    t.skip("chromium is not installed (apt-get install -y chromium)");
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "newsark-brw-titles-"));
  const write = (n: number, title: string) =>
    writeFileSync(
      join(root, "articles", "voa", `${n}.md`),
      formatArticle({
        published: Date.UTC(2025, 2, 1) + n * 3_600_000,
        title,
        url: `https://www.voachinese.com/a/${n}.html`,
        content: "<p>正文。</p>",
      }),
    );
  const page = await browser.newPage();
  const failed = recordFailures(page);
  /** Titles of the results for `q`, from the site opened from disk. */
  const search = async (q: string) => {
    await page.goto(`${pathToFileURL(join(root, "site", "search.html")).href}?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => !/搜索中/.test(document.getElementById("status")?.textContent ?? "…"));
    return page.locator("#results li a").allTextContents();
  };
  try {
    mkdirSync(join(root, "articles", "voa"), { recursive: true });
    for (let n = 1; n <= 3; n++) write(n, `第${n}篇新闻`);
    const config = writeConfig(root, [["voa", "美国之音"]]);
    await buildSite(config, join(root, "site"));
    // Each hourly build puts its new titles in a title segment of their own.
    write(4, "翡翠的报道");
    await buildSite(config, join(root, "site"));
    write(5, "琥珀的报道");
    await buildSite(config, join(root, "site"));
    assert.deepEqual(readdirSync(join(root, "site", "search", "t")).sort(), ["1", "2"]);
    assert.deepEqual(await search("翡"), ["翡翠的报道"]);
    assert.deepEqual((await search("报")).sort(), ["琥珀的报道", "翡翠的报道"]);
    assert.deepEqual(await search("新闻"), ["第3篇新闻", "第2篇新闻", "第1篇新闻"]);
    // An edit gives the article a new id in a new segment; its old id still in an older segment is skipped.
    write(4, "玛瑙的报道");
    await buildSite(config, join(root, "site"));
    assert.deepEqual(await search("翡"), []);
    assert.deepEqual(await search("瑙"), ["玛瑙的报道"]);
    assert.deepEqual(failed, []);
  } finally {
    await page.close();
    rmSync(root, { recursive: true, force: true });
  }
});
