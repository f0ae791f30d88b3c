import type { Fetcher, FetchResult } from "../fetch/types.js";
import { normalizeLink } from "../normalize/index.js";
import { checkMessages as m } from "./messages.js";

/** Redirects `newsark check` follows itself, hop by hop, before it calls a URL moved. */
export const MAX_HOPS = 5;

/** Largest page `newsark check` reads, whatever fetch.maxBytes allows. */
export const CHECK_MAX_BYTES = 5 * 1024 * 1024;

const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

/**
 * What re-requesting an article's URL found: the page is there (with its response, for extraction), it is
 * gone (404/410), it redirects somewhere else, or the check failed (network, timeout, other HTTP status).
 */
export type Probe =
  | { result: "alive"; page: Extract<FetchResult, { status: "ok" }> }
  | { result: "gone"; httpStatus: number }
  | { result: "redirected"; location: string }
  | { result: "failed"; error: string };

function siteOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^www\./, "");
}

/** Whether two URLs name the same page: same site (www. and http/https aside), path (trailing slash aside) and query. */
export function samePage(a: URL, b: URL): boolean {
  const na = new URL(normalizeLink(a.href));
  const nb = new URL(normalizeLink(b.href));
  const path = (u: URL) => u.pathname.replace(/\/+$/, "") || "/";
  return siteOf(na) === siteOf(nb) && path(na) === path(nb) && na.search === nb.search;
}

/**
 * Re-requests an archived article's URL without letting the fetcher follow redirects: each hop is checked as
 * its own untrusted request (the SSRF policy applies to every one), and a hop to another site ends the check as
 * "redirected" without contacting that site.
 */
export async function probeUrl(fetcher: Fetcher, url: string): Promise<Probe> {
  let start: URL;
  try {
    start = new URL(url);
  } catch {
    return { result: "failed", error: `check: ${url}: not a URL` };
  }
  let current = start;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const got = await fetcher.fetch({
      url: current.href,
      trusted: false,
      followRedirects: false,
      accept: PAGE_ACCEPT,
      maxBytes: CHECK_MAX_BYTES,
    });
    if (got.status === "error") {
      if (got.httpStatus === 404 || got.httpStatus === 410)
        return { result: "gone", httpStatus: got.httpStatus };
      return { result: "failed", error: got.error };
    }
    if (got.status === "not-modified")
      return { result: "failed", error: `check: ${url}: ${m.unexpected(304)}` };
    if (got.httpStatus >= 300 && got.httpStatus < 400) {
      let next: URL;
      try {
        next = new URL(got.location ?? "", current);
      } catch {
        return { result: "failed", error: `check: ${current.href}: ${m.badRedirect(got.httpStatus)}` };
      }
      if (!got.location)
        return { result: "failed", error: `check: ${current.href}: ${m.badRedirect(got.httpStatus)}` };
      // Another site (or a non-web scheme) is never requested: that it sends readers away is the finding.
      if ((next.protocol !== "http:" && next.protocol !== "https:") || siteOf(next) !== siteOf(start)) {
        return { result: "redirected", location: next.href };
      }
      current = next;
      continue;
    }
    if (got.httpStatus >= 200 && got.httpStatus < 300) {
      return samePage(current, start)
        ? { result: "alive", page: got }
        : { result: "redirected", location: current.href };
    }
    return { result: "failed", error: `check: ${current.href}: ${m.unexpected(got.httpStatus)}` };
  }
  return { result: "redirected", location: current.href };
}
