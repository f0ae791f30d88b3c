import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../model/source.js";
import { archivePaths } from "../../store/files/paths.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { type FeedItem, renderFeeds } from "../feeds/index.js";
import { loadArchive, newestFirst, readArticleAt, type SiteArticle, type SiteSource } from "./archive.js";
import { searchScript, siteCss } from "./assets.js";
import { timeFormatter } from "./html.js";
import { placeImages } from "./images.js";
import {
  articlePath,
  renderArticlePage,
  renderHome,
  renderSearchPage,
  renderSourcePage,
  sourcePagePath,
  sourcePages,
  versionPath,
} from "./pages.js";
import { sanitizeHtml } from "./sanitize.js";
import { buildSearchIndex, patchSearchIndex, type SearchDocs, tokenizerScript } from "./search-index.js";

export { loadArchive, type SiteArticle, type SiteSource } from "./archive.js";
export { type SanitizeOptions, type SanitizeResult, sanitizeHtml } from "./sanitize.js";

/** Bump when page markup changes, so the next build rewrites every page. */
const RENDER_VERSION = "site-3";
/** Entries per source list page. */
export const PAGE_SIZE = 100;
/** Latest articles on the home page and in each feed. */
export const LATEST = 50;
/** The build manifest's file name inside the output folder. */
export const MANIFEST = ".newsark-build.json";
/** Past this many changed articles the whole search index is rebuilt rather than patched. */
const PATCH_LIMIT = 5000;

/** What the previous build wrote, so the next one writes only what changed. */
interface BuildManifest {
  version: 3;
  /** Hash of everything every page depends on (markup version, time zone, source names, CSS). */
  template: string;
  /** Hash of the tokenizer script: a new tokenizer means a new index. */
  tokenizer: string;
  /**
   * `<source>/<n>` → "searchId\tstamp\timageURL…": the search doc id (ids never move, so an hourly
   * run touches only a few index files), the stamp its pages were written with, the images they show.
   * One string per article keeps the manifest of 100,000 articles quick to read.
   */
  articles: Record<string, string>;
  /** Site-relative path → content hash, for every file that is not an article page. */
  files: Record<string, string>;
  /** Shard count of the search index. */
  shards: number;
  /** The search id the next new article gets. */
  nextId: number;
}

/** What a build did. */
export interface BuildResult {
  /** HTML pages the site holds. */
  pages: number;
  /** Files written by this build (pages, feeds, index files, assets, images). */
  written: number;
  ms: number;
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("base64url").slice(0, 16);
}

function readManifest(outDir: string): BuildManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(outDir, MANIFEST), "utf8")) as BuildManifest;
    return m.version === 3 ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The search id of a manifest line. */
function lineId(line: string): number {
  return Number(line.slice(0, line.indexOf("\t")));
}

/** The stamp of a manifest line. */
function lineStamp(line: string): string {
  const a = line.indexOf("\t") + 1;
  const b = line.indexOf("\t", a);
  return b === -1 ? line.slice(a) : line.slice(a, b);
}

/** The image URLs of a manifest line. */
function lineImages(line: string): string[] {
  const a = line.indexOf("\t", line.indexOf("\t") + 1);
  return a === -1 ? [] : line.slice(a + 1).split("\t");
}

/**
 * Builds the static site of the archive into `outDir`: home, source lists, article and version pages,
 * feeds and the search index. Incremental: pages whose inputs did not change since the last build
 * (recorded in `<outDir>/.newsark-build.json`) are not written again. Every write is atomic.
 *
 * @example
 * const { pages, written } = await buildSite(loadConfig("/srv/news"), "/srv/news/site");
 */
export async function buildSite(config: Config, outDir: string): Promise<BuildResult> {
  const started = performance.now();
  const root = config.root;
  const times = timeFormatter(config.timezone);
  const template = hash(
    JSON.stringify([RENDER_VERSION, config.timezone, config.sources.map((s) => [s.id, s.name]), siteCss]),
  );
  const tokenizerJs = tokenizerScript();
  const tokenizer = hash(tokenizerJs);
  const previous = readManifest(outDir);
  const full = previous?.template !== template;
  const prevArticles = previous?.articles ?? {};
  const prevFiles = previous?.files ?? {};
  const next: BuildManifest = {
    version: 3,
    template,
    tokenizer,
    articles: {},
    files: {},
    shards: 0,
    nextId: 0,
  };
  let written = 0;
  let pages = 0;

  const writeIfChanged = (rel: string, text: string) => {
    const h = hash(text);
    next.files[rel] = h;
    if (prevFiles[rel] === h && !full) return;
    writeFileAtomic(join(outDir, rel), text);
    written++;
  };

  const images = placeImages(config, outDir);
  const imageFile = images.imageFile;
  written += images.written;

  const sources = loadArchive(config);
  const names = new Map(sources.map((s) => [s.source.id, s.source.name]));
  const all = sources.flatMap((s) => s.articles);

  // Search ids: kept from the previous build; new articles get the next ones, oldest first.
  const keys = all.map((a) => `${a.source}/${a.n}`);
  const lines = keys.map((k) => prevArticles[k]);
  const ids = new Array<number>(all.length);
  let nextId = previous?.nextId ?? 0;
  const fresh: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = lines[i];
    if (line === undefined) fresh.push(i);
    else ids[i] = lineId(line);
  }
  fresh.sort((x, y) => -newestFirst(all[x] as SiteArticle, all[y] as SiteArticle));
  for (const i of fresh) ids[i] = nextId++;

  // Article and version pages: only those whose stamp or image copies changed.
  const changedIds: number[] = [];
  const imageState = (list: string[]) => list.map((u) => imageFile(u) ?? "").join("|");
  for (let i = 0; i < all.length; i++) {
    const entry = all[i] as SiteArticle;
    const key = keys[i] as string;
    const id = ids[i] as number;
    const line = lines[i];
    pages += 1 + entry.versions.length;
    const before = line === undefined ? undefined : lineStamp(line);
    if (line !== undefined && !full) {
      if (before === `${entry.stamp}#${imageState(lineImages(line))}`) {
        next.articles[key] = line;
        continue;
      }
    }
    if (before === undefined || !before.startsWith(`${entry.stamp}#`)) changedIds.push(id);
    const shown = writeArticlePages(
      root,
      entry,
      names.get(entry.source) ?? entry.source,
      times,
      imageFile,
      outDir,
    );
    written += 1 + entry.versions.length;
    next.articles[key] = [id, `${entry.stamp}#${imageState(shown)}`, ...shown].join("\t");
  }
  // Pages of articles no longer in the archive (a removed source, a hand-deleted file).
  if (Object.keys(prevArticles).length !== all.length - fresh.length) {
    for (const [key, line] of Object.entries(prevArticles)) {
      if (next.articles[key]) continue;
      changedIds.push(lineId(line));
      const [source, n] = key.split("/");
      rmSync(join(outDir, articlePath(source as string, Number(n))), { force: true });
      rmSync(join(outDir, "a", source as string, String(n)), { recursive: true, force: true });
    }
  }

  // Lists: the newest page and fixed oldest-first chunks, so new articles change only the last chunk.
  for (const s of sources) {
    const { newest, chunks } = sourcePages(s.articles, PAGE_SIZE);
    writeIfChanged(sourcePagePath(s.source.id, 0), renderSourcePage(s, 0, newest, chunks.length, times));
    chunks.forEach((items, i) => {
      writeIfChanged(
        sourcePagePath(s.source.id, i + 1),
        renderSourcePage(s, i + 1, items, chunks.length, times),
      );
    });
    pages += 1 + chunks.length;
  }
  const latest = latestOf(sources, LATEST);
  writeIfChanged("index.html", renderHome(sources, latest, times));
  writeIfChanged("search.html", renderSearchPage());
  pages += 2;
  writeIfChanged("site.css", siteCss);
  writeIfChanged("search.js", searchScript());
  writeIfChanged("search/tokenize.js", tokenizerJs);

  writeFeeds(sources, latest, names, writeIfChanged);

  // Search index: patched in place when few articles changed, else built whole.
  const sourceIndex = new Map(sources.map((s, i) => [s.source.id, i]));
  const byId = new Array<SiteArticle | undefined>(nextId);
  for (let i = 0; i < all.length; i++) byId[ids[i] as number] = all[i];
  // Docs are made on demand: a patch needs only the few it touches.
  const docs: SearchDocs = {
    count: nextId,
    at(id) {
      const a = byId[id];
      return (
        a && {
          title: a.title,
          source: sourceIndex.get(a.source) ?? 0,
          n: a.n,
          date: times.date(a.published),
          gone: a.status === "gone" || a.status === "redirected" ? 1 : 0,
        }
      );
    },
  };
  const sourceTable: [string, string][] = sources.map((s) => [s.source.id, s.source.name]);
  const canPatch =
    previous !== undefined &&
    !full &&
    previous.tokenizer === tokenizer &&
    previous.shards > 0 &&
    changedIds.length <= PATCH_LIMIT;
  const patch = canPatch
    ? patchSearchIndex(outDir, docs, changedIds, previous.shards, sourceTable)
    : undefined;
  if (patch && previous) {
    next.shards = previous.shards;
    for (const [rel, h] of Object.entries(prevFiles))
      if (rel.startsWith("search/s/") || rel.startsWith("search/d/")) next.files[rel] = h;
    for (const [rel, text] of patch) writeIfChanged(rel, text);
  } else {
    const index = buildSearchIndex(docs, sourceTable);
    next.shards = index.shards;
    for (const [rel, text] of index.files) writeIfChanged(rel, text);
  }

  // Files a previous build wrote that this one no longer has (shards after a resize, list pages).
  for (const rel of Object.keys(prevFiles)) {
    if (!(rel in next.files)) rmSync(join(outDir, rel), { force: true });
  }
  next.nextId = nextId;
  writeFileAtomic(join(outDir, MANIFEST), JSON.stringify(next));
  return { pages, written, ms: Math.round(performance.now() - started) };
}

/** Writes an article's page and its earlier versions' pages; returns the image URLs the current page shows. */
function writeArticlePages(
  root: string,
  entry: SiteArticle,
  sourceName: string,
  times: ReturnType<typeof timeFormatter>,
  imageFile: (url: string) => string | undefined,
  outDir: string,
): string[] {
  const article = readArticleAt(entry.file) ?? {
    published: entry.published,
    title: entry.title,
    url: "",
    content: "",
  };
  const { html, images } = renderArticlePage({ entry, article, sourceName, times, imageFile });
  writeFileAtomic(join(outDir, articlePath(entry.source, entry.n)), html);
  const shown = new Set(images);
  for (const seen of entry.versions) {
    const old = readArticleAt(join(archivePaths.versionsDir(root, entry.source, entry.n), `${seen}.md`));
    if (!old) continue;
    const page = renderArticlePage({ entry, article: old, sourceName, times, imageFile, version: seen });
    for (const u of page.images) shown.add(u);
    writeFileAtomic(join(outDir, versionPath(entry.source, entry.n, seen)), page.html);
  }
  return [...shown];
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
): void {
  const cache = new Map<string, FeedItem | undefined>();
  const itemOf = (a: SiteArticle): FeedItem | undefined => {
    const key = `${a.source}/${a.n}`;
    if (cache.has(key)) return cache.get(key);
    const article = readArticleAt(a.file);
    const item = article && {
      id: `newsark:${key}`,
      title: article.title,
      url: article.url,
      published: article.published,
      updated: a.seen,
      contentHtml: sanitizeHtml(article.content, {
        baseUrl: /^https?:/i.test(article.url) ? article.url : undefined,
      }).html,
      author: names.get(a.source) ?? a.source,
    };
    cache.set(key, item);
    return item;
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
