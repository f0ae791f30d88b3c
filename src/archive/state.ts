import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ArticleRecord, Item } from "../model/article.js";
import type { Source } from "../model/source.js";
import { contentHash, linkKeyOf } from "../normalize/index.js";
import { archivePaths, numberAfter } from "../store/files/paths.js";
import {
  addRecord,
  makeSourceState,
  pickFromHead,
  readSourceState,
  readStateTail,
  recordsFromFiles,
  type SourceState,
  statePiecesFromFiles,
} from "../store/files/state.js";
import { asArchiveIoError, flushFilesystem, writeFileAtomic } from "../util/atomic.js";
import { faultPoint, ioFault } from "../util/fault.js";

/** The article numbers a killed run wrote but never recorded: files at `nextN`, then the one after, … */
function unrecordedNumbers(root: string, sourceId: string, nextN: number | undefined): number[] {
  const orphans: number[] = [];
  for (let n = nextN; n !== undefined && existsSync(archivePaths.article(root, sourceId, n)); ) {
    orphans.push(n);
    n = numberAfter(n);
  }
  return orphans;
}

/** A source's state, with articles that a killed run wrote but never recorded taken back in. */
export function loadSourceState(root: string, sourceId: string): SourceState {
  const state = readSourceState(root, sourceId) ?? fromFilesIfAny(root, sourceId);
  // A run killed after renaming new articles but before saving state leaves files at the numbers it
  // would have given out next.
  const orphans = unrecordedNumbers(root, sourceId, state.nextN);
  if (orphans.length === 0) return state;
  const found = recordsFromFiles(root, sourceId, linkKeyOf, contentHash, orphans);
  const repaired = makeSourceState([...state.records, ...found]);
  repaired.dirty = true;
  return repaired;
}

/**
 * A source's state for deciding `items`. When the state file is large, only its newest lines are
 * parsed, and the lines of older records whose key is an item's key or link are picked from the rest
 * of the file by a byte search: the run holds what deciding the items needs, however large the
 * archive, and saving keeps the other lines as they are (appended to in place when no line changed).
 * Articles a killed run wrote but never recorded are taken back in. Every item gets the previous
 * record it gets from loadSourceState.
 */
export function loadStateForItems(root: string, sourceId: string, items: readonly Item[]): SourceState {
  const tail = readStateTail(root, sourceId);
  if (!tail) return loadSourceState(root, sourceId);
  const orphans = unrecordedNumbers(root, sourceId, tail.nextN);
  if (orphans.length > 0) {
    for (const r of recordsFromFiles(root, sourceId, linkKeyOf, contentHash, orphans)) {
      addRecord(tail, r);
      tail.nextN = numberAfter(r.n);
      tail.dirty = true;
    }
  }
  // As previousRecord looks: by key, and by link only for an item whose key is not known.
  pickFromHead(
    tail,
    items.flatMap((i) => (tail.byKey.has(i.key) ? [] : [i.key, i.linkKey])),
  );
  return tail;
}

/** A source without a state file (a new source, or one that takeOverFromFiles found no article in). */
function fromFilesIfAny(root: string, sourceId: string): SourceState {
  if (!existsSync(archivePaths.articlesDir(root, sourceId))) return makeSourceState([]);
  const rebuilt = makeSourceState(recordsFromFiles(root, sourceId, linkKeyOf, contentHash));
  // Saved at the end of the run even when nothing is new, so the files are read only once.
  rebuilt.dirty = rebuilt.records.length > 0;
  return rebuilt;
}

/** What the lists show of a record rebuilt from its file: the rest is left out to hold less. */
function listedPart(r: ArticleRecord): ArticleRecord {
  return { n: r.n, key: "", published: r.published, seen: 0, hash: "", title: r.title, versions: r.versions };
}

/**
 * Takes over a source that has article files but no state file (an archive of the earlier system, or
 * one whose state was lost) before its items are decided: the state is rebuilt from the files one at a
 * time and written, and the lists are drawn from it, holding only what lists show of each article, so
 * a run taking over an archive of any size never holds its records. The state is a record of files
 * that were there before the run, so it may be written before the run ends, in this order: the state
 * goes to a temp file in state/; `drawLists` writes the lists; the file system is flushed, so every
 * article the state names is durable; the state is renamed into place. A run killed before the rename
 * leaves no state (the next run takes the source over again, and removes the temp file); after it,
 * state and lists are whole. Returns true when it wrote a state.
 */
export function takeOverFromFiles(
  root: string,
  sourceId: string,
  drawLists: (records: readonly ArticleRecord[]) => void,
): boolean {
  const path = archivePaths.state(root, sourceId);
  if (existsSync(path) || !existsSync(archivePaths.articlesDir(root, sourceId))) return false;
  const rebuilt = `${path}.rebuilt.tmp`;
  let listed: ArticleRecord[] = [];
  try {
    const pieces = statePiecesFromFiles(root, sourceId, linkKeyOf, contentHash, (r) => {
      listed.push(listedPart(r));
    });
    writeFileAtomic(rebuilt, pieces);
    if (listed.length === 0) return false;
    drawLists(listed);
    listed = [];
    flushFilesystem(root);
    try {
      ioFault(path);
      renameSync(rebuilt, path);
    } catch (err) {
      throw asArchiveIoError(err, path);
    }
  } finally {
    rmSync(rebuilt, { force: true });
  }
  faultPoint("after-takeover");
  return true;
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
    // An edit killed while keeping the earlier version leaves its temp file beside the versions.
    const versions = join(root, "versions", source.id);
    if (existsSync(versions)) for (const n of readdirSync(versions)) removeTempFiles(join(versions, n));
  }
}
