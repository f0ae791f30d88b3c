import { fulltextExtractor } from "./fulltext/index.js";
import { imagesExtractor } from "./images/index.js";
import type { ExtractContext, Extractor, PendingArticle } from "./types.js";

export { createImageSession, type ImageSession } from "./images/index.js";
export type { ExtractContext, Extractor, PendingArticle } from "./types.js";

/** The extractors, in the order they run: full text first, so images are found in the text that is written. */
export const extractors: Extractor[] = [fulltextExtractor, imagesExtractor];

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
