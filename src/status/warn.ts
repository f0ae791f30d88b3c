import { join } from "node:path";
import type { Config } from "../model/source.js";
import { archivePaths } from "../store/files/paths.js";
import { writeFileAtomic } from "../util/atomic.js";
import { readFileOr } from "../util/read.js";
import { ARCHIVE_PARTS, treeBytes } from "./bytes.js";

const DAY = 86_400_000;

/** A measurement of the archive's working-tree bytes at a time (ms). */
type Sample = [at: number, bytes: number];

/** The samples kept in state/growth.json; a missing or unreadable file is an archive with no history yet. */
function readSamples(path: string): Sample[] {
  try {
    const parsed = JSON.parse(readFileOr(path, "{}")) as { samples?: unknown };
    if (!Array.isArray(parsed.samples)) return [];
    return parsed.samples.filter(
      (s): s is Sample => Array.isArray(s) && Number.isFinite(s[0]) && Number.isFinite(s[1]),
    );
  } catch {
    return [];
  }
}

/**
 * Once a day, measures the archive's size and returns a warning when, at the rate it grew since the
 * oldest sample of the last 30 days, it will pass 5 GB within 90 days, naming the fix; otherwise
 * undefined. The samples live in the committed state/growth.json, so a scheduled job on a fresh
 * clone measures once a day, not every hour, and the measurement is one lstat per file: no state is
 * parsed, so its memory does not grow with the archive. Other runs read one small file.
 *
 * @example
 * const warning = await growthWarning(config, Date.now());
 */
export async function growthWarning(
  config: Config,
  now: number,
  /** The size and horizon to warn about; smaller in tests, where archives are tiny. */
  limit = { bytes: 5 * 1024 ** 3, days: 90 },
): Promise<string | undefined> {
  const path = archivePaths.growth(config.root);
  const samples = readSamples(path).filter(([at]) => at <= now && now - at <= 30 * DAY);
  const last = samples.at(-1);
  if (last && now - last[0] < DAY) return undefined;
  const total = ARCHIVE_PARTS.reduce((sum, part) => sum + treeBytes(join(config.root, part)), 0);
  try {
    writeFileAtomic(path, `${JSON.stringify({ samples: [...samples, [now, total]] })}\n`);
  } catch {
    // A read-only archive only means the size is measured again next time.
  }
  const first = samples[0];
  if (!first) return undefined;
  const bytesPerDay = (total - first[1]) / ((now - first[0]) / DAY);
  const days = bytesPerDay > 0 ? Math.max(0, Math.ceil((limit.bytes - total) / bytesPerDay)) : undefined;
  if (days === undefined || days > limit.days) return undefined;
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  const fix =
    (config.media?.store ?? "repo") === "repo"
      ? "; keep images out of git with media: { store: s3, … } in newsark.yaml, then 'newsark media migrate --to s3'"
      : "";
  const gb = `${Math.round((limit.bytes / 1024 ** 3) * 1000) / 1000} GB`;
  return `status: the archive (${mb(total)}) grows ${mb(bytesPerDay)} a day and passes ${gb} in ${days} days${fix}`;
}
