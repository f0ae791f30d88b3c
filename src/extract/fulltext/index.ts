import type { FetchResult } from "../../fetch/types.js";
import { decodeFeedBytes } from "../../parse/index.js";
import { htmlToText } from "../../search/html.js";
import { extractMessages as m } from "../messages.js";
import type { ExtractContext, Extractor, PendingArticle } from "../types.js";
import {
  type Extraction,
  extractFulltext,
  type FulltextRule,
  MIN_TEXT_CHARS,
  selectorProblem,
  visibleLength,
} from "./extract.js";

export {
  type Extraction,
  extractFulltext,
  type FulltextRule,
  MIN_TEXT_CHARS,
  selectorProblem,
  visibleLength,
} from "./extract.js";

/** Article pages larger than this are not read, whatever fetch.maxBytes allows: no article needs more. */
export const PAGE_MAX_BYTES = 5 * 1024 * 1024;

const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

/** Whether a response can hold an HTML page; a missing Content-Type is given the benefit of the doubt. */
function htmlLike(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return /^\s*(text\/|application\/(xhtml\+xml|xml))/i.test(contentType);
}

/**
 * Fetches an article page (an untrusted URL from feed content) and extracts its article. Failures are values:
 * fetch errors, non-HTML responses and pages where nothing usable was found.
 *
 * @example
 * const got = await fetchFulltext(ctx.fetcher, "https://www.voachinese.com/a/1.html", "readability", 5 << 20);
 */
export async function fetchFulltext(
  fetcher: ExtractContext["fetcher"],
  url: string,
  rule: FulltextRule,
  maxBytes: number,
  minChars = MIN_TEXT_CHARS,
): Promise<Extraction & { page?: FetchResult | undefined }> {
  const page = await fetcher.fetch({ url, trusted: false, accept: PAGE_ACCEPT, maxBytes });
  if (page.status === "error") return { ok: false, reason: page.error.replace(/^fetch: \S+: /, ""), page };
  if (page.status !== "ok") return { ok: false, reason: `unexpected ${page.httpStatus}`, page };
  return { ...extractFromPage(page, rule, minChars), page };
}

/** Extracts the article from a fetched page, decoding its charset (GBK, Big5, meta charset) first. */
export function extractFromPage(
  page: Extract<FetchResult, { status: "ok" }>,
  rule: FulltextRule,
  minChars = MIN_TEXT_CHARS,
): Extraction {
  if (!htmlLike(page.contentType)) return { ok: false, reason: m.notHtml(page.contentType ?? "") };
  const { text } = decodeFeedBytes(page.body, page.contentType);
  return extractFulltext(text, page.finalUrl, rule, minChars);
}

/** Rough text of feed HTML, only to size what a page must at least hold. */
function feedTextLength(html: string): number {
  return visibleLength(htmlToText(html));
}

/**
 * The full-text extractor: for sources with `fulltext: readability` or `fulltext: { selector: "…" }`, replaces
 * each new or changed item's feed content with the article read from its page. When the page cannot be read
 * the feed's content stays and the run report gets a warning: an article is never lost to its page.
 */
export const fulltextExtractor: Extractor = {
  name: "fulltext",
  shouldRun: (source) => source.fulltext !== undefined,
  async run(articles: PendingArticle[], context: ExtractContext): Promise<void> {
    const rule = context.source.fulltext;
    if (!rule) return;
    const maxBytes = Math.min(context.config.fetch.maxBytes, PAGE_MAX_BYTES);
    if (typeof rule === "object") {
      // A selector that does not parse would fail on every page; say so once and fetch nothing.
      const problem = selectorProblem(rule.selector);
      if (problem) {
        context.warnings.push(m.badSelector(rule.selector, problem));
        return;
      }
    }
    // All pages at once: the fetcher's per-host limit keeps this polite to the outlet.
    await Promise.all(
      articles.map(async (article) => {
        // A paywall stub or teaser must not replace a feed that carried more text than it.
        const minChars = Math.max(MIN_TEXT_CHARS, Math.floor(feedTextLength(article.content) / 2));
        const got = await fetchFulltext(context.fetcher, article.item.url, rule, maxBytes, minChars);
        if (got.ok) {
          article.content = got.html;
          return;
        }
        context.warnings.push(m.fulltextFailed(article.item.url, got.reason));
      }),
    );
  },
};
