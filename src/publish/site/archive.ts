import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../../model/article.js";
import type { Config, Source } from "../../model/source.js";
import { parseArticle } from "../../store/files/article-format.js";
import { archivePaths } from "../../store/files/paths.js";
import { readStateEntries, type StateEntry } from "../../store/files/state.js";
import { numberEndIn } from "./manifest.js";
import { detached } from "./text-index.js";

/** Seen times of an article without earlier versions: one shared array, not one per article. */
const NO_VERSIONS: number[] = Object.freeze([]) as unknown as number[];

/**
 * One archived article as the site sees it: its state entry, where its file is, and its earlier
 * versions. A build holds one per article of the archive, so the entry is kept as read (not copied
 * field by field) and the path and stamp are made when asked for: at 300,000 articles the copies and
 * kept strings were some 60 MB and a good part of an hourly build's garbage collection.
 */
export class SiteArticle {
  /** Set when the article has no page of its own (the site hit `site.maxBytes`): where lists and search
   * results link instead, absolute (the repository's file, the original) or relative to the site root. */
  link?: string | undefined;

  constructor(
    readonly source: string,
    /** The state's entry; for an article the state does not know, one made from its file (hash `file|<mtime>|<size>`). */
    private readonly entry: StateEntry,
    /** The folder of the article file. */
    private readonly dir: string,
    /** The file's name when it is not `<n>.md` (legacy files are named `<n>_<title>.md`). */
    private readonly name: string | undefined,
    /** Seen times (ms) of the earlier versions under versions/<source>/<n>/, oldest first. */
    readonly versions: number[],
  ) {}

  get n(): number {
    return this.entry.n;
  }

  get published(): number {
    return this.entry.published;
  }

  /** When the current version was first seen. */
  get seen(): number {
    return this.entry.seen;
  }

  get title(): string {
    return this.entry.title;
  }

  get status(): "alive" | "gone" | "redirected" | undefined {
    return this.entry.status;
  }

  /** When `newsark check` found the current status (ms). */
  get checked(): number | undefined {
    return this.entry.checked;
  }

  /** Absolute path of the article file. */
  get file(): string {
    return join(this.dir, this.name ?? `${this.entry.n}.md`);
  }

  /** What changes when the page must change: the state's content hash (else file mtime and size), seen time, status, versions. */
  get stamp(): string {
    const e = this.entry;
    return `${e.hash}|${e.published}|${e.seen}|${e.status ?? ""}|${this.versions.join(",")}`;
  }

  /**
   * Where `text` holds this article's stamp at `at`: the index just after it, else -1. Told without
   * making the stamp, which an hourly build would do for every article of the archive.
   */
  stampEndIn(text: string, at: number): number {
    const e = this.entry;
    if (at < 0 || !text.startsWith(e.hash, at)) return -1;
    let p = text.charCodeAt(at + e.hash.length) === 124 ? at + e.hash.length + 1 : -1;
    p = numberEndIn(text, p, e.published, 124);
    p = numberEndIn(text, p, e.seen, 124);
    const status = e.status ?? "";
    if (p < 0 || !text.startsWith(status, p) || text.charCodeAt(p + status.length) !== 124) return -1;
    p += status.length + 1;
    const versions = this.versions;
    for (let i = 0; i < versions.length; i++)
      p = numberEndIn(text, p, versions[i] as number, i < versions.length - 1 ? 44 : -1);
    return p;
  }
}

/** One source with its articles, newest first by published time. */
export interface SiteSource {
  source: Source;
  articles: SiteArticle[];
}

/** Sort key: published time, else 0 so legacy files without a date sink to the end. */
export function publishedOf(a: { published: number }): number {
  return Number.isFinite(a.published) ? a.published : 0;
}

/** Newest first by published time; ties by lower n (archived later) first. */
export function newestFirst(a: SiteArticle, b: SiteArticle): number {
  return publishedOf(b) - publishedOf(a) || a.n - b.n;
}

/**
 * Names in `dir` that may be read as part of the archive: entries the directory listing marks as
 * symlinks (no extra system call for the others) are kept only when they stay inside the archive.
 */
function listFiles(dir: string, realRoot?: string): string[] {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    return entries
      .filter(
        (e) => realRoot === undefined || !e.isSymbolicLink() || insideArchive(realRoot, join(dir, e.name)),
      )
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Whether `path` may be read as part of the archive at `root`: a plain file or folder, or a symlink
 * whose target stays inside the archive. A symlink out of it (to /etc, a home folder, another
 * archive) is never followed, so a hostile or careless clone cannot publish files from elsewhere.
 */
export function insideArchive(realRoot: string, path: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return true;
    const real = realpathSync(path);
    return real === realRoot || real.startsWith(`${realRoot}/`);
  } catch {
    return false;
  }
}

/** The archive root with its own symlinks resolved (a root that is itself a symlink is fine). */
function realRootOf(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

/**
 * Article numbers → file names in articles/<id>/: "" for a plain `<n>.md` (most files: no name kept),
 * else the legacy `<n>_<title>.md` name.
 */
function articleFiles(root: string, sourceId: string): Map<number, string> {
  const names = new Map<number, string>();
  const realRoot = realRootOf(root);
  const dir = archivePaths.articlesDir(root, sourceId);
  if (!insideArchive(realRoot, join(root, "articles")) || !insideArchive(realRoot, dir)) return names;
  for (const name of listFiles(dir, realRoot)) {
    const n = plainArticleNumber(name);
    if (n !== undefined) {
      // A plain `<n>.md` wins over a legacy name for the same number.
      names.set(n, "");
      continue;
    }
    const m = /^(\d+)(?:_.*)?\.md$/.exec(name);
    if (m && !names.has(Number(m[1]))) names.set(Number(m[1]), name);
  }
  return names;
}

/** n of a file named `<n>.md`, read without a regular expression (an archive lists a million of them). */
function plainArticleNumber(name: string): number | undefined {
  const end = name.length - 3;
  // "007.md" is not the file of article 7 by its plain name ("7.md"): left to the general rule.
  if (end < 1 || end > 15 || !name.endsWith(".md") || (end > 1 && name.charCodeAt(0) === 48))
    return undefined;
  let n = 0;
  for (let i = 0; i < end; i++) {
    const d = name.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** Earlier versions per article number, read with one listing of versions/<id>/ plus one per edited article. */
function versionTimes(root: string, sourceId: string): Map<number, number[]> {
  const map = new Map<number, number[]>();
  const realRoot = realRootOf(root);
  const dir = join(root, "versions", sourceId);
  if (!insideArchive(realRoot, join(root, "versions")) || !insideArchive(realRoot, dir)) return map;
  for (const name of listFiles(dir, realRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const times = listFiles(join(dir, name), realRoot)
      .map((f) => /^(\d+)\.md$/.exec(f)?.[1])
      .filter((t): t is string => t !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (times.length > 0) map.set(Number(name), times);
  }
  return map;
}

/** Reads an article file; undefined when missing or not an article. */
export function readArticleAt(file: string): Article | undefined {
  try {
    return parseArticle(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Reads what the site needs of every source: the state file's records when there is one (no article
 * file is opened), else the article files themselves (archives imported or written by hand).
 */
export function loadArchive(config: Config): SiteSource[] {
  const root = config.root;
  return config.sources.map((source) => {
    const files = articleFiles(root, source.id);
    const versions = versionTimes(root, source.id);
    const dir = archivePaths.articlesDir(root, source.id);
    const articles: SiteArticle[] = [];
    const records = readStateEntries(root, source.id);
    for (const r of records ?? []) {
      const name = files.get(r.n);
      if (name === undefined) continue;
      // What is left in `files` afterwards is what the state does not know.
      files.delete(r.n);
      // The state's hash covers title, URL and content; a run that rewrites a file updates it.
      articles.push(
        new SiteArticle(source.id, r, dir, name === "" ? undefined : name, versions.get(r.n) ?? NO_VERSIONS),
      );
    }
    // Files the state does not know (no state yet, or a run killed before saving it) are read directly.
    for (const [n, name] of files) {
      const file = join(dir, name || `${n}.md`);
      const article = readArticleAt(file);
      if (!article) continue;
      const st = statSync(file, { throwIfNoEntry: false });
      const entry: StateEntry = {
        n,
        published: article.published,
        seen: Number.isFinite(article.published) ? article.published : (st?.mtimeMs ?? 0),
        // A copy: the parsed title is a view into the whole file's text, which would stay in memory.
        title: detached(article.title),
        hash: `file|${st?.mtimeMs ?? 0}|${st?.size ?? 0}`,
        versions: 0,
      };
      articles.push(
        new SiteArticle(
          source.id,
          entry,
          dir,
          name === "" ? undefined : name,
          versions.get(n) ?? NO_VERSIONS,
        ),
      );
    }
    articles.sort(newestFirst);
    return { source, articles };
  });
}
