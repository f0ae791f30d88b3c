/** What prepare.ts and its worker thread say to each other. */
import type { ThreadFailure } from "../model/errors.js";
import type { CatalogEntry } from "../store/catalog.js";

/** Entries per message from the worker. */
export const CHUNK = 250;

/**
 * Chunks the worker may post before the rebuild has taken them: 8 × 250 = one 2,000-article batch,
 * so the worker tokenizes the next batch while SQLite inserts this one.
 */
export const AHEAD = 8;

/** The worker's job, given as workerData. */
export interface PrepareJob {
  root: string;
  sourceIds: string[];
  /** Entries per message (CHUNK unless a test wants many messages from a small archive). */
  chunk: number;
}

/** One message from the worker: tokenized entries, the end, or why it stopped. */
export type PrepareMessage = { entries: CatalogEntry[] } | { done: true } | { failed: ThreadFailure };
