import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../../util/atomic.js";
import { isMediaKey } from "../keys.js";
import type { MediaLocation, MediaObject, MediaStore } from "../types.js";

/** The folder of the in-archive store, relative to the archive root. */
export const REPO_MEDIA_DIR = "images";

/**
 * Whether `dir/key` is a regular file reached through real folders only: images/, its shard folder and the
 * file itself are each checked without following symlinks, so no link anywhere on the way is followed.
 */
function isPlainFile(dir: string, key: string): boolean {
  try {
    const [shard] = key.split("/");
    return (
      lstatSync(dir).isDirectory() &&
      lstatSync(join(dir, shard ?? "")).isDirectory() &&
      lstatSync(join(dir, key)).isFile()
    );
  } catch {
    return false;
  }
}

/**
 * The in-archive media store: objects are files under `images/<2 hex>/<32 hex>.<ext>`, committed with the
 * archive. Symlinks there are never followed, read or listed, so a crafted archive cannot point newsark or
 * its site at files outside images/.
 */
export function createRepoMediaStore(root: string): MediaStore {
  const dir = join(root, REPO_MEDIA_DIR);
  const pathOf = (key: string): string => {
    if (!isMediaKey(key)) throw new Error(`media store: '${key}' is not a media key`);
    return join(dir, key);
  };
  return {
    kind: "repo",
    async put(key, bytes) {
      const path = pathOf(key);
      if (isPlainFile(dir, key)) return "exists";
      writeFileAtomic(path, bytes);
      return "stored";
    },
    async has(key) {
      return isMediaKey(key) && isPlainFile(dir, key);
    },
    async read(key) {
      if (!isMediaKey(key) || !isPlainFile(dir, key)) return undefined;
      try {
        // O_NOFOLLOW: a symlink in images/ fails to open instead of being read through.
        const fd = openSync(pathOf(key), constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          return readFileSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch {
        return undefined;
      }
    },
    async *list(): AsyncIterable<MediaObject> {
      let shards: string[];
      try {
        shards = readdirSync(dir);
      } catch {
        return;
      }
      for (const shard of shards.sort()) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        let names: string[];
        try {
          names = readdirSync(join(dir, shard));
        } catch {
          continue;
        }
        for (const name of names.sort()) {
          const key = `${shard}/${name}`;
          if (!isMediaKey(key)) continue;
          if (!isPlainFile(dir, key)) continue;
          yield { key, bytes: lstatSync(join(dir, key)).size };
        }
      }
    },
    async delete(key) {
      rmSync(pathOf(key), { force: true });
    },
    locate(key): MediaLocation | undefined {
      // Only a regular file inside images/ is offered to the site: never a symlink, never a path outside.
      return isMediaKey(key) && isPlainFile(dir, key) ? { file: pathOf(key) } : undefined;
    },
    close() {},
  };
}
