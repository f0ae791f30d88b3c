import { existsSync } from "node:fs";
import { indexArticles } from "../search/index.js";
import type { CatalogEntry } from "../store/catalog.js";
import { archivePaths } from "../store/files/paths.js";
import type { WrittenArticle } from "./archive-source.js";

/**
 * Adds the articles a run wrote to the search catalog, when there is one. Without a catalog (a fresh
 * clone in a scheduled job) nothing is done: the first search builds it from the files, so hourly jobs
 * never pay for indexing the whole archive.
 */
export function indexWritten(
  root: string,
  batches: { sourceId: string; articles: WrittenArticle[] }[],
): void {
  if (!existsSync(archivePaths.catalog(root))) return;
  const entries: CatalogEntry[] = [];
  for (const batch of batches) {
    for (const a of batch.articles) {
      entries.push({
        source: batch.sourceId,
        n: a.record.n,
        title: a.record.title,
        url: a.url,
        published: a.record.published,
        content: a.content,
      });
    }
  }
  indexArticles(root, entries);
}
