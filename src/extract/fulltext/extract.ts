import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import type { Source } from "../../model/source.js";
import { toOneLine } from "../../normalize/index.js";
import { formatSrcset, parseSrcset, resolveLink } from "../html-urls.js";
import { extractMessages as m } from "../messages.js";

/** How a source gets its full text: Mozilla Readability, or the inner HTML of the first match of a selector. */
export type FulltextRule = NonNullable<Source["fulltext"]>;

/**
 * What extraction found in one page: one-line HTML and its plain text, or why nothing usable was found.
 * `badRule` marks failures of the rule itself (an invalid selector), which no other page will fix.
 *
 * @example
 * { ok: true, html: "<p>全文</p>", text: "全文" }
 */
export type Extraction =
  | { ok: true; html: string; text: string }
  | { ok: false; reason: string; badRule?: boolean | undefined };

/** Pages whose article text is shorter than this many non-space characters are taken as a failed extraction. */
export const MIN_TEXT_CHARS = 40;

const URL_ATTRIBUTES = ["href", "src", "poster", "data-src", "data-original", "data-lazy-src"];
const SRCSET_ATTRIBUTES = ["srcset", "data-srcset", "data-lazy-srcset"];

type Doc = ReturnType<typeof parseHTML>["document"];

/** Resolves every link and image address of the page in place, so the archived HTML works on its own. */
function absolutize(document: Doc, pageUrl: string): void {
  let base = pageUrl;
  // A <base href> changes what relative links mean; honour it as browsers do.
  const baseHref = document.querySelector("base[href]")?.getAttribute("href");
  if (baseHref) base = resolveLink(baseHref, pageUrl);
  const selector = [...URL_ATTRIBUTES, ...SRCSET_ATTRIBUTES].map((a) => `[${a}]`).join(",");
  for (const el of Array.from(document.querySelectorAll(selector))) {
    for (const name of URL_ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value !== null) el.setAttribute(name, resolveLink(value, base));
    }
    for (const name of SRCSET_ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      const candidates = parseSrcset(value).map((c) => ({ ...c, url: resolveLink(c.url, base) }));
      el.setAttribute(name, formatSrcset(candidates));
    }
  }
}

/** Why a CSS selector cannot be used (it does not parse), or undefined when it can. */
export function selectorProblem(selector: string): string | undefined {
  try {
    parseHTML("<p></p>").document.querySelector(selector);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split("\n")[0] : String(err);
  }
}

/** Counts the characters a reader sees: text without whitespace. */
export function visibleLength(text: string): number {
  return text.replace(/\s+/g, "").length;
}

/**
 * Extracts the article from a decoded HTML page. Pure and synchronous; never throws.
 * `minChars` is the shortest text accepted (the caller raises it to half the feed's text, so a paywall
 * stub never replaces a feed that carried the whole article).
 *
 * @example
 * extractFulltext("<article><p>…</p></article>", "https://www.voachinese.com/a/1.html", { selector: "article" });
 */
export function extractFulltext(
  html: string,
  pageUrl: string,
  rule: FulltextRule,
  minChars = MIN_TEXT_CHARS,
): Extraction {
  let document: Doc;
  try {
    document = parseHTML(html).document;
  } catch (err) {
    return {
      ok: false,
      reason: `HTML could not be read: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  absolutize(document, pageUrl);
  let content: string;
  let text: string;
  if (rule === "readability") {
    let article: ReturnType<Readability["parse"]>;
    try {
      article = new Readability(document as unknown as Document).parse();
    } catch (err) {
      return { ok: false, reason: `Readability failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!article?.content) return { ok: false, reason: m.readabilityNothing() };
    // linkedom keeps the case Readability creates elements with (`<DIV>`); browsers would serialise lowercase.
    content = article.content.replace(
      /<(\/?)([A-Z][A-Z0-9]*)(?=[\s>/])/g,
      (_, slash: string, name: string) => `<${slash}${name.toLowerCase()}`,
    );
    text = article.textContent ?? "";
  } else {
    let found: ReturnType<Doc["querySelector"]>;
    try {
      found = document.querySelector(rule.selector);
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err), badRule: true };
    }
    if (!found) return { ok: false, reason: m.nothingFound(rule.selector) };
    // Scripts and styles are page machinery, not what the outlet published.
    for (const el of Array.from(found.querySelectorAll("script, style"))) el.remove();
    content = found.innerHTML;
    text = found.textContent ?? "";
  }
  const chars = visibleLength(text);
  if (chars < minChars) return { ok: false, reason: m.tooShort(chars, minChars) };
  return { ok: true, html: toOneLine(content).trim(), text };
}
