import type { Fetcher } from "../fetch/types.js";
import type { PendingArticle } from "../model/article.js";
import type { Config, Source } from "../model/source.js";
import type { ImageSession } from "./images/index.js";

export type { PendingArticle } from "../model/article.js";

/** What an extractor may use; problems go into `warnings`, never thrown. */
export interface ExtractContext {
  config: Config;
  source: Source;
  /** For URLs taken from feed content: call with `trusted: false`. */
  fetcher: Fetcher;
  warnings: string[];
  /** The run's image session, when a source archives images (created by the pipeline). */
  images?: ImageSession | undefined;
}

/** An optional step between parsing and writing (full text, images), run in registry order. */
export interface Extractor {
  name: string;
  shouldRun(source: Source): boolean;
  /** Works on the batch of one source; must not throw (a failure is a warning, the article is kept). */
  run(articles: PendingArticle[], context: ExtractContext): Promise<void>;
}
