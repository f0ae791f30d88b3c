import type { ExtractContext, Extractor, PendingArticle } from "./types.js";

export type { ExtractContext, Extractor, PendingArticle } from "./types.js";

/** The extractors, in the order they run. Each decides per source whether it applies. */
export const extractors: Extractor[] = [];

/** Runs every extractor that applies to the source; an extractor that throws becomes a warning. */
export async function runExtractors(articles: PendingArticle[], context: ExtractContext): Promise<void> {
  if (articles.length === 0) return;
  for (const extractor of extractors) {
    if (!extractor.shouldRun(context.source)) continue;
    try {
      await extractor.run(articles, context);
    } catch (err) {
      context.warnings.push(`${extractor.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
