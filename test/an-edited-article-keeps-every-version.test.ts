import * as assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runMain } from "../src/cli/main.js";
import { captureIO, cli, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";

const feeds = new Map<string, string>();
let server: Awaited<ReturnType<typeof serveFiles>>;
const dirs: string[] = [];
before(async () => {
  server = await serveFiles(feeds);
});
after(async () => {
  await server.close();
  for (const d of dirs) removeDir(d);
});

const item = (title: string, text: string) =>
  rss([
    {
      title,
      link: "https://news.test/a/1",
      guid: "g1",
      pubDate: "Tue, 02 Jan 2024 12:00:00 GMT",
      description: text,
    },
  ]);

test("HIST-E01: every version is listed with its time, and the diff shows the edited characters", async () => {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `sources:\n  - { id: voa, name: 美国之音, url: "${server.url}/f.xml" }\n`);
  feeds.set("/f.xml", item("警方逮捕三人", "<p>警方周二逮捕了三名抗议者。</p><p>他们被带往警署。</p>"));
  assert.equal((await cli(dir, "run")).code, 0);
  await new Promise((ok) => setTimeout(ok, 5));
  feeds.set("/f.xml", item("警方拘留三人", "<p>警方周二拘留了三名抗议者。</p><p>他们被带往警署。</p>"));
  assert.equal((await cli(dir, "run")).code, 0);
  await new Promise((ok) => setTimeout(ok, 5));
  feeds.set("/f.xml", item("警方拘留三人", "<p>警方周二拘留了三名抗议者。</p>"));
  assert.equal((await cli(dir, "run")).code, 0);

  const json = await cli(dir, "history", "voa/1048574", "--json");
  assert.equal(json.code, 0, json.err);
  const h = JSON.parse(json.out);
  assert.deepEqual(Object.keys(h), ["versions", "status", "checked"]);
  assert.equal(h.versions.length, 3);
  assert.deepEqual(Object.keys(h.versions[0]), ["seen", "title", "hash"]);
  assert.deepEqual(
    h.versions.map((v: { title: string }) => v.title),
    ["警方逮捕三人", "警方拘留三人", "警方拘留三人"],
  );
  assert.ok(h.versions.every((v: { seen: string }) => /^\d{4}-\d\d-\d\dT.*Z$/.test(v.seen)));
  assert.ok(h.versions[0].seen < h.versions[1].seen && h.versions[1].seen < h.versions[2].seen);
  assert.equal(h.status, "unknown");
  assert.equal(h.checked, null);

  const first = await cli(dir, "history", "voa/1048574", "--diff", "1..2");
  assert.equal(first.code, 0, first.err);
  assert.ok(first.out.includes("警方[-逮捕-]{+拘留+}三人"), first.out);
  assert.ok(first.out.includes("警方周二[-逮捕-]{+拘留+}了三名抗议者。"), first.out);
  // --json with --diff carries the compared versions and the diff's runs of text.
  const diffJson = JSON.parse((await cli(dir, "history", "voa/1048574", "--diff", "1..2", "--json")).out);
  assert.deepEqual([diffJson.diff.from, diffJson.diff.to], [1, 2]);
  const removed = diffJson.diff.parts
    .filter((p: { removed?: boolean }) => p.removed)
    .map((p: { value: string }) => p.value);
  const added = diffJson.diff.parts
    .filter((p: { added?: boolean }) => p.added)
    .map((p: { value: string }) => p.value);
  assert.deepEqual(
    [removed, added],
    [
      ["逮捕", "逮捕"],
      ["拘留", "拘留"],
    ],
  );
  const last = await cli(dir, "history", "voa/1048574");
  assert.ok(last.out.includes("diff 2..3:"));
  assert.ok(last.out.includes("[-他们被带往警署。-]"), last.out);

  const io = captureIO(dir, true);
  assert.equal(await runMain(["history", "voa/1048574", "--diff", "1..2"], io), 0);
  assert.ok(io.out.includes("\x1b[31m逮捕\x1b[0m\x1b[32m拘留\x1b[0m"), "a terminal gets colours");
});

test("HIST-E02: bad arguments are one line each", async () => {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, `sources:\n  - { id: voa, name: 美国之音, url: "${server.url}/f.xml" }\n`);
  feeds.set("/f.xml", item("标题", "<p>正文</p>"));
  await cli(dir, "run");
  const cases: [string[], RegExp][] = [
    [["history", "bbc/1"], /no source 'bbc' in newsark.yaml \(have: voa\)/],
    [["history", "voa/5"], /no article voa\/5 in the archive/],
    [["history", "voa"], /'voa' is not SOURCE\/N/],
    [["history", "voa/1048574", "--diff", "1..2"], /has one version only/],
  ];
  for (const [argv, message] of cases) {
    const r = await cli(dir, ...argv);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.err, message);
    assert.equal(r.err.trim().split("\n").length, 1);
    assert.equal(r.out, "", `${argv.join(" ")}: nothing on stdout before the error`);
  }
  feeds.set("/f.xml", item("标题", "<p>正文二</p>"));
  await cli(dir, "run");
  const bad = await cli(dir, "history", "voa/1048574", "--diff", "1..3");
  assert.match(bad.err, /--diff 1\.\.3: expected A\.\.B with versions 1 to 2/);
  assert.equal(bad.out, "", "a bad --diff prints no listing before its error");
});
