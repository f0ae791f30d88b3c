import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PendingArticle } from "../extract/types.js";
import type { ArticleRecord, SourceReport } from "../model/article.js";
import type { Source } from "../model/source.js";
import { contentHash, type Item, linkKeyOf } from "../normalize/index.js";
import { formatArticle } from "../store/files/article-format.js";
import { archivePaths } from "../store/files/paths.js";
import {
  addRecord,
  makeSourceState,
  readSourceState,
  recordsFromFiles,
  type SourceState,
} from "../store/files/state.js";
import { writeFileAtomic } from "../util/atomic.js";

/** A source's state, with articles that a killed run wrote but never recorded taken back in. */
export function loadSourceState(root: string, sourceId: string): SourceState {
  const state = readSourceState(root, sourceId) ?? fromFilesIfAny(root, sourceId);
  // A run killed after renaming new articles but before saving state leaves files at nextN, nextN-1, …
  const orphans: number[] = [];
  for (let n = state.nextN; existsSync(archivePaths.article(root, sourceId, n)); n--) orphans.push(n);
  if (orphans.length === 0) return state;
  const found = recordsFromFiles(root, sourceId, linkKeyOf, contentHash, orphans);
  const repaired = makeSourceState([...state.records, ...found]);
  repaired.dirty = true;
  return repaired;
}

/** A source without a state file: a new source, or a legacy archive whose files are the only record. */
function fromFilesIfAny(root: string, sourceId: string): SourceState {
  if (!existsSync(archivePaths.articlesDir(root, sourceId))) return makeSourceState([]);
  const rebuilt = makeSourceState(recordsFromFiles(root, sourceId, linkKeyOf, contentHash));
  // Saved at the end of the run even when nothing is new, so the files are read only once.
  rebuilt.dirty = rebuilt.records.length > 0;
  return rebuilt;
}

/** Finds the archived record of an item: by its key, else by its link (for records rebuilt from files). */
export function findRecord(state: SourceState, item: Item): ArticleRecord | undefined {
  const byKey = state.byKey.get(item.key);
  if (byKey) return byKey;
  const byLink = state.byKey.get(item.linkKey);
  if (byLink && byLink.key !== item.key) {
    // Upgrade the identity to the guid now that the feed tells it.
    state.byKey.delete(byLink.key);
    byLink.key = item.key;
    state.byKey.set(item.key, byLink);
    state.dirty = true;
  }
  return byLink;
}

/** Removes temp files a killed run left in a folder. */
export function removeTempFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".tmp")) rmSync(join(dir, name), { force: true });
  }
}

/** An article this run wrote (new, or a new version), for the search catalog's queue. */
export interface WrittenArticle {
  record: ArticleRecord;
}

/** Article number order of new items: oldest published first, so the newest gets the lowest number. */
function oldestFirst(a: PendingArticle, b: PendingArticle): number {
  return a.item.published - b.item.published;
}

/**
 * Writes a source's new and changed articles (temp file + rename each) and updates its state in memory.
 * An edited article's previous file is kept under versions/<id>/<n>/<seen>.md before it is replaced.
 */
export function writeArticles(
  root: string,
  source: Source,
  state: SourceState,
  pending: PendingArticle[],
  records: Map<PendingArticle, ArticleRecord>,
  seenMs: number,
  report: SourceReport,
): WrittenArticle[] {
  const touched: WrittenArticle[] = [];
  const fresh = pending.filter((p) => p.decision === "new").sort(oldestFirst);
  for (const p of fresh) {
    const n = state.nextN--;
    const record: ArticleRecord = {
      n,
      key: p.item.key,
      published: p.item.published,
      seen: seenMs,
      hash: p.item.hash,
      title: p.item.title,
      versions: 0,
    };
    writeFileAtomic(
      archivePaths.article(root, source.id, n),
      formatArticle({
        published: p.item.published,
        title: p.item.title,
        url: p.item.url,
        content: p.content,
      }),
    );
    addRecord(state, record);
    touched.push({ record });
    report.new++;
  }
  for (const p of pending) {
    if (p.decision !== "changed") continue;
    const record = records.get(p);
    if (!record) continue;
    const path = archivePaths.article(root, source.id, record.n);
    const text = formatArticle({
      published: record.published,
      title: p.item.title,
      url: p.item.url,
      content: p.content,
    });
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    const versionsDir = archivePaths.versionsDir(root, source.id, record.n);
    if (current !== text) {
      if (current !== undefined) {
        const kept = join(versionsDir, `${record.seen}.md`);
        if (!existsSync(kept)) writeFileAtomic(kept, current);
      }
      writeFileAtomic(path, text);
      record.seen = seenMs;
    }
    // Counted from the folder, so a run killed between the two writes above still counts right.
    record.versions = existsSync(versionsDir)
      ? readdirSync(versionsDir).filter((f) => f.endsWith(".md")).length
      : 0;
    record.hash = p.item.hash;
    record.title = p.item.title;
    state.dirty = true;
    touched.push({ record });
    report.changed++;
  }
  return touched;
}
