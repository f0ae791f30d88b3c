import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { cli, FAST_FETCH, jpeg, png, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

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

function archive(feed: string, extra = ""): string {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}${extra}sources:\n  - { id: img, name: Img, url: "${site.url}${feed}", images: archive }\n`,
  );
  return dir;
}

function imageFiles(dir: string): string[] {
  const root = join(dir, "images");
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => `images/${d.name}/${f}`))
    .sort();
}

test("IMG-E01: images are stored content-addressed, two URLs with the same bytes give one file, articles keep their src", async () => {
  const same = png("same");
  routes.set("/a.png", { body: same, type: "image/png" });
  routes.set("/copy-of-a.png", { body: same, type: "image/png" });
  routes.set("/b.jpg", { body: jpeg("b"), type: "image/jpeg" });
  const content = `<p>图</p><img src="${site.url}/a.png"><img src="/copy-of-a.png"><img data-src="${site.url}/b.jpg" src="/static/blank.gif">`;
  routes.set("/e01.xml", {
    type: "application/rss+xml",
    body: rss([{ title: "图片", link: `${site.url}/news/1`, description: content }]),
  });
  const dir = archive("/e01.xml");
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  const hex = createHash("sha256").update(same).digest("hex");
  const aFile = `images/${hex.slice(0, 2)}/${hex.slice(0, 32)}.png`;
  assert.equal(imageFiles(dir).length, 2);
  assert.ok(imageFiles(dir).includes(aFile));
  assert.deepEqual(readFileSync(join(dir, aFile)), same);
  const manifest = readImageManifest(dir);
  assert.equal(manifest.get(`${site.url}/a.png`)?.file, aFile);
  assert.equal(manifest.get(`${site.url}/copy-of-a.png`)?.file, aFile);
  assert.equal(manifest.get(`${site.url}/b.jpg`)?.status, "ok");
  assert.ok(!site.hits.includes("/static/blank.gif"), "lazy placeholders are not fetched");
  const text = readFileSync(join(dir, "articles/img/1048574.md"), "utf8");
  assert.ok(text.includes(`<img src="/copy-of-a.png">`), "the article's src is unchanged");
});

test("IMG-E02: a failing proxy falls back to the original image, and the original shares the proxy's copy", async () => {
  const original = jpeg("orig");
  routes.set("/gdb/photo.jpg", { body: original, type: "image/jpeg" });
  // The proxy root answers 502 for everything, as a blocked or overloaded images.weserv.nl does.
  const proxied = `${site.url}/?url=${encodeURIComponent(`${site.url}/gdb/photo.jpg`)}`;
  routes.set("/", { status: 502, body: "bad gateway" });
  routes.set("/e02.xml", {
    type: "application/rss+xml",
    body: rss([
      { title: "代理", link: `${site.url}/news/2`, guid: "p", description: `<img src="${proxied}">` },
      {
        title: "原图",
        link: `${site.url}/news/3`,
        guid: "o",
        description: `<img src="${site.url}/gdb/photo.jpg?x=1">`,
      },
    ]),
  });
  const dir = archive("/e02.xml");
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  const manifest = readImageManifest(dir);
  assert.equal(manifest.get(proxied)?.status, "ok", manifest.get(proxied)?.error);
  assert.equal(imageFiles(dir).length, 1);
});

test("IMG-E03: HTML error pages and oversized images are refused; failures are retried next run, even with nothing new", async () => {
  routes.set("/html.jpg", {
    body: "<!DOCTYPE html><html><body>Access denied</body></html>",
    type: "image/jpeg",
  });
  routes.set("/big.png", { body: png("big", 4096), type: "image/png" });
  routes.set("/later.png", { status: 503, body: "busy" });
  routes.set("/e03.xml", {
    type: "application/rss+xml",
    body: rss([
      {
        title: "失败",
        link: `${site.url}/news/4`,
        description: `<img src="${site.url}/html.jpg"><img src="${site.url}/big.png"><img src="${site.url}/later.png">`,
      },
    ]),
  });
  const dir = archive("/e03.xml", "images: { maxBytes: 1KB }\n");
  const first = await cli(dir, "run");
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /images: 3 of 3 could not be archived/);
  let manifest = readImageManifest(dir);
  assert.match(manifest.get(`${site.url}/html.jpg`)?.error ?? "", /not an image \(an HTML page\)/);
  assert.match(manifest.get(`${site.url}/big.png`)?.error ?? "", /over the limit of 1024 bytes/);
  assert.equal(manifest.get(`${site.url}/later.png`)?.tries, 1);
  routes.set("/later.png", { body: png("later"), type: "image/png" });
  const second = await cli(dir, "run", "--json");
  assert.equal(JSON.parse(second.out).sources[0].new, 0, "the feed had nothing new");
  manifest = readImageManifest(dir);
  assert.equal(manifest.get(`${site.url}/later.png`)?.status, "ok");
  assert.equal(manifest.get(`${site.url}/html.jpg`)?.tries, 2);
});

test("IMG-E04: images.maxPerRun bounds downloads over all sources; the rest follow on later runs", async () => {
  const items = [1, 2, 3].map((i) => ({
    title: `t${i}`,
    link: `${site.url}/news/m${i}`,
    description: `<img src="${site.url}/m${i}.png">`,
  }));
  for (const i of [1, 2, 3]) routes.set(`/m${i}.png`, { body: png(`m${i}`), type: "image/png" });
  routes.set("/e04.xml", { type: "application/rss+xml", body: rss(items) });
  const dir = archive("/e04.xml", "images: { maxPerRun: 2 }\n");
  const first = await cli(dir, "run");
  assert.match(first.out, /images: 1 left for later runs \(images.maxPerRun is 2\)/);
  const ok = () => [...readImageManifest(dir).values()].filter((m) => m.status === "ok").length;
  assert.equal(ok(), 2);
  await cli(dir, "run");
  assert.equal(ok(), 3);
});
