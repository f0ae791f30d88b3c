import { execFileSync } from "node:child_process";
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { NewsarkError } from "../model/errors.js";
import { faultPoint, ioFault } from "./fault.js";

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

/** What each refusal of the file system means for the user, by errno code. */
const REFUSALS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
};

/**
 * Turns a refusal of the file system (disk full, read-only, permission denied) into one clear
 * `archive-io` line naming the path; any other error is returned as it was.
 */
export function asArchiveIoError(err: unknown, path: string, doing = "write"): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code ? REFUSALS[code] : undefined;
  if (!why || err instanceof NewsarkError) return err;
  return new NewsarkError("archive-io", `archive: cannot ${doing} ${path}: ${why} (${code})`, { cause: err });
}

/** Writes pieces of text one after another, so a large file never exists as one string in memory. */
function writePieces(tmp: string, pieces: Iterable<string | Uint8Array>): void {
  const fd = openSync(tmp, "w");
  try {
    for (const piece of pieces) {
      const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
      // A write may take fewer bytes than given; the rest follows.
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
}

function writeTemp(tmp: string, data: string | Uint8Array | Iterable<string | Uint8Array>): void {
  if (typeof data === "string" || data instanceof Uint8Array) writeFileSync(tmp, data);
  else writePieces(tmp, data);
}

/** Writes a temp file beside `path` (creating the folder), then lets `place` move it into place. */
function writeViaTemp(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
  place: (tmp: string) => void,
): void {
  const tmp = tempName(path);
  try {
    ioFault(path);
    const dir = dirname(path);
    ensureDir(dir);
    try {
      writeTemp(tmp, data);
    } catch (err) {
      // The folder was known to exist but was removed since (a long-lived process): make it again.
      // Opening the temp file is what failed, so iterable data has not been read yet.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      createdDirs.delete(dir);
      ensureDir(dir);
      writeTemp(tmp, data);
    }
    faultPoint("before-rename");
    place(tmp);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asArchiveIoError(err, path);
  }
}

/**
 * Writes a file so that readers only ever see the old or the whole new content: temp file in the same
 * folder, then rename. No fsync here (that would cost 0.5 ms per file); callers that need durability
 * flush the whole batch at once with `flushFilesystem`. `data` may be an iterable of pieces (text or
 * bytes), for files too large to build as one string.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
): void {
  writeViaTemp(path, data, (tmp) => renameSync(tmp, path));
}

/**
 * Like writeFileAtomic, but only creates: when `path` already exists it is left untouched and this
 * returns false (a hard link, unlike a rename, never replaces its target).
 */
export function writeFileExclusive(path: string, data: string | Uint8Array): boolean {
  let created = true;
  writeViaTemp(path, data, (tmp) => {
    try {
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      created = false;
    }
    // unlink, not rm: one system call per article instead of a stat and an unlink.
    unlinkSync(tmp);
  });
  return created;
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
