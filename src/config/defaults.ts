import type { FetchSettings } from "../model/source.js";

/** Fetch settings used when newsark.yaml does not say otherwise. */
export const defaultFetchSettings: FetchSettings = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 60_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  concurrency: 8,
  perHostConcurrency: 2,
  userAgent: "newsark/0.1 (+https://github.com/newsark/newsark; news archiver)",
};
