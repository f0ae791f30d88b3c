import {
  loadSourceState,
  queueWritten,
  saveStates,
  tidyAfterCrash,
  type WrittenBatch,
  writeRevision,
} from "../archive/index.js";
import { extractFromPage } from "../extract/fulltext/index.js";
import { createFetcher } from "../fetch/index.js";
import type { Fetcher } from "../fetch/types.js";
import { articleText } from "../history/text.js";
import type { ArticleRecord, WrittenArticle } from "../model/article.js";
import type { Config } from "../model/config.js";
import { errorMessage } from "../model/errors.js";
import type { Source } from "../model/source.js";
import { writeSourceLists } from "../publish/lists/index.js";
import { articleFilePath, readArticleFile } from "../store/files/index.js";
import { acquireLock } from "../store/files/lock.js";
import type { SourceState } from "../store/files/state.js";
import { checkMessages as m } from "./messages.js";
import { type Probe, probeUrl } from "./probe.js";

export { CHECK_MAX_BYTES, MAX_HOPS, type Probe, probeUrl, samePage } from "./probe.js";
export { parseLimit, parseSince } from "./since.js";

/** What one check found for one article; "changed" means alive with different text, kept as a new version. */
export type CheckOutcome = "alive" | "gone" | "redirected" | "changed" | "failed";

/** One checked article. */
export interface CheckResult {
  source: string;
  n: number;
  url: string;
  outcome: CheckOutcome;
  /** Where a redirected URL now points. */
  location?: string | undefined;
  /** One line, for failed checks (status left as it was). */
  error?: string | undefined;
}

/**
 * Outcome of `newsark check`: counts per outcome and every result, newest article first.
 *
 * @example
 * { checked: 3, alive: 1, gone: 1, redirected: 1, changed: 0, failed: 0, durationMs: 40, results: [...] }
 */
export interface CheckReport {
  checked: number;
  alive: number;
  gone: number;
  redirected: number;
  changed: number;
  failed: number;
  durationMs: number;
  results: CheckResult[];
  /** Recoverable problems (search index not updated, …). */
  warnings: string[];
}

/** Which articles to check and how; the clock and fetcher are for tests and the benchmark. */
export interface CheckOptions {
  sourceIds?: string[] | undefined;
  /** Only articles published within this many ms before now. */
  sinceMs: number;
  /** At most this many articles, newest first. */
  limit: number;
  now?: (() => number) | undefined;
  fetcher?: Fetcher | undefined;
  /** Requests in flight at once; the fetcher's per-host limit still applies below it. */
  parallel?: number | undefined;
}

interface Candidate {
  source: Source;
  state: SourceState;
  record: ArticleRecord;
  time: number;
}

function timeOf(r: ArticleRecord): number {
  return Number.isFinite(r.published) ? r.published : r.seen;
}

/** Sets a record's status; `checked` is when the status was first found, so "gone since" survives re-checks. */
function setStatus(record: ArticleRecord, status: "alive" | "gone" | "redirected", now: number): boolean {
  if (record.status === status) return false;
  record.status = status;
  record.checked = now;
  return true;
}

/**
 * Re-requests archived article URLs (newest first, published within `sinceMs`, at most `limit`) and records
 * in state/<id>.tsv whether each is alive, gone (404/410) or redirected away; for sources with full text, an
 * alive page whose text differs from the archive is kept as a new version. Network failures leave the status
 * as it was and are reported. Holds the archive lock; regenerates the lists of the sources it changed.
 */
export async function checkArchive(config: Config, options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const now = (options.now ?? Date.now)();
  const report: CheckReport = {
    checked: 0,
    alive: 0,
    gone: 0,
    redirected: 0,
    changed: 0,
    failed: 0,
    durationMs: 0,
    results: [],
    warnings: [],
  };
  const sources = options.sourceIds?.length
    ? config.sources.filter((s) => options.sourceIds?.includes(s.id))
    : config.sources;
  const lock = acquireLock(config.root, "check");
  const fetcher = options.fetcher ?? createFetcher(config.fetch, { allowNetworks: config.allowNetworks });
  try {
    if (lock.crashed) tidyAfterCrash(config.root, config.sources);
    let archived = 0;
    const candidates: Candidate[] = [];
    const states = new Map<string, SourceState>();
    for (const source of sources) {
      const state = loadSourceState(config.root, source.id);
      states.set(source.id, state);
      archived += state.records.length;
      for (const record of state.records) {
        const time = timeOf(record);
        if (time >= now - options.sinceMs) candidates.push({ source, state, record, time });
      }
    }
    candidates.sort((a, b) => b.time - a.time || a.record.n - b.record.n);
    const chosen = candidates.slice(0, Math.max(0, options.limit));
    if (chosen.length === 0) report.warnings.push(m.nothingToCheck(archived, options.sinceMs, options.limit));
    const results: CheckResult[] = new Array(chosen.length);
    const dirty = new Set<string>();
    const written = new Map<string, WrittenArticle[]>();
    let next = 0;
    const worker = async () => {
      while (next < chosen.length) {
        const i = next++;
        const c = chosen[i] as Candidate;
        results[i] = await checkOne(config, fetcher, c, now, dirty, written);
      }
    };
    const parallel = Math.max(1, options.parallel ?? config.fetch.concurrency * 4);
    await Promise.all(Array.from({ length: Math.min(parallel, chosen.length) }, worker));
    report.results = results;
    for (const r of results) {
      report.checked++;
      report[r.outcome]++;
    }
    saveSources(config, sources, states, dirty);
    const queued = await queueWritten(
      config,
      [...written].map(([sourceId, articles]): WrittenBatch => ({ sourceId, articles })),
    );
    if (queued) report.warnings.push(queued);
  } finally {
    if (!options.fetcher) fetcher.close();
    lock.release();
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

async function checkOne(
  config: Config,
  fetcher: Fetcher,
  c: Candidate,
  now: number,
  dirty: Set<string>,
  written: Map<string, WrittenArticle[]>,
): Promise<CheckResult> {
  const { source, state, record } = c;
  const article = readArticleFile(config.root, source.id, record.n);
  const base = { source: source.id, n: record.n };
  if (!article) {
    const path = articleFilePath(config.root, source.id, record.n);
    return { ...base, url: "", outcome: "failed", error: m.missingFile(path) };
  }
  let probe: Probe;
  try {
    probe = await probeUrl(fetcher, article.url);
  } catch (err) {
    probe = { result: "failed", error: `check: ${article.url}: ${errorMessage(err)}` };
  }
  const result: CheckResult = {
    ...base,
    url: article.url,
    outcome: probe.result === "alive" ? "alive" : probe.result,
  };
  if (probe.result === "failed") {
    result.error = probe.error;
    return result;
  }
  if (probe.result === "redirected") result.location = probe.location;
  const status = probe.result;
  if (setStatus(record, status, now)) {
    state.dirty = true;
    dirty.add(source.id);
  }
  if (probe.result !== "alive" || !source.fulltext) return result;
  const extracted = extractFromPage(probe.page, source.fulltext);
  if (!extracted.ok) return result;
  const squash = (text: string) => text.replace(/\s+/g, "");
  if (squash(extracted.text) === squash(articleText(article.content))) return result;
  // An alive page whose text differs is kept as a new version of the article, as a run keeps an edit.
  const wrote = writeRevision(
    config.root,
    source.id,
    state,
    {
      key: record.key,
      title: article.title,
      url: article.url,
      published: record.published,
      content: extracted.html,
      // The feed's hash stays, so the next run does not mistake this version for an edit in the feed.
      hash: record.hash,
      previous: record,
    },
    now,
  );
  dirty.add(source.id);
  result.outcome = "changed";
  written.set(source.id, [...(written.get(source.id) ?? []), wrote]);
  return result;
}

/** Saves the states and lists of changed sources, in the order a run does (see saveStates). */
function saveSources(
  config: Config,
  sources: Source[],
  states: Map<string, SourceState>,
  dirty: Set<string>,
): void {
  const changed = sources.filter((s) => dirty.has(s.id) && states.has(s.id));
  for (const source of changed) {
    const state = states.get(source.id) as SourceState;
    writeSourceLists(config.root, source, state.records, config.timezone, config.listSize);
  }
  saveStates(
    config.root,
    changed.map((s) => ({ sourceId: s.id, state: states.get(s.id) as SourceState })),
  );
}
