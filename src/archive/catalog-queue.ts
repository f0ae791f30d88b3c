import type { WrittenArticle } from "../model/article.js";
import type { Config } from "../model/config.js";
import { errorMessage } from "../model/errors.js";

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
    // Loaded only when a run wrote articles: the catalog's modules (its tokenizer and its data, the
    // HTML parser) are a good part of what a run with nothing new would otherwise load.
    const { openCatalog } = await import("../search/catalog.js");
    if (!(await openCatalog(config).exists())) return undefined;
    const { queueForCatalog } = await import("../search/pending.js");
    queueForCatalog(config.root, refs);
    return undefined;
  } catch (err) {
    return `search index: ${errorMessage(err)} (run 'newsark reindex')`;
  }
}
