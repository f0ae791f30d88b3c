import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { mediaKey } from "../src/store/media/keys.js";
import { cli, FAST_FETCH, png, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
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

function feed(name: string, images: string[]): void {
  routes.set(`/${name}.xml`, {
    type: "application/rss+xml",
    body: rss([
      {
        title: name,
        link: `${site.url}/news/${name}`,
        description: images.map((p) => `<img src="${site.url}${p}">`).join(""),
      },
    ]),
  });
}

function archive(name: string, images: string[]): string {
  feed(name, images);
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}sources:\n  - { id: r, name: R, url: "${site.url}/${name}.xml", images: archive }\n`,
  );
  return dir;
}

test("REC-E01: an older images/manifest.tsv is migrated into records with hashes; a run rewrites only the records that changed", async () => {
  const old = png("legacy");
  const key = mediaKey(old, "png");
  const dir = archive("rec1", ["/rec/new.png"]);
  routes.set("/rec/new.png", { body: png("rec-new"), type: "image/png" });
  mkdirSync(dirname(join(dir, "images", key)), { recursive: true });
  writeFileSync(join(dir, "images", key), old);
  writeFileSync(
    join(dir, "images", "manifest.tsv"),
    `# newsark images v1\turl\tfile\tbytes\tstatus\ttries\terror\nhttps://old.example/a.png\timages/${key}\t${old.length}\tok\t0\t-\nhttps://old.example/b.png\t-\t-\tfailed\t5\tfetch: gone\n`,
  );
  const first = await cli(dir, "run");
  assert.equal(first.code, 0, first.err);
  assert.ok(!existsSync(join(dir, "images", "manifest.tsv")), "the old manifest is gone once migrated");
  const records = readImageManifest(dir);
  const migrated = records.get("https://old.example/a.png");
  assert.equal(migrated?.sha256, createHash("sha256").update(old).digest("hex"));
  assert.equal(migrated?.type, "image/png");
  assert.equal(records.get("https://old.example/b.png")?.tries, 5);
  const fresh = records.get(`${site.url}/rec/new.png`);
  assert.equal(fresh?.status, "ok");
  assert.ok(fresh?.fetched !== undefined && fresh.seen !== undefined);
  const files = readdirSync(join(dir, "images", "records")).sort();
  const month = `${new Date().toISOString().slice(0, 7)}.tsv`;
  assert.deepEqual(files, [month, "undated.tsv"].sort());
  const text = readFileSync(join(dir, "images", "records", month), "utf8");
  assert.ok(text.includes(`${site.url}/rec/new.png\tok\t0\t${fresh?.sha256}`), text);
  // A later run with a new image rewrites this month's file only.
  const undated = statSync(join(dir, "images", "records", "undated.tsv")).mtimeMs;
  routes.set("/rec/later.png", { body: png("rec-later"), type: "image/png" });
  feed("rec1", ["/rec/new.png", "/rec/later.png"]);
  const second = await cli(dir, "run");
  assert.equal(second.code, 0, second.err);
  assert.equal(readImageManifest(dir).get(`${site.url}/rec/later.png`)?.status, "ok");
  assert.equal(statSync(join(dir, "images", "records", "undated.tsv")).mtimeMs, undated);
});

test("REC-E02: verify re-hashes every recorded image and reports missing and altered ones with exit 6", async () => {
  for (const n of [1, 2, 3]) routes.set(`/rec/v${n}.png`, { body: png(`v${n}`), type: "image/png" });
  const dir = archive("rec2", ["/rec/v1.png", "/rec/v2.png", "/rec/v3.png"]);
  assert.equal((await cli(dir, "run")).code, 0);
  const clean = await cli(dir, "verify", "--json");
  assert.equal(clean.code, 0, clean.err);
  assert.deepEqual(JSON.parse(clean.out), { checked: 3, ok: 3, problems: [] });
  const sampled = await cli(dir, "verify", "--sample", "2", "--json");
  assert.equal(JSON.parse(sampled.out).checked, 2);
  const k1 = mediaKey(png("v1"), "png");
  const k2 = mediaKey(png("v2"), "png");
  removeDir(join(dir, "images", k1));
  writeFileSync(join(dir, "images", k2), png("tampered"));
  const bad = await cli(dir, "verify", "--json");
  assert.equal(bad.code, 6);
  assert.match(bad.err, /verify: 1 missing and 1 altered of 3 images checked/);
  const report = JSON.parse(bad.out);
  assert.deepEqual(
    report.problems.map((p: { key: string; problem: string }) => [p.key, p.problem]),
    [
      [k1, "missing"],
      [k2, "altered"],
    ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
  );
  assert.equal((await cli(dir, "verify", "--sample", "0")).code, 2);
});
