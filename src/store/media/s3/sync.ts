import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import type { S3Settings } from "../types.js";
import { isNotFound, readAll, s3Connect, storeError } from "./client.js";

/** What one publish did, by file count. */
export interface SyncReport {
  uploaded: number;
  deleted: number;
  unchanged: number;
}

/** The object beside the site in the bucket that records what was uploaded: site path → sha256. */
export const SYNC_MANIFEST = ".newsark-publish.json";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
};

/**
 * Every regular file below dir (symlinks are skipped), as site paths with forward slashes. The build's
 * own bookkeeping (`.newsark-build`, postings spilled by an interrupted build) is not the site.
 */
function siteFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith(".newsark")) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Uploads a built site folder to a bucket incrementally: only files whose sha256 differs from the last
 * publish (recorded in the bucket's SYNC_MANIFEST object) are uploaded, files that are gone are deleted, and
 * the manifest is written last, so an interrupted publish is redone, never half-believed.
 *
 * @example
 * const { uploaded, deleted, unchanged } = await syncFolder("site", config.publish);
 */
export async function syncFolder(dir: string, settings: S3Settings): Promise<SyncReport> {
  lstatSync(dir); // a missing site folder fails here, before any request
  const { client, close } = await s3Connect(settings);
  const { bucket, prefix } = settings;
  const report: SyncReport = { uploaded: 0, deleted: 0, unchanged: 0 };
  try {
    let previous: Record<string, string> = {};
    try {
      const text = (await readAll(await client.getObject(bucket, prefix + SYNC_MANIFEST))).toString("utf8");
      previous = (JSON.parse(text) as { files?: Record<string, string> }).files ?? {};
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof SyntaxError))
        throw storeError(settings, `GET ${prefix}${SYNC_MANIFEST}`, err);
    }
    const files: Record<string, string> = {};
    for (const rel of siteFiles(dir)) {
      const bytes = readFileSync(join(dir, rel));
      const hash = createHash("sha256").update(bytes).digest("hex");
      files[rel] = hash;
      if (previous[rel] === hash) {
        report.unchanged++;
        continue;
      }
      // Content-addressed images never change under one name; pages may, so caches re-check them.
      const immutable = rel.startsWith("images/");
      try {
        await client.putObject(bucket, prefix + rel, bytes, bytes.length, {
          "Content-Type": TYPES[extname(rel).toLowerCase()] ?? "application/octet-stream",
          "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
        });
      } catch (err) {
        throw storeError(settings, `PUT ${prefix}${rel}`, err);
      }
      report.uploaded++;
    }
    for (const rel of Object.keys(previous)) {
      if (rel in files) continue;
      try {
        await client.removeObject(bucket, prefix + rel);
      } catch (err) {
        if (!isNotFound(err)) throw storeError(settings, `DELETE ${prefix}${rel}`, err);
      }
      report.deleted++;
    }
    if (report.uploaded > 0 || report.deleted > 0) {
      const manifest = Buffer.from(JSON.stringify({ files }));
      await client.putObject(bucket, prefix + SYNC_MANIFEST, manifest, manifest.length, {
        "Content-Type": "application/json",
      });
    }
    return report;
  } finally {
    close();
  }
}
