import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CatalogEntry } from "../store/catalog.js";
import { readArticleFile } from "../store/files/index.js";
import { archivePaths } from "../store/files/paths.js";

/** An article for the catalog to take in; its text is read from the file then, so the queue stays small. */
export interface PendingRef {
  source: string;
  n: number;
}

/**
 * Articles a run wrote that the search catalog has not taken in yet. An hourly run only appends them
 * here (no SQLite, no tokenizer loaded: a millisecond instead of a noticeable share of the run); the
 * next search, `newsark serve` or `newsark reindex` applies them to the catalog incrementally.
 */
export function pendingPath(root: string): string {
  return join(archivePaths.cacheDir(root), "catalog-pending.jsonl");
}

/**
 * Queues articles for the catalog to take in. Callers queue only when the catalog exists (without
 * one, the first search builds it from the files, queued articles included).
 */
export function queueForCatalog(root: string, refs: readonly PendingRef[]): void {
  if (refs.length === 0) return;
  mkdirSync(archivePaths.cacheDir(root), { recursive: true });
  appendFileSync(pendingPath(root), refs.map((r) => `${JSON.stringify([r.source, r.n])}\n`).join(""));
}

/** Whether any articles wait to be taken in (a cheap check before taking the archive lock). */
export function hasPending(root: string): boolean {
  return existsSync(pendingPath(root)) || existsSync(`${pendingPath(root)}.taking`);
}

/**
 * Takes the queued entries: the file is renamed first, so entries appended meanwhile go to a new
 * file; `done` deletes it once they are in the catalog (a crash before that applies them again, which
 * is harmless: applying is an upsert). A torn last line from an interrupted append is skipped.
 */
export function takePending(root: string): { entries: CatalogEntry[]; done: () => void } | undefined {
  const path = pendingPath(root);
  const taking = `${path}.taking`;
  if (!existsSync(taking)) {
    if (!existsSync(path)) return undefined;
    renameSync(path, taking);
  }
  const entries: CatalogEntry[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(taking, "utf8").split("\n")) {
    if (line === "" || seen.has(line)) continue;
    seen.add(line);
    let ref: [string, number];
    try {
      ref = JSON.parse(line) as [string, number];
    } catch {
      continue; // A line cut short by a killed run; that article is in the files and in the next rebuild.
    }
    const article = readArticleFile(root, ref[0], ref[1]);
    if (article) entries.push({ source: ref[0], n: ref[1], ...article });
  }
  return { entries, done: () => rmSync(taking, { force: true }) };
}

/** Forgets queued entries (after a full rebuild from the files, which holds them all). */
export function dropPending(root: string): void {
  rmSync(pendingPath(root), { force: true });
  rmSync(`${pendingPath(root)}.taking`, { force: true });
}
