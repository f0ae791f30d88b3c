import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";

const files = new Map<string, string>();
let server: Awaited<ReturnType<typeof serveFiles>>;
let dir: string;

before(async () => {
  server = await serveFiles(files);
  dir = tempDir();
  writeConfig(dir, `sources:\n  - { id: t, name: T, url: "${server.url}/f.xml" }\n`);
});
after(async () => {
  await server.close();
  removeDir(dir);
});

async function search(query: string) {
  const r = await cli(dir, "search", query, "--json");
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as { total: number; results: { title: string }[] };
}

test("a run adds what it archived to an existing catalog, and creates none when there is none", async () => {
  files.set(
    "/f.xml",
    rss([{ title: "臺灣選舉", link: "https://x.test/1", pubDate: "Mon, 01 Jan 2024 00:00:00 GMT" }]),
  );
  await cli(dir, "run");
  assert.ok(!existsSync(join(dir, ".newsark/catalog.sqlite")), "a run without a catalog does not build one");
  assert.equal((await search("台湾")).total, 1, "the first search builds the catalog from the files");
  files.set(
    "/f.xml",
    rss([
      { title: "中俄关系", link: "https://x.test/2", pubDate: "Tue, 02 Jan 2024 00:00:00 GMT" },
      { title: "臺灣選舉", link: "https://x.test/1", pubDate: "Mon, 01 Jan 2024 00:00:00 GMT" },
    ]),
  );
  await cli(dir, "run");
  const found = await search("中俄");
  assert.equal(found.total, 1);
  assert.equal(found.results[0]?.title, "中俄关系");
});
