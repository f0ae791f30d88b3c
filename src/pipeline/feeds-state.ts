import { readFileSync } from "node:fs";
import { NewsarkError } from "../model/errors.js";
import { archivePaths } from "../store/files/paths.js";

/** What the archive remembers of each feed between runs: validators for a conditional GET. */
export interface FeedState {
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Hash of the last body (and source settings) fully processed: an identical body is skipped. */
  bodyHash?: string | undefined;
}

/** Reads state/feeds.json; empty when missing. */
export function readFeedsState(root: string): Record<string, FeedState> {
  const path = archivePaths.feedsState(root);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, FeedState>) : {};
  } catch {
    throw new NewsarkError(
      "archive",
      `archive: ${path} is not valid JSON (delete it to start the feeds afresh)`,
    );
  }
}

/** Serialises feeds.json with sorted keys, so it only changes when a validator does. */
export function formatFeedsState(feeds: Record<string, FeedState>): string {
  const sorted: Record<string, FeedState> = {};
  for (const id of Object.keys(feeds).sort()) {
    const f = feeds[id] as FeedState;
    sorted[id] = {
      ...(f.etag ? { etag: f.etag } : {}),
      ...(f.lastModified ? { lastModified: f.lastModified } : {}),
      ...(f.bodyHash ? { bodyHash: f.bodyHash } : {}),
    };
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
