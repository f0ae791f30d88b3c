import { join } from "node:path";
import type { Config } from "../model/source.js";
import { archivePaths } from "../store/files/paths.js";
import { writeFileAtomic } from "../util/atomic.js";
import { readFileOr } from "../util/read.js";
import { archiveStatus } from "./index.js";

const DAY = 86_400_000;

/**
 * Once a day (remembered in the local cache), measures the archive's growth and returns a warning when it
 * will pass 5 GB within 90 days, naming the fix; otherwise undefined. Other runs only read one small file.
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
  const marker = join(archivePaths.cacheDir(config.root), "growth-checked");
  const last = Number(readFileOr(marker, "0"));
  if (Number.isFinite(last) && now - last < DAY) return undefined;
  const { growth, bytes } = await archiveStatus(config, { now, listMedia: false });
  try {
    writeFileAtomic(marker, String(now));
  } catch {
    // A read-only cache only means the check runs again next time.
  }
  const days =
    growth.bytesPerDay > 0
      ? Math.max(0, Math.ceil((limit.bytes - bytes.total) / growth.bytesPerDay))
      : undefined;
  if (days === undefined || days > limit.days) return undefined;
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  const fix =
    (config.media?.store ?? "repo") === "repo"
      ? "; keep images out of git with media: { store: s3, … } in newsark.yaml, then 'newsark media migrate --to s3'"
      : "";
  const gb = `${Math.round((limit.bytes / 1024 ** 3) * 1000) / 1000} GB`;
  return `status: the archive (${mb(bytes.total)}) grows ${mb(growth.bytesPerDay)} a day and passes ${gb} in ${days} days${fix}`;
}
