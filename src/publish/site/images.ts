import { copyFileSync, existsSync, linkSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "../../model/source.js";
import { readImageManifest } from "../../store/files/images-manifest.js";
import { createMediaStore } from "../../store/media/index.js";
import { createRepoMediaStore } from "../../store/media/repo/index.js";
import { shortHash } from "./content-hash.js";
import { safeImageFile } from "./pages.js";

/** Where the site finds the archived copy of each image, and how many copies this build placed. */
export interface SiteImages {
  /** Site-relative file (or public URL, for a media store that has one) of an image URL's copy; undefined when there is none. */
  imageFile: (url: string) => string | undefined;
  /** The same answer by the image URL's key (`imageKey`), as the build manifest records images. */
  fileOfKey: (key: string) => string | undefined;
  /** Image files placed in the site by this build. */
  written: number;
  /** Whether any image has a copy the site can show (else every page shows the original URLs). */
  anyCopy: boolean;
}

/** The key the build manifest records an image URL under: short, where URLs run to hundreds of characters. */
export function imageKey(url: string): string {
  return shortHash(url);
}

/** Hard-links a stored image into the site (copies across filesystems); skips images already there. */
function linkImage(source: string, outDir: string, file: string): boolean {
  const dest = join(outDir, file);
  if (existsSync(dest)) return false;
  mkdirSync(dirname(dest), { recursive: true });
  try {
    linkSync(source, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    copyFileSync(source, dest);
  }
  return true;
}

/**
 * The site's image step: asks the media store where each archived image is and places the local ones where
 * the pages will link them (images/<key>); answers, per image URL, which file that is. The store offers only
 * regular files inside images/, so a symlink in the archive never reaches the site.
 */
export function placeImages(config: Config, outDir: string): SiteImages {
  const records = readImageManifest(config.root);
  const store = createMediaStore(config);
  const local = store.kind === "repo" ? store : createRepoMediaStore(config.root);
  /** Archive-relative file → where pages link it (the same path in the site, or the store's public URL). */
  const placed = new Map<string, string>();
  let written = 0;
  for (const r of records.values()) {
    const file = r.status === "ok" ? safeImageFile(r.file) : undefined;
    if (!file || placed.has(file)) continue;
    const where = (r.store === "s3" ? store : local).locate(file.slice("images/".length));
    if (!where) continue;
    if ("url" in where) {
      placed.set(file, where.url);
      continue;
    }
    placed.set(file, file);
    if (linkImage(where.file, outDir, file)) written++;
  }
  const imageFile = (url: string): string | undefined => {
    const r = records.get(url);
    const file = r?.status === "ok" ? safeImageFile(r.file) : undefined;
    return file ? placed.get(file) : undefined;
  };
  let byKey: Map<string, string> | undefined;
  const fileOfKey = (key: string): string | undefined => {
    if (!byKey) {
      byKey = new Map();
      for (const url of records.keys()) {
        const where = imageFile(url);
        if (where !== undefined) byKey.set(imageKey(url), where);
      }
    }
    return byKey.get(key);
  };
  return { imageFile, fileOfKey, written, anyCopy: placed.size > 0 };
}
