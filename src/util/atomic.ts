import { execFileSync } from "node:child_process";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

const createdDirs = new Set<string>();
// The archive lock keeps runs apart, so pid + counter names temp files uniquely without randomness.
let tempCounter = 0;

function tempName(path: string): string {
  tempCounter++;
  return `${path}.${process.pid}.${tempCounter}.tmp`;
}

function ensureDir(dir: string): void {
  if (createdDirs.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  createdDirs.add(dir);
}

/**
 * Writes a file so that readers only ever see the old or the whole new content: temp file in the same
 * folder, then rename. No fsync here (that would cost 0.5 ms per file); callers that need durability
 * call `writeFileDurable` for the one file that commits a run.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDir(dirname(path));
  const tmp = tempName(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Like writeFileAtomic, but fsyncs the data and the folder so the rename survives a power cut. */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  ensureDir(dir);
  const tmp = tempName(path);
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/** Flushes a folder's entries (new names from renames) to disk. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot open folders for fsync; the file data itself is already synced.
  }
}

/**
 * Flushes every written file of the filesystem holding `dir` in one batch (syncfs via `sync -f`), so a
 * run makes its new articles durable without an fsync per article. Best effort: where `sync` is missing
 * the renames are still atomic, only not yet durable.
 */
export function flushFilesystem(dir: string): void {
  try {
    execFileSync("sync", ["-f", dir], { stdio: "ignore", timeout: 30_000 });
  } catch {
    fsyncDir(dir);
  }
}

/** For tests and long-lived processes: forget which folders are known to exist. */
export function forgetCreatedDirs(): void {
  createdDirs.clear();
}
