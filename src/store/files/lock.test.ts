import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { NewsarkError } from "../../model/errors.js";
import { acquireLock, STALE_LOCK_MS } from "./lock.js";
import { archivePaths } from "./paths.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function archiveWithLock(text: string | undefined, ageMs = 0): string {
  const root = mkdtempSync(join(tmpdir(), "newsark-lock-"));
  dirs.push(root);
  if (text !== undefined) {
    const path = archivePaths.lock(root);
    mkdirSync(join(root, ".newsark"), { recursive: true });
    writeFileSync(path, text);
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(path, t, t);
  }
  return root;
}

/** The pid of a process that has exited, so it is certainly not alive. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

const since = new Date().toISOString();

test("LK-01: a lock held by a live process on this host is refused with a clear line", () => {
  const root = archiveWithLock(`${process.pid}\t${hostname()}\t${since}\trun\n`);
  assert.throws(
    () => acquireLock(root),
    (err) => err instanceof NewsarkError && err.code === "locked" && /another newsark run/.test(err.message),
  );
});

test("LK-02: stale locks are taken over and reported as crashed", () => {
  const cases: [string, string | undefined, number][] = [
    ["empty", "", 0],
    ["garbage", "\u0000\u0000\u0000", 0],
    ["dead process on this host", `${deadPid()}\t${hostname()}\t${since}\trun\n`, 0],
    ["old lock from another host", `1\tgone-container-1234\t${since}\trun\n`, STALE_LOCK_MS + 60_000],
  ];
  for (const [label, text, age] of cases) {
    const root = archiveWithLock(text, age);
    const lock = acquireLock(root);
    assert.equal(lock.crashed, true, label);
    assert.match(readFileSync(archivePaths.lock(root), "utf8"), new RegExp(`^${process.pid}\t`), label);
    lock.release();
  }
});

test("LK-03: a recent lock from another host is respected (its process cannot be looked up)", () => {
  const root = archiveWithLock(`1\tother-host\t${since}\trun\n`, 60_000);
  assert.throws(
    () => acquireLock(root),
    (err) => err instanceof NewsarkError && err.code === "locked",
  );
});

test("LK-04: concurrent processes taking over one stale lock hold it one at a time, and one reports the crash", async () => {
  const root = archiveWithLock(`${deadPid()}\t${hostname()}\t${since}\trun\n`);
  const log = join(root, "log");
  const script = join(root, "contender.mjs");
  writeFileSync(
    script,
    `import { appendFileSync } from "node:fs";
import { acquireLock } from ${JSON.stringify(resolve("dist/src/store/files/lock.js"))};
const [root, log] = process.argv.slice(2);
const pause = (ms) => new Promise((ok) => setTimeout(ok, ms));
for (let attempt = 0; attempt < 4000; attempt++) {
  let lock;
  try { lock = acquireLock(root); } catch (err) {
    if (err.code !== "locked") throw err;
    await pause(5);
    continue;
  }
  appendFileSync(log, \`enter \${process.pid} \${lock.crashed}\\n\`);
  await pause(10);
  appendFileSync(log, \`leave \${process.pid}\\n\`);
  lock.release();
  process.exit(0);
}
process.exit(3);
`,
  );
  const codes = await Promise.all(
    Array.from(
      { length: 6 },
      () =>
        new Promise<number | null>((ok, fail) => {
          const child = spawn(process.execPath, [script, root, log], { stdio: "ignore" });
          child.on("error", fail);
          child.on("exit", (code) => ok(code));
        }),
    ),
  );
  assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
  const lines = readFileSync(log, "utf8").trim().split("\n");
  assert.equal(lines.length, 12);
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, pid] = (lines[i] as string).split(" ");
    assert.equal(enter, "enter", `line ${i + 1} starts a holding`);
    assert.equal(lines[i + 1], `leave ${pid}`, `no one else entered while ${pid} held the lock`);
  }
  assert.equal(
    lines.filter((l) => l.endsWith(" true")).length,
    1,
    "exactly one process took over the stale lock",
  );
});
