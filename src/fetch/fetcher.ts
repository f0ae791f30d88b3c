import * as http from "node:http";
import * as https from "node:https";
import { isAbsolute } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { errorMessage } from "../model/errors.js";
import { readLocalFile } from "./file.js";
import { type Attempt, requestOnce } from "./http.js";
import { createLimiter } from "./limiter.js";
import { createLookup, type Resolver, systemResolver } from "./lookup.js";
import { fetchError, fetchMessages as m, shortUrl } from "./messages.js";
import { createAddressPolicy, parseIp } from "./network-policy.js";
import { defaultRetryBaseMs, maxRetryWaitMs, parseRetryAfter, retryDelay } from "./retry.js";
import type {
  FetchErrorKind,
  Fetcher,
  FetchRequest,
  FetchResult,
  FetchSettings,
  NetworkPolicy,
} from "./types.js";

/**
 * Knobs that newsark.yaml does not expose; tests use them to keep retries fast and name resolution local.
 *
 * @example
 * createFetcher(settings, { allowNetworks: [] }, { retryBaseMs: 5 });
 */
export interface FetcherOptions {
  /** First backoff wait in ms, doubled on each retry (default 200). */
  retryBaseMs?: number | undefined;
  /** Longest single wait between tries in ms, Retry-After included (default and maximum 30 000). */
  maxRetryWaitMs?: number | undefined;
  /** Resolves host names (default: the system resolver). */
  resolver?: Resolver | undefined;
  /**
   * Starts the wait before a retry: calls `wake` after `ms` and returns a cancel function (default: a timer).
   * Tests pass one that records the wait and wakes at once, so no test depends on the clock.
   */
  scheduleWait?: ((wake: () => void, ms: number) => () => void) | undefined;
}

function timerWait(wake: () => void, ms: number): () => void {
  const timer = setTimeout(wake, ms);
  return () => clearTimeout(timer);
}

const defaultAccept =
  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, " +
  "application/json;q=0.8, text/html;q=0.8, */*;q=0.5";

type Failure = Extract<FetchResult, { status: "error" }>;

type Target =
  | { type: "url"; url: URL }
  | { type: "file"; path: string }
  | { type: "error"; kind: FetchErrorKind; reason: string };

/**
 * Creates the Fetcher newsark uses for feeds, article pages and images; close() it when the run ends.
 * Throws a config NewsarkError only for a malformed allowNetworks CIDR; every fetch failure is a FetchResult.
 *
 * @example
 * const fetcher = createFetcher(defaultFetchSettings, { allowNetworks: [] });
 * const result = await fetcher.fetch({ url: "https://www.voachinese.com/api/z", trusted: true });
 * fetcher.close();
 */
export function createFetcher(
  settings: FetchSettings,
  policy: NetworkPolicy,
  options: FetcherOptions = {},
): Fetcher {
  const addressPolicy = createAddressPolicy(policy.allowNetworks);
  const resolver = options.resolver ?? systemResolver;
  const retryBaseMs = Math.max(0, options.retryBaseMs ?? defaultRetryBaseMs);
  const waitCap = Math.min(maxRetryWaitMs, Math.max(0, options.maxRetryWaitMs ?? maxRetryWaitMs));
  const maxRedirects = Math.max(0, Math.floor(settings.maxRedirects));
  const retries = Math.max(0, Math.floor(settings.retries));
  const limiter = createLimiter(settings.concurrency, settings.perHostConcurrency);
  const defaultMaxBytes = validCap(settings.maxBytes) ?? 20 * 1024 * 1024;
  // A NaN cap would compare false against every size and let any body through, so bad values fall back.
  const capFor = (request: FetchRequest) => validCap(request.maxBytes) ?? defaultMaxBytes;

  // Untrusted requests get their own agents: a pooled socket opened for a configured feed on a private host must never
  // be reused by a URL from feed content, which would skip the connect-time address check.
  const trusted = {
    lookup: createLookup(resolver),
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  const untrusted = {
    lookup: createLookup(resolver, addressPolicy),
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  const sleeps = new Set<() => void>();
  let closed = false;

  const scheduleWait = options.scheduleWait ?? timerWait;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      let cancel: (() => void) | undefined;
      const wake = () => {
        if (!sleeps.delete(wake)) return;
        cancel?.();
        resolve();
      };
      sleeps.add(wake);
      cancel = scheduleWait(wake, ms);
    });

  const failure = (
    request: FetchRequest,
    kind: FetchErrorKind,
    why: string,
    httpStatus?: number,
  ): Failure => ({
    status: "error",
    url: request.url,
    kind,
    error: fetchError(request.url, why),
    httpStatus,
  });

  async function fetchFile(request: FetchRequest, path: string): Promise<FetchResult> {
    const read = await readLocalFile(path, capFor(request));
    if (!read.ok) return failure(request, read.kind, read.reason);
    return {
      status: "ok",
      url: request.url,
      finalUrl: pathToFileURL(path).href,
      httpStatus: 200,
      body: read.body,
      redirects: 0,
    };
  }

  // One hop with its retries; `budget.left` is shared by all hops so a redirect chain cannot multiply the tries.
  async function attemptWithRetries(
    request: FetchRequest,
    url: URL,
    isTrusted: boolean,
    budget: { left: number },
  ): Promise<{ attempt: Attempt; tries: number }> {
    const headers: Record<string, string> = {
      "user-agent": settings.userAgent,
      accept: request.accept ?? defaultAccept,
      "accept-encoding": "gzip, deflate, br",
    };
    // Validators come from earlier responses, i.e. from the server; one it mangled is dropped, not sent.
    if (request.etag && isHeaderSafe(request.etag)) headers["if-none-match"] = request.etag;
    if (request.lastModified && isHeaderSafe(request.lastModified))
      headers["if-modified-since"] = request.lastModified;
    const side = isTrusted ? trusted : untrusted;
    for (let tries = 1; ; tries++) {
      const release = await limiter.acquire(url.hostname);
      if (!release) return { attempt: closedAttempt(), tries };
      let attempt: Attempt;
      try {
        attempt = await requestOnce({
          url,
          headers,
          agent: url.protocol === "https:" ? side.https : side.http,
          lookup: side.lookup,
          connectTimeoutMs: settings.connectTimeoutMs,
          headersTimeoutMs: settings.headersTimeoutMs,
          bodyTimeoutMs: settings.bodyTimeoutMs,
          maxBytes: capFor(request),
        });
      } finally {
        release();
      }
      const retryable =
        (attempt.type === "http-error" && (attempt.status === 429 || attempt.status >= 500)) ||
        (attempt.type === "failed" && attempt.retryable);
      if (!retryable || budget.left <= 0 || closed) return { attempt, tries };
      const retryAfter = attempt.type === "http-error" ? parseRetryAfter(attempt.retryAfter) : undefined;
      await sleep(retryDelay(retries - budget.left, retryBaseMs, retryAfter, waitCap));
      budget.left--;
    }
  }

  async function fetchUrl(request: FetchRequest, start: URL): Promise<FetchResult> {
    const budget = { left: retries };
    let url = start;
    let isTrusted = request.trusted;
    // Reasons for a later hop name that hop, since the user only knows the URL they asked for.
    const at = (why: string) => (url === start ? why : m.redirectHop(shortUrl(url.href), why));
    for (let redirects = 0; ; redirects++) {
      if (!isTrusted) {
        // Literal addresses never reach the lookup function, so they are checked here.
        const literal = parseIp(url.hostname);
        const verdict = literal ? addressPolicy.check(url.hostname) : { allowed: true as const };
        if (!verdict.allowed) {
          return failure(
            request,
            "forbidden",
            at(m.forbidden(url.hostname.replace(/^\[|\]$/g, ""), verdict.reason)),
          );
        }
      }
      const { attempt, tries } = await attemptWithRetries(request, url, isTrusted, budget);
      switch (attempt.type) {
        case "ok":
          return {
            status: "ok",
            url: request.url,
            finalUrl: url.href,
            httpStatus: attempt.status,
            body: attempt.body,
            contentType: headerText(attempt.headers["content-type"]),
            etag: headerText(attempt.headers.etag),
            lastModified: headerText(attempt.headers["last-modified"]),
            redirects,
          };
        case "not-modified":
          return { status: "not-modified", url: request.url, finalUrl: url.href, httpStatus: 304 };
        case "http-error":
          return failure(
            request,
            "http",
            at(m.afterTries(m.httpStatus(attempt.status), tries)),
            attempt.status,
          );
        case "failed":
          return failure(request, attempt.kind, at(m.afterTries(attempt.reason, tries)));
        case "redirect": {
          const next = resolveLocation(attempt.location, url);
          if (request.followRedirects === false) {
            return {
              status: "ok",
              url: request.url,
              finalUrl: url.href,
              httpStatus: attempt.status,
              body: Buffer.alloc(0),
              redirects: 0,
              location: next?.href ?? attempt.location,
            };
          }
          if (!next)
            return failure(request, "http", at(m.redirectBadLocation(attempt.status)), attempt.status);
          if (next.protocol !== "http:" && next.protocol !== "https:") {
            return failure(request, "scheme", at(m.redirectScheme(shortUrl(next.href))));
          }
          if (redirects >= maxRedirects)
            return failure(request, "redirects", m.tooManyRedirects(maxRedirects));
          // The user vouched for the host they configured, not for wherever it points to.
          isTrusted = isTrusted && next.hostname === url.hostname;
          url = next;
        }
      }
    }
  }

  async function run(request: FetchRequest): Promise<FetchResult> {
    if (closed) return failure(request, "network", m.closed());
    const target = classify(request);
    if (target.type === "error") return failure(request, target.kind, target.reason);
    if (target.type === "file") return fetchFile(request, target.path);
    return fetchUrl(request, target.url);
  }

  return {
    async fetch(request) {
      try {
        return await run(request);
      } catch (err) {
        // Nothing above should throw; if it does, the run still gets a value naming the URL.
        return failure(request, "network", m.internal(errorMessage(err)));
      }
    },
    close() {
      closed = true;
      limiter.close();
      for (const wake of [...sleeps]) wake();
      for (const agent of [trusted.http, trusted.https, untrusted.http, untrusted.https]) agent.destroy();
    },
  };
}

function classify(request: FetchRequest): Target {
  const raw = request.url.trim();
  if (isAbsolute(raw) && !raw.startsWith("//")) {
    return request.trusted
      ? { type: "file", path: raw }
      : { type: "error", kind: "scheme", reason: m.untrustedFile() };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    if (request.trusted && !/^[a-z][a-z0-9+.-]*:/i.test(raw))
      return { type: "error", kind: "file", reason: m.relativePath() };
    return { type: "error", kind: "scheme", reason: m.badUrl() };
  }
  if (url.protocol === "http:" || url.protocol === "https:") return { type: "url", url };
  if (!request.trusted) return { type: "error", kind: "scheme", reason: m.untrustedScheme(url.protocol) };
  if (url.protocol === "file:") {
    try {
      return { type: "file", path: fileURLToPath(url) };
    } catch (err) {
      return { type: "error", kind: "file", reason: errorMessage(err) };
    }
  }
  return { type: "error", kind: "scheme", reason: m.unsupportedScheme(url.protocol) };
}

function validCap(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

function resolveLocation(location: string | undefined, base: URL): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function isHeaderSafe(value: string): boolean {
  try {
    http.validateHeaderValue("x", value);
    return true;
  } catch {
    return false;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function closedAttempt(): Attempt {
  return { type: "failed", kind: "network", reason: m.closed(), retryable: false };
}
