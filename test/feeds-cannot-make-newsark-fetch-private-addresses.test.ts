import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseArticle } from "../src/store/files/article-format.js";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { cli, FAST_FETCH, png, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

// The feed host is allowed (127.0.0.1/32); `inside` on 127.0.0.2 stands for a service on the user's network.
const routes: Routes = new Map();
let site: TestServer;
let inside: TestServer;
const dirs: string[] = [];

before(async () => {
  site = await serveHttp(routeHandler(routes));
  inside = await serveHttp(
    (_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(png("secret")),
    "127.0.0.2",
  );
});
after(async () => {
  await site.close();
  await inside.close();
  for (const d of dirs) removeDir(d);
});

test("SSRF-E01: article pages and images pointing at a forbidden address, other schemes or redirects into it are refused", async () => {
  const secret = `${inside.url}/admin`;
  routes.set("/to-inside.html", { status: 302, location: `${inside.url}/page` });
  routes.set("/img-redirect.png", { status: 302, location: `${inside.url}/img.png` });
  const content =
    `<p>图</p><img src="${inside.url}/direct.png"><img src="${site.url}/img-redirect.png">` +
    '<img src="file:///etc/passwd"><img src="javascript:alert(1)"><img src="ftp://ftp.test/x.png">' +
    '<img src="data:image/png;base64,iVBORw0KGgo=">';
  routes.set("/feed.xml", {
    type: "application/rss+xml",
    body: rss([
      { title: "直连", link: secret, guid: "a", description: content },
      { title: "跳转", link: `${site.url}/to-inside.html`, guid: "b", description: "<p>跳转</p>" },
      { title: "文件", link: "file:///etc/passwd", guid: "c", description: "<p>文件</p>" },
    ]),
  });
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}sources:\n  - { id: s, name: S, url: "${site.url}/feed.xml", fulltext: readability, images: archive }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(inside.hits, [], "nothing reached the forbidden listener");
  assert.match(r.out, /fulltext: .*127\.0\.0\.2.*is not allowed/);
  const manifest = readImageManifest(dir);
  const error = (url: string) => manifest.get(url)?.error ?? "";
  assert.match(error(`${inside.url}/direct.png`), /address 127\.0\.0\.2 is not allowed/);
  assert.match(error(`${site.url}/img-redirect.png`), /redirected to .*127\.0\.0\.2.*not allowed/);
  assert.match(error("file:///etc/passwd"), /scheme file: is not allowed/);
  assert.match(error("javascript:alert(1)"), /scheme javascript: is not allowed/);
  assert.match(error("ftp://ftp.test/x.png"), /scheme ftp: is not allowed/);
  assert.ok(
    ![...manifest.keys()].some((u) => u.startsWith("data:")),
    "data: images are in the article already",
  );
  assert.ok(
    !existsSync(join(dir, "images", "manifest.tsv")) ||
      [...manifest.values()].every((m) => m.status === "failed"),
  );
  // The articles themselves are kept, with the feed's content.
  const a = parseArticle(readFileSync(join(dir, "articles/s/1048574.md"), "utf8"));
  assert.ok(a);
});

test("SSRF-E02: with 127.0.0.0/8 allowed the same page is fetched, so the refusal above is the policy", async () => {
  routes.set("/feed2.xml", {
    type: "application/rss+xml",
    body: rss([{ title: "x", link: `${inside.url}/ok`, description: "<p>x</p>" }]),
  });
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.0/8"]\n${FAST_FETCH}sources:\n  - { id: s, name: S, url: "${site.url}/feed2.xml", fulltext: readability }\n`,
  );
  const before = inside.hits.length;
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(inside.hits.slice(before), ["/ok"]);
});
