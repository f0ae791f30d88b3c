/**
 * Search over an archive folder: keeps the catalog (a cache under .newsark/) in step with the
 * article files, which are the truth, and answers queries from it.
 */
import { NewsarkError } from "../model/errors.js";
import type {
  Catalog,
  CatalogEntry,
  RebuildOptions,
  SearchHit,
  SearchQuery,
  SearchResponse,
} from "../store/catalog.js";
import { readArticleFile } from "../store/files/index.js";
import { type ArchiveLock, acquireLock } from "../store/files/lock.js";
import { archivePaths } from "../store/files/paths.js";
import { archivedSourceIds, countArticles } from "./entries.js";
import { htmlToText } from "./html.js";
import { dropPending, hasPending, takePending } from "./pending.js";
import { tokenizedArchiveEntries } from "./prepare.js";
import { makeSnippet } from "./snippet.js";
import { parseQuery } from "./tokenize.js";

export { archivedSourceIds, archiveEntries, countArticles } from "./entries.js";
export { htmlToText } from "./html.js";
export { makeSnippet, type Snippet } from "./snippet.js";
export { fold, indexText, parseQuery, type QueryTerm } from "./tokenize.js";

/** What a caller hears about a rebuild a search has to do first (a fresh clone, an interrupted rebuild). */
export interface FillOptions extends RebuildOptions {
  /** Called once before a rebuild starts, with the number of article files to index. */
  onRebuild?: (articles: number) => void;
}

/**
 * Runs a rebuild of the catalog holding .newsark/catalog.lock: a second rebuild at the same time (a
 * search on a fresh clone while `reindex` runs) stops with the holder named instead of writing the
 * same catalog. Runs take the archive's own lock, so they go on meanwhile.
 */
async function underCatalogLock<T>(root: string, what: string, rebuild: () => Promise<T>): Promise<T> {
  const lock = acquireLock(root, what, archivePaths.catalogLock(root));
  try {
    return await rebuild();
  } finally {
    lock.release();
  }
}

/**
 * Fills a catalog that is missing, empty or half rebuilt from the files (a fresh clone, a deleted or
 * corrupt cache, an interrupted rebuild, which resumes), then takes in the articles runs queued since
 * (see pending.ts).
 */
async function ensureFilled(root: string, catalog: Catalog, options: FillOptions): Promise<void> {
  // A catalog never built from the files (a fresh clone, a recreated cache) or half rebuilt.
  if (!(await catalog.complete())) {
    const sources = archivedSourceIds(root);
    const articles = countArticles(root, sources);
    if (articles > 0) {
      await underCatalogLock(root, "search (rebuilding the catalog)", async () => {
        options.onRebuild?.(articles);
        await catalog.rebuild(tokenizedArchiveEntries(root, sources), options);
        dropPending(root);
      });
      return;
    }
  }
  if (!hasPending(root)) return;
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
      await catalog.upsert(pending.entries);
      pending.done();
    }
  } finally {
    lock.release();
  }
}

/**
 * Searches an archive with its catalog (see ./catalog.ts); a missing or incomplete catalog is first
 * (re)built from the article files. Snippets are made from the article files, the catalog keeps no text.
 *
 * @example
 * const { results, total } = await searchArchive("/srv/news", openCatalog(config), { text: "台湾" });
 */
export async function searchArchive(
  root: string,
  catalog: Catalog,
  q: SearchQuery,
  options: FillOptions = {},
): Promise<SearchResponse> {
  try {
    await ensureFilled(root, catalog, options);
    const found = await catalog.search(q);
    const terms = parseQuery(q.text);
    const results: SearchHit[] = found.results.map((hit) => {
      // A file deleted since it was indexed still has its title and link; its snippet is empty.
      const article = readArticleFile(root, hit.source, hit.n);
      const snippet = makeSnippet(article ? htmlToText(article.content) : "", terms);
      return { ...hit, snippet: snippet.text, snippetHtml: snippet.html };
    });
    return { results, total: found.total };
  } finally {
    await catalog.close();
  }
}

/**
 * Adds or replaces the articles a run archived. The files must already be written: when the
 * catalog is missing, it is built from all files instead.
 *
 * @example
 * await indexArticles(root, openCatalog(config), [{ source: "voa", n: 1048573, title, url, published, content }]);
 */
export async function indexArticles(root: string, catalog: Catalog, entries: CatalogEntry[]): Promise<void> {
  try {
    await ensureFilled(root, catalog, {});
    await catalog.upsert(entries);
  } finally {
    await catalog.close();
  }
}

/**
 * Rebuilds the catalog from the article files of `sources`, in committed batches; an interrupted
 * rebuild resumes. Returns how many articles it holds.
 *
 * @example
 * const count = await reindexCatalog(config.root, openCatalog(config), config.sources);
 */
export async function reindexCatalog(
  root: string,
  catalog: Catalog,
  sources: readonly { id: string }[],
  options: RebuildOptions = {},
): Promise<number> {
  try {
    const ids = sources.map((s) => s.id);
    return await underCatalogLock(root, "reindex", async () => {
      const count = await catalog.rebuild(tokenizedArchiveEntries(root, ids), options);
      dropPending(root);
      return count;
    });
  } finally {
    await catalog.close();
  }
}
