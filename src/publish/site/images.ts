import { copyFileSync, existsSync, linkSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { readImageManifest } from "../../store/files/images-manifest.js";
import { safeImageFile } from "./pages.js";

/** Where the site finds the archived copy of each image, and how many copies this build placed. */
export interface SiteImages {
  /** Site-relative file of the archived copy of an image URL, or undefined when there is none. */
  imageFile: (url: string) => string | undefined;
  /** Image files placed in the site by this build. */
  written: number;
}

/** Hard-links an archived image into the site (copies across filesystems); skips images already there. */
function linkImage(root: string, outDir: string, file: string): boolean {
  const dest = join(outDir, file);
  if (existsSync(dest)) return false;
  mkdirSync(dirname(dest), { recursive: true });
  try {
    linkSync(join(root, file), dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    copyFileSync(join(root, file), dest);
  }
  return true;
}

/**
 * The site's image step: places every archived image where the pages will link it and answers, per
 * image URL, which file that is.
 */
export function placeImages(root: string, outDir: string): SiteImages {
  const images = readImageManifest(root);
  let written = 0;
  for (const r of images.values()) {
    const file = r.status === "ok" ? safeImageFile(r.file) : undefined;
    if (file && linkImage(root, outDir, file)) written++;
  }
  const imageFile = (url: string): string | undefined => {
    const r = images.get(url);
    return r?.status === "ok" ? safeImageFile(r.file) : undefined;
  };
  return { imageFile, written };
}
