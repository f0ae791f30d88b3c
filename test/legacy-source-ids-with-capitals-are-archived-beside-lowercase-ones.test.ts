/**
 * Archives made by the earlier system have `articles/BBC/` (2020) beside `articles/bbc/`: both ids
 * are accepted, each source keeps its own folder and list, and the run reports that the two are one
 * folder on case-insensitive file systems.
 */
import * as assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";
import { REAL_ARCHIVE } from "./support/fixtures.js";
import type { TestServer } from "./support/http.js";

const feeds = new Map<string, string>();
let server: TestServer;
let dir: string;
before(async () => {
  server = await serveFiles(feeds);
  dir = tempDir();
});
after(async () => {
  await server.close();
  removeDir(dir);
});

const feed = (n: number) =>
  rss([{ title: `标题 ${n}`, link: `https://news.test/a/${n}`, pubDate: "Tue, 02 Jan 2024 12:00:00 GMT" }]);

test("LEG-01: sources BBC and bbc archive into their own folders, with a case warning in the report", async () => {
  feeds.set("/old.xml", feed(1));
  feeds.set("/new.xml", feed(2));
  writeConfig(
    dir,
    `sources:\n  - { id: BBC, name: BBC 2020, url: "${server.url}/old.xml" }\n  - { id: bbc, name: BBC 中文, url: "${server.url}/new.xml" }\n`,
  );
  const json = await cli(dir, "run", "--json");
  assert.equal(json.code, 0, json.err);
  const report = JSON.parse(json.out);
  assert.deepEqual(
    report.sources.map((s: { id: string; new: number }) => [s.id, s.new]),
    [
      ["BBC", 1],
      ["bbc", 1],
    ],
  );
  assert.equal(report.warnings.length, 1);
  assert.match(report.warnings[0], /sources\[1\]\.id: 'bbc' and sources\[0\]\.id 'BBC' differ only in case/);
  assert.deepEqual(readdirSync(join(dir, "articles")).sort(), ["BBC", "bbc"]);
  assert.ok(existsSync(join(dir, "lists", "BBC 2020.md")));

  const text = await cli(dir, "run");
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /newsark\.yaml: sources\[1\]\.id: 'bbc' and .* differ only in case/);
  const history = await cli(dir, "history", "BBC/1048574", "--json");
  assert.equal(history.code, 0, history.err);
});

test("LEG-02: history reads an article the earlier system named <n>_<title>.md, as search does", async () => {
  const legacy = tempDir();
  try {
    cpSync(join(REAL_ARCHIVE.articles, "BBC"), join(legacy, "articles", "BBC"), { recursive: true });
    writeConfig(legacy, `sources:\n  - { id: BBC, name: BBC 2020, url: "${server.url}/old.xml" }\n`);
    const found = await cli(legacy, "search", "朝鲜", "--json");
    assert.equal(found.code, 0, found.err);
    assert.deepEqual(
      JSON.parse(found.out).results.map((r: { source: string; n: number }) => `${r.source}/${r.n}`),
      ["BBC/1047440"],
    );
    const history = await cli(legacy, "history", "BBC/1047440");
    assert.equal(history.code, 0, history.err);
    assert.match(history.out, /^BBC\/1047440 纪录片声称揭露朝鲜试图躲避制裁/);
    assert.match(history.out, /versions: 1\n/);
  } finally {
    removeDir(legacy);
  }
});
