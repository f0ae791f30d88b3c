import type { RebuildOptions } from "../../store/catalog.js";
import type { CliIO } from "../io.js";

/** Rebuild options with a way to say how many articles to expect and to remove the signal handler. */
export interface CommandRebuild extends RebuildOptions {
  /** Sets the number of articles the progress line counts towards. */
  expect(total: number): void;
  /** Removes the SIGINT handler and ends the progress line. */
  dispose(): void;
}

/**
 * Rebuild options for a command: progress on a terminal, and a stop after the current batch on
 * Ctrl-C (SIGINT), so the next run resumes. NEWSARK_STOP_AFTER_BATCHES=N stops after batch N and
 * NEWSARK_REBUILD_BATCH=N sets the batch size: a deterministic interruption for tests.
 */
export function commandRebuild(io: CliIO, label: string): CommandRebuild {
  let stop = false;
  let batches = 0;
  let total = 0;
  const stopAfter = Number(io.env.NEWSARK_STOP_AFTER_BATCHES ?? Number.NaN);
  const batchSize = Number(io.env.NEWSARK_REBUILD_BATCH ?? Number.NaN);
  const onSigint = () => {
    stop = true;
  };
  process.on("SIGINT", onSigint);
  return {
    ...(Number.isInteger(batchSize) && batchSize > 0 ? { batchSize } : {}),
    expect: (n) => {
      total = n;
    },
    onBatch: ({ done }) => {
      batches++;
      if (!io.isTTY) return;
      const of = total > 0 ? ` / ${total.toLocaleString("en")}` : "";
      io.stderr(`\r${label}: ${done.toLocaleString("en")}${of} articles`);
    },
    shouldStop: () => stop || (Number.isInteger(stopAfter) && batches >= stopAfter),
    dispose: () => {
      process.off("SIGINT", onSigint);
      if (io.isTTY && batches > 0) io.stderr("\n");
    },
  };
}
