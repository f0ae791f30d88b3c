import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ArticleRecord, WrittenArticle } from "../model/article.js";
import { NewsarkError } from "../model/errors.js";
import { formatArticle } from "../store/files/article-format.js";
import { archivePaths, numberAfter } from "../store/files/paths.js";
import { addRecord, articleFilePath, type SourceState } from "../store/files/state.js";
import { writeFileAtomic, writeFileExclusive } from "../util/atomic.js";
import { faultPoint } from "../util/fault.js";
import { detached } from "../util/strings.js";

/**
 * One revision of an article to write: what its file will say, and the record it replaces (absent for
 * a new article).
 *
 * @example
 * { key: "g:1", title: "标题", url: "https://x.test/1", published: 1700000000000, content: "<p>正文</p>", hash: "…" }
 */
export interface Revision {
  key: string;
  title: string;
  url: string;
  published: number;
  content: string;
  /** Identity hash kept in the record to tell the next edit from a repeat. */
  hash: string;
  previous?: ArticleRecord | undefined;
}

/**
 * Writes one revision of an article and records it in the source's state (in memory): a new article
 * gets the next number and a file that must not exist yet; an edit keeps the current file under
 * versions/<id>/<n>/<seen>.md before replacing it. Never writes over a file the state does not own.
 */
export function writeRevision(
  root: string,
  sourceId: string,
  state: SourceState,
  revision: Revision,
  seenMs: number,
): WrittenArticle {
  const written = revision.previous
    ? writeVersion(root, sourceId, state, revision, revision.previous, seenMs)
    : writeNew(root, sourceId, state, revision, seenMs);
  faultPoint("after-article-write");
  return written;
}

function writeNew(
  root: string,
  sourceId: string,
  state: SourceState,
  revision: Revision,
  seenMs: number,
): WrittenArticle {
  const n = state.nextN;
  if (n === undefined) {
    throw new NewsarkError("archive", `archive: articles/${sourceId}/ has used every article number`);
  }
  const path = archivePaths.article(root, sourceId, n);
  const text = formatArticle(revision);
  if (!writeFileExclusive(path, text)) {
    throw new NewsarkError(
      "archive",
      `archive: ${path} exists but state/${sourceId}.tsv does not list it; newsark will not write over it (move it away, or run 'newsark reindex --state' to take it in)`,
    );
  }
  const record: ArticleRecord = {
    n,
    key: detached(revision.key),
    published: revision.published,
    seen: seenMs,
    hash: revision.hash,
    title: detached(revision.title),
    versions: 0,
  };
  addRecord(state, record);
  state.nextN = numberAfter(n);
  return { record };
}

function writeVersion(
  root: string,
  sourceId: string,
  state: SourceState,
  revision: Revision,
  record: ArticleRecord,
  seenMs: number,
): WrittenArticle {
  const path = archivePaths.article(root, sourceId, record.n);
  // The published time stays the first one seen, so an edit does not move the article in the lists.
  const text = formatArticle({ ...revision, published: record.published });
  // An article the earlier system named <n>_<title>.md is current until <n>.md replaces it.
  const currentPath = join(root, articleFilePath(root, sourceId, record.n));
  let current: string | undefined;
  try {
    current = readFileSync(currentPath, "utf8");
  } catch {
    current = undefined;
  }
  const versionsDir = archivePaths.versionsDir(root, sourceId, record.n);
  if (current !== text) {
    if (current !== undefined) {
      const kept = join(versionsDir, `${record.seen}.md`);
      if (!existsSync(kept)) writeFileAtomic(kept, current);
      faultPoint("after-version-kept");
    }
    writeFileAtomic(path, text);
    // Its text is in versions/ now; left beside <n>.md, it would be a second file for one article.
    if (currentPath !== path) rmSync(currentPath, { force: true });
    record.seen = seenMs;
  }
  // Counted from the folder, so a run killed between the two writes above still counts right.
  record.versions = existsSync(versionsDir)
    ? readdirSync(versionsDir).filter((f) => f.endsWith(".md")).length
    : 0;
  record.hash = revision.hash;
  record.title = detached(revision.title);
  state.dirty = true;
  return { record };
}
