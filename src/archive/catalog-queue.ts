import type { WrittenArticle } from "../model/article.js";
import type { Config } from "../model/config.js";
import { errorMessage } from "../model/errors.js";
import { openCatalog } from "../search/catalog.js";
import { queueForCatalog } from "../search/pending.js";

/** The articles one source had written, for the search catalog's queue. */
export interface WrittenBatch {
  sourceId: string;
  articles: WrittenArticle[];
}

/**
 * Queues written articles for the search catalog, when there is one; the next search takes them in
 * (src/search/pending.ts). Without a catalog (a fresh clone in a scheduled job) nothing is done: the
 * first search builds it from the files, so hourly jobs never pay for indexing. The catalog is a
 * cache, so a failure is returned as a warning line, never thrown.
 */
export async function queueWritten(
  config: Config,
  batches: readonly WrittenBatch[],
): Promise<string | undefined> {
  const refs = batches.flatMap((b) => b.articles.map((a) => ({ source: b.sourceId, n: a.record.n })));
  if (refs.length === 0) return undefined;
  try {
    if (!(await openCatalog(config).exists())) return undefined;
    queueForCatalog(config.root, refs);
    return undefined;
  } catch (err) {
    return `search index: ${errorMessage(err)} (run 'newsark reindex')`;
  }
}
