import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Item } from "../model/article.js";
import type { Source } from "../model/source.js";
import { contentHash, linkKeyOf } from "../normalize/index.js";
import { archivePaths, numberAfter } from "../store/files/paths.js";
import {
  makeSourceState,
  readSourceState,
  readStateTail,
  recordsFromFiles,
  type SourceState,
  stateHeadHasKey,
} from "../store/files/state.js";
import { asArchiveIoError } from "../util/atomic.js";

/** A source's state, with articles that a killed run wrote but never recorded taken back in. */
export function loadSourceState(root: string, sourceId: string): SourceState {
  const state = readSourceState(root, sourceId) ?? fromFilesIfAny(root, sourceId);
  // A run killed after renaming new articles but before saving state leaves files at the numbers it
  // would have given out next: nextN, then the one after, …
  const orphans: number[] = [];
  for (let n = state.nextN; n !== undefined && existsSync(archivePaths.article(root, sourceId, n)); ) {
    orphans.push(n);
    n = numberAfter(n);
  }
  if (orphans.length === 0) return state;
  const found = recordsFromFiles(root, sourceId, linkKeyOf, contentHash, orphans);
  const repaired = makeSourceState([...state.records, ...found]);
  repaired.dirty = true;
  return repaired;
}

/**
 * A source's state for deciding `items`. When the state file is large and every item is either
 * unchanged among its newest lines or absent from all of it (the hourly run with new articles), only
 * those newest lines are parsed: the rest of the file is searched for the new items' keys as bytes
 * and kept as it is when the state is saved, so the run costs the same at any archive size.
 * Otherwise (an edit, a record known only by link, unrecorded files of a killed run) the whole state
 * is loaded as loadSourceState does; both give every item the same previous record.
 */
export function loadStateForItems(root: string, sourceId: string, items: readonly Item[]): SourceState {
  const tail = readStateTail(root, sourceId);
  if (tail && onlyAdds(tail, items) && !unrecordedAt(root, sourceId, tail.nextN)) return tail;
  return loadSourceState(root, sourceId);
}

/** True when deciding `items` against the tail of a state changes none of the records already there. */
function onlyAdds(tail: SourceState, items: readonly Item[]): boolean {
  const absent: string[] = [];
  for (const item of items) {
    const found = tail.byKey.get(item.key);
    if (found) {
      if (found.hash !== item.hash) return false;
      continue;
    }
    // A record known by the item's link takes the item's key, which rewrites its line.
    if (tail.byKey.has(item.linkKey)) return false;
    absent.push(item.key, item.linkKey);
  }
  // Likewise an item whose link is another new item's key (one with a guid, one without) would rekey
  // the record written for the other in this run.
  const newKeys = new Set(items.map((i) => i.key));
  if (items.some((i) => i.linkKey !== i.key && newKeys.has(i.linkKey))) return false;
  return !stateHeadHasKey(tail, absent);
}

/** True when a killed run left an article file at the number the state gives out next. */
function unrecordedAt(root: string, sourceId: string, n: number | undefined): boolean {
  return n !== undefined && existsSync(archivePaths.article(root, sourceId, n));
}

/** A source without a state file: a new source, or a legacy archive whose files are the only record. */
function fromFilesIfAny(root: string, sourceId: string): SourceState {
  if (!existsSync(archivePaths.articlesDir(root, sourceId))) return makeSourceState([]);
  const rebuilt = makeSourceState(recordsFromFiles(root, sourceId, linkKeyOf, contentHash));
  // Saved at the end of the run even when nothing is new, so the files are read only once.
  rebuilt.dirty = rebuilt.records.length > 0;
  return rebuilt;
}

/** Removes temp files a killed run left in a folder. */
function removeTempFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    try {
      rmSync(path, { force: true });
    } catch (err) {
      throw asArchiveIoError(err, path, "remove");
    }
  }
}

/** After a killed run: remove its temp files; its unrecorded articles are taken back by loadSourceState. */
export function tidyAfterCrash(root: string, sources: readonly Source[]): void {
  for (const dir of ["lists", "state"]) removeTempFiles(join(root, dir));
  removeTempFiles(archivePaths.cacheDir(root));
  for (const source of sources) {
    removeTempFiles(archivePaths.articlesDir(root, source.id));
    removeTempFiles(join(root, "lists", source.name));
  }
}
