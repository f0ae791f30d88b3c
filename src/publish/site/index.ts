import { readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Article } from "../../model/article.js";
import type { Config } from "../../model/source.js";
import { htmlTextWithBreaks } from "../../search/html.js";
import { acquireLock } from "../../store/files/lock.js";
import { archivePaths } from "../../store/files/paths.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { type FeedItem, renderFeeds } from "../feeds/index.js";
import { loadArchive, newestFirst, readArticleAt, type SiteArticle, type SiteSource } from "./archive.js";
import { favicon, searchScript, siteCss } from "./assets.js";
import { contentHash, shortHash } from "./content-hash.js";
import { FeedItemCache } from "./feed-items.js";
import { escapeHtml, timeFormatter } from "./html.js";
import { imageKey, placeImages, type SiteImages } from "./images.js";
import {
  ArticleLines,
  type BuildManifest,
  formatLine,
  lineId,
  MANIFEST_VERSION,
  ManifestWriter,
  parseLine,
  readManifest,
  removeStaleManifests,
  type TitleSegments,
  writeManifest,
} from "./manifest.js";
import { capNesting } from "./nesting.js";
import {
  articlePath,
  goneEvidence,
  goneNewestFirst,
  gonePagePath,
  recentlyEdited,
  renderArticlePage,
  renderEditedPage,
  renderGonePage,
  renderHome,
  renderSearchPage,
  renderSourcePage,
  sourcePagePath,
  sourcePages,
  statusMark,
  type Times,
  versionPath,
} from "./pages.js";
import { BodyPostings } from "./postings.js";
import { PostingsThread } from "./postings-thread.js";
import { sanitizeHtml } from "./sanitize.js";
import {
  buildSearchIndex,
  DocTableStream,
  docChunkFiles,
  metaText,
  type SearchDoc,
  type SearchDocs,
  tokenizerScript,
  writeTitleSegment,
} from "./search-index.js";
import {
  type BodySegment,
  detached,
  MAX_SMALL_SEGMENTS,
  mergePostings,
  readSegment,
  segmentFiles,
} from "./text-index.js";

export { loadArchive, type SiteArticle, type SiteSource } from "./archive.js";
export { MANIFEST } from "./manifest.js";
export { type SanitizeOptions, type SanitizeResult, sanitizeHtml } from "./sanitize.js";

/** Bump when page markup changes, so the next build rewrites every page. */
const RENDER_VERSION = "site-4";
/** Entries per source list page. */
export const PAGE_SIZE = 100;
/** Latest articles on the home page and in each feed. */
export const LATEST = 50;
/** Articles on the page of recent edits. */
export const EDITED = 200;
/** Characters of an article's text shown under its title in search results. */
const LEAD_CHARS = 90;
/** Past this many changed articles the title index and doc table are built whole rather than added to. */
const PATCH_LIMIT = 5000;
/** The lock a build holds in its output folder (see buildSite). */
const BUILD_LOCK = ".newsark-build.lock";

/** What a build did. */
export interface BuildResult {
  /** HTML pages the site holds. */
  pages: number;
  /** Files written by this build (pages, feeds, index files, assets, images). */
  written: number;
  ms: number;
  /** Articles left out of the site (no page of their own) to keep it under `site.maxBytes`. */
  trimmed: number;
  /** Bytes of the site when `site.maxBytes` is set (the folder's files, the manifest aside). */
  bytes?: number | undefined;
  /** One line saying how many article pages were left out and why; absent when none were. */
  note?: string | undefined;
}

/** Everything the build steps share: inputs, the previous manifest, the one being written, counters. */
interface BuildRun {
  config: Config;
  outDir: string;
  times: Times;
  /** Source id → its index in the search's source table (the configuration's order). */
  sourceIndex: Map<string, number>;
  previous: BuildManifest | undefined;
  /** True when every file must be written again (no manifest, or markup, zone, names or CSS changed). */
  full: boolean;
  /**
   * Article lines of the previous build, and those of this one as they are decided. An incremental
   * build changes the previous lines in place (the same map): most articles keep theirs, and copying
   * 300,000 lines into a new map was a quarter of a second of an hourly build.
   */
  prevArticles: ArticleLines;
  nextArticles: ArticleLines;
  /**
   * On a full build without `site.maxBytes`, where every line is final once its article is done: the
   * lines go to the manifest's temp file as they come instead of into nextArticles (at a million
   * articles, some 150 MB not held).
   */
  lineOut: ManifestWriter | undefined;
  prevFiles: Record<string, string>;
  next: BuildManifest;
  tokenizerJs: string;
  /**
   * Full-text postings of the articles this build wrote under a new search id: all of them on a full
   * build, collected by a worker thread beside the page writing; the few of an incremental build here.
   */
  fed: BodyPostings | PostingsThread;
  /** Search id → lead text, for the doc table, filled as article text is read. */
  leads: Map<number, string>;
  /**
   * The doc table written as articles are read, in id order: on a full build without `site.maxBytes`
   * (ids are new and dense, articles go in id order), so no lead is held for the end of the build.
   */
  docTable: DocTableStream | undefined;
  written: number;
  pages: number;
  /** Writes a non-article file when its content differs from what the previous build wrote. */
  writeIfChanged: (rel: string, text: string) => void;
}

/** What the archive holds, read once per build. */
interface ArchiveView {
  sources: SiteSource[];
  names: Map<string, string>;
  all: SiteArticle[];
}

/**
 * Builds the static site of the archive into `outDir`: home, source lists, article and version pages,
 * feeds and the search index. Incremental: pages whose inputs did not change since the last build
 * (recorded in `<outDir>/.newsark-build`) are not written again. Every write is atomic.
 *
 * @example
 * const { pages, written } = await buildSite(loadConfig("/srv/news"), "/srv/news/site");
 */
export async function buildSite(config: Config, outDir: string): Promise<BuildResult> {
  const started = performance.now();
  // Two builds into one folder would share its manifest and spilled postings: the second stops
  // with one line naming the first (the lock is the archive lock's kind, kept in the site folder).
  const lock = acquireLock(outDir, "build", join(outDir, BUILD_LOCK));
  try {
    removeStaleManifests(outDir);
    const run = planBuild(config, outDir);
    try {
      return await buildWith(run, started);
    } catch (err) {
      run.lineOut?.abort();
      throw err;
    } finally {
      if (run.fed instanceof PostingsThread) await run.fed.close();
    }
  } finally {
    lock.release();
  }
}

async function buildWith(run: BuildRun, started: number): Promise<BuildResult> {
  const { config, outDir } = run;
  const images = placeImages(run.config, outDir);
  run.written += images.written;
  const view = readArchiveView(config);
  const ids = assignSearchIds(run, view);
  const changed = await writeArticleStep(run, view, ids.ids, images);
  const removed = removeVanishedArticles(run, view, ids.fresh);
  changed.dropped.push(...removed);
  const latest = writeListPages(run, view.sources);
  writeAssets(run);
  const feedItems = new FeedItemCache(run.outDir, run.next.template);
  writeFeeds(view.sources, latest, view.names, run.writeIfChanged, feedItems);
  feedItems.save();
  writeGonePages(run, view);
  const search = searchInputs(run, view, ids.ids);
  const segments = await writeFullTextStep(run, search, changed.dropped.length);
  writeSearchStep(
    run,
    search,
    [
      ...changed.added,
      ...changed.dropped,
      ...changed.relinked,
      ...ids.fresh.map((i) => ids.ids[i] as number),
    ],
    segments,
  );
  const bytes = keepUnderCap(run, view, search, changed);
  finishBuild(run);
  const cap = run.config.site?.maxBytes;
  return {
    pages: run.pages,
    written: run.written,
    ms: Math.round(performance.now() - started),
    trimmed: changed.trimmed,
    bytes,
    note: cap === undefined ? undefined : capNote(run, cap, changed.trimmed, bytes ?? 0),
  };
}

/** The one line a capped build reports: how many articles have no page, and why; or that it is still over. */
function capNote(run: BuildRun, cap: number, trimmed: number, bytes: number): string | undefined {
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (bytes > cap)
    return `site: ${mb(bytes)} is over site.maxBytes (${mb(cap)}) even without article pages: raise site.maxBytes`;
  if (trimmed === 0) return undefined;
  const to = run.config.site?.repoUrl ? `their files under site.repoUrl` : "their original URLs";
  return `site: ${trimmed} older articles have no page of their own, to keep the site (${mb(bytes)}) under site.maxBytes (${mb(cap)}); lists and search link them to ${to}`;
}

/** Rounds of trimming after the site was measured over its cap; each takes out at least the overflow. */
const CAP_ROUNDS = 8;

/**
 * With `site.maxBytes`, measures the site as written and, while it is over, takes pages of the oldest
 * articles that still have them out (at least the overflow's worth), then writes again the list pages
 * and doc rows that link them. The article step already budgeted with what the rest of the site took
 * last time, so on an hourly build this does nothing. Returns the site's bytes (undefined without a cap).
 */
function keepUnderCap(
  run: BuildRun,
  view: ArchiveView,
  search: SearchInputs,
  step: ArticleStep,
): number | undefined {
  const cap = run.config.site?.maxBytes;
  if (cap === undefined) return undefined;
  let total = folderBytes(run.outDir);
  for (let round = 0; round < CAP_ROUNDS && total > cap && step.kept.length > 0; round++) {
    let over = total - cap;
    const relinked: number[] = [];
    while (over > 0 && step.kept.length > 0) {
      const i = step.kept.pop() as number;
      const entry = view.all[i] as SiteArticle;
      const line = parseLine(run.nextArticles.get(entry.source, entry.n) as string);
      over -= line.bytes;
      run.pages -= 1 + entry.versions.length;
      trimArticle(run, view, i, line.id, { hadPages: true, link: undefined, article: undefined });
      relinked.push(line.id);
      step.trimmed++;
    }
    const pages = run.pages;
    writeListPages(run, view.sources);
    writeGonePages(run, view);
    run.pages = pages;
    // Their titles stay as indexed; only their doc rows now link elsewhere.
    for (const [rel, text] of docChunkFiles(search.docs, relinked)) run.writeIfChanged(rel, text);
    total = folderBytes(run.outDir);
  }
  let articleBytes = 0;
  for (const i of step.kept) {
    const entry = view.all[i] as SiteArticle;
    articleBytes += parseLine(run.nextArticles.get(entry.source, entry.n) as string).bytes;
  }
  run.next.restBytes = Math.max(0, total - articleBytes);
  return total;
}

/** Bytes of the files under `dir` (symlinks not followed), the build manifest aside. */
function folderBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      // The build's own files (manifest, lock, feed items) are not the site.
      else if (e.isFile() && !(d === dir && e.name.startsWith(".newsark-"))) total += statSync(path).size;
    }
  };
  walk(dir);
  return total;
}

/**
 * Where full-text postings go when they outgrow memory: a hidden folder in the site, removed once the
 * index is written (and when a build starts, after an interrupted one).
 */
function spillDir(outDir: string): string {
  return join(outDir, ".newsark-postings");
}

/** Where title postings go when they outgrow memory, removed once the title index is written. */
function titleSpillDir(outDir: string): string {
  return join(outDir, ".newsark-title-postings");
}

/** Reads the previous manifest and decides whether this build is full or incremental. */
function planBuild(config: Config, outDir: string): BuildRun {
  const template = contentHash(
    JSON.stringify([
      RENDER_VERSION,
      config.timezone,
      config.sources.map((s) => [s.id, s.name]),
      siteCss,
      config.site?.repoUrl ?? "",
    ]),
  );
  const tokenizerJs = tokenizerScript();
  const read = readManifest(outDir);
  const previous = read?.manifest;
  const full = previous?.template !== template;
  const prevFiles = previous?.files ?? {};
  const run: BuildRun = {
    config,
    outDir,
    times: timeFormatter(config.timezone),
    sourceIndex: new Map(config.sources.map((s, i) => [s.id, i])),
    previous,
    full,
    prevArticles: read?.lines ?? new ArticleLines(),
    nextArticles: full ? new ArticleLines() : (read?.lines ?? new ArticleLines()),
    lineOut: undefined,
    prevFiles,
    next: {
      version: MANIFEST_VERSION,
      template,
      tokenizer: contentHash(tokenizerJs),
      // Counted when the manifest is written.
      articleCount: 0,
      files: {},
      shards: 0,
      nextId: full ? 0 : (previous?.nextId ?? 0),
      body: { segments: [], serial: previous?.body.serial ?? 0, stale: 0 },
      restBytes: 0,
    },
    tokenizerJs,
    fed: full ? new PostingsThread(spillDir(outDir), outDir) : new BodyPostings({ dir: spillDir(outDir) }),
    leads: new Map(),
    docTable: undefined,
    written: 0,
    pages: 0,
    writeIfChanged: (rel, text) => {
      const h = contentHash(text);
      run.next.files[rel] = h;
      if (prevFiles[rel] === h && !full) return;
      writeFileAtomic(join(outDir, rel), text);
      run.written++;
    },
  };
  if (full && config.site?.maxBytes === undefined) {
    run.docTable = new DocTableStream(run.writeIfChanged);
    run.lineOut = new ManifestWriter(outDir);
  }
  return run;
}

function readArchiveView(config: Config): ArchiveView {
  const sources = loadArchive(config);
  const all = sources.flatMap((s) => s.articles);
  return {
    sources,
    names: new Map(sources.map((s) => [s.source.id, s.source.name])),
    all,
  };
}

/** Search ids: kept from the previous build; new articles get the next ones, oldest first. */
function assignSearchIds(run: BuildRun, view: ArchiveView): { ids: number[]; fresh: number[] } {
  const { all } = view;
  const ids = new Array<number>(all.length);
  const fresh: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const a = all[i] as SiteArticle;
    // A full build writes the whole index: every article gets a new id, so ids come dense and in
    // the order articles are read, and the doc table can be written as they are.
    const id = run.full ? undefined : run.prevArticles.idOf(a.source, a.n);
    if (id === undefined) fresh.push(i);
    else ids[i] = id;
  }
  fresh.sort((x, y) => -newestFirst(all[x] as SiteArticle, all[y] as SiteArticle));
  for (const i of fresh) ids[i] = run.next.nextId++;
  return { ids, fresh };
}

/** What the article step did: search ids added, dropped and relinked, and which articles kept pages. */
interface ArticleStep {
  added: number[];
  dropped: number[];
  /** Ids (kept) whose article gained or lost its pages: their doc rows link elsewhere now. */
  relinked: number[];
  /** Indexes into `view.all` of the articles with pages, newest first. */
  kept: number[];
  /** Articles left out of the site. */
  trimmed: number;
}

/**
 * Article and version pages: only those whose stamp or image copies changed. An article whose stamp
 * changed gets a new search id (so the full-text index only ever adds); returns the new and old ids.
 * With `site.maxBytes`, articles are taken newest first and pages are written while they fit in
 * what the rest of the site left over last time; from the first that does not fit, every older
 * article gets no page and links to its fallback (`fallbackLink`).
 */
async function writeArticleStep(
  run: BuildRun,
  view: ArchiveView,
  ids: number[],
  images: SiteImages,
): Promise<ArticleStep> {
  const step: ArticleStep = { added: [], dropped: [], relinked: [], kept: [], trimmed: 0 };
  const { imageFile } = images;
  // Where the copies of an article's images are (by key): a page is written again when that changes.
  const imageMark = (keys: string[]) => {
    const files = keys.map((k) => images.fileOfKey(k) ?? "");
    return files.some((f) => f !== "") ? shortHash(files.join("|")) : "";
  };
  const cap = run.config.site?.maxBytes;
  const budget = cap === undefined ? Number.POSITIVE_INFINITY : cap - (run.previous?.restBytes ?? 0);
  const order = view.all.map((_, i) => i);
  if (cap !== undefined)
    order.sort((x, y) => newestFirst(view.all[x] as SiteArticle, view.all[y] as SiteArticle));
  // In search-id order, every token's ids reach the full-text postings ascending: spilled lists are
  // then joined, never sorted.
  else order.sort((x, y) => (ids[x] as number) - (ids[y] as number));
  let used = 0;
  let trimming = false;
  // Without a cap or any image copy, an article whose line holds its stamp is told unchanged
  // without parsing the line: most of an hourly build's articles.
  const quick = cap === undefined && !run.full && !images.anyCopy;
  for (const i of order) {
    const entry = view.all[i] as SiteArticle;
    if (quick && run.prevArticles.unchangedWithPages(entry.source, entry.n, ids[i] as number, entry, "#")) {
      // An incremental build's lines are the previous ones: this one is in place already.
      run.pages += 1 + entry.versions.length;
      step.kept.push(i);
      continue;
    }
    const line = run.prevArticles.get(entry.source, entry.n);
    const prev = line === undefined ? undefined : parseLine(line);
    const hadPages = prev !== undefined && prev.link === "";
    const unchanged =
      prev !== undefined && !run.full && prev.stamp === `${entry.stamp}#${imageMark(prev.images)}`;
    if (unchanged && line !== undefined) {
      if (hadPages && !trimming && used + prev.bytes <= budget) {
        used += prev.bytes;
        run.pages += 1 + entry.versions.length;
        keepLine(run, entry, line);
        step.kept.push(i);
        continue;
      }
      if (!hadPages && trimming) {
        entry.link = prev.link;
        keepLine(run, entry, line);
        step.trimmed++;
        continue;
      }
    }
    let id = ids[i] as number;
    // (A full build gave every article a new id already.)
    const reIded = !run.full && prev !== undefined && !prev.stamp.startsWith(`${entry.stamp}#`);
    if (reIded) {
      step.dropped.push(id);
      id = run.next.nextId++;
      ids[i] = id;
      step.added.push(id);
    }
    const needText = run.full || prev === undefined || reIded;
    let article: Article | undefined;
    if (!trimming) {
      const made = renderArticleFiles(
        run.config.root,
        entry,
        view.names.get(entry.source) ?? entry.source,
        run.times,
        imageFile,
        needText,
      );
      article = made.article;
      if (used + made.bytes <= budget) {
        for (const [rel, html] of made.files) writeFileAtomic(join(run.outDir, rel), html);
        used += made.bytes;
        run.written += made.files.length;
        run.pages += 1 + entry.versions.length;
        const keys = made.shown.map(imageKey);
        putLine(
          run,
          entry,
          formatLine({
            id,
            stamp: `${entry.stamp}#${imageMark(keys)}`,
            bytes: made.bytes,
            link: "",
            images: keys,
          }),
        );
        if (prev !== undefined && !hadPages && !reIded) step.relinked.push(id);
        step.kept.push(i);
        // The text goes into the full-text index now, while the article is in hand, not read again later.
        if (needText) await addText(run, id, entry, made.text ?? textOfHtml(article.content));
        continue;
      }
      trimming = true;
    }
    if (needText) {
      article ??= readArticleAt(entry.file);
      await addText(run, id, entry, textOfHtml(article?.content ?? ""));
    }
    trimArticle(run, view, i, id, {
      hadPages: prev !== undefined && hadPages,
      link: prev !== undefined && !hadPages && !reIded ? prev.link : undefined,
      article,
    });
    if (prev !== undefined && hadPages && !reIded) step.relinked.push(id);
    step.trimmed++;
  }
  return step;
}

/** Keeps an article's line from the previous build (an incremental build has it in place already). */
function keepLine(run: BuildRun, entry: SiteArticle, line: string): void {
  if (run.nextArticles !== run.prevArticles) putLine(run, entry, line);
}

/** Records an article's line for this build's manifest. */
function putLine(run: BuildRun, entry: SiteArticle, line: string): void {
  if (run.lineOut) run.lineOut.add(entry.source, entry.n, line);
  else run.nextArticles.set(entry.source, entry.n, line);
}

/**
 * Leaves an article out of the site: removes the pages an earlier build wrote, and records (in the
 * manifest and on the entry, for lists and the doc table) where it links instead.
 */
function trimArticle(
  run: BuildRun,
  view: ArchiveView,
  i: number,
  id: number,
  how: { hadPages: boolean; link: string | undefined; article: Article | undefined },
): void {
  const entry = view.all[i] as SiteArticle;
  if (how.hadPages) removeArticlePages(run.outDir, entry.source, entry.n);
  const link = how.link ?? fallbackLink(run, entry, () => (how.article ?? readArticleAt(entry.file))?.url);
  entry.link = link;
  putLine(
    run,
    entry,
    formatLine({
      id,
      stamp: `${entry.stamp}#`,
      bytes: 0,
      link,
      images: [],
    }),
  );
}

/**
 * Where an article without a page links: its markdown file under `site.repoUrl` when set (e.g.
 * https://github.com/OWNER/REPO/blob/main/articles/voa/12.md); else its original URL; else its file
 * relative to the site folder (which works when the site is served from, or cloned with, the archive).
 */
function fallbackLink(run: BuildRun, entry: SiteArticle, urlOf: () => string | undefined): string {
  const path = (from: string) => relative(from, entry.file).split(sep).map(encodeURIComponent).join("/");
  const repo = run.config.site?.repoUrl;
  if (repo) return repo + path(run.config.root);
  const url = urlOf();
  if (url && /^https?:\/\//i.test(url)) return url;
  return path(run.outDir);
}

function removeArticlePages(outDir: string, source: string, n: number): void {
  rmSync(join(outDir, articlePath(source, n)), { force: true });
  rmSync(join(outDir, "a", source, String(n)), { recursive: true, force: true });
}

/** Removes pages of articles no longer in the archive (a removed source, a hand-deleted file); returns their ids. */
function removeVanishedArticles(run: BuildRun, view: ArchiveView, fresh: number[]): number[] {
  const removed: number[] = [];
  // Each article matched at most one line of the previous build: when as many matched as there were
  // lines, none is left over.
  if ((run.previous?.articleCount ?? 0) === view.all.length - fresh.length) return removed;
  const present = new Map<string, Set<number>>();
  for (const a of view.all) {
    let ns = present.get(a.source);
    if (!ns) {
      ns = new Set();
      present.set(a.source, ns);
    }
    ns.add(a.n);
  }
  for (const [source, numbers] of run.prevArticles.numbers()) {
    for (const n of numbers) {
      if (present.get(source)?.has(n)) continue;
      removed.push(lineId(run.prevArticles.get(source, n) as string));
      removeArticlePages(run.outDir, source, n);
      // An incremental build's lines are the previous ones, changed in place.
      if (run.nextArticles === run.prevArticles) run.prevArticles.delete(source, n);
    }
  }
  return removed;
}

/** Source lists, the home page and the search page; returns the latest articles over all sources. */
function writeListPages(run: BuildRun, sources: SiteSource[]): SiteArticle[] {
  const { times } = run;
  // The newest page and fixed oldest-first chunks, so new articles change only the last chunk.
  for (const s of sources) {
    const { newest, chunks } = sourcePages(s.articles, PAGE_SIZE);
    writeListPage(run, sourcePagePath(s.source.id, 0), newest, chunks.length, () =>
      renderSourcePage(s, 0, newest, chunks.length, times),
    );
    chunks.forEach((items, i) => {
      writeListPage(run, sourcePagePath(s.source.id, i + 1), items, chunks.length, () =>
        renderSourcePage(s, i + 1, items, chunks.length, times),
      );
    });
    run.pages += 1 + chunks.length;
  }
  const latest = latestOf(sources, LATEST);
  run.writeIfChanged("index.html", renderHome(sources, latest, times));
  run.writeIfChanged("search.html", renderSearchPage());
  run.writeIfChanged(
    "edited.html",
    renderEditedPage(
      recentlyEdited(
        sources.flatMap((s) => s.articles),
        EDITED,
      ),
      names(sources),
      times,
    ),
  );
  run.pages += 3;
  return latest;
}

/**
 * Writes a list page unless what it shows is what the previous build showed: its articles' numbers,
 * stamps (which cover title, dates, status and versions) and links, and the page count (the pager).
 * The manifest records that key, not the page's text, so an hourly build of 300,000 articles
 * renders the few pages that changed rather than 3,000 pages to hash them.
 */
function writeListPage(
  run: BuildRun,
  rel: string,
  items: SiteArticle[],
  pageCount: number,
  render: () => string,
): void {
  let inputs = `${pageCount}`;
  for (const a of items) inputs += `\n${a.n}|${a.stamp}|${a.link ?? ""}`;
  const key = `list:${contentHash(inputs)}`;
  run.next.files[rel] = key;
  if (!run.full && run.prevFiles[rel] === key) return;
  writeFileAtomic(join(run.outDir, rel), render());
  run.written++;
}

/** The deletions pages (all sources and each source) and their feeds. */
function writeGonePages(run: BuildRun, view: ArchiveView): void {
  const emit = (articles: SiteArticle[], source?: string) => {
    run.writeIfChanged(gonePagePath(source), renderGonePage(articles, view.names, run.times, source));
    run.pages++;
    const items: FeedItem[] = [];
    for (const a of articles.slice(0, LATEST)) {
      const article = readArticleAt(a.file);
      if (!article) continue;
      const when = run.times.dateTime(a.checked ?? 0);
      items.push({
        id: `newsark:gone/${a.source}/${a.n}/${a.checked ?? 0}`,
        title: `${statusMark(a.status)}：${article.title}`,
        url: article.url,
        published: a.checked ?? a.seen,
        updated: a.checked ?? a.seen,
        contentHtml: `<p>${escapeHtml(goneEvidence(a))}，发现于 ${when}。存档于 ${run.times.dateTime(Math.min(a.seen, ...a.versions))}。</p>`,
        author: view.names.get(a.source) ?? a.source,
      });
    }
    const name = source === undefined ? "gone" : `gone-${source}`;
    const files = renderFeeds(
      {
        id: `newsark:feed/${name}`,
        title:
          source === undefined
            ? "新闻存档：已删除的文章"
            : `${view.names.get(source) ?? source}：已删除的文章`,
        description: "原文已删除或移走的文章",
        link: "https://github.com/",
      },
      items,
    );
    run.writeIfChanged(`feeds/${name}.xml`, files.xml);
    run.writeIfChanged(`feeds/${name}.atom`, files.atom);
    run.writeIfChanged(`feeds/${name}.json`, files.json);
  };
  emit(goneNewestFirst(view.all));
  for (const s of view.sources) emit(goneNewestFirst(s.articles), s.source.id);
}

/** The stylesheet and scripts. */
function writeAssets(run: BuildRun): void {
  run.writeIfChanged("site.css", siteCss);
  run.writeIfChanged("favicon.svg", favicon);
  run.writeIfChanged("search.js", searchScript());
  run.writeIfChanged("search/tokenize.js", run.tokenizerJs);
}

/** What both search indexes read: articles by search id, their docs, and their text on demand. */
interface SearchInputs {
  byId: (SiteArticle | undefined)[];
  docs: SearchDocs;
  sourceTable: [string, string][];
  /** Title and body text of an article, read from its file (leads are kept for the doc table). */
  textOf: (id: number) => { title: string; text: string } | undefined;
}

function searchInputs(run: BuildRun, view: ArchiveView, ids: number[]): SearchInputs {
  const { sources, all } = view;
  const byId = new Array<SiteArticle | undefined>(run.next.nextId);
  for (let i = 0; i < all.length; i++) byId[ids[i] as number] = all[i];
  const leads = run.leads;
  const textOf = (id: number) => {
    const a = byId[id];
    if (!a) return undefined;
    const article = readArticleAt(a.file);
    const text = textOfHtml(article?.content ?? "");
    leads.set(id, leadOf(text));
    return { title: a.title, text };
  };
  // Docs are made on demand: an incremental build needs only the few it changed.
  const docs: SearchDocs = {
    count: run.next.nextId,
    at(id) {
      const a = byId[id];
      if (!a) return undefined;
      if (!leads.has(id)) textOf(id);
      return docOf(run, a, leads.get(id) ?? "");
    },
    titleAt: (id) => byId[id]?.title,
  };
  return { byId, docs, textOf, sourceTable: sources.map((s) => [s.source.id, s.source.name]) };
}

/** An article's row in the doc table. */
function docOf(run: BuildRun, a: SiteArticle, lead: string): SearchDoc {
  return {
    title: a.title,
    source: run.sourceIndex.get(a.source) ?? 0,
    n: a.n,
    date: run.times.date(a.published),
    gone: a.status === "gone" || a.status === "redirected" ? 1 : 0,
    lead,
    link: a.link,
  };
}

/** What separates blocks in an article's search text: paragraphs on lines. */
const TEXT_SEPARATOR = "\n";

/** An article's text, paragraphs on lines; nesting is capped first, as for its page. */
function textOfHtml(html: string): string {
  return htmlTextWithBreaks(capNesting(html), TEXT_SEPARATOR);
}

/** Adds one article's text to the full-text postings of this build and keeps its lead. */
async function addText(run: BuildRun, id: number, entry: SiteArticle, text: string): Promise<void> {
  if (run.docTable) run.docTable.add(id, docOf(run, entry, leadOf(text)));
  else run.leads.set(id, leadOf(text));
  await run.fed.addText(id, entry.title, text);
}

/** Writes what `collector` holds as the segment `name`, recording its files in the manifest. */
async function writeCollected(
  run: BuildRun,
  collector: BodyPostings | PostingsThread,
  name: string,
): Promise<BodySegment> {
  if (collector instanceof BodyPostings) return collector.writeSegment(name, run.writeIfChanged);
  // A new segment's files are all new: the worker writes every one.
  const made = await collector.writeSegment(name);
  for (const [rel, h] of made.files) run.next.files[rel] = h;
  run.written += made.files.length;
  return made.segment;
}

/** The first words of an article's text, for the result list. */
function leadOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return detached(flat.length > LEAD_CHARS ? `${flat.slice(0, LEAD_CHARS)}…` : flat);
}

/**
 * The full-text index: one new small segment with the articles this build added (or gave new ids);
 * small segments merged when there are too many; everything built again on a full build, a new
 * tokenizer, or when small segments or dropped ids outgrow a quarter of the main segment.
 */
async function writeFullTextStep(
  run: BuildRun,
  search: SearchInputs,
  dropped: number,
  force = false,
): Promise<BodySegment[]> {
  const prev = run.previous?.body;
  const body = run.next.body;
  const main = prev?.segments[0];
  const small = prev?.segments.slice(1) ?? [];
  const smallDocs = small.reduce((sum, s) => sum + s.docs, 0) + run.fed.docs;
  const stale = (prev?.stale ?? 0) + dropped;
  const whole =
    force ||
    run.full ||
    !prev ||
    !main ||
    run.previous?.tokenizer !== run.next.tokenizer ||
    smallDocs > main.docs / 4 + 1000 ||
    stale > main.docs / 4 + 1000;
  // The previous build's full-text files by segment, grouped once (a segment is kept as it was).
  let bySegment: Map<string, [string, string][]> | undefined;
  const keepFiles = (segment: BodySegment) => {
    if (!bySegment) {
      bySegment = new Map();
      for (const [rel, h] of Object.entries(run.prevFiles)) {
        if (!rel.startsWith("search/b/")) continue;
        const name = rel.slice("search/b/".length, rel.indexOf("/", "search/b/".length));
        const list = bySegment.get(name) ?? [];
        list.push([rel, h]);
        bySegment.set(name, list);
      }
    }
    for (const [rel, h] of bySegment.get(segment.name) ?? []) run.next.files[rel] = h;
  };
  const write = (name: string, postings: Map<string, ArrayLike<number> & Iterable<number>>, docs: number) => {
    const made = segmentFiles(name, postings, docs);
    for (const [rel, text] of made.files) run.writeIfChanged(rel, text);
    return made.segment;
  };
  if (whole) {
    // A full build fed every article already; otherwise (a new tokenizer, too many small segments or
    // dropped ids) every article is read again.
    let collector = run.fed;
    if (!run.full) {
      collector = new BodyPostings({ dir: spillDir(run.outDir) });
      for (let id = 0; id < search.byId.length; id++) {
        const doc = search.textOf(id);
        if (doc) collector.addText(id, doc.title, doc.text);
      }
    }
    body.serial++;
    body.segments = [await writeCollected(run, collector, `m${body.serial}`)];
    body.stale = 0;
    return body.segments;
  }
  body.stale = stale;
  // Only a full build collects in a worker thread, and a full build writes the whole index above.
  const collector = run.fed as BodyPostings;
  keepFiles(main);
  if (collector.docs === 0) {
    for (const s of small) keepFiles(s);
    body.segments = [main, ...small];
    return body.segments;
  }
  body.serial++;
  if (small.length < MAX_SMALL_SEGMENTS) {
    for (const s of small) keepFiles(s);
    body.segments = [main, ...small, await writeCollected(run, collector, `u${body.serial}`)];
    return body.segments;
  }
  // Too many small segments: merge them with the new one, leaving out ids no longer in the archive.
  const live = (id: number) => search.byId[id] !== undefined;
  const maps: Map<string, ArrayLike<number> & Iterable<number>>[] = [];
  for (const s of small) {
    const read = readSegment(run.outDir, s, live);
    if (!read) {
      // A small segment cannot be read back (removed by hand): build the whole index instead.
      for (const rel of Object.keys(run.next.files))
        if (rel.startsWith("search/b/")) delete run.next.files[rel];
      return writeFullTextStep(run, search, dropped, true);
    }
    maps.push(read);
  }
  maps.push(collector.postings());
  body.segments = [main, write(`u${body.serial}`, mergePostings(maps), smallDocs)];
  return body.segments;
}

/** Title index and doc table: a title segment and the changed doc chunks when few articles changed, else built whole; then meta.js. */
function writeSearchStep(
  run: BuildRun,
  search: SearchInputs,
  changedIds: number[],
  segments: BodySegment[],
): void {
  const { previous } = run;
  const { docs, sourceTable } = search;
  const canPatch =
    previous !== undefined &&
    !run.full &&
    previous.tokenizer === run.next.tokenizer &&
    previous.shards > 0 &&
    changedIds.length <= PATCH_LIMIT;
  const plan = canPatch ? nextTitleSegments(run, docs, previous) : undefined;
  if (previous && plan) {
    const { fresh, ...titles } = plan;
    run.next.shards = previous.shards;
    run.next.titles = titles;
    const kept = new Set(titles.segments.map(([name]) => name));
    for (const [rel, h] of Object.entries(run.prevFiles)) {
      if (rel.startsWith("search/s/") || rel.startsWith("search/d/")) run.next.files[rel] = h;
      else if (rel.startsWith("search/t/") && kept.has(rel.slice(9, rel.indexOf("/", 9))))
        run.next.files[rel] = h;
    }
    for (const [rel, text] of docChunkFiles(docs, changedIds)) run.writeIfChanged(rel, text);
    if (fresh) {
      const [name, from] = fresh;
      titles.segments[titles.segments.length - 1] = [
        name,
        writeTitleSegment(docs, idsBetween(from, run.next.nextId), name, run.writeIfChanged),
      ];
    }
  } else {
    // A full build wrote the doc table as it read the articles.
    run.docTable?.end(docs.count);
    run.next.shards = buildSearchIndex(docs, run.writeIfChanged, {
      docTable: !run.docTable,
      spillDir: titleSpillDir(run.outDir),
    }).shards;
    run.next.titles = { base: docs.count, segments: [], serial: previous?.titles?.serial ?? 0 };
  }
  run.writeIfChanged(
    "search/meta.js",
    metaText(
      run.next.shards,
      docs.count,
      sourceTable,
      segments.map((s) => [s.name, s.shards]),
      run.next.titles.segments,
    ),
  );
}

/** Title segments an incremental build may add before they are merged into one. */
const TITLE_SEGMENTS = 8;
/**
 * Docs the title segments may hold before the title index is built whole: an eighth of the main
 * index, and at least this many (a small archive's index is rebuilt in moments either way).
 */
const TITLE_SEGMENT_DOCS = 2000;

/**
 * The title segments after an incremental build, and the one to write (`fresh`: its name and the
 * first id it holds): the previous segments plus one with the docs new since the previous build; past
 * TITLE_SEGMENTS, one segment with every doc above the main index instead. Undefined when the
 * segments would hold more than TITLE_SEGMENT_DOCS or an eighth of the main index's docs: the title
 * index is built whole then (at 300 articles a day on 300,000, every four months).
 */
function nextTitleSegments(
  run: BuildRun,
  docs: SearchDocs,
  previous: BuildManifest,
): (TitleSegments & { fresh?: [name: string, from: number] }) | undefined {
  const prev = previous.titles ?? { base: previous.nextId, segments: [], serial: 0 };
  const top = run.next.nextId;
  if (top > docs.count || top - prev.base > Math.max(TITLE_SEGMENT_DOCS, prev.base / 8)) return undefined;
  if (top === previous.nextId) return { ...prev, segments: [...prev.segments] };
  const serial = prev.serial + 1;
  const name = String(serial);
  const merge = prev.segments.length >= TITLE_SEGMENTS;
  return {
    base: prev.base,
    segments: [...(merge ? [] : prev.segments), [name, 0]],
    serial,
    fresh: [name, merge ? prev.base : previous.nextId],
  };
}

function* idsBetween(from: number, to: number): Generator<number> {
  for (let id = from; id < to; id++) yield id;
}

/** Removes files a previous build wrote that this one no longer has, then writes the manifest. */
function finishBuild(run: BuildRun): void {
  for (const rel of Object.keys(run.prevFiles)) {
    if (!(rel in run.next.files)) rmSync(join(run.outDir, rel), { force: true });
  }
  // Folders of full-text segments merged away or replaced.
  const segments = new Set(run.next.body.segments.map((s) => s.name));
  for (const s of run.previous?.body.segments ?? []) {
    if (!segments.has(s.name))
      rmSync(join(run.outDir, "search", "b", s.name), { recursive: true, force: true });
  }
  const titles = new Set(run.next.titles?.segments.map(([name]) => name));
  for (const [name] of run.previous?.titles?.segments ?? []) {
    if (!titles.has(name)) rmSync(join(run.outDir, "search", "t", name), { recursive: true, force: true });
  }
  if (run.lineOut) run.lineOut.finish(run.next);
  else writeManifest(run.outDir, run.next, run.nextArticles);
}

/**
 * Renders an article's page and its earlier versions' pages (site-relative path → HTML); returns
 * them with their bytes, the image URLs they show and the article as read.
 */
function renderArticleFiles(
  root: string,
  entry: SiteArticle,
  sourceName: string,
  times: Times,
  imageFile: (url: string) => string | undefined,
  withText: boolean,
): {
  files: [string, string][];
  bytes: number;
  shown: string[];
  article: Article;
  text?: string | undefined;
} {
  const article = readArticleAt(entry.file) ?? {
    published: entry.published,
    title: entry.title,
    url: "",
    content: "",
  };
  const files: [string, string][] = [];
  // Each version page shows what changed against the version before it, so versions are read oldest first.
  const shown = new Set<string>();
  let before: { article: Article; seen: number } | undefined;
  for (const seen of entry.versions) {
    const old = readArticleAt(join(archivePaths.versionsDir(root, entry.source, entry.n), `${seen}.md`));
    if (!old) continue;
    const page = renderArticlePage({
      entry,
      article: old,
      sourceName,
      times,
      imageFile,
      version: seen,
      previous: before,
    });
    for (const u of page.images) shown.add(u);
    files.push([versionPath(entry.source, entry.n, seen), page.html]);
    before = { article: old, seen };
  }
  const { html, images, text } = renderArticlePage({
    entry,
    article,
    sourceName,
    times,
    imageFile,
    previous: before,
    // The search text comes from the same parse as the page (the nesting cap applies to both alike).
    textSeparator: withText ? TEXT_SEPARATOR : undefined,
  });
  files.push([articlePath(entry.source, entry.n), html]);
  for (const u of images) shown.add(u);
  let bytes = 0;
  for (const [, text] of files) bytes += Buffer.byteLength(text);
  return { files, bytes, shown: [...shown], article, text };
}

function names(sources: SiteSource[]): Map<string, string> {
  return new Map(sources.map((s) => [s.source.id, s.source.name]));
}

/** The newest `count` articles over all sources. */
function latestOf(sources: SiteSource[], count: number): SiteArticle[] {
  return sources
    .flatMap((s) => s.articles.slice(0, count))
    .sort(newestFirst)
    .slice(0, count);
}

/** Writes feeds/<id>.{xml,atom,json} per source and feeds/all.*; item content keeps the original image URLs. */
function writeFeeds(
  sources: SiteSource[],
  latest: SiteArticle[],
  names: Map<string, string>,
  write: (rel: string, text: string) => void,
  cache: FeedItemCache,
): void {
  const itemOf = (a: SiteArticle): FeedItem | undefined => {
    const key = `${a.source}/${a.n}`;
    return cache.get(key, a.stamp, () => {
      const article = readArticleAt(a.file);
      return (
        article && {
          id: `newsark:${key}`,
          title: article.title,
          url: article.url,
          published: article.published,
          updated: a.seen,
          contentHtml: sanitizeHtml(article.content, {
            baseUrl: /^https?:/i.test(article.url) ? article.url : undefined,
          }).html,
          author: names.get(a.source) ?? a.source,
        }
      );
    });
  };
  const linkOf = (items: FeedItem[], fallback: string): string => {
    for (const i of items) {
      try {
        return `${new URL(i.url).origin}/`;
      } catch {}
    }
    return fallback;
  };
  const emit = (name: string, title: string, articles: SiteArticle[]) => {
    const items = articles.map(itemOf).filter((i): i is FeedItem => i !== undefined);
    const files = renderFeeds(
      {
        id: `newsark:feed/${name}`,
        title,
        description: `${title}：新闻存档`,
        link: linkOf(items, "https://github.com/"),
      },
      items,
    );
    write(`feeds/${name}.xml`, files.xml);
    write(`feeds/${name}.atom`, files.atom);
    write(`feeds/${name}.json`, files.json);
  };
  for (const s of sources) emit(s.source.id, s.source.name, s.articles.slice(0, LATEST));
  emit("all", "新闻存档", latest);
}
