import { Parser } from "../../util/html-parser.js";
import { parseSrcset, resolveLink } from "../html-urls.js";

// Attributes lazy-loading scripts use to hold the real image while `src` shows a placeholder.
const LAZY_ATTRIBUTES = ["data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url"];
const SRCSET_ATTRIBUTES = ["srcset", "data-srcset", "data-lazy-srcset"];
// INFO: lazy loaders put a tiny shared image in `src` (blank.gif, placeholder.png) until the page scrolls.
const PLACEHOLDER =
  /(?:^|[/_-])(?:blank|spacer|placeholder|lazy|loading|transparent|pixel)[^/]*\.(?:gif|png|svg)(?:$|\?)/i;

/** Descriptor size for picking the largest srcset candidate: "800w" → 800, "2x" → 2; none → 0. */
function descriptorSize(descriptor: string): number {
  const m = /^(\d+(?:\.\d+)?)[wx]$/i.exec(descriptor.trim());
  return m ? Number(m[1]) : 0;
}

/** The largest candidate of a srcset: one good copy per image, not every size a CDN offers. */
function largest(srcset: string): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const c of parseSrcset(srcset)) {
    const size = descriptorSize(c.descriptor);
    if (!best || size > best.size) best = { url: c.url, size };
  }
  return best?.url;
}

/**
 * Finds the image URLs an article's HTML shows: `img` src, lazy `data-src` and friends, the largest `srcset`
 * candidate of `img` and `picture > source`. URLs are resolved against the article's URL and deduplicated in
 * order of appearance; `data:` images are skipped (their bytes are already in the article).
 *
 * @example
 * findImageUrls('<img src="/a.jpg">', "https://www.dw.com/zh/x") // ["https://www.dw.com/a.jpg"]
 */
export function findImageUrls(html: string, baseUrl: string): string[] {
  const found = new Set<string>();
  const add = (raw: string | undefined) => {
    if (raw === undefined) return;
    const value = raw.trim();
    if (value === "" || value.startsWith("#") || /^data:/i.test(value)) return;
    found.add(resolveLink(value, baseUrl));
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== "img" && name !== "source") return;
        if (name === "source") {
          // <source src> belongs to <video>/<audio>; only srcset makes it a picture source.
          for (const a of SRCSET_ATTRIBUTES) if (attrs[a]) add(largest(attrs[a]));
          return;
        }
        const lazy = LAZY_ATTRIBUTES.map((a) => attrs[a]).filter((v): v is string => Boolean(v?.trim()));
        const src = attrs.src;
        if (src && !(lazy.length > 0 && PLACEHOLDER.test(src))) add(src);
        for (const v of lazy) add(v);
        for (const a of SRCSET_ATTRIBUTES) if (attrs[a]) add(largest(attrs[a]));
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return [...found];
}
