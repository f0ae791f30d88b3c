import type { Config } from "../../model/source.js";
import { type ImageRecord, readImageManifest } from "../files/images-manifest.js";
import { createMediaStore } from "./index.js";
import { matchesKey } from "./keys.js";
import { createRepoMediaStore } from "./repo/index.js";
import type { MediaStore } from "./types.js";

/** One object the records name that the store does not hold as recorded. */
export interface VerifyProblem {
  key: string;
  store: "repo" | "s3";
  problem: "missing" | "altered";
  /** The image URLs recorded with this object. */
  urls: string[];
}

/** What `newsark verify` found. */
export interface VerifyReport {
  /** Objects re-read and re-hashed. */
  checked: number;
  ok: number;
  problems: VerifyProblem[];
}

/** The recorded objects: store key → where it is and the URLs recorded with it. */
export function recordedObjects(
  records: Map<string, ImageRecord>,
): Map<string, { store: "repo" | "s3"; urls: string[] }> {
  const objects = new Map<string, { store: "repo" | "s3"; urls: string[] }>();
  for (const r of records.values()) {
    if (r.status !== "ok" || !r.file?.startsWith("images/")) continue;
    const key = r.file.slice("images/".length);
    const entry = objects.get(key) ?? { store: r.store ?? "repo", urls: [] };
    entry.urls.push(r.url);
    objects.set(key, entry);
  }
  return objects;
}

/** A uniform sample of n items (Fisher-Yates on a copy); all of them when n is undefined or larger. */
function sample<T>(items: T[], n: number | undefined, random: () => number): T[] {
  if (n === undefined || n >= items.length) return items;
  const copy = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

/**
 * Re-reads every recorded image (or a random sample of them) from the store that holds it and checks its
 * bytes against its content-addressed key. An object moved by an interrupted migration is looked for in both
 * stores before it counts as missing.
 *
 * @example
 * const { problems } = await verifyMedia(config, { sample: 100 });
 */
export async function verifyMedia(
  config: Config,
  options: { sample?: number | undefined; random?: () => number } = {},
): Promise<VerifyReport> {
  const objects = recordedObjects(readImageManifest(config.root));
  const store = createMediaStore(config);
  const repo = store.kind === "repo" ? store : createRepoMediaStore(config.root);
  const report: VerifyReport = { checked: 0, ok: 0, problems: [] };
  try {
    const keys = sample([...objects.keys()].sort(), options.sample, options.random ?? Math.random);
    let next = 0;
    // A few requests in flight: a remote store answers faster in parallel, and no more than 8 at once.
    const worker = async () => {
      for (let i = next++; i < keys.length; i = next++) {
        const key = keys[i] as string;
        const entry = objects.get(key) as { store: "repo" | "s3"; urls: string[] };
        const stores: MediaStore[] = entry.store === "s3" ? [store, repo] : [repo, store];
        let bytes: Uint8Array | undefined;
        for (const s of new Set(stores)) {
          bytes = await s.read(key);
          if (bytes) break;
        }
        report.checked++;
        if (bytes === undefined)
          report.problems.push({ key, store: entry.store, problem: "missing", urls: entry.urls });
        else if (!matchesKey(key, bytes))
          report.problems.push({ key, store: entry.store, problem: "altered", urls: entry.urls });
        else report.ok++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, keys.length) }, worker));
  } finally {
    store.close();
  }
  report.problems.sort((a, b) => (a.key < b.key ? -1 : 1));
  return report;
}
