import * as assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readSourceState } from "../src/store/files/state.js";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const routes: Routes = new Map();
let site: TestServer;
let inside: TestServer;
const dirs: string[] = [];
before(async () => {
  site = await serveHttp(routeHandler(routes));
  inside = await serveHttp(
    (_req, res) => res.writeHead(200).end("<div class=story>internal</div>"),
    "127.0.0.2",
  );
});
after(async () => {
  await site.close();
  await inside.close();
  for (const d of dirs) removeDir(d);
});

const text = (s: string) => `<div class="story"><p>${s.repeat(4)}</p></div>`;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toUTCString();

test("CHECK-E01: check records alive, gone, redirected and changed articles; lists and history show it", async () => {
  const pages = ["alive", "gone", "moved", "edited", "flaky", "old"];
  for (const p of pages) routes.set(`/a/${p}`, { body: text(`这是${p}文章的正文内容，足够长。`) });
  routes.set("/", { body: "<html>home</html>" });
  routes.set("/feed.xml", {
    type: "application/rss+xml",
    body: rss(
      pages.map((p, i) => ({
        title: `文章${p}`,
        link: `${site.url}/a/${p}`,
        guid: p,
        pubDate: hoursAgo(p === "old" ? 24 * 60 : i + 1),
        description: "<p>摘要</p>",
      })),
    ),
  });
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\nfetch:\n  retries: 0\n  timeout: { connect: 5s, headers: 5s, body: 5s }\n` +
      `sources:\n  - { id: rfa, name: 自由亚洲, url: "${site.url}/feed.xml", fulltext: { selector: ".story" } }\n`,
  );
  assert.equal((await cli(dir, "run")).code, 0);

  routes.delete("/a/gone");
  routes.set("/a/moved", { status: 301, location: "/" });
  routes.set("/a/edited", { body: text("这是edited文章修改后的正文内容，足够长。") });
  // A server error, not a slow answer: the check fails the same way however loaded the machine is.
  routes.set("/a/flaky", { status: 503, body: "busy" });
  const hitsBefore = site.hits.length;
  const r = await cli(dir, "check", "--since", "30d", "--limit", "200", "--json");
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  assert.deepEqual(
    [report.checked, report.alive, report.gone, report.redirected, report.changed, report.failed],
    [5, 1, 1, 1, 1, 1],
    r.out,
  );
  assert.ok(!site.hits.slice(hitsBefore).includes("/a/old"), "articles older than --since are not checked");
  const flaky = report.results.find((x: { url: string }) => x.url.endsWith("/a/flaky"));
  assert.equal(flaky.outcome, "failed");
  assert.match(flaky.error, /503/);

  const state = readSourceState(dir, "rfa");
  assert.ok(state);
  const byTitle = new Map(state.records.map((rec) => [rec.title, rec]));
  assert.equal(byTitle.get("文章gone")?.status, "gone");
  assert.equal(byTitle.get("文章moved")?.status, "redirected");
  assert.equal(byTitle.get("文章alive")?.status, "alive");
  assert.equal(byTitle.get("文章flaky")?.status, undefined, "a failed check leaves the status unknown");
  assert.equal(byTitle.get("文章edited")?.versions, 1);

  const list = readFileSync(join(dir, "lists/自由亚洲.md"), "utf8");
  assert.match(list, /\[文章gone\]\([^)]*\) （原文已删除）/);
  assert.match(list, /\[文章moved\]\([^)]*\) （原文已移走）/);
  assert.match(list, /\[文章edited\]\([^)]*\) （已修改）/);
  assert.match(list, /\[文章alive\]\([^)]*\)\n/);

  const edited = byTitle.get("文章edited");
  const versions = readdirSync(join(dir, "versions/rfa", String(edited?.n)));
  assert.equal(versions.length, 1);
  const now = readFileSync(join(dir, `articles/rfa/${edited?.n}.md`), "utf8");
  assert.ok(now.includes("修改后的正文"));
  const hist = JSON.parse((await cli(dir, "history", `rfa/${edited?.n}`, "--json")).out);
  assert.equal(hist.versions.length, 2);
  assert.equal(hist.status, "alive");
  const gone = JSON.parse((await cli(dir, "history", `rfa/${byTitle.get("文章gone")?.n}`, "--json")).out);
  assert.equal(gone.status, "gone");
  assert.match(gone.checked, /^\d{4}-.*Z$/);

  // A second check finds nothing new and keeps when "gone" was first found.
  routes.set("/a/flaky", { body: text("这是flaky文章的正文内容，足够长。") });
  const again = JSON.parse((await cli(dir, "check", "--json")).out);
  assert.deepEqual(
    [again.gone, again.redirected, again.changed, again.failed],
    [1, 1, 0, 0],
    JSON.stringify(again),
  );
  assert.equal(
    readSourceState(dir, "rfa")?.records.find((x) => x.title === "文章gone")?.checked,
    byTitle.get("文章gone")?.checked,
  );
  const human = await cli(dir, "check", "--limit", "2");
  assert.match(
    human.out,
    /checked 2 articles in [\d.]+ s: \d alive, \d gone, \d redirected, 0 changed, 0 failed/,
  );
});

test("CHECK-E02: check requests are untrusted: a URL at a forbidden address is refused, never reached", async () => {
  const dir = tempDir();
  dirs.push(dir);
  routes.set("/inside.xml", {
    type: "application/rss+xml",
    body: rss([
      { title: "内网", link: `${inside.url}/secret`, pubDate: hoursAgo(1), description: "<p>x</p>" },
    ]),
  });
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\nfetch: { retries: 0 }\nsources:\n  - { id: s, name: S, url: "${site.url}/inside.xml" }\n`,
  );
  assert.equal((await cli(dir, "run")).code, 0);
  const r = await cli(dir, "check");
  assert.match(r.out, /s\/1048574 failed: fetch: .*address 127\.0\.0\.2 is not allowed/);
  assert.match(r.out, /1 failed/);
  assert.deepEqual(inside.hits, []);
});

test("CHECK-E03: bad options are one-line errors", async () => {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `sources:\n  - { id: s, name: S, url: "${site.url}/inside.xml" }\n`);
  assert.match((await cli(dir, "check", "--since", "soon")).err, /--since soon: expected a duration/);
  assert.match((await cli(dir, "check", "--limit", "-1")).err, /--limit|expected a whole number/);
  assert.match((await cli(dir, "check", "--source", "nope")).err, /--source nope: no such source/);
});

test("CHECK-E04: an article the earlier system named <n>_<title>.md is checked; its edit becomes <n>.md with the old text in versions/", async () => {
  routes.set("/a/legacy", { body: text("这是旧系统文章修改后的正文内容，足够长。") });
  const dir = tempDir();
  dirs.push(dir);
  const folder = join(dir, "articles", "BBC");
  mkdirSync(folder, { recursive: true });
  const legacyName = "1047440_旧系统的文章.md";
  const old = `<!--1602557117000-->\n[旧系统的文章](${site.url}/a/legacy)\n------\n\n<p>旧的正文</p>\n`;
  writeFileSync(join(folder, legacyName), old);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\nfetch:\n  retries: 0\n` +
      `sources:\n  - { id: BBC, name: BBC, url: "${site.url}/feed.xml", fulltext: { selector: ".story" } }\n`,
  );
  assert.equal((await cli(dir, "reindex", "--state")).code, 0);
  const r = await cli(dir, "check", "--since", "100000d", "--json");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out).results.map((x: { article: string; outcome: string }) => [x.article, x.outcome]),
    [["BBC/1047440", "changed"]],
  );
  assert.deepEqual(readdirSync(folder), ["1047440.md"]);
  assert.match(readFileSync(join(folder, "1047440.md"), "utf8"), /旧系统文章修改后的正文/);
  const kept = readdirSync(join(dir, "versions", "BBC", "1047440"));
  assert.equal(kept.length, 1);
  assert.equal(readFileSync(join(dir, "versions", "BBC", "1047440", kept[0] as string), "utf8"), old);
  const history = await cli(dir, "history", "BBC/1047440");
  assert.match(history.out, /versions: 2\n/);
});
