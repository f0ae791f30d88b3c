/** Longest single wait between tries, whatever Retry-After asks: an hourly run must not stall on one source. */
export const maxRetryWaitMs = 30_000;

/** Backoff base when FetcherOptions does not set one. */
export const defaultRetryBaseMs = 200;

/**
 * Reads a Retry-After header (delay in seconds or an HTTP date) as milliseconds from `now`; undefined if absent or bad.
 *
 * @example
 * parseRetryAfter("120"); // 120000
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse accepts far more than HTTP dates; demanding a weekday or a GMT/UTC zone keeps plain numbers like "1.5" out.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first): Retry-After if the server sent one, else
 * base × 2^retry plus up to one base of jitter so parallel runs do not retry in step; never above `cap`.
 *
 * @example
 * retryDelay(1, 200, undefined); // between 400 and 600
 */
export function retryDelay(
  retry: number,
  baseMs: number,
  retryAfterMs: number | undefined,
  cap = maxRetryWaitMs,
  random: () => number = Math.random,
): number {
  const wait = retryAfterMs ?? baseMs * 2 ** Math.min(retry, 20) + random() * baseMs;
  return Math.max(0, Math.min(cap, wait));
}
