/**
 * The article files of an archive, read and tokenized in a worker thread for a rebuild: reading the
 * files, HTML to text and tokenizing take about a third of a rebuild's CPU, and SQLite's inserts the
 * rest, so on two cores the two overlap (src/search/README.md, "Rebuild cost, measured").
 */
import { Worker } from "node:worker_threads";
import { errorOfThreadFailure } from "../model/errors.js";
import type { CatalogEntry } from "../store/catalog.js";
import { CHUNK, type PrepareJob, type PrepareMessage } from "./prepare-protocol.js";

/**
 * Every article file of `sourceIds` as a catalog entry whose title and body come tokenized (by the
 * Chinese-aware tokenizer, in a worker thread), in the order of archiveEntries. Stopping early (a
 * rebuild interrupted) ends the worker; a file the worker cannot read is thrown here. `chunk` is how
 * many entries each message carries.
 *
 * @example
 * await catalog.rebuild(tokenizedArchiveEntries(root, ["voa", "bbc"]));
 */
export async function* tokenizedArchiveEntries(
  root: string,
  sourceIds: readonly string[],
  chunk = CHUNK,
): AsyncGenerator<CatalogEntry> {
  const job: PrepareJob = { root, sourceIds: [...sourceIds], chunk };
  const worker = new Worker(new URL("./prepare-worker.js", import.meta.url), { workerData: job });
  const inbox: PrepareMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on("message", (m: PrepareMessage) => {
    inbox.push(m);
    wake?.();
  });
  worker.on("error", (err) => {
    failure ??= err;
    wake?.();
  });
  worker.on("exit", (code) => {
    failure ??= new Error(`catalog: the worker reading the article files stopped (exit ${code})`);
    wake?.();
  });
  try {
    for (;;) {
      const m = inbox.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ("done" in m) return;
      if ("failed" in m) throw errorOfThreadFailure(m.failed);
      worker.postMessage("more");
      yield* m.entries;
    }
  } finally {
    await worker.terminate();
  }
}
