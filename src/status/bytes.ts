import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes of every regular file below a path (symlinks are not followed); 0 when it does not exist. */
export function treeBytes(path: string, onFile?: (path: string, name: string, size: number) => void): number {
  let total = 0;
  const walk = (p: string, name: string) => {
    const s = lstatSync(p, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isFile()) {
      total += s.size;
      onFile?.(p, name, s.size);
    } else if (s.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n), n);
  };
  walk(path, "");
  return total;
}

/** The folders of an archive that git holds, by the name `status` reports them under. */
export const ARCHIVE_PARTS = ["articles", "versions", "images", "state", "lists"] as const;
