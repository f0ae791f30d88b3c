import type { FetchSettings } from "../model/source.js";

/** One request. `trusted` is true only for feed URLs the user configured; URLs found in feed content are untrusted. */
export interface FetchRequest {
  url: string;
  /** Validators from the previous response, for a conditional GET. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  trusted: boolean;
  /** Accept header; defaults to feeds and HTML. */
  accept?: string | undefined;
  /** Overrides FetchSettings.maxBytes for this request (e.g. images). */
  maxBytes?: number | undefined;
  /** Do not follow redirects; report them (used by `newsark check`). */
  followRedirects?: boolean | undefined;
}

/** Why a fetch failed, sorted into a fixed set. */
export type FetchErrorKind =
  | "network"
  | "timeout"
  | "http"
  | "too-large"
  | "forbidden"
  | "redirects"
  | "scheme"
  | "file";

/** Outcome of one request. Failures are values, never thrown. */
export type FetchResult =
  | {
      status: "ok";
      /** The URL asked for. */
      url: string;
      /** The URL after redirects. */
      finalUrl: string;
      httpStatus: number;
      body: Buffer;
      contentType?: string | undefined;
      etag?: string | undefined;
      lastModified?: string | undefined;
      /** Number of redirects followed. */
      redirects: number;
      /** Location header when followRedirects was false and the server redirected. */
      location?: string | undefined;
    }
  | { status: "not-modified"; url: string; finalUrl: string; httpStatus: 304 }
  | {
      status: "error";
      url: string;
      kind: FetchErrorKind;
      /** One line naming the URL and why, e.g. "fetch: https://x/feed.xml: HTTP 503 after 3 tries". */
      error: string;
      httpStatus?: number | undefined;
    };

/** Gets bytes from http(s) or local files with timeouts, size cap, retries and bounded concurrency. */
export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResult>;
  /** Frees sockets; the process can exit afterwards. */
  close(): void;
}

/** What decides which addresses untrusted URLs may reach. */
export interface NetworkPolicy {
  /** CIDRs (e.g. "127.0.0.0/8") that untrusted URLs may reach besides public addresses. */
  allowNetworks: string[];
}

export type { FetchSettings };
