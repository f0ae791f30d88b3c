import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ImageSession } from "../extract/images/index.js";
import type { ExtractContext, PendingArticle } from "../extract/types.js";
import { createFetcher } from "../fetch/index.js";
import { createLimiter } from "../fetch/limiter.js";
import type { Fetcher } from "../fetch/types.js";
import type { ArticleRecord, RunReport, SourceReport } from "../model/article.js";
import { errorMessage, NewsarkError } from "../model/errors.js";
import type { Config, Source } from "../model/source.js";
import { isSkipped, normalizeItem } from "../normalize/index.js";
import { writeSourceLists } from "../publish/lists/index.js";
import { acquireLock } from "../store/files/lock.js";
import { archivePaths } from "../store/files/paths.js";
import { type SourceState, serializeSourceState } from "../store/files/state.js";
import { flushFilesystem, writeFileAtomic } from "../util/atomic.js";
import { readFileOr } from "../util/read.js";
import {
  findRecord,
  loadSourceState,
  removeTempFiles,
  type WrittenArticle,
  writeArticles,
} from "./archive-source.js";
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

function emptyReport(id: string): SourceReport {
  return { id, fetched: false, new: 0, changed: 0, unchanged: 0, error: null, warnings: [] };
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
  const report = emptyReport(source.id);
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
  report.warnings.push(...parsed.feed.warnings.map((w) => `parse: ${w}`));
  const state = loadSourceState(config.root, source.id);
  const pending: PendingArticle[] = [];
  const records = new Map<PendingArticle, ArticleRecord>();
  const seenKeys = new Set<string>();
  for (const parsedItem of parsed.feed.items) {
    const item = normalizeItem(parsedItem, seenMs, result.finalUrl);
    if (isSkipped(item)) {
      report.warnings.push(`skipped ${item.skip}`);
      continue;
    }
    if (seenKeys.has(item.key)) continue;
    seenKeys.add(item.key);
    if (!wanted(source, item.categories)) continue;
    const record = findRecord(state, item);
    if (!record) {
      pending.push({ item, content: item.content, decision: "new" });
    } else if (record.hash === item.hash) {
      report.unchanged++;
    } else {
      const p: PendingArticle = { item, content: item.content, decision: "changed" };
      pending.push(p);
      records.set(p, record);
    }
  }
  const context: ExtractContext = { config, source, fetcher, warnings: report.warnings, images };
  if (pending.length > 0 && usesExtractors(source)) {
    const { runExtractors } = await import("../extract/index.js");
    await runExtractors(pending, context);
  }
  // Feed order is newest first; reversing keeps equal-time items in the order they were published.
  pending.reverse();
  const touched = writeArticles(config.root, source, state, pending, records, seenMs, report);
  return { source, report, state: touched.length > 0 || state.dirty ? state : undefined, feed, touched };
}

/**
 * Runs the archiver once over the configured sources: fetch, parse, decide, write articles, lists and
 * state. Failed sources are reported, never fatal. Durability: articles are renamed into place, then
 * flushed in one batch, then the state is written and flushed, so state never points at a missing file.
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
  try {
    if (lock.crashed) tidyAfterCrash(config);
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
          // A source's state that cannot be read makes the archive unusable: finish the others, then fail.
          if (err instanceof NewsarkError && err.code === "archive") unusable.push(err);
          const report = emptyReport(source.id);
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
      writeSourceLists(
        config.root,
        o.source,
        (o.state as SourceState).records,
        config.timezone,
        config.listSize,
      );
    }
    const nextFeeds = { ...feeds };
    for (const o of outcomes) if (o.feed) nextFeeds[o.source.id] = o.feed;
    const feedsText = formatFeedsState(nextFeeds);
    const feedsChanged = feedsText !== readFileOr(archivePaths.feedsState(config.root), "");
    if (changedSources.length > 0 || feedsChanged) {
      // Articles first, durable in one batch; only then the state that points at them.
      if (changedSources.length > 0) flushFilesystem(config.root);
      for (const o of changedSources) {
        writeFileAtomic(
          archivePaths.state(config.root, o.source.id),
          serializeSourceState(o.state as SourceState),
        );
      }
      if (feedsChanged) writeFileAtomic(archivePaths.feedsState(config.root), feedsText);
      flushFilesystem(config.root);
    }
    // images (src/extract/images): retry earlier failed downloads and uploads, even when nothing was new.
    const imagesDone = await images?.finish();
    if (imagesDone?.error) outcomes[0]?.report.warnings.push(imagesDone.error);
    await indexTouched(config, outcomes);
    // status (src/status): once a day, warn when the archive will pass 5 GB within 90 days.
    const growth = await (await import("../status/warn.js"))
      .growthWarning(config, seenMs)
      .catch(() => undefined);
    if (growth) outcomes[0]?.report.warnings.push(growth);
    if (unusable[0]) throw unusable[0];
    return { sources: outcomes.map((o) => o.report), durationMs: Math.round(performance.now() - started) };
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

/** After a killed run: remove its temp files; its orphan articles are taken back by loadSourceState. */
function tidyAfterCrash(config: Config): void {
  for (const dir of ["lists", "state"]) removeTempFiles(join(config.root, dir));
  for (const source of config.sources) {
    removeTempFiles(archivePaths.articlesDir(config.root, source.id));
    removeTempFiles(join(config.root, "lists", source.name));
  }
}

/** Queues this run's articles for the search catalog; the catalog is a cache, so failures only warn. */
async function indexTouched(config: Config, outcomes: SourceOutcome[]): Promise<void> {
  const touched = outcomes.filter((o) => o.touched.length > 0);
  if (touched.length === 0 || !existsSync(archivePaths.catalog(config.root))) return;
  try {
    const { indexWritten } = await import("./index-catalog.js");
    indexWritten(
      config.root,
      touched.map((o) => ({ sourceId: o.source.id, articles: o.touched })),
    );
  } catch (err) {
    touched[0]?.report.warnings.push(`search index: ${errorMessage(err)} (run 'newsark reindex')`);
  }
}
