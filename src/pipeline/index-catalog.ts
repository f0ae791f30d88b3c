import { openCatalog } from "../search/catalog.js";
import { queueForCatalog } from "../search/pending.js";
import type { WrittenArticle } from "./archive-source.js";

/**
 * Queues the articles a run wrote for the search catalog, when there is one; the next search takes
 * them in (src/search/pending.ts). Without a catalog (a fresh clone in a scheduled job) nothing is
 * done: the first search builds it from the files, so hourly jobs never pay for indexing.
 */
export async function indexWritten(
  config: { root: string },
  batches: { sourceId: string; articles: WrittenArticle[] }[],
): Promise<void> {
  if (!(await openCatalog(config).exists())) return;
  queueForCatalog(
    config.root,
    batches.flatMap((b) => b.articles.map((a) => ({ source: b.sourceId, n: a.record.n }))),
  );
}
