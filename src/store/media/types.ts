/**
 * Where archived images live. Objects are content-addressed: a key names its bytes (`ab/ab12….png`, the
 * first 32 hex digits of their sha256 plus the extension), so storing a key twice is a no-op.
 *
 * @example
 * const store = await createMediaStore(config);
 * await store.put("ab/ab12….png", bytes, "image/png"); // "stored", or "exists" when already there
 */
export interface MediaStore {
  /** Which kind of store, for reports ("repo" or "s3"). */
  readonly kind: MediaStoreKind;
  /** Stores bytes under a key; does nothing (and says "exists") when the key is already there. */
  put(key: string, bytes: Uint8Array, type: string): Promise<"stored" | "exists">;
  /** Whether the store holds the key. */
  has(key: string): Promise<boolean>;
  /** The bytes under a key, or undefined when the store does not hold it. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Every object the store holds, in no particular order. */
  list(): AsyncIterable<MediaObject>;
  /** Removes a key; removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Where a static site finds an object: a public URL, or a local file to place in the site. */
  locate(key: string): MediaLocation | undefined;
  /** Releases connections; the store is not used afterwards. */
  close(): void;
}

/** The kinds of media store newsark.yaml can choose. */
export type MediaStoreKind = "repo" | "s3";

/** One stored object, as list() gives it. */
export interface MediaObject {
  key: string;
  bytes: number;
}

/** Where a site finds an object: linked from a public URL, or a local file placed in the site. */
export type MediaLocation = { url: string } | { file: string };

/** An S3-compatible bucket: the media store's, or the one `newsark publish` uploads the site to. */
export interface S3Settings {
  endpoint: string;
  bucket: string;
  /** Prepended to every key, e.g. "images/"; empty or ending in "/". */
  prefix: string;
  region: string;
  /** Path-style URLs (ENDPOINT/BUCKET/KEY) instead of virtual-hosted ones; most self-hosted stores need it. */
  pathStyle: boolean;
  /** Public base URL of the prefix, if objects are readable there (e.g. a CDN); the site links it. */
  publicUrl?: string | undefined;
  /** From the environment only, never from newsark.yaml. */
  accessKey: string;
  secretKey: string;
}

/** The `media:` section of newsark.yaml. */
export type MediaSettings = { store: "repo" } | ({ store: "s3" } & S3Settings);

/** The `publish:` section of newsark.yaml (the bucket `newsark publish` uploads site/ to). */
export type PublishSettings = { store: "s3" } & S3Settings;
