import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../util/atomic.js";

/**
 * One image URL seen in an article and what became of it: the evidence newsark keeps in git for each image
 * (where it came from, the sha256 of the bytes as fetched, size, type, store key, when it was fetched).
 */
export interface ImageRecord {
  /** The `src` exactly as the article has it (absolute). */
  url: string;
  /** Archive-relative path of the copy (`images/ab/ab12….jpg`, i.e. `images/` + store key); undefined until fetched. */
  file?: string | undefined;
  bytes?: number | undefined;
  status: "ok" | "failed";
  /** Failed attempts so far; failed images are retried on later runs up to a limit. */
  tries: number;
  /** Last error, one line, for failed images. */
  error?: string | undefined;
  /** sha256 of the bytes as fetched (an SVG is stored defused, so its stored bytes differ). */
  sha256?: string | undefined;
  /** The sniffed MIME type. */
  type?: string | undefined;
  /** Which store holds the copy: the archive's images/ ("repo") or the S3 store ("s3"). */
  store?: "repo" | "s3" | undefined;
  /** When the URL was first seen (ms since epoch); decides the record's file. */
  seen?: number | undefined;
  /** When the bytes were fetched (ms since epoch). */
  fetched?: number | undefined;
}

const LEGACY_HEADER = "# newsark images v1";
const HEADER =
  "# newsark images v2\turl\tstatus\ttries\tsha256\tbytes\ttype\tfile\tstore\tseen\tfetched\terror";

/** The image records of an earlier newsark, one file rewritten on every run; read and migrated. */
export function imageManifestPath(root: string): string {
  return join(root, "images", "manifest.tsv");
}

/** Folder of the image records: one file per month in which URLs were first seen, so files stay bounded. */
export function imageRecordsDir(root: string): string {
  return join(root, "images", "records");
}

/** The record file a record belongs in: `YYYY-MM.tsv` by first sighting, `undated.tsv` for migrated ones. */
export function recordShard(record: ImageRecord): string {
  if (record.seen === undefined) return "undated.tsv";
  return `${new Date(record.seen).toISOString().slice(0, 7)}.tsv`;
}

const dash = (s: string | undefined): string | undefined => (s && s !== "-" ? s : undefined);
const time = (s: string | undefined): number | undefined => {
  const t = dash(s) ? Date.parse(s as string) : Number.NaN;
  return Number.isFinite(t) ? t : undefined;
};

function parseLegacy(line: string): ImageRecord | undefined {
  const [url, file, bytes, status, tries, error] = line.split("\t");
  if (!url) return undefined;
  return {
    url,
    file: dash(file),
    bytes: dash(bytes) ? Number(bytes) : undefined,
    status: status === "ok" ? "ok" : "failed",
    tries: Number(tries) || 0,
    error: dash(error),
    store: status === "ok" ? "repo" : undefined,
  };
}

function parseLine(line: string): ImageRecord | undefined {
  const [url, status, tries, sha256, bytes, type, file, store, seen, fetched, error] = line.split("\t");
  if (!url) return undefined;
  return {
    url,
    status: status === "ok" ? "ok" : "failed",
    tries: Number(tries) || 0,
    sha256: dash(sha256),
    bytes: dash(bytes) ? Number(bytes) : undefined,
    type: dash(type),
    file: dash(file),
    store: store === "s3" ? "s3" : store === "repo" ? "repo" : undefined,
    seen: time(seen),
    fetched: time(fetched),
    error: dash(error),
  };
}

function readLines(
  path: string,
  parse: (line: string) => ImageRecord | undefined,
  into: Map<string, ImageRecord>,
) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return;
  }
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const record = parse(line);
    if (record) into.set(record.url, record);
  }
}

/** Reads every image record (images/records/*.tsv, and an older images/manifest.tsv) into a map keyed by URL. */
export function readImageManifest(root: string): Map<string, ImageRecord> {
  const map = new Map<string, ImageRecord>();
  readLines(imageManifestPath(root), parseLegacy, map);
  let shards: string[] = [];
  try {
    shards = readdirSync(imageRecordsDir(root)).filter((f) => f.endsWith(".tsv"));
  } catch {
    // No records yet.
  }
  for (const shard of shards.sort()) readLines(join(imageRecordsDir(root), shard), parseLine, map);
  return map;
}

/** One record file's text, sorted by URL so diffs stay small. */
function formatShard(records: ImageRecord[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]/g, " ");
  const iso = (t: number | undefined) => (t === undefined ? "-" : new Date(t).toISOString());
  const lines = [HEADER];
  for (const r of records.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))) {
    lines.push(
      [
        clean(r.url),
        r.status,
        r.tries,
        r.sha256 ?? "-",
        r.bytes ?? "-",
        r.type ?? "-",
        r.file ?? "-",
        r.store ?? "-",
        iso(r.seen),
        iso(r.fetched),
        r.error ? clean(r.error) : "-",
      ].join("\t"),
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Writes the image records, one file per month of first sighting. With `changed` (URLs whose record
 * changed), only their files are rewritten, so an hourly run touches one or two files. An older
 * images/manifest.tsv is migrated: every file is written, then it is removed.
 */
export function writeImageManifest(
  root: string,
  records: Map<string, ImageRecord>,
  changed?: Iterable<string>,
): void {
  const legacy = readFileLead(imageManifestPath(root)).startsWith(LEGACY_HEADER);
  let shards: Set<string> | undefined;
  if (changed && !legacy) {
    shards = new Set();
    for (const url of changed) {
      const r = records.get(url);
      if (r) shards.add(recordShard(r));
    }
    if (shards.size === 0) return;
  }
  const byShard = new Map<string, ImageRecord[]>();
  for (const r of records.values()) {
    const shard = recordShard(r);
    if (shards && !shards.has(shard)) continue;
    const list = byShard.get(shard) ?? [];
    list.push(r);
    byShard.set(shard, list);
  }
  for (const [shard, list] of byShard) writeFileAtomic(join(imageRecordsDir(root), shard), formatShard(list));
  // The old manifest goes only once every record it held is in the new files.
  if (legacy) rmSync(imageManifestPath(root), { force: true });
}

function readFileLead(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(0, 64);
  } catch {
    return "";
  }
}
