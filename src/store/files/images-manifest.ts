import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../util/atomic.js";

/** One image URL seen in an article and what became of it. */
export interface ImageRecord {
  /** The `src` exactly as the article has it (absolute). */
  url: string;
  /** Archive-relative path of the local copy (`images/ab/ab12….jpg`); undefined until it is fetched. */
  file?: string | undefined;
  bytes?: number | undefined;
  status: "ok" | "failed";
  /** Failed attempts so far; failed images are retried on later runs up to a limit. */
  tries: number;
  /** Last error, one line, for failed images. */
  error?: string | undefined;
}

const HEADER = "# newsark images v1\turl\tfile\tbytes\tstatus\ttries\terror";

/** Where the manifest lives: images/manifest.tsv, committed with the images. */
export function imageManifestPath(root: string): string {
  return join(root, "images", "manifest.tsv");
}

/** Reads images/manifest.tsv into a map keyed by URL; empty when there is none. */
export function readImageManifest(root: string): Map<string, ImageRecord> {
  const map = new Map<string, ImageRecord>();
  let text: string;
  try {
    text = readFileSync(imageManifestPath(root), "utf8");
  } catch {
    return map;
  }
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [url, file, bytes, status, tries, error] = line.split("\t");
    if (!url) continue;
    map.set(url, {
      url,
      file: file && file !== "-" ? file : undefined,
      bytes: bytes && bytes !== "-" ? Number(bytes) : undefined,
      status: status === "ok" ? "ok" : "failed",
      tries: Number(tries) || 0,
      error: error && error !== "-" ? error : undefined,
    });
  }
  return map;
}

/** Writes the manifest sorted by URL, so diffs stay small. */
export function writeImageManifest(root: string, records: Map<string, ImageRecord>): void {
  const clean = (s: string) => s.replace(/[\t\r\n]/g, " ");
  const lines = [HEADER];
  for (const url of [...records.keys()].sort()) {
    const r = records.get(url) as ImageRecord;
    lines.push(
      [clean(r.url), r.file ?? "-", r.bytes ?? "-", r.status, r.tries, r.error ? clean(r.error) : "-"].join(
        "\t",
      ),
    );
  }
  writeFileAtomic(imageManifestPath(root), `${lines.join("\n")}\n`);
}
