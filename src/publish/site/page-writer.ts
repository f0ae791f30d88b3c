/**
 * Atomic page writes on libuv's thread pool. A full build writes one file per article (100,000 and
 * more); written one at a time on the main thread, the system calls and the disk's waits would add to
 * the build's own work. Here up to `limit` writes are under way while the build renders the next
 * pages, so on two cores the writing mostly overlaps the rendering.
 */
import { mkdirSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { asArchiveIoError } from "../../util/atomic.js";

/** Writes files atomically (temp file beside the target, then rename), a bounded number at once. */
export class PageWriter {
  private readonly pending = new Set<Promise<void>>();
  private readonly dirs = new Set<string>();
  private failure: unknown;
  private counter = 0;

  /**
   * `limit`: writes under way at most; `write` waits for one to finish past that. Kept as small as
   * libuv's thread pool (4): more files created at once in one folder only wait on its lock.
   */
  constructor(private readonly limit = 4) {}

  /**
   * Starts writing `text` to `path`; resolves once there is room for another write (not when this one
   * is done: `drain` waits for all). Rejects with the first write's failure, as an `archive-io` error
   * when the file system refused.
   */
  async write(path: string, text: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // The build holds the archive's lock, so pid + counter names temp files uniquely.
    const tmp = `${path}.${process.pid}.w${++this.counter}.tmp`;
    const done: Promise<void> = writeFile(tmp, text)
      .then(() => rename(tmp, path))
      .catch(async (err: unknown) => {
        await rm(tmp, { force: true });
        this.failure ??= asArchiveIoError(err, path);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
    while (this.pending.size >= this.limit) await Promise.race(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for every write started; rejects with the first failure. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.race(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }
}
