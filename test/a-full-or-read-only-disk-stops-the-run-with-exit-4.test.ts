import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";

// Disk faults are injected (src/util/fault.ts): tests run as root, where a read-only folder made
// with chmod does not refuse anything.
const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

function archive(sources = ["a"]): string {
  const dir = tempDir();
  dirs.push(dir);
  const items = [0, 1].map((i) => ({ title: `标题${i}`, link: `https://x.test/${i}` }));
  writeFileSync(join(dir, "feed.xml"), rss(items));
  writeConfig(
    dir,
    `sources:\n${sources.map((id) => `  - { id: ${id}, name: ${id}, url: feed.xml }\n`).join("")}`,
  );
  return dir;
}

async function runWithFault(dir: string, fault: string) {
  process.env.NEWSARK_FAULT = fault;
  try {
    return await cli(dir, "run");
  } finally {
    delete process.env.NEWSARK_FAULT;
  }
}

const FAULTS: [string, string, RegExp][] = [
  ["a full disk", "ENOSPC", /the disk is full \(ENOSPC\)/],
  ["a read-only file system", "EROFS", /the file system is read-only \(EROFS\)/],
  ["a permission refused", "EACCES", /permission denied \(EACCES\)/],
  ["an operation not permitted", "EPERM", /operation not permitted \(EPERM\)/],
];

for (const [label, code, why] of FAULTS) {
  test(`DF-01: ${label} when writing articles fails the run with exit 4 and one line naming the file`, async () => {
    const dir = archive(["a", "b"]);
    const r = await runWithFault(dir, `io:${code}:/articles/`);
    assert.equal(r.code, 4, r.err);
    const lines = r.err.trim().split("\n");
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0] as string, /^newsark: archive: cannot write .*\/articles\/[ab]\/1048574\.md: /);
    assert.match(lines[0] as string, why);
    assert.doesNotMatch(r.err, /internal error/);
    // Once the disk is fixed, the next run archives everything.
    const again = await cli(dir, "run", "--json");
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(
      JSON.parse(again.out).sources.map((s: { new: number }) => s.new),
      [2, 2],
    );
  });
}

test("DF-02: a read-only state folder fails with exit 4, and the articles already written are kept, not deleted", async () => {
  const dir = archive();
  const r = await runWithFault(dir, "io:EROFS:/state/");
  assert.equal(r.code, 4, r.err);
  assert.match(r.err, /cannot write .*\/state\/a\.tsv: the file system is read-only/);
  assert.equal(readdirSync(join(dir, "articles/a")).length, 2);
  const again = await cli(dir, "run", "--json");
  assert.equal(again.code, 0, again.err);
  assert.equal(readdirSync(join(dir, "articles/a")).length, 2, "taken back in, not written twice");
  assert.ok(existsSync(join(dir, "state/a.tsv")));
});

test("DF-03: a lock that cannot be written fails with exit 4 naming the lock", async () => {
  const dir = archive();
  const r = await runWithFault(dir, "io:EACCES:.newsark/lock");
  assert.equal(r.code, 4, r.err);
  assert.match(r.err, /cannot write .*\.newsark\/lock: permission denied/);
  assert.ok(!existsSync(join(dir, "articles")), "nothing archived without the lock");
});
