import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, FAST_FETCH, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const body = "香港警方周二以涉嫌违反国家安全法拘捕了三名社运人士，其家属表示尚未获准探视。";
const page = (inner: string, head = "") =>
  `<html><head>${head}<title>t</title></head><body><nav><a href="/">首页</a></nav>` +
  `<div class="story"><h1>标题</h1>\n<p>${inner}</p>\n<p><a href="more.html">更多</a></p></div><footer>版权</footer></body></html>`;

const routes: Routes = new Map();
const feeds = new Map<string, string>();
let site: TestServer;
let feedServer: Awaited<ReturnType<typeof serveFiles>>;
const dirs: string[] = [];

before(async () => {
  site = await serveHttp(routeHandler(routes));
  feedServer = await serveFiles(feeds);
});
after(async () => {
  await site.close();
  await feedServer.close();
  for (const d of dirs) removeDir(d);
});

function archive(sources: string): string {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}sources:\n${sources}`);
  return dir;
}

function article(dir: string, id: string, n = 1048574) {
  const a = parseArticle(readFileSync(join(dir, "articles", id, `${n}.md`), "utf8"));
  assert.ok(a);
  return a;
}

test("FT-E01: a selector source archives the page's article, links resolved, instead of the feed summary", async () => {
  routes.set("/news/sel.html", { body: page(body.repeat(3)) });
  feeds.set(
    "/sel.xml",
    rss([{ title: "拘捕", link: `${site.url}/news/sel.html`, description: "<p>摘要</p>" }]),
  );
  const dir = archive(
    `  - { id: sel, name: Sel, url: "${feedServer.url}/sel.xml", fulltext: { selector: ".story" } }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  const a = article(dir, "sel");
  assert.ok(a.content.includes(body.repeat(3)));
  assert.ok(a.content.includes(`href="${site.url}/news/more.html"`));
  assert.ok(!a.content.includes("首页") && !a.content.includes("\n"));
});

test("FT-E02: Readability reads a GBK page declared only in its meta tag", async () => {
  const html = page(body.repeat(4), '<meta http-equiv="Content-Type" content="text/html; charset=gbk">');
  routes.set("/gbk.html", { body: iconv.encode(html, "gbk"), type: "text/html" });
  feeds.set("/gbk.xml", rss([{ title: "GBK", link: `${site.url}/gbk.html`, description: "<p>摘要</p>" }]));
  const dir = archive(
    `  - { id: gbk, name: GBK, url: "${feedServer.url}/gbk.xml", fulltext: readability }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  const a = article(dir, "gbk");
  assert.ok(a.content.includes(body), a.content.slice(0, 200));
  assert.ok(!a.content.includes("版权"));
});

test("FT-E03: when the page cannot be read the feed's content is kept and the run warns", async () => {
  routes.set("/short.html", { body: "<div class=story>短</div>" });
  feeds.set(
    "/fail.xml",
    rss([
      { title: "消失", link: `${site.url}/vanished.html`, description: "<p>feed 内容一</p>" },
      { title: "太短", link: `${site.url}/short.html`, description: "<p>feed 内容二</p>" },
    ]),
  );
  const dir = archive(
    `  - { id: fail, name: Fail, url: "${feedServer.url}/fail.xml", fulltext: { selector: ".story" } }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 new/);
  assert.match(r.out, /fulltext: .*vanished\.html: HTTP 404; kept the feed's content/);
  assert.match(r.out, /fulltext: .*short\.html: extracted text is too short/);
  const contents = [article(dir, "fail", 1048574).content, article(dir, "fail", 1048573).content].sort();
  assert.deepEqual(contents, ["<p>feed 内容一</p>", "<p>feed 内容二</p>"]);
});

test("FT-E04: category filters still choose which items are fetched and archived", async () => {
  routes.set("/keep.html", { body: page(body.repeat(2)) });
  routes.set("/skip.html", { body: page(body.repeat(2)) });
  feeds.set(
    "/cat.xml",
    rss([
      { title: "要", link: `${site.url}/keep.html`, category: "中国" },
      { title: "不要", link: `${site.url}/skip.html`, category: "体育" },
    ]),
  );
  const before = site.hits.length;
  const dir = archive(
    `  - { id: cat, name: Cat, url: "${feedServer.url}/cat.xml", fulltext: { selector: ".story" }, exclude: { categories: "体育" } }\n`,
  );
  const r = await cli(dir, "run", "--json");
  assert.equal(JSON.parse(r.out).sources[0].new, 1);
  assert.deepEqual(site.hits.slice(before), ["/keep.html"], "excluded items are not even fetched");
});
