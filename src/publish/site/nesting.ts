/** Elements that never have a closing tag, so they do not nest. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/** Deepest element nesting kept; real articles stay far below it. */
export const MAX_NESTING = 200;

/**
 * Drops the start and end tags that nest deeper than `max` (their text is kept), in one linear scan
 * before any HTML parser sees the article. A page of 100,000 nested elements otherwise makes parsing
 * and sanitizing super-linear; real articles never nest this deep, so they pass unchanged.
 *
 * @example
 * capNesting("<b><i>x</i></b>", 1) // "<b>x</b>"
 */
export function capNesting(html: string, max = MAX_NESTING): string {
  // Fewer tags than the limit cannot nest past it: the common case costs one indexOf loop.
  let tags = 0;
  for (let at = html.indexOf("<"); at !== -1 && tags <= max; at = html.indexOf("<", at + 1)) tags++;
  if (tags <= max) return html;
  // `[^<>]*` fails at the next "<", so an unclosed "<a<a<a…" stays linear.
  const tag = /<(\/?)([a-zA-Z][^\s/<>]*)[^<>]*>/g;
  let depth = 0;
  let out = "";
  let last = 0;
  for (const m of html.matchAll(tag)) {
    const closing = m[1] === "/";
    const name = (m[2] as string).toLowerCase();
    const selfClosing = VOID.has(name) || m[0].endsWith("/>");
    let drop = false;
    if (closing) {
      if (!VOID.has(name)) {
        drop = depth > max;
        depth = Math.max(0, depth - 1);
      }
    } else if (!selfClosing) {
      depth++;
      drop = depth > max;
    }
    if (drop) {
      const at = m.index as number;
      out += html.slice(last, at);
      last = at + m[0].length;
    }
  }
  return out + html.slice(last);
}
