import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

function archive(): string {
  const dir = tempDir();
  dirs.push(dir);
  const old = new Date(Date.UTC(2020, 0, 1)).toUTCString();
  writeFileSync(join(dir, "feed.xml"), rss([{ title: "旧闻", link: "https://x.test/old", pubDate: old }]));
  writeConfig(dir, "sources:\n  - { id: t, name: T, url: feed.xml }\n");
  return dir;
}

test("CK-01: check with the default window says nothing was published in the last 30d and how to widen it", async () => {
  const dir = archive();
  assert.equal((await cli(dir, "run", "--quiet")).code, 0);
  const r = await cli(dir, "check");
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /none of the 1 archived articles was published in the last 30d; widen the window with --since/,
  );
  assert.match(r.out, /checked 0 articles/);
});

test("CK-02: check on an archive with no articles yet says so", async () => {
  const dir = archive();
  const r = await cli(dir, "check", "--since", "12h");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /the archive has no articles yet/);
});
