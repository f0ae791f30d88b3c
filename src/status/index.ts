import { lstatSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../model/source.js";
import { readImageManifest } from "../store/files/images-manifest.js";
import { archivePaths } from "../store/files/paths.js";
import { readSourceState } from "../store/files/state.js";
import { createMediaStore } from "../store/media/index.js";
import { treeBytes } from "./bytes.js";

const DAY = 86_400_000;
const GB = 1024 ** 3;

/** One source at a glance: how much it holds, how fresh it is, and whether it has gone quiet. */
export interface SourceStatus {
  id: string;
  name: string;
  articles: number;
  versions: number;
  /** Publication time of the newest article (ms), if any. */
  newest?: number | undefined;
  /** The median time between its latest articles, in hours. */
  usualGapHours?: number | undefined;
  /** Nothing new for much longer than usual (five usual gaps, and at least six hours). */
  quiet: boolean;
}

/** The whole archive at a glance, for `newsark status`. */
export interface ArchiveStatus {
  sources: SourceStatus[];
  /** Bytes of each part of the archive's working tree (what git holds, before compression). */
  bytes: { articles: number; versions: number; images: number; state: number; lists: number; total: number };
  /** The media store's objects, or why they could not be listed. */
  media: { store: string; objects?: number; bytes?: number; error?: string };
  /** Bytes added per day over the last 30 days, and days until the archive passes 1 GB and 5 GB. */
  growth: { bytesPerDay: number; daysTo1GB?: number | undefined; daysTo5GB?: number | undefined };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Days until `total` bytes pass `limit` at `perDay`; 0 when already past, undefined when not growing. */
function daysUntil(total: number, limit: number, perDay: number): number | undefined {
  if (total >= limit) return 0;
  return perDay > 0 ? Math.ceil((limit - total) / perDay) : undefined;
}

/**
 * Measures the archive: per source articles, versions, newest item and usual rate; bytes per part; growth
 * over the last 30 days. With `listMedia`, also counts the media store's objects (a LIST for S3).
 *
 * @example
 * const status = await archiveStatus(config, { now: Date.now(), listMedia: true });
 */
export async function archiveStatus(
  config: Config,
  options: { now: number; listMedia: boolean },
): Promise<ArchiveStatus> {
  const { root } = config;
  const since = options.now - 30 * DAY;
  let recent = 0;
  let recentArticles = 0;
  let articleCount = 0;
  const sources: SourceStatus[] = [];
  for (const source of config.sources) {
    const records = readSourceState(root, source.id)?.records ?? [];
    articleCount += records.length;
    const published = records.map((r) => r.published).sort((a, b) => b - a);
    const latest = published.slice(0, 31);
    const gaps = latest.slice(1).map((t, i) => (latest[i] as number) - t);
    const gap = median(gaps);
    const newest = published[0];
    const quiet =
      newest !== undefined &&
      gap !== undefined &&
      gaps.length >= 4 &&
      options.now - newest > Math.max(6 * 3_600_000, 5 * gap);
    for (const r of records) {
      if (r.seen < since) continue;
      recentArticles++;
      recent += lstatSync(archivePaths.article(root, source.id, r.n), { throwIfNoEntry: false })?.size ?? 0;
    }
    sources.push({
      id: source.id,
      name: source.name,
      articles: records.length,
      versions: records.reduce((sum, r) => sum + r.versions, 0),
      newest,
      usualGapHours: gap === undefined ? undefined : Math.round((gap / 3_600_000) * 10) / 10,
      quiet,
    });
  }
  const articles = treeBytes(join(root, "articles"));
  const versions = treeBytes(join(root, "versions"), (_p, name, size) => {
    if (Number(name.replace(/\.md$/, "")) >= since) recent += size;
  });
  const images = treeBytes(join(root, "images"));
  const state = treeBytes(join(root, "state"));
  const lists = treeBytes(join(root, "lists"));
  // Images kept in the repository in the last 30 days, each stored object once.
  const counted = new Set<string>();
  for (const r of readImageManifest(root).values()) {
    if (r.status !== "ok" || r.store === "s3" || !r.file || (r.fetched ?? 0) < since || counted.has(r.file))
      continue;
    counted.add(r.file);
    recent += lstatSync(join(root, r.file), { throwIfNoEntry: false })?.size ?? 0;
  }
  // State grows by one line per article.
  if (articleCount > 0) recent += Math.round((state / articleCount) * recentArticles);
  const total = articles + versions + images + state + lists;
  const bytesPerDay = Math.round(recent / 30);
  const media: ArchiveStatus["media"] = { store: config.media?.store ?? "repo" };
  if (options.listMedia) {
    const store = createMediaStore(config);
    try {
      let objects = 0;
      let bytes = 0;
      for await (const o of store.list()) {
        objects++;
        bytes += o.bytes;
      }
      Object.assign(media, { objects, bytes });
    } catch (err) {
      media.error = err instanceof Error ? err.message : String(err);
    } finally {
      store.close();
    }
  }
  return {
    sources,
    bytes: { articles, versions, images, state, lists, total },
    media,
    growth: {
      bytesPerDay,
      daysTo1GB: daysUntil(total, GB, bytesPerDay),
      daysTo5GB: daysUntil(total, 5 * GB, bytesPerDay),
    },
  };
}
