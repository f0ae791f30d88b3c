/** URL helpers shared by the extractors: srcset lists and resolving against the page an item came from. */

/** One candidate of a `srcset` attribute: its URL and the width/density descriptor as written. */
export interface SrcsetCandidate {
  url: string;
  descriptor: string;
}

/**
 * Splits a `srcset` value into candidates. URLs may contain commas (CDN resize paths do), so a comma only
 * separates candidates when it follows whitespace-free URL text that is complete, as the HTML spec reads it.
 *
 * @example
 * parseSrcset("a.jpg 1x, b.jpg 2x") // [{ url: "a.jpg", descriptor: "1x" }, { url: "b.jpg", descriptor: "2x" }]
 */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (value[i] === "," || /\s/.test(value[i] as string))) i++;
    if (i >= n) break;
    let end = i;
    while (end < n && !/\s/.test(value[end] as string)) end++;
    let url = value.slice(i, end);
    i = end;
    let descriptor = "";
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      const comma = value.indexOf(",", i);
      const stop = comma === -1 ? n : comma;
      descriptor = value.slice(i, stop).trim();
      i = stop + 1;
    }
    if (url !== "") out.push({ url, descriptor });
  }
  return out;
}

/** Writes candidates back as a `srcset` value. */
export function formatSrcset(candidates: SrcsetCandidate[]): string {
  return candidates.map((c) => (c.descriptor ? `${c.url} ${c.descriptor}` : c.url)).join(", ");
}

/**
 * Resolves a link as found in a page against the page's URL; fragments, `data:` URLs and values that do not
 * parse are returned as they are, so nothing the page said is lost.
 */
export function resolveLink(value: string, base: string): string {
  const v = value.trim();
  if (v === "" || v.startsWith("#") || /^data:/i.test(v)) return value;
  try {
    return new URL(v, base).href;
  } catch {
    return value;
  }
}
