import { existsSync } from "node:fs";
import { queueForCatalog } from "../search/pending.js";
import { archivePaths } from "../store/files/paths.js";
import type { WrittenArticle } from "./archive-source.js";

/**
 * Queues the articles a run wrote for the search catalog, when there is one; the next search takes
 * them in (src/search/pending.ts). Without a catalog (a fresh clone in a scheduled job) nothing is
 * done: the first search builds it from the files, so hourly jobs never pay for indexing.
 */
export function indexWritten(
  root: string,
  batches: { sourceId: string; articles: WrittenArticle[] }[],
): void {
  if (!existsSync(archivePaths.catalog(root))) return;
  queueForCatalog(
    root,
    batches.flatMap((b) => b.articles.map((a) => ({ source: b.sourceId, n: a.record.n }))),
  );
}
