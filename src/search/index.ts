/**
 * Search over an archive folder: keeps the catalog (a cache under .newsark/) in step with the
 * article files, which are the truth, and answers queries from it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NewsarkError } from "../model/errors.js";
import type { Catalog, CatalogEntry, SearchQuery, SearchResponse } from "../store/catalog.js";
import { archivePaths, listArticleNumbers, parseArticle, readArticleFile } from "../store/files/index.js";
import { type ArchiveLock, acquireLock } from "../store/files/lock.js";
import { openSqliteCatalog } from "../store/sqlite/index.js";
import { dropPending, takePending } from "./pending.js";

export { htmlToText } from "./html.js";
export { makeSnippet, type Snippet } from "./snippet.js";
export { fold, indexText, parseQuery, type QueryTerm } from "./tokenize.js";

/** Opens the catalog of an archive; the default is the SQLite file at archivePaths.catalog(root). */
export type OpenCatalog = (file: string) => Catalog;

/** The folders under articles/, including legacy ones no longer in newsark.yaml (e.g. "BBC"). */
export function archivedSourceIds(root: string): string[] {
  const dir = join(root, "articles");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Every article file of the given sources as catalog entries, read one at a time so a large archive
 * never sits in memory. Legacy `<n>_<title>.md` files are read too.
 */
export function* archiveEntries(root: string, sourceIds: readonly string[]): Generator<CatalogEntry> {
  for (const source of sourceIds) {
    let legacy: Map<number, string> | undefined;
    for (const n of listArticleNumbers(root, source)) {
      let article = readArticleFile(root, source, n);
      if (!article) {
        // INFO: duty-machine's 2020 BBC folder names files `<n>_<title>.md`; readArticleFile reads `<n>.md`.
        legacy ??= legacyNames(root, source);
        const name = legacy.get(n);
        if (name)
          article = parseArticle(readFileSync(join(archivePaths.articlesDir(root, source), name), "utf8"));
      }
      if (article) yield { source, n, ...article };
    }
  }
}

function legacyNames(root: string, source: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const name of readdirSync(archivePaths.articlesDir(root, source))) {
    const m = /^(\d+)_.*\.md$/.exec(name);
    if (m) names.set(Number(m[1]), name);
  }
  return names;
}

function hasArticles(root: string): boolean {
  return archivedSourceIds(root).some((id) => listArticleNumbers(root, id).length > 0);
}

/**
 * Fills an empty catalog from the files (a fresh clone, a deleted or corrupt cache), then takes in the
 * articles runs queued since (see pending.ts).
 */
function ensureFilled(root: string, catalog: Catalog): void {
  if (catalog.count() === 0 && hasArticles(root)) {
    catalog.rebuild(archiveEntries(root, archivedSourceIds(root)));
    dropPending(root);
    return;
  }
  // Under the archive lock, so no run appends to the queue while it is taken; when a run is busy the
  // search answers from the catalog as it is, and the queue is taken next time.
  let lock: ArchiveLock;
  try {
    lock = acquireLock(root, "search");
  } catch (err) {
    if (err instanceof NewsarkError && err.code === "locked") return;
    throw err;
  }
  try {
    const pending = takePending(root);
    if (pending) {
      catalog.upsert(pending.entries);
      pending.done();
    }
  } finally {
    lock.release();
  }
}

/**
 * Searches an archive. A missing or empty catalog is first rebuilt from the article files.
 *
 * @example
 * const { results, total } = searchArchive("/srv/news", { text: "台湾", source: "voa", limit: 10 });
 */
export function searchArchive(
  root: string,
  q: SearchQuery,
  open: OpenCatalog = openSqliteCatalog,
): SearchResponse {
  const catalog = open(archivePaths.catalog(root));
  try {
    ensureFilled(root, catalog);
    return catalog.search(q);
  } finally {
    catalog.close();
  }
}

/**
 * Adds or replaces the articles a run archived. The files must already be written: when the
 * catalog is missing, it is built from all files instead.
 *
 * @example
 * indexArticles(root, [{ source: "voa", n: 1048573, title, url, published, content }]);
 */
export function indexArticles(
  root: string,
  entries: CatalogEntry[],
  open: OpenCatalog = openSqliteCatalog,
): void {
  const catalog = open(archivePaths.catalog(root));
  try {
    ensureFilled(root, catalog);
    catalog.upsert(entries);
  } finally {
    catalog.close();
  }
}

/**
 * Rebuilds the catalog from the article files of `sources`; returns how many articles it holds.
 *
 * @example
 * const count = reindexCatalog(config.root, config.sources);
 */
export function reindexCatalog(
  root: string,
  sources: readonly { id: string }[],
  open: OpenCatalog = openSqliteCatalog,
): number {
  const catalog = open(archivePaths.catalog(root));
  try {
    catalog.rebuild(
      archiveEntries(
        root,
        sources.map((s) => s.id),
      ),
    );
    dropPending(root);
    return catalog.count();
  } finally {
    catalog.close();
  }
}
