import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Article, ArticleRecord } from "../model/article.js";
import type { Config } from "../model/config.js";
import { NewsarkError } from "../model/errors.js";
import { contentHash } from "../normalize/index.js";
import { parseArticle } from "../store/files/article-format.js";
import { archivePaths } from "../store/files/paths.js";
import { articleFilePath, readStateRecords } from "../store/files/state.js";
import { type DiffPart, diffText } from "./diff.js";
import { historyMessages as m } from "./messages.js";
import { articleText } from "./text.js";

export { type DiffPart, diffText, renderDiff, tokenize } from "./diff.js";
export { articleText } from "./text.js";

/** One version of an article: the file it is kept in and when it was first seen. */
export interface ArticleVersion {
  /** When this version was first seen, ms since epoch (NaN when no one recorded it). */
  seen: number;
  /** Path relative to the archive root. */
  path: string;
  article: Article;
  /** Short hash of title, url and content, as the archive computes it. */
  hash: string;
}

/** Liveness of an article's original URL, as `newsark check` last found it; "unknown" before any check. */
export type ArticleStatus = "alive" | "gone" | "redirected" | "unknown";

/** Every kept version of one article, oldest first, and what `newsark check` found. */
export interface ArticleHistory {
  sourceId: string;
  n: number;
  versions: ArticleVersion[];
  status: ArticleStatus;
  /** When the status was found, ms since epoch. */
  checked: number | undefined;
}

/**
 * The shape `newsark history --json` prints.
 *
 * @example
 * { versions: [{ seen: "2024-05-01T10:00:00.000Z", title: "标题", hash: "3f2a…" }], status: "gone", checked: "2024-06-01T08:00:00.000Z" }
 */
export interface HistoryJson {
  versions: { seen: string | null; title: string; hash: string }[];
  status: ArticleStatus;
  checked: string | null;
  /** With `--diff A..B`: the versions compared (1-based) and the runs of text kept, added and removed. */
  diff?: { from: number; to: number; parts: DiffPart[] };
}

/** Reads `voa/1048574` (or `articles/voa/1048574.md`) into a source id and article number. */
export function parseArticleRef(ref: string): { sourceId: string; n: number } {
  const match = /^(?:\/?articles\/)?([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/(\d+)(?:\.md)?$/.exec(ref.trim());
  if (!match) throw new NewsarkError("usage", m.badRef(ref));
  return { sourceId: match[1] as string, n: Number(match[2]) };
}

function version(root: string, path: string, seen: number): ArticleVersion | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, path), "utf8");
  } catch {
    return undefined;
  }
  const article = parseArticle(text);
  if (!article) return undefined;
  return { seen, path, article, hash: contentHash(article.title, article.url, article.content) };
}

/**
 * Loads an article's versions: the earlier ones under versions/<id>/<n>/<seenMs>.md and the current file,
 * whose seen time comes from the state record. Throws a usage NewsarkError for an unknown source or article.
 */
export function loadHistory(config: Config, ref: string): ArticleHistory {
  const { sourceId, n } = parseArticleRef(ref);
  if (!config.sources.some((s) => s.id === sourceId)) {
    throw new NewsarkError(
      "usage",
      m.noSource(
        sourceId,
        config.sources.map((s) => s.id),
      ),
    );
  }
  const root = config.root;
  const record: ArticleRecord | undefined = readStateRecords(root, sourceId)?.find((r) => r.n === n);
  const versions: ArticleVersion[] = [];
  const dir = archivePaths.versionsDir(root, sourceId, n);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const match = /^(\d+)\.md$/.exec(name);
      if (!match) continue;
      const v = version(root, join("versions", sourceId, String(n), name), Number(match[1]));
      if (v) versions.push(v);
    }
  }
  versions.sort((a, b) => a.seen - b.seen);
  const currentPath = articleFilePath(root, sourceId, n);
  let currentSeen = record?.seen;
  if (currentSeen === undefined && existsSync(join(root, currentPath))) {
    // Without a state record, the file's time is the best witness of when this version arrived.
    currentSeen = Math.round(statSync(join(root, currentPath)).mtimeMs);
  }
  const current = version(root, currentPath, currentSeen ?? Number.NaN);
  if (current) versions.push(current);
  if (versions.length === 0) throw new NewsarkError("usage", m.noArticle(sourceId, n));
  return { sourceId, n, versions, status: record?.status ?? "unknown", checked: record?.checked };
}

function iso(ms: number | undefined): string | null {
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The JSON `newsark history --json` prints. */
export function historyJson(history: ArticleHistory, range?: [number, number]): HistoryJson {
  const json: HistoryJson = {
    versions: history.versions.map((v) => ({ seen: iso(v.seen), title: v.article.title, hash: v.hash })),
    status: history.status,
    checked: iso(history.checked),
  };
  if (range) json.diff = { from: range[0], to: range[1], parts: diffVersions(history, range[0], range[1]) };
  return json;
}

/** Reads `--diff A..B` (1-based version numbers); without it, the last two versions. */
export function parseRange(spec: string | undefined, count: number): [number, number] {
  if (spec === undefined) return [Math.max(1, count - 1), count];
  const match = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(spec);
  const a = Number(match?.[1]);
  const b = Number(match?.[2]);
  if (!match || a < 1 || b < 1 || a > count || b > count || a === b) {
    throw new NewsarkError("usage", m.badRange(spec, count));
  }
  return [a, b];
}

/** The text a version is compared by: its title, then its content's paragraphs. */
export function versionText(v: ArticleVersion): string {
  return `${v.article.title}\n\n${articleText(v.article.content)}`;
}

/** Diffs version `a` against version `b` (1-based) of an article. */
export function diffVersions(history: ArticleHistory, a: number, b: number): DiffPart[] {
  const older = history.versions[a - 1];
  const newer = history.versions[b - 1];
  if (!older || !newer) throw new NewsarkError("usage", m.badRange(`${a}..${b}`, history.versions.length));
  return diffText(versionText(older), versionText(newer));
}
