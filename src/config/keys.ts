/**
 * The keys newsark.yaml may hold, per section. A key that is not listed is a mistake (a typo such as
 * `imgaes` would otherwise be ignored silently and the source archived without its images).
 */

/**
 * Top-level sections. A section read by its own module (e.g. media, publishing, the site) is added here
 * by name; its inner keys are that module's to check, e.g. with `section()` from fields.ts.
 */
export const TOP_LEVEL_KEYS: readonly string[] = [
  "timezone",
  "listSize",
  "fetch",
  "images",
  "allowNetworks",
  "sources",
  "media",
  "publish",
  "site",
  "catalog",
];

/** Keys of `catalog:` (which search catalog the archive uses; see src/search/catalog.ts). */
export const CATALOG_KEYS: readonly string[] = ["kind"];

/** Keys of `fetch:`. */
export const FETCH_KEYS: readonly string[] = [
  "timeout",
  "maxBytes",
  "maxRedirects",
  "retries",
  "concurrency",
  "perHost",
  "userAgent",
];

/** Keys of `fetch.timeout:`. */
export const TIMEOUT_KEYS: readonly string[] = ["connect", "headers", "body"];

/** Keys of the top-level `images:` limits. */
export const IMAGES_KEYS: readonly string[] = ["maxPerRun", "maxBytes"];

/** Keys of one entry of `sources:`. */
export const SOURCE_KEYS: readonly string[] = [
  "id",
  "name",
  "url",
  "fulltext",
  "images",
  "include",
  "exclude",
];

/** Keys of a source's `fulltext: { … }`. */
export const FULLTEXT_KEYS: readonly string[] = ["selector"];

/** Keys of a source's `include:` / `exclude:`. */
export const FILTER_KEYS: readonly string[] = ["categories"];

/** The first key of `value` that `known` does not list, with the known key it most likely meant. */
export function unknownKey(
  value: Record<string, unknown>,
  known: readonly string[],
): { key: string; suggestion?: string } | undefined {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    return suggestion ? { key, suggestion } : { key };
  }
  return undefined;
}

/**
 * The known key a typo most likely meant: same letters in another case, the start of it (`category` for
 * `categories`), or one or two edits away.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    const distance = lower === other ? 0 : sharesStem(lower, other) ? 1 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Short keys tolerate one edit, longer ones two; beyond that a suggestion is more confusing than none.
  const limit = word.length <= 4 ? 1 : 2;
  return bestDistance <= limit ? best : undefined;
}

/** True when the shorter word, but for its last letter, starts the longer one (category → categories). */
function sharesStem(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.startsWith(short.slice(0, -1));
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
