/** Paths of the fixtures kept in the repository (test/fixtures/), found from this file so any working directory works. */
import { fileURLToPath } from "node:url";

/** test/fixtures/ in the repository (this file runs from dist/test/support/). */
export const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));

/** The seed fixture: the feed two archived articles came from, and what archiving it must produce. */
export const SEED = {
  /** The folder: voa.xml, expected/, README.md. */
  dir: `${FIXTURES}seed`,
  /** The seed feed (RSS 2.0, two items). */
  feed: `${FIXTURES}seed/voa.xml`,
  /** The archive the feed must become, byte for byte (articles/voa/, lists/美国之音.md). */
  expected: `${FIXTURES}seed/expected`,
  /** The two expected article files' folder. */
  articles: `${FIXTURES}seed/expected/articles/voa`,
};

/** A sample of a real legacy archive (articles/<outlet>/, lists/), quirks included. */
export const REAL_ARCHIVE = {
  /** The folder: articles/, lists/, README.md. */
  dir: `${FIXTURES}real-archive`,
  /** One folder per outlet, as the legacy archive named them (bbc and BBC both). */
  articles: `${FIXTURES}real-archive/articles`,
  /** Two legacy list pages. */
  lists: `${FIXTURES}real-archive/lists`,
};
