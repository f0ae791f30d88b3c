/**
 * The main thread's side of postings-worker.ts: texts go to the worker in batches, with at most a
 * few batches on their way, so a build that reads faster than the worker tokenizes waits instead of
 * queueing the archive's text in memory.
 */
import { Worker } from "node:worker_threads";
import { errorOfThreadFailure, type ThreadFailure, threadFailureOf } from "../../model/errors.js";
import type { BodySegment } from "./text-index.js";

/** What the main thread asks of the worker. */
export type PostingsRequest =
  | { kind: "texts"; ids: number[]; titles: string[]; texts: string[] }
  | { kind: "write"; name: string };

/** What the worker answers: a batch taken in, the segment written (files with their hashes), or an error. */
export type PostingsReply =
  | { kind: "added" }
  | { kind: "segment"; segment: BodySegment; files: [rel: string, hash: string][] }
  | { kind: "failed"; error: ThreadFailure };

/** Docs per message. */
const BATCH = 64;
/** Batches sent and not yet taken in, at most. */
const IN_FLIGHT = 4;

/** Full-text postings collected by a worker thread; the same results as BodyPostings.writeSegment. */
export class PostingsThread {
  /** Docs added. */
  docs = 0;
  private readonly worker: Worker;
  private batch: { ids: number[]; titles: string[]; texts: string[] } = { ids: [], titles: [], texts: [] };
  private inFlight = 0;
  private waiting: (() => void) | undefined;
  private segment: ((reply: PostingsReply) => void) | undefined;
  private failure: unknown;

  /** `dir`: the spill folder (see SpillOptions); `outDir`: the site, where the segment's files go. */
  constructor(dir: string, outDir: string) {
    this.worker = new Worker(new URL("./postings-worker.js", import.meta.url), {
      workerData: { dir, outDir },
    });
    this.worker.on("message", (reply: PostingsReply) => {
      if (reply.kind === "added") this.inFlight--;
      else if (reply.kind === "failed") this.fail(errorOfThreadFailure(reply.error));
      else this.segment?.(reply);
      this.wake();
    });
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", () => this.fail(new Error("site: the full-text worker stopped early")));
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.wake();
    this.segment?.({ kind: "failed", error: threadFailureOf(this.failure) });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** Adds one doc's title and text under search id `id`; resolves when the worker has room for more. */
  async addText(id: number, title: string, text: string): Promise<void> {
    this.docs++;
    this.batch.ids.push(id);
    this.batch.titles.push(title);
    this.batch.texts.push(text);
    if (this.batch.ids.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.batch.ids.length === 0) return;
    this.worker.postMessage({ kind: "texts", ...this.batch } satisfies PostingsRequest);
    this.batch = { ids: [], titles: [], texts: [] };
    this.inFlight++;
    while (this.inFlight >= IN_FLIGHT && this.failure === undefined)
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    if (this.failure !== undefined) throw this.failure;
  }

  /** Writes the segment `name` into the site; returns it with its files' site-relative paths and hashes. */
  async writeSegment(name: string): Promise<{ segment: BodySegment; files: [string, string][] }> {
    await this.flush();
    const reply = await new Promise<PostingsReply>((resolve) => {
      this.segment = resolve;
      this.worker.postMessage({ kind: "write", name } satisfies PostingsRequest);
    });
    this.segment = undefined;
    if (reply.kind === "failed") throw errorOfThreadFailure(reply.error);
    if (reply.kind !== "segment") throw new Error("site: the full-text worker gave no segment");
    return { segment: reply.segment, files: reply.files };
  }

  /** Stops the worker (after writeSegment, or when the build failed). */
  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}
