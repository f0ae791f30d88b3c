import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Fetcher } from "../../fetch/types.js";
import { errorMessage } from "../../model/errors.js";
import type { Config } from "../../model/source.js";
import {
  type ImageRecord,
  readImageManifest,
  writeImageManifest,
} from "../../store/files/images-manifest.js";
import { flushFilesystem, writeFileAtomic } from "../../util/atomic.js";
import { extractMessages as m } from "../messages.js";
import type { ExtractContext, Extractor, PendingArticle } from "../types.js";
import { findImageUrls } from "./find.js";
import { unwrapProxy } from "./proxy.js";
import { describeNonImage, sniffImage } from "./sniff.js";

export { findImageUrls } from "./find.js";
export { unwrapProxy } from "./proxy.js";
export { describeNonImage, type ImageType, sniffImage } from "./sniff.js";

/** Failed images are tried again on later runs until they have failed this many times. */
export const MAX_IMAGE_TRIES = 5;

const IMAGE_ACCEPT =
  "image/avif, image/webp, image/png, image/jpeg, image/gif, image/svg+xml;q=0.9, */*;q=0.1";

/**
 * What one run knows about images: the manifest in memory, the downloads left under images.maxPerRun (shared by
 * all sources), downloads in flight (two articles showing one image fetch it once) and URLs already tried.
 */
interface ImageRun {
  root: string;
  manifest: Map<string, ImageRecord>;
  /** Archived file by the image behind a URL (proxy unwrapped), so a proxy and its original share one copy. */
  byTarget: Map<string, string>;
  left: number;
  max: number;
  inFlight: Map<string, Promise<void>>;
  tried: Set<string>;
}

// One fetcher serves one run (runArchive creates it and closes it at the end), so it names the run's image
// session without changing what the pipeline passes to extractors; retryFailedImages ends the session.
const runs = new WeakMap<Fetcher, ImageRun>();

function targetOf(url: string): string {
  return unwrapProxy(url) ?? url;
}

function imageRun(config: Config, fetcher: Fetcher): ImageRun {
  let run = runs.get(fetcher);
  if (!run || run.root !== config.root) {
    const manifest = readImageManifest(config.root);
    const byTarget = new Map<string, string>();
    for (const r of manifest.values()) {
      if (r.status === "ok" && r.file && existsSync(join(config.root, r.file)))
        byTarget.set(targetOf(r.url), r.file);
    }
    run = {
      root: config.root,
      manifest,
      byTarget,
      left: config.maxImagesPerRun,
      max: config.maxImagesPerRun,
      inFlight: new Map(),
      tried: new Set(),
    };
    runs.set(fetcher, run);
  }
  return run;
}

/** Archive-relative path of an image's content-addressed copy: images/<2 hex>/<32 hex>.<ext>. */
export function imagePath(bytes: Uint8Array, ext: string): string {
  const hex = createHash("sha256").update(bytes).digest("hex");
  return `images/${hex.slice(0, 2)}/${hex.slice(0, 32)}.${ext}`;
}

type Download = { ok: true; file: string; bytes: number } | { ok: false; error: string };

/** Fetches one candidate URL and stores it when the bytes are an image; the same bytes are stored once. */
async function download(config: Config, fetcher: Fetcher, url: string): Promise<Download> {
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
    return { ok: false, error: `images: ${url}: ${m.notImage(describeNonImage(got.body, got.contentType))}` };
  const file = imagePath(got.body, type.ext);
  const path = join(config.root, file);
  if (!existsSync(path)) writeFileAtomic(path, got.body);
  return { ok: true, file, bytes: got.body.length };
}

/**
 * Archives one image URL into the run's manifest: reuses a copy of the same image, else downloads it — the URL
 * as the article has it first, then the original behind a proxy URL — within the run's download budget.
 */
function archiveImage(config: Config, fetcher: Fetcher, run: ImageRun, url: string): Promise<void> {
  const pending = run.inFlight.get(url);
  if (pending) return pending;
  const work = (async () => {
    const previous = run.manifest.get(url);
    if (previous?.status === "ok" && previous.file && existsSync(join(run.root, previous.file))) return;
    const target = targetOf(url);
    const shared = run.byTarget.get(target);
    if (shared) {
      run.manifest.set(url, { url, file: shared, status: "ok", tries: previous?.tries ?? 0 });
      return;
    }
    if (run.tried.has(url)) return;
    const tries = previous?.tries ?? 0;
    if (run.left <= 0) {
      // Recorded, so the next run's retry finds it even if no article mentions it again.
      run.manifest.set(url, { url, status: "failed", tries, error: m.deferred(run.max) });
      return;
    }
    run.left--;
    run.tried.add(url);
    // A proxy may be down or blocked while the outlet is up, and the other way round: try both.
    const candidates = target === url ? [url] : [url, target];
    const errors: string[] = [];
    for (const candidate of candidates) {
      const got = await download(config, fetcher, candidate);
      if (got.ok) {
        run.manifest.set(url, { url, file: got.file, bytes: got.bytes, status: "ok", tries });
        run.byTarget.set(target, got.file);
        return;
      }
      errors.push(got.error);
    }
    run.manifest.set(url, { url, status: "failed", tries: tries + 1, error: errors.join("; ") });
  })();
  run.inFlight.set(url, work);
  return work.finally(() => run.inFlight.delete(url));
}

/**
 * The image extractor: for sources with `images: archive`, downloads the images of each new or changed article
 * into images/ (content-addressed) and maps each URL to its copy in images/manifest.tsv. Articles keep their
 * original `src`, byte for byte; failures are recorded in the manifest and retried on later runs.
 */
export const imagesExtractor: Extractor = {
  name: "images",
  shouldRun: (source) => source.images === "archive",
  async run(articles: PendingArticle[], context: ExtractContext): Promise<void> {
    const run = imageRun(context.config, context.fetcher);
    const urls = new Set<string>();
    for (const a of articles) for (const url of findImageUrls(a.content, a.item.url)) urls.add(url);
    if (urls.size === 0) return;
    await Promise.all([...urls].map((url) => archiveImage(context.config, context.fetcher, run, url)));
    writeImageManifest(run.root, run.manifest);
    const failed = [...urls]
      .map((u) => run.manifest.get(u))
      .filter((r) => r?.status === "failed" && r.tries > 0);
    const deferred = [...urls].filter((u) => {
      const r = run.manifest.get(u);
      return r?.status === "failed" && r.error === m.deferred(run.max);
    });
    if (failed.length > 0) {
      context.warnings.push(m.imagesFailed(failed.length, urls.size, failed[0]?.error ?? ""));
    }
    if (deferred.length > 0) context.warnings.push(m.imagesDeferred(deferred.length, run.max));
  },
};

/** What retryFailedImages did, for the run report. */
export interface ImageRetryReport {
  retried: number;
  archived: number;
  /** Set when the manifest could not be written; one line. */
  error?: string | undefined;
}

/**
 * Call once per run, after the sources: tries again the images of earlier runs that failed (fewer than
 * MAX_IMAGE_TRIES times) or were left over by images.maxPerRun, within what is left of this run's budget, even
 * when no article was new. Ends the run's image session, so the next run starts with a fresh budget.
 *
 * @example
 * await retryFailedImages(config, fetcher);
 */
export async function retryFailedImages(config: Config, fetcher: Fetcher): Promise<ImageRetryReport> {
  const report: ImageRetryReport = { retried: 0, archived: 0 };
  if (!config.sources.some((s) => s.images === "archive")) return report;
  const run = imageRun(config, fetcher);
  try {
    const due = [...run.manifest.values()]
      .filter((r) => r.status === "failed" && r.tries < MAX_IMAGE_TRIES && !run.tried.has(r.url))
      .sort((a, b) => a.tries - b.tries || (a.url < b.url ? -1 : 1))
      .slice(0, Math.max(0, run.left));
    if (due.length === 0) return report;
    await Promise.all(due.map((r) => archiveImage(config, fetcher, run, r.url)));
    report.retried = due.length;
    report.archived = due.filter((r) => run.manifest.get(r.url)?.status === "ok").length;
    writeImageManifest(run.root, run.manifest);
    if (report.archived > 0) flushFilesystem(run.root);
    return report;
  } catch (err) {
    report.error = `images: ${errorMessage(err)}`;
    return report;
  } finally {
    runs.delete(fetcher);
  }
}
