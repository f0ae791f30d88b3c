import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { NewsarkError } from "../../model/errors.js";
import { archivePaths } from "./paths.js";

/** A held archive lock; `crashed` is true when the previous holder died without releasing it. */
export interface ArchiveLock {
  crashed: boolean;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the archive's lock (`.newsark/lock`, created exclusively). A lock held by a live process makes
 * this throw one clear line; a lock left by a dead process (a killed run) is taken over and reported as
 * `crashed`, so the caller can tidy what that run left.
 */
export function acquireLock(root: string, what = "run"): ArchiveLock {
  const path = archivePaths.lock(root);
  mkdirSync(dirname(path), { recursive: true });
  const me = `${process.pid}\t${hostname()}\t${new Date().toISOString()}\t${what}\n`;
  let crashed = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, me);
      closeSync(fd);
      return {
        crashed,
        release: () => rmSync(path, { force: true }),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new NewsarkError("archive", `archive: cannot create lock ${path}`, { cause: err });
      }
    }
    let holder = "";
    try {
      holder = readFileSync(path, "utf8");
    } catch {
      continue; // released meanwhile: try again
    }
    const [pid, host, since, task] = holder.trim().split("\t");
    const sameHost = host === hostname();
    if (pid && sameHost && !alive(Number(pid))) {
      rmSync(path, { force: true });
      crashed = true;
      continue;
    }
    throw new NewsarkError(
      "locked",
      `archive: ${root} is busy: another newsark ${task ?? "run"} (pid ${pid ?? "?"} on ${host ?? "?"}, since ${since ?? "?"}) holds ${path}; try again when it ends`,
    );
  }
  throw new NewsarkError("locked", `archive: cannot take the lock ${path}`);
}
