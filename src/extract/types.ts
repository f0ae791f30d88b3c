import type { Fetcher } from "../fetch/types.js";
import type { Config, Source } from "../model/source.js";
import type { Item } from "../normalize/index.js";
import type { ImageSession } from "./images/index.js";

/** An item on its way into the archive; extractors may replace `content` (full text). */
export interface PendingArticle {
  item: Item;
  /** The one-line HTML that will be written; starts as the feed's content. */
  content: string;
  /** Whether this is a new article or a new version of an archived one. */
  decision: "new" | "changed";
}

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
