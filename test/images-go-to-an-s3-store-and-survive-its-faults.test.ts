import * as assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { mediaKey } from "../src/store/media/keys.js";
import { s3Connect } from "../src/store/media/s3/client.js";
import { cli, FAST_FETCH, png, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { type S3Service, SKIP_S3, startS3 } from "./services/s3/index.js";
import { type Routes, routeHandler, serveHttp, type TestServer } from "./support/http.js";

const routes: Routes = new Map();
let site: TestServer | undefined;
let s3: S3Service | undefined;
const dirs: string[] = [];

/** A proxy in front of the S3 server that records every request and injects faults on demand. */
const gate = { mode: "up" as "up" | "down" | "503-on-put", hits: [] as string[], url: "" };
let proxy: Server | undefined;

before(async () => {
  site = await serveHttp(routeHandler(routes));
  s3 = await startS3();
  if (!s3) return;
  const upstream = new URL(s3.endpoint);
  proxy = createServer((req, res) => {
    gate.hits.push(`${req.method} ${req.url}`);
    if (gate.mode === "down") return void req.socket.destroy();
    if (gate.mode === "503-on-put" && req.method === "PUT") {
      res.writeHead(503, { "content-type": "application/xml" });
      return void res.end("<Error><Code>ServiceUnavailable</Code><Message>slow down</Message></Error>");
    }
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy?.listen(0, "127.0.0.1", ok));
  gate.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  process.env.NEWSARK_S3_ACCESS_KEY_ID = s3.accessKey;
  process.env.NEWSARK_S3_SECRET_ACCESS_KEY = s3.secretKey;
  const { client, close } = await s3Connect(bucketSettings(s3.endpoint));
  try {
    await client.makeBucket("news", "us-east-1");
    await client.makeBucket("site", "us-east-1");
  } finally {
    close();
  }
});
after(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((ok) => (proxy ? proxy.close(() => ok()) : ok()));
  await site?.close();
  await s3?.stop();
  for (const d of dirs) removeDir(d);
});

function bucketSettings(endpoint: string) {
  return {
    endpoint,
    bucket: "news",
    prefix: "images/",
    region: "us-east-1",
    pathStyle: true,
    accessKey: s3?.accessKey ?? "",
    secretKey: s3?.secretKey ?? "",
  };
}

async function inBucket(key: string): Promise<boolean> {
  const { client, close } = await s3Connect(bucketSettings(s3?.endpoint ?? ""));
  try {
    await client.statObject("news", `images/${key}`);
    return true;
  } catch {
    return false;
  } finally {
    close();
  }
}

/** Serves feed `name`: one article per entry of `articles`, showing those image paths. */
function setFeed(name: string, articles: string[][]): void {
  const url = site?.url ?? "";
  routes.set(`/${name}.xml`, {
    type: "application/rss+xml",
    body: rss(
      articles.map((imgs, i) => ({
        title: `${name} ${i}`,
        link: `${url}/news/${name}/${i}`,
        guid: `${name}-${i}`,
        description: imgs.map((p) => `<img src="${url}${p}">`).join(""),
      })),
    ),
  });
}

/** An archive of feed `name` whose media store is the S3 server behind the proxy. */
function archive(name: string, articles: string[][]): string {
  const url = site?.url ?? "";
  setFeed(name, articles);
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `allowNetworks: ["127.0.0.1/32"]\n${FAST_FETCH}media: { store: s3, endpoint: "${gate.url}", bucket: news, prefix: images/ }\nsources:\n  - { id: s, name: S, url: "${url}/${name}.xml", images: archive }\n`,
  );
  return dir;
}

const puts = () => gate.hits.filter((h) => h.startsWith("PUT ")).length;

test("S3-E01: images go to the S3 store, not the repository, and an image already there is not uploaded again", async (t) => {
  if (!s3) return t.skip(SKIP_S3);
  gate.mode = "up";
  const a = png("s3-a");
  routes.set("/s3/a.png", { body: a, type: "image/png" });
  routes.set("/s3/a-again.png", { body: a, type: "image/png" });
  const dir = archive("e01", [["/s3/a.png"]]);
  gate.hits.length = 0;
  const first = await cli(dir, "run");
  assert.equal(first.code, 0, first.err);
  const key = mediaKey(a, "png");
  assert.ok(await inBucket(key));
  assert.ok(!existsSync(join(dir, "images", key)), "no copy in the repository");
  const record = readImageManifest(dir).get(`${site?.url}/s3/a.png`);
  assert.equal(record?.store, "s3");
  assert.equal(record?.file, `images/${key}`);
  assert.equal(puts(), 1);
  // Another archive (same bucket) meets the same bytes under another URL: a HEAD, no PUT.
  const other = archive("e01b", [["/s3/a-again.png"]]);
  gate.hits.length = 0;
  assert.equal((await cli(other, "run")).code, 0);
  assert.equal(puts(), 0, gate.hits.join("\n"));
  assert.equal(readImageManifest(other).get(`${site?.url}/s3/a-again.png`)?.store, "s3");
});

for (const [id, mode] of [
  ["S3-E02", "503-on-put"],
  ["S3-E03", "down"],
] as const) {
  test(`${id}: with the store ${mode === "down" ? "down" : "answering 503"}, a run keeps the image in images/, loses no article, and a later run uploads it`, async (t) => {
    if (!s3) return t.skip(SKIP_S3);
    const b = png(`s3-${id}`);
    routes.set(`/s3/${id}.png`, { body: b, type: "image/png" });
    const dir = archive(id, [[`/s3/${id}.png`]]);
    gate.mode = mode;
    const first = await cli(dir, "run");
    gate.mode = "up";
    assert.equal(first.code, 0, first.err);
    assert.ok(existsSync(join(dir, "articles", "s", "1048574.md")), "the article is archived");
    assert.match(first.out, /kept in images\/ because the media store failed/);
    const key = mediaKey(b, "png");
    assert.ok(existsSync(join(dir, "images", key)), "kept locally");
    assert.equal(readImageManifest(dir).get(`${site?.url}/s3/${id}.png`)?.store, "repo");
    const second = await cli(dir, "run");
    assert.equal(second.code, 0, second.err);
    assert.ok(await inBucket(key), "uploaded by the later run");
    assert.ok(!existsSync(join(dir, "images", key)), "the local copy is gone once the store holds it");
    const record = readImageManifest(dir).get(`${site?.url}/s3/${id}.png`);
    assert.equal(record?.store, "s3");
    assert.equal(record?.error, undefined);
  });
}

test("S3-E04: an object deleted behind newsark's back is fetched and stored again when an article shows it", async (t) => {
  if (!s3) return t.skip(SKIP_S3);
  gate.mode = "up";
  const c = png("s3-deleted");
  routes.set("/s3/deleted.png", { body: c, type: "image/png" });
  const dir = archive("e04", [["/s3/deleted.png"]]);
  assert.equal((await cli(dir, "run")).code, 0);
  const key = mediaKey(c, "png");
  const { client, close } = await s3Connect(bucketSettings(s3.endpoint));
  try {
    await client.removeObject("news", `images/${key}`);
  } finally {
    close();
  }
  // The article is edited, so its images are looked at again.
  setFeed("e04", [["/s3/deleted.png", "/s3/deleted.png?v=2"]]);
  const again = await cli(dir, "run");
  assert.equal(again.code, 0, again.err);
  assert.ok(await inBucket(key), "stored again");
});

test("S3-E05: media migrate moves images/ into the store, verifying each; an interrupted migration resumes and loses nothing", async (t) => {
  if (!s3) return t.skip(SKIP_S3);
  gate.mode = "up";
  const bodies = [1, 2, 3].map((n) => png(`mig-${n}`));
  bodies.forEach((b, i) => {
    routes.set(`/mig/${i}.png`, { body: b, type: "image/png" });
  });
  const dir = archive("e05", [bodies.map((_, i) => `/mig/${i}.png`)]);
  // Archived first into the repository (the default store).
  const yaml = readFileSync(join(dir, "newsark.yaml"), "utf8");
  writeFileSync(join(dir, "newsark.yaml"), yaml.replace(/^media:.*\n/m, ""));
  assert.equal((await cli(dir, "run")).code, 0);
  const keys = bodies.map((b) => mediaKey(b, "png"));
  for (const key of keys) assert.ok(existsSync(join(dir, "images", key)));
  writeFileSync(join(dir, "newsark.yaml"), yaml);
  // As if an earlier migration was killed after moving the first object but before recording it.
  const { client, close } = await s3Connect(bucketSettings(s3.endpoint));
  try {
    await client.putObject("news", `images/${keys[0]}`, bodies[0] as Buffer);
  } finally {
    close();
  }
  rmSync(join(dir, "images", keys[0] as string));
  const migrated = await cli(dir, "media", "migrate", "--to", "s3", "--json");
  assert.equal(migrated.code, 0, migrated.err);
  assert.deepEqual(JSON.parse(migrated.out), { moved: 2, already: 1, missing: [] });
  for (const key of keys) {
    assert.ok(await inBucket(key), key);
    assert.ok(!existsSync(join(dir, "images", key)), key);
  }
  assert.ok([...readImageManifest(dir).values()].every((r) => r.store === "s3"));
  const verified = await cli(dir, "verify", "--json");
  assert.equal(verified.code, 0, verified.err);
  assert.equal(JSON.parse(verified.out).ok, 3);
  const again = await cli(dir, "media", "migrate", "--to", "s3", "--json");
  assert.deepEqual(JSON.parse(again.out), { moved: 0, already: 0, missing: [] });
});

test("S3-E06: publish uploads the built site, then only what changed, and deletes what is gone", async (t) => {
  if (!s3) return t.skip(SKIP_S3);
  gate.mode = "up";
  routes.set("/pub/a.png", { body: png("pub"), type: "image/png" });
  const dir = archive("e06", [["/pub/a.png"]]);
  writeFileSync(
    join(dir, "newsark.yaml"),
    `${readFileSync(join(dir, "newsark.yaml"), "utf8")}publish: { store: s3, endpoint: "${s3.endpoint}", bucket: site, prefix: www/ }\n`,
  );
  assert.equal((await cli(dir, "run")).code, 0);
  assert.equal((await cli(dir, "build")).code, 0);
  const first = await cli(dir, "publish", "--json");
  assert.equal(first.code, 0, first.err);
  const one = JSON.parse(first.out);
  assert.ok(one.uploaded > 5, first.out);
  assert.deepEqual([one.deleted, one.unchanged], [0, 0]);
  const second = JSON.parse((await cli(dir, "publish", "--json")).out);
  assert.deepEqual(second, { uploaded: 0, deleted: 0, unchanged: one.uploaded });
  writeFileSync(join(dir, "site", "extra.txt"), "extra");
  assert.deepEqual(JSON.parse((await cli(dir, "publish", "--json")).out), {
    uploaded: 1,
    deleted: 0,
    unchanged: one.uploaded,
  });
  rmSync(join(dir, "site", "extra.txt"));
  assert.deepEqual(JSON.parse((await cli(dir, "publish", "--json")).out), {
    uploaded: 0,
    deleted: 1,
    unchanged: one.uploaded,
  });
  const { client, close } = await s3Connect({ ...bucketSettings(s3.endpoint), bucket: "site" });
  try {
    const stat = await client.statObject("site", "www/index.html");
    assert.match(stat.metaData["content-type"], /^text\/html/);
    await assert.rejects(client.statObject("site", "www/extra.txt"));
    // The build's bookkeeping stays home: it is not part of the site.
    await assert.rejects(client.statObject("site", "www/.newsark-build"));
  } finally {
    close();
  }
});
