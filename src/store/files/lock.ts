import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { NewsarkError } from "../../model/errors.js";
import { asArchiveIoError, writeFileAtomic, writeFileExclusive } from "../../util/atomic.js";
import { archivePaths } from "./paths.js";

/** A held archive lock; `crashed` is true when the previous holder died without releasing it. */
export interface ArchiveLock {
  crashed: boolean;
  release(): void;
}

/**
 * A lock written on another host (every container gets a new host name, so its process cannot be
 * looked up) is taken as stale once it is this old. Far longer than any run; short enough that an
 * hourly job whose container was killed resumes within the same day.
 */
export const STALE_LOCK_MS = 6 * 60 * 60 * 1000;
/** The takeover guard is held for a few system calls; older than this, its holder died. */
const STALE_GUARD_MS = 60 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** What is in the lock file now: its text and age, or undefined when there is none. */
function readHolder(path: string): { text: string | undefined; ageMs: number } | undefined {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    return { text: readFileSync(path, "utf8"), ageMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { text: undefined, ageMs };
  }
}

/**
 * Whether a lock's holder is gone: the file is empty, unreadable or not a lock line (a crash while the
 * disk lost data), its process is dead on this host, or it comes from another host and is older than
 * STALE_LOCK_MS. Lock files are created whole (temp + link), so an empty one is never a lock being written.
 */
function isStale(holder: { text: string | undefined; ageMs: number }): boolean {
  if (!holder.text) return true;
  const [pid, host, since] = holder.text.trim().split("\t");
  if (!pid || !/^\d+$/.test(pid) || !host || !since) return true;
  if (host === hostname()) return !alive(Number(pid));
  return holder.ageMs > STALE_LOCK_MS;
}

/**
 * Replaces a stale lock with ours, unless someone replaced it meanwhile. A short guard file makes the
 * check and the replacement one step, and the replacement is a rename over the stale file, so there
 * is no moment without a lock in which a third process could create its own: of all the processes
 * that judged the same lock stale, exactly one takes it over.
 */
function takeOverIfStill(path: string, staleText: string | undefined, me: string): boolean {
  const guard = `${path}.takeover`;
  if (!writeFileExclusive(guard, `${process.pid}\t${hostname()}\n`)) {
    const g = readHolder(guard);
    if (g && g.ageMs > STALE_GUARD_MS) rmSync(guard, { force: true });
    return false;
  }
  try {
    const now = readHolder(path);
    if (!now || now.text !== staleText) return false;
    writeFileAtomic(path, me);
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** The lock as held; released only while it is still ours (a run judged stale must not remove its successor's lock). */
function held(path: string, me: string, crashed: boolean): ArchiveLock {
  const release = () => {
    if (readHolder(path)?.text === me) rmSync(path, { force: true });
  };
  return { crashed, release };
}

/**
 * Takes the archive's lock (`.newsark/lock`, created whole and exclusively). A lock held by a live
 * process makes this throw one clear line; a stale lock (see isStale) is taken over and reported as
 * `crashed`, so the caller can tidy what that run left.
 */
export function acquireLock(root: string, what = "run", path = archivePaths.lock(root)): ArchiveLock {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw asArchiveIoError(err, dirname(path), "create");
  }
  const me = `${process.pid}\t${hostname()}\t${new Date().toISOString()}\t${what}\n`;
  let lastHolder = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    if (writeFileExclusive(path, me)) return held(path, me, false);
    const holder = readHolder(path);
    if (!holder) continue; // released meanwhile: try again
    lastHolder = holder.text ?? "";
    if (!isStale(holder)) break;
    if (takeOverIfStill(path, holder.text, me)) return held(path, me, true);
  }
  const [pid, host, since, task] = lastHolder.trim().split("\t");
  throw new NewsarkError(
    "locked",
    `archive: ${root} is busy: another newsark ${task || "run"} (pid ${pid || "?"} on ${host || "?"}, since ${since || "?"}) holds ${path}; try again when it ends`,
  );
}
