import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runMain } from "../src/cli/main.js";
import { captureIO, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";

const files = new Map<string, string>();
let server: Awaited<ReturnType<typeof serveFiles>>;
let dir: string;

before(async () => {
  files.set(
    "/a.xml",
    rss([{ title: "甲", link: "https://x.test/a", pubDate: "Mon, 01 Jan 2024 00:00:00 GMT" }]),
  );
  files.set(
    "/b.xml",
    rss([{ title: "乙", link: "https://x.test/b", pubDate: "Mon, 01 Jan 2024 00:00:00 GMT" }]),
  );
  server = await serveFiles(files);
  dir = tempDir();
  writeConfig(
    dir,
    `sources:\n  - { id: a, name: A, url: "${server.url}/a.xml" }\n  - { id: b, name: B, url: "${server.url}/b.xml" }\n`,
  );
});
after(async () => {
  await server.close();
  removeDir(dir);
});

test("a pipe gets exactly one line per source and a summary", async () => {
  const io = captureIO(dir, false);
  assert.equal(await runMain(["run"], io), 0);
  const lines = io.out.trim().split("\n");
  assert.equal(lines.length, 3);
  assert.ok(lines.includes("a A: 1 new, 0 changed, 0 unchanged"));
  assert.ok(lines.includes("b B: 1 new, 0 changed, 0 unchanged"));
  assert.match(lines[2] ?? "", /^done in \d+\.\d\d s: 2 new, 0 changed; archive: /);
  assert.ok(!io.out.includes("\x1b["), "no terminal codes in a pipe");
});

test("a terminal shows live progress that is cleared as sources finish", async () => {
  const io = captureIO(dir, true);
  assert.equal(await runMain(["run"], io), 0);
  assert.ok(io.out.includes("\r\u001b[K[0/2] fetching a"), "a live status line");
  assert.match(io.out, /a A: nothing new\n/);
});

test("--quiet prints nothing when all is well, and --source limits the run", async () => {
  files.set(
    "/a.xml",
    rss([{ title: "丙", link: "https://x.test/c", pubDate: "Tue, 02 Jan 2024 00:00:00 GMT" }]),
  );
  const io = captureIO(dir);
  assert.equal(await runMain(["run", "--quiet", "--source", "b"], io), 0);
  assert.equal(io.out, "");
  const json = captureIO(dir);
  await runMain(["run", "--json", "--source", "a"], json);
  const report = JSON.parse(json.out);
  assert.deepEqual(
    report.sources.map((s: { id: string; new: number }) => [s.id, s.new]),
    [["a", 1]],
  );
  const bad = captureIO(dir);
  assert.equal(await runMain(["run", "--source", "nope"], bad), 2);
  assert.match(bad.err, /--source nope: no such source/);
});
