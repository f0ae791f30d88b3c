import type { Config } from "../../model/source.js";
import { readImageManifest, writeImageManifest } from "../files/images-manifest.js";
import { createMediaStore } from "./index.js";
import { moveObject } from "./move.js";
import { createRepoMediaStore } from "./repo/index.js";

/** What a migration did. */
export interface MigrateReport {
  moved: number;
  /** Objects the S3 store already held (an earlier, interrupted migration moved them). */
  already: number;
  /** Objects recorded in images/ that were in neither store. */
  missing: string[];
}

/** Records are written after this many objects, so an interrupted migration redoes little. */
const BATCH = 50;

/**
 * Moves every image in the archive's images/ into the configured S3 store: each object is uploaded, read back
 * and re-hashed before its local copy is removed, and the records are updated as it goes. Interrupted at any
 * point, it loses nothing; run again, it goes on where it stopped. `onProgress` is called after each object.
 *
 * @example
 * await migrateMediaToS3(config);
 */
export async function migrateMediaToS3(
  config: Config,
  onProgress?: (done: number, total: number) => void,
): Promise<MigrateReport> {
  const store = createMediaStore(config);
  const repo = createRepoMediaStore(config.root);
  const records = readImageManifest(config.root);
  const report: MigrateReport = { moved: 0, already: 0, missing: [] };
  try {
    const keys = new Set<string>();
    for await (const o of repo.list()) keys.add(o.key);
    for (const r of records.values()) {
      if (r.status === "ok" && r.store !== "s3" && r.file) keys.add(r.file.slice("images/".length));
    }
    const urlsByKey = new Map<string, string[]>();
    for (const r of records.values()) {
      if (!r.file) continue;
      const key = r.file.slice("images/".length);
      urlsByKey.set(key, [...(urlsByKey.get(key) ?? []), r.url]);
    }
    const changed = new Set<string>();
    const save = () => {
      writeImageManifest(config.root, records, changed);
      changed.clear();
    };
    let done = 0;
    for (const key of [...keys].sort()) {
      const moved = await moveObject(repo, store, key);
      if (moved === "moved") report.moved++;
      else if (await store.has(key)) report.already++;
      else report.missing.push(key);
      if (moved === "moved" || !report.missing.includes(key)) {
        for (const url of urlsByKey.get(key) ?? []) {
          const r = records.get(url);
          if (r && r.store !== "s3") {
            records.set(url, { ...r, store: "s3", error: undefined });
            changed.add(url);
          }
        }
      }
      onProgress?.(++done, keys.size);
      if (done % BATCH === 0) save();
    }
    save();
  } finally {
    store.close();
  }
  return report;
}
