import * as assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadConfig } from "../src/config/index.js";
import { growthWarning } from "../src/status/warn.js";
import { cli, FAST_FETCH, png, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const routes: Routes = new Map();
let site: TestServer;
const dirs: string[] = [];
const HOUR = 3_600_000;

before(async () => {
  site = await serveHttp(routeHandler(routes));
});
after(async () => {
  await site.close();
  for (const d of dirs) removeDir(d);
});

/** A feed of `count` items one hour apart, the newest `ageHours` old. */
function hourly(name: string, count: number, ageHours: number): void {
  const now = Date.now();
  routes.set(`/${name}.xml`, {
    type: "application/rss+xml",
    body: rss(
      Array.from({ length: count }, (_, i) => ({
        title: `${name} ${i}`,
        link: `${site.url}/${name}/${i}`,
        pubDate: new Date(now - (ageHours + i) * HOUR).toUTCString(),
        description: i === 0 ? `<img src="${site.url}/st.png">` : "<p>正文</p>",
      })),
    ),
  });
}

test("STAT-E01: status shows per source counts, freshness and a source gone quiet; sizes, the media store and growth", async () => {
  routes.set("/st.png", { body: png("status"), type: "image/png" });
  hourly("busy", 12, 0.5);
  hourly("silent", 12, 72);
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}sources:\n  - { id: busy, name: Busy, url: "${site.url}/busy.xml", images: archive }\n  - { id: silent, name: Silent, url: "${site.url}/silent.xml" }\n`,
  );
  assert.equal((await cli(dir, "run")).code, 0);
  const r = await cli(dir, "status", "--json");
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  const [busy, silent] = s.sources;
  assert.deepEqual(
    [busy.id, busy.articles, busy.versions, busy.usualGapHours, busy.quiet],
    ["busy", 12, 0, 1, false],
  );
  assert.deepEqual([silent.id, silent.articles, silent.quiet], ["silent", 12, true]);
  assert.ok(s.bytes.articles > 0 && s.bytes.state > 0 && s.bytes.images > 0);
  assert.equal(
    s.bytes.total,
    s.bytes.articles + s.bytes.versions + s.bytes.images + s.bytes.state + s.bytes.lists,
  );
  assert.deepEqual([s.media.store, s.media.objects, s.media.bytes], ["repo", 1, png("status").length]);
  assert.ok(s.growth.bytesPerDay > 0);
  assert.ok(s.growth.daysTo1GB > 0 && s.growth.daysTo5GB > s.growth.daysTo1GB);
  const plain = await cli(dir, "status");
  assert.match(plain.out, /^silent: 12 articles, 0 versions, newest 72 h ago, usually every 1 h {2}QUIET/m);
});

test("STAT-E02: a run warns once a day when the archive will pass the limit soon, naming the S3 media store", async () => {
  hourly("grow", 3, 0.5);
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `${FAST_FETCH}sources:\n  - { id: grow, name: Grow, url: "${site.url}/grow.xml" }\n`);
  assert.equal((await cli(dir, "run")).code, 0);
  // The first run measured the archive once; the samples are committed, so a fresh clone (no
  // .newsark/) does not measure again the same day.
  assert.ok(existsSync(join(dir, "state", "growth.json")));
  rmSync(join(dir, ".newsark"), { recursive: true, force: true });
  const config = loadConfig(dir);
  const tiny = { bytes: 1024 ** 2, days: 1_000_000 };
  assert.equal(await growthWarning(config, Date.now() + HOUR, tiny), undefined, "measured today already");
  // The archive grows: the next measurement, two days on, sees the rate.
  hourly("grow", 30, 0.5);
  assert.equal((await cli(dir, "run")).code, 0);
  const later = Date.now() + 2 * 86_400_000;
  const warning = await growthWarning(config, later, tiny);
  assert.match(
    warning ?? "",
    /passes 0\.001 GB in \d+ days; keep images out of git with media: \{ store: s3/,
  );
  assert.equal(await growthWarning(config, later + HOUR, tiny), undefined, "once a day");
  assert.ok(await growthWarning(config, later + 25 * HOUR, tiny));
  assert.equal(await growthWarning(config, later + 50 * HOUR), undefined, "far from 5 GB");
});

test("STAT-E03: an archive that does not grow gets no growth warning, and a damaged samples file is started again", async () => {
  hourly("still", 3, 0.5);
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `${FAST_FETCH}sources:\n  - { id: still, name: Still, url: "${site.url}/still.xml" }\n`);
  assert.equal((await cli(dir, "run")).code, 0);
  const config = loadConfig(dir);
  const tiny = { bytes: 1024 ** 2, days: 90 };
  assert.equal(await growthWarning(config, Date.now() + 2 * 86_400_000, tiny), undefined);
  writeFileSync(join(dir, "state", "growth.json"), "{not json");
  assert.equal(await growthWarning(config, Date.now() + 4 * 86_400_000, tiny), undefined);
  const samples = JSON.parse(readFileSync(join(dir, "state", "growth.json"), "utf8")).samples;
  assert.equal(samples.length, 1, "one new sample after a damaged file");
});
