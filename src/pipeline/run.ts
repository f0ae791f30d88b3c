import { createHash } from "node:crypto";
import { resolve } from "node:path";
import {
  decide,
  loadStateForItems,
  previousRecord,
  queueWritten,
  saveStates,
  takeOverFromFiles,
  tidyAfterCrash,
  writeRevision,
} from "../archive/index.js";
import type { ImageSession } from "../extract/images/index.js";
import type { ExtractContext } from "../extract/types.js";
import { createFetcher } from "../fetch/index.js";
import { createLimiter } from "../fetch/limiter.js";
import type { Fetcher } from "../fetch/types.js";
import {
  emptySourceReport,
  type Item,
  type PendingArticle,
  type RunReport,
  type SourceReport,
  type WrittenArticle,
} from "../model/article.js";
import type { Config } from "../model/config.js";
import { errorMessage, NewsarkError } from "../model/errors.js";
import type { Source } from "../model/source.js";
import { distinctItems } from "../normalize/identity.js";
import { isSkipped, normalizeItem } from "../normalize/index.js";
import { writeListsOfState, writeSourceLists } from "../publish/lists/index.js";
import { acquireLock } from "../store/files/lock.js";
import { archivePaths } from "../store/files/paths.js";
import { type SourceState, unchangedInStateTail } from "../store/files/state.js";
import { readFileOr } from "../util/read.js";
import { type FeedState, formatFeedsState, readFeedsState } from "./feeds-state.js";

/** Options of one run; `onSource` lets the CLI show progress as each source finishes. */
export interface RunOptions {
  sourceIds?: string[] | undefined;
  /** Clock, for tests. */
  now?: () => number;
  onSource?: ((report: SourceReport, source: Source) => void) | undefined;
  onStart?: ((source: Source) => void) | undefined;
  /** The fetcher to use (tests and the benchmark pass their own settings). */
  fetcher?: Fetcher | undefined;
}

/** What one source produced, before it is committed to disk. */
interface SourceOutcome {
  source: Source;
  report: SourceReport;
  state?: SourceState | undefined;
  feed?: FeedState | undefined;
  /** Articles written this run, for the search catalog. */
  touched: WrittenArticle[];
}

function feedUrlOf(config: Config, source: Source): string {
  if (/^(https?|file):/i.test(source.url)) return source.url;
  return resolve(config.root, source.url);
}

function settingsHash(source: Source): string {
  return JSON.stringify([
    source.url,
    source.fulltext,
    source.images,
    source.include?.categories.source,
    source.exclude?.categories.source,
  ]);
}

/** Full text and image archiving are the optional steps; sources without them skip loading their code. */
function usesExtractors(source: Source): boolean {
  return source.fulltext !== undefined || source.images === "archive";
}

function wanted(source: Source, categories: string[]): boolean {
  const text = categories.join("\n");
  if (source.include && !source.include.categories.test(text)) return false;
  if (source.exclude?.categories.test(text)) return false;
  return true;
}

async function archiveOne(
  config: Config,
  source: Source,
  previous: FeedState | undefined,
  fetcher: Fetcher,
  seenMs: number,
  images?: ImageSession,
): Promise<SourceOutcome> {
  const report = emptySourceReport(source.id);
  const url = feedUrlOf(config, source);
  const result = await fetcher.fetch({
    url,
    etag: previous?.etag,
    lastModified: previous?.lastModified,
    trusted: true,
  });
  if (result.status === "error") {
    report.error = result.error;
    return { source, report, touched: [] };
  }
  report.fetched = true;
  if (result.status === "not-modified") return { source, report, touched: [] };
  const bodyHash = createHash("sha1")
    .update(result.body)
    .update(settingsHash(source))
    .digest("hex")
    .slice(0, 16);
  const feed: FeedState = { etag: result.etag, lastModified: result.lastModified, bodyHash };
  if (previous?.bodyHash === bodyHash) return { source, report, feed, touched: [] };
  // Loaded only when a feed has changed: a run where every feed answers 304 never pays for the parser.
  const { parseFeed } = await import("../parse/index.js");
  const parsed = parseFeed(result.body, { contentType: result.contentType, url: result.finalUrl });
  if (!parsed.ok) {
    report.error = `${parsed.error} (${url})`;
    // Keep the old validators so the next run fetches the feed again.
    return { source, report, touched: [] };
  }
  // Every parse warning reaches the report (the parser names its room in most of them already).
  report.warnings.push(...parsed.feed.warnings.map((w) => (w.startsWith("parse") ? w : `parse: ${w}`)));
  const items: Item[] = [];
  for (const parsedItem of parsed.feed.items) {
    const item = normalizeItem(parsedItem, seenMs, result.finalUrl);
    if (isSkipped(item)) report.warnings.push(`skipped ${item.skip}`);
    else items.push(item);
  }
  const distinct = distinctItems(items);
  report.warnings.push(...distinct.warnings);
  const kept = distinct.items.filter((item) => wanted(source, item.categories));
  // A source with article files but no state (an archive of the earlier system, or state lost) gets
  // its state and lists from its files first, one source at a time, so no run holds every record.
  takeOverFromFiles(config.root, source.id, (records) =>
    writeSourceLists(config.root, source, records, config.timezone, config.listSize),
  );
  // The usual hourly case, a feed whose text changed but whose items did not, is told from the end
  // of the state file without reading the whole of it.
  if (kept.length > 0 && unchangedInStateTail(config.root, source.id, kept)) {
    report.unchanged += kept.length;
    return { source, report, feed, touched: [] };
  }
  const state = loadStateForItems(config.root, source.id, kept);
  const pending: PendingArticle[] = [];
  for (const item of kept) {
    const previous = previousRecord(state, item);
    const decision = decide(item, previous);
    if (decision === "unchanged") report.unchanged++;
    else pending.push({ item, content: item.content, decision, previous });
  }
  const context: ExtractContext = { config, source, fetcher, warnings: report.warnings, images };
  if (pending.length > 0 && usesExtractors(source)) {
    const { runExtractors } = await import("../extract/index.js");
    await runExtractors(pending, context);
  }
  const touched = writePending(config.root, source.id, state, pending, seenMs, report);
  return { source, report, state: touched.length > 0 || state.dirty ? state : undefined, feed, touched };
}

/** Article number order of new items: oldest published first, so the newest gets the lowest number. */
function oldestFirst(a: PendingArticle, b: PendingArticle): number {
  return a.item.published - b.item.published;
}

/** Writes a source's new articles (oldest first), then its edits, counting them in the report. */
function writePending(
  root: string,
  sourceId: string,
  state: SourceState,
  pending: PendingArticle[],
  seenMs: number,
  report: SourceReport,
): WrittenArticle[] {
  // Feed order is newest first; reversing before the stable sort keeps equal-time items in the order
  // they were published.
  const fresh = pending
    .filter((p) => p.decision === "new")
    .reverse()
    .sort(oldestFirst);
  const edits = pending.filter((p) => p.decision === "changed").reverse();
  const touched: WrittenArticle[] = [];
  for (const p of [...fresh, ...edits]) {
    touched.push(
      writeRevision(root, sourceId, state, { ...p.item, content: p.content, previous: p.previous }, seenMs),
    );
    report[p.decision]++;
  }
  return touched;
}

/**
 * Runs the archiver once over the configured sources: fetch, parse, decide, write articles, lists and
 * state. Failed sources are reported, never fatal, except an archive that cannot be used or written:
 * the other sources finish, then that error is thrown. Durability: see saveStates.
 */
export async function runArchive(config: Config, options: RunOptions = {}): Promise<RunReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const seenMs = now();
  const sources = options.sourceIds?.length
    ? config.sources.filter((s) => options.sourceIds?.includes(s.id))
    : config.sources;
  const lock = acquireLock(config.root);
  const fetcher = options.fetcher ?? createFetcher(config.fetch, { allowNetworks: config.allowNetworks });
  // Config problems that do not stop a run (e.g. source ids that clash by case) open the run-wide warnings.
  const warnings = [...(config.warnings ?? [])];
  try {
    if (lock.crashed) tidyAfterCrash(config.root, config.sources);
    const feeds = readFeedsState(config.root);
    const images = sources.some((s) => s.images === "archive")
      ? await openImageSession(config, fetcher)
      : undefined;
    const slots = createLimiter(config.fetch.concurrency, config.fetch.concurrency);
    const unusable: NewsarkError[] = [];
    const outcomes = await Promise.all(
      sources.map(async (source) => {
        // At most `concurrency` sources are between fetch and write at once, so a run over many
        // feeds never holds all their bodies and parse trees in memory together.
        const release = await slots.acquire("");
        options.onStart?.(source);
        let outcome: SourceOutcome;
        try {
          outcome = await archiveOne(config, source, feeds[source.id], fetcher, seenMs, images);
        } catch (err) {
          // An archive that cannot be read or written fails the run once the other sources finish.
          if (err instanceof NewsarkError && (err.code === "archive" || err.code === "archive-io")) {
            unusable.push(err);
          }
          const report = emptySourceReport(source.id);
          report.error = errorMessage(err);
          outcome = { source, report, touched: [] };
        }
        release?.();
        options.onSource?.(outcome.report, source);
        return outcome;
      }),
    );
    const changedSources = outcomes.filter((o) => o.state !== undefined);
    for (const o of changedSources) {
      writeListsOfState(config.root, o.source, o.state as SourceState, config.timezone, config.listSize);
    }
    const nextFeeds = { ...feeds };
    for (const o of outcomes) if (o.feed) nextFeeds[o.source.id] = o.feed;
    const feedsText = formatFeedsState(nextFeeds);
    const feedsChanged = feedsText !== readFileOr(archivePaths.feedsState(config.root), "");
    saveStates(
      config.root,
      changedSources.map((o) => ({ sourceId: o.source.id, state: o.state as SourceState })),
      feedsChanged ? feedsText : undefined,
    );
    // images (src/extract/images): retry earlier failed downloads and uploads, even when nothing was new.
    const imagesDone = await images?.finish();
    if (imagesDone?.error) warnings.push(imagesDone.error);
    const queued = await queueWritten(
      config,
      outcomes.map((o) => ({ sourceId: o.source.id, articles: o.touched })),
    );
    if (queued) warnings.push(queued);
    if (unusable[0]) throw unusable[0];
    // status (src/status): once a day, warn when the archive will pass 5 GB within 90 days. Only a
    // run that finished samples the size, so a sample never counts an archive left half written.
    const growth = await (await import("../status/warn.js"))
      .growthWarning(config, seenMs)
      .catch(() => undefined);
    if (growth) warnings.push(growth);
    return {
      sources: outcomes.map((o) => o.report),
      warnings,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    if (!options.fetcher) fetcher.close();
    lock.release();
  }
}

/** The run's image session over the media store newsark.yaml chooses; loaded only when a source archives images. */
async function openImageSession(config: Config, fetcher: Fetcher): Promise<ImageSession> {
  const [{ createImageSession }, { createMediaStore }] = await Promise.all([
    import("../extract/index.js"),
    import("../store/media/index.js"),
  ]);
  return createImageSession(config, fetcher, createMediaStore(config));
}
