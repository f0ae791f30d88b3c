/**
 * The items of the site's feeds (RSS, Atom and JSON per source and for all sources), kept from one
 * build to the next in `.newsark-feed-items` beside the build manifest. Each holds an article's whole
 * sanitized HTML, so making the ~450 items of an archive's feeds again meant reading and sanitizing
 * ~450 articles on every build, of which an hourly run changes a few dozen. An item is reused while
 * its article's stamp is the one it was made with (the stamp changes with the article's text, title,
 * link and seen time) and the build's template (source names, markup version) is the same.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../util/atomic.js";
import type { FeedItem } from "../feeds/index.js";

/** The cache's file name inside the output folder: not served or published (it starts with `.newsark`). */
export const FEED_ITEMS = ".newsark-feed-items";
/** The cache's format; another one is not read. */
const VERSION = 1;

interface Kept {
  stamp: string;
  item: FeedItem;
}

/** Feed items by article (`<source>/<n>`): those of the previous build, and those this one uses. */
export class FeedItemCache {
  private readonly before = new Map<string, Kept>();
  private readonly used = new Map<string, Kept>();
  private made = 0;

  constructor(
    private readonly outDir: string,
    private readonly template: string,
  ) {
    let lines: string[];
    try {
      lines = readFileSync(join(outDir, FEED_ITEMS), "utf8").split("\n");
    } catch {
      return;
    }
    try {
      const header = JSON.parse(lines[0] ?? "") as { version?: unknown; template?: unknown };
      if (header.version !== VERSION || header.template !== template) return;
      for (const line of lines.slice(1)) {
        if (line === "") continue;
        const [key, stamp, item] = JSON.parse(line) as [string, string, FeedItem];
        // JSON writes an unknown date (NaN) as null.
        item.published ??= Number.NaN;
        item.updated ??= Number.NaN;
        this.before.set(key, { stamp, item });
      }
    } catch {
      // A damaged cache is no cache: every item is made again.
      this.before.clear();
    }
  }

  /** The item of article `key` as of `stamp`: kept from the previous build, else made by `make`. */
  get(key: string, stamp: string, make: () => FeedItem | undefined): FeedItem | undefined {
    const known = this.used.get(key) ?? this.before.get(key);
    if (known && known.stamp === stamp) {
      this.used.set(key, known);
      return known.item;
    }
    const item = make();
    if (item) {
      this.used.set(key, { stamp, item });
      this.made++;
    }
    return item;
  }

  /** Writes the items this build used, when they differ from the previous build's. */
  save(): void {
    if (this.made === 0 && this.used.size === this.before.size) return;
    const header = JSON.stringify({ version: VERSION, template: this.template });
    const used = this.used;
    writeFileAtomic(
      join(this.outDir, FEED_ITEMS),
      (function* () {
        yield `${header}\n`;
        for (const [key, { stamp, item }] of used) yield `${JSON.stringify([key, stamp, item])}\n`;
      })(),
    );
  }
}
