import type { Fetcher } from "../../fetch/types.js";
import { errorMessage } from "../../model/errors.js";
import type { Config } from "../../model/source.js";
import {
  type ImageRecord,
  readImageManifest,
  writeImageManifest,
} from "../../store/files/images-manifest.js";
import { matchesKey, mediaKey, mediaType, sha256Hex } from "../../store/media/keys.js";
import { createRepoMediaStore } from "../../store/media/repo/index.js";
import type { MediaStore } from "../../store/media/types.js";
import { flushFilesystem } from "../../util/atomic.js";
import { extractMessages as m } from "../messages.js";
import type { Extractor, PendingArticle } from "../types.js";
import { findImageUrls } from "./find.js";
import { unwrapProxy } from "./proxy.js";
import { describeNonImage, sniffImage } from "./sniff.js";
import { defuseSvg } from "./svg.js";

export { findImageUrls } from "./find.js";
export { unwrapProxy } from "./proxy.js";
export { describeNonImage, type ImageType, sniffImage } from "./sniff.js";
export { defuseSvg } from "./svg.js";

/** Failed images are tried again on later runs until they have failed this many times. */
export const MAX_IMAGE_TRIES = 5;

const IMAGE_ACCEPT =
  "image/avif, image/webp, image/png, image/jpeg, image/gif, image/svg+xml;q=0.9, */*;q=0.1";

/** What retrying at the end of a run did, for the run report. */
export interface ImageRetryReport {
  retried: number;
  archived: number;
  /** Copies kept in images/ while the media store failed, now moved into it. */
  uploaded: number;
  /** Set when something failed (the records could not be written, the store refused); one line. */
  error?: string | undefined;
}

/**
 * One run's image archiving, created by the pipeline and passed to the image extractor in the extract
 * context: the records in memory, the downloads left under images.maxPerRun (shared by all sources),
 * downloads in flight (two articles showing one image fetch it once) and URLs already tried.
 *
 * @example
 * const images = createImageSession(config, fetcher, createMediaStore(config));
 * await images.archive(urls, warnings);
 * const report = await images.finish();
 */
export interface ImageSession {
  /** Archives the images at these URLs; problems become warnings. */
  archive(urls: string[], warnings: string[]): Promise<void>;
  /**
   * Call once, after the sources: tries again images of earlier runs that failed (fewer than MAX_IMAGE_TRIES
   * times) or were left over by images.maxPerRun, and uploads copies kept locally while the store failed.
   */
  finish(): Promise<ImageRetryReport>;
}

/** Archive-relative path of an image's content-addressed copy: images/<2 hex>/<32 hex>.<ext>. */
export function imagePath(bytes: Uint8Array, ext: string): string {
  return `images/${mediaKey(bytes, ext)}`;
}

const keyOf = (file: string): string => file.replace(/^images\//, "");
const targetOf = (url: string): string => unwrapProxy(url) ?? url;

type Download = { ok: true; record: Partial<ImageRecord> } | { ok: false; error: string };

/**
 * Creates a run's image session over a media store. When the store fails, an image is kept in the
 * archive's images/ instead (nothing is lost) and moved into the store by a later finish().
 */
export function createImageSession(
  config: Config,
  fetcher: Fetcher,
  store: MediaStore,
  now: () => number = Date.now,
): ImageSession {
  const local = store.kind === "repo" ? store : createRepoMediaStore(config.root);
  const records = readImageManifest(config.root);
  const changed = new Set<string>();
  /** Copy (record) by the image behind a URL (proxy unwrapped), so a proxy and its original share one copy. */
  const byTarget = new Map<string, ImageRecord>();
  for (const r of records.values()) if (r.status === "ok" && r.file) byTarget.set(targetOf(r.url), r);
  const present = new Map<string, Promise<boolean>>();
  const inFlight = new Map<string, Promise<void>>();
  const tried = new Set<string>();
  const max = config.maxImagesPerRun;
  let left = max;

  const set = (record: ImageRecord) => {
    records.set(record.url, record);
    changed.add(record.url);
  };
  /** Whether a record's copy is where it says; a copy deleted behind newsark's back is fetched again. */
  const stored = (r: ImageRecord): Promise<boolean> => {
    if (!r.file) return Promise.resolve(false);
    const where = r.store === "s3" && store.kind === "s3" ? store : local;
    const id = `${where.kind}:${r.file}`;
    let p = present.get(id);
    if (!p) {
      p = where.has(keyOf(r.file)).catch(() => true); // the store being down is not proof of loss
      present.set(id, p);
    }
    return p;
  };

  /** Puts bytes into the store, or into images/ when the store fails; says where they went. */
  const keep = async (key: string, bytes: Uint8Array, type: string) => {
    try {
      await store.put(key, bytes, type);
      return { store: store.kind, error: undefined };
    } catch (err) {
      await local.put(key, bytes, type);
      return { store: "repo" as const, error: errorMessage(err) };
    }
  };

  const download = async (url: string): Promise<Download> => {
    const got = await fetcher.fetch({
      url,
      trusted: false,
      accept: IMAGE_ACCEPT,
      maxBytes: config.maxImageBytes,
    });
    if (got.status === "error") return { ok: false, error: got.error };
    if (got.status !== "ok") return { ok: false, error: `fetch: ${url}: HTTP ${got.httpStatus}` };
    if (got.body.length === 0) return { ok: false, error: `images: ${url}: ${m.emptyImage()}` };
    const type = sniffImage(got.body);
    if (!type)
      return {
        ok: false,
        error: `images: ${url}: ${m.notImage(describeNonImage(got.body, got.contentType))}`,
      };
    // An SVG is a document that can run scripts: stored defused, with the original's sha256 as evidence.
    const bytes = type.ext === "svg" ? defuseSvg(got.body) : got.body;
    const key = mediaKey(bytes, type.ext);
    const kept = await keep(key, bytes, type.mime);
    present.set(`${kept.store}:images/${key}`, Promise.resolve(true));
    return {
      ok: true,
      record: {
        file: `images/${key}`,
        bytes: got.body.length,
        sha256: sha256Hex(got.body),
        type: type.mime,
        store: kept.store,
        fetched: now(),
        error: kept.error ? `store: ${kept.error}` : undefined,
      },
    };
  };

  /** Archives one URL: reuses a copy of the same image, else downloads it — as the article has it, then the original behind a proxy. */
  const archiveOne = (url: string): Promise<void> => {
    const pending = inFlight.get(url);
    if (pending) return pending;
    const work = (async () => {
      const previous = records.get(url);
      if (previous?.status === "ok" && (await stored(previous))) return;
      const target = targetOf(url);
      const shared = byTarget.get(target);
      if (shared && shared.url !== url && (await stored(shared))) {
        const { file, bytes, sha256, type, store: where, fetched } = shared;
        set({
          url,
          status: "ok",
          tries: previous?.tries ?? 0,
          seen: previous?.seen ?? now(),
          file,
          bytes,
          sha256,
          type,
          store: where,
          fetched,
        });
        return;
      }
      if (tried.has(url)) return;
      const tries = previous?.tries ?? 0;
      const seen = previous?.seen ?? now();
      if (left <= 0) {
        // Recorded, so the next run's retry finds it even if no article mentions it again.
        set({ url, status: "failed", tries, seen, error: m.deferred(max) });
        return;
      }
      left--;
      tried.add(url);
      // A proxy may be down or blocked while the outlet is up, and the other way round: try both.
      const candidates = target === url ? [url] : [url, target];
      const errors: string[] = [];
      for (const candidate of candidates) {
        const got = await download(candidate);
        if (got.ok) {
          const record: ImageRecord = { url, status: "ok", tries, seen, ...got.record };
          set(record);
          byTarget.set(target, record);
          return;
        }
        errors.push(got.error);
      }
      set({ url, status: "failed", tries: tries + 1, seen, error: errors.join("; ") });
    })();
    inFlight.set(url, work);
    return work.finally(() => inFlight.delete(url));
  };

  const save = () => {
    writeImageManifest(config.root, records, changed);
    changed.clear();
  };

  /** Moves copies kept in images/ while the store failed into the store, verifying each before removing it. */
  const upload = async (budget: number): Promise<number> => {
    if (store.kind === "repo" || budget <= 0) return 0;
    const waiting = [...records.values()].filter((r) => r.status === "ok" && r.store === "repo" && r.file);
    const { moveObject } = await import("../../store/media/move.js");
    let moved = 0;
    const done = new Set<string>();
    const lost = new Set<string>();
    for (const r of waiting) {
      const key = keyOf(r.file as string);
      if (!done.has(key)) {
        if (done.size >= budget) break;
        // A copy gone from images/ may already be in the store (an interrupted earlier move).
        if ((await moveObject(local, store, key)) === "missing" && !(await store.has(key))) lost.add(key);
        done.add(key);
      }
      if (lost.has(key)) set({ url: r.url, status: "failed", tries: r.tries, seen: r.seen, error: m.lost() });
      else set({ ...r, store: store.kind, error: undefined });
      moved++;
    }
    return moved;
  };

  /** Records migrated from images/manifest.tsv lack the hash and type: taken once from the local copies. */
  const backfill = async () => {
    for (const r of records.values()) {
      if (r.status !== "ok" || r.sha256 || !r.file || r.store === "s3") continue;
      const key = keyOf(r.file);
      const bytes = await local.read(key);
      if (bytes && matchesKey(key, bytes))
        set({ ...r, sha256: sha256Hex(bytes), bytes: bytes.length, type: mediaType(key), store: "repo" });
    }
  };

  return {
    async archive(urls, warnings) {
      if (urls.length === 0) return;
      await Promise.all(urls.map(archiveOne));
      save();
      const mine = urls.map((u) => records.get(u));
      const failed = mine.filter((r) => r?.status === "failed" && r.tries > 0);
      const deferred = mine.filter((r) => r?.status === "failed" && r.error === m.deferred(max));
      const kept = mine.filter((r) => r?.status === "ok" && r.error);
      if (failed.length > 0)
        warnings.push(m.imagesFailed(failed.length, urls.length, failed[0]?.error ?? ""));
      if (deferred.length > 0) warnings.push(m.imagesDeferred(deferred.length, max));
      if (kept[0]) warnings.push(m.imagesKeptLocally(kept.length, kept[0].error ?? ""));
    },
    async finish() {
      const report: ImageRetryReport = { retried: 0, archived: 0, uploaded: 0 };
      try {
        const due = [...records.values()]
          .filter((r) => r.status === "failed" && r.tries < MAX_IMAGE_TRIES && !tried.has(r.url))
          .sort((a, b) => a.tries - b.tries || (a.url < b.url ? -1 : 1))
          .slice(0, Math.max(0, left));
        await Promise.all(due.map((r) => archiveOne(r.url)));
        report.retried = due.length;
        report.archived = due.filter((r) => records.get(r.url)?.status === "ok").length;
        await backfill();
        try {
          report.uploaded = await upload(max);
        } catch (err) {
          report.error = `images: ${errorMessage(err)}; kept in images/ and retried on later runs`;
        }
        save();
        if (report.archived > 0) flushFilesystem(config.root);
      } catch (err) {
        report.error = `images: ${errorMessage(err)}`;
      } finally {
        store.close();
      }
      return report;
    },
  };
}

/**
 * The image extractor: for sources with `images: archive`, archives the images of each new or changed article
 * in the run's media store (content-addressed) and records each URL under images/records/. Articles keep their
 * original `src`, byte for byte; failures are recorded and retried on later runs.
 */
export const imagesExtractor: Extractor = {
  name: "images",
  shouldRun: (source) => source.images === "archive",
  async run(articles: PendingArticle[], context): Promise<void> {
    if (!context.images) throw new Error(m.noSession());
    const urls = new Set<string>();
    for (const a of articles) for (const url of findImageUrls(a.content, a.item.url)) urls.add(url);
    await context.images.archive([...urls], context.warnings);
  },
};
