import { isMediaKey } from "../keys.js";
import type { MediaLocation, MediaObject, MediaStore, S3Settings } from "../types.js";
import { isNotFound, readAll, type S3Connection, s3Connect, storeError } from "./client.js";

/** Objects never change under a content-addressed key, so caches may keep them for a year. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/**
 * A media store in any S3-compatible bucket (AWS S3, MinIO, Ceph, Swift's S3 API, R2, …). Keys are
 * `<prefix><2 hex>/<32 hex>.<ext>`. "Already there" is checked with a HEAD before each PUT, never with a
 * conditional PUT, which not every store supports.
 */
export function createS3MediaStore(settings: S3Settings): MediaStore {
  // Connected on first use: building the site only needs locate(), which makes no request.
  let connection: Promise<S3Connection> | undefined;
  const connect = () => {
    connection ??= s3Connect(settings);
    return connection;
  };
  const { bucket, prefix } = settings;
  const name = (key: string): string => {
    if (!isMediaKey(key)) throw storeError(settings, key, new Error("not a media key"));
    return `${prefix}${key}`;
  };
  const has = async (key: string): Promise<boolean> => {
    if (!isMediaKey(key)) return false;
    try {
      const { client } = await connect();
      await client.statObject(bucket, name(key));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw storeError(settings, `HEAD ${name(key)}`, err);
    }
  };
  return {
    kind: "s3",
    async put(key, bytes, type) {
      if (await has(key)) return "exists";
      try {
        const { client } = await connect();
        await client.putObject(bucket, name(key), Buffer.from(bytes), bytes.length, {
          "Content-Type": type,
          "Cache-Control": IMMUTABLE_CACHE,
        });
      } catch (err) {
        throw storeError(settings, `PUT ${name(key)}`, err);
      }
      return "stored";
    },
    has,
    async read(key) {
      try {
        const { client } = await connect();
        return await readAll(await client.getObject(bucket, name(key)));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw storeError(settings, `GET ${name(key)}`, err);
      }
    },
    async *list(): AsyncIterable<MediaObject> {
      try {
        const { client } = await connect();
        for await (const o of client.listObjectsV2(bucket, prefix, true)) {
          const key = typeof o.name === "string" ? o.name.slice(prefix.length) : "";
          if (isMediaKey(key)) yield { key, bytes: o.size ?? 0 };
        }
      } catch (err) {
        throw storeError(settings, `LIST ${prefix}`, err);
      }
    },
    async delete(key) {
      try {
        const { client } = await connect();
        await client.removeObject(bucket, name(key));
      } catch (err) {
        if (!isNotFound(err)) throw storeError(settings, `DELETE ${name(key)}`, err);
      }
    },
    locate(key): MediaLocation | undefined {
      // A public URL is only a link: the site never copies S3 objects, it links them.
      if (!isMediaKey(key) || !settings.publicUrl) return undefined;
      return { url: `${settings.publicUrl.replace(/\/+$/, "")}/${key}` };
    },
    close() {
      connection?.then((c) => c.close()).catch(() => {});
      connection = undefined;
    },
  };
}
