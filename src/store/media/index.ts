import type { Config } from "../../model/source.js";
import { createRepoMediaStore } from "./repo/index.js";
import { createS3MediaStore } from "./s3/index.js";
import type { MediaStore } from "./types.js";

export { isMediaKey, matchesKey, mediaKey, mediaType, sha256Hex } from "./keys.js";
export { createRepoMediaStore, REPO_MEDIA_DIR } from "./repo/index.js";
export type {
  MediaLocation,
  MediaObject,
  MediaSettings,
  MediaStore,
  MediaStoreKind,
  PublishSettings,
  S3Settings,
} from "./types.js";

/**
 * The media store newsark.yaml chooses (`media: { store: … }`, default repo): the one place a concrete
 * store is picked. The S3 client (minio) is loaded only when a request is made.
 *
 * @example
 * const store = createMediaStore(config);
 */
export function createMediaStore(config: Config): MediaStore {
  const media = config.media ?? { store: "repo" };
  if (media.store === "s3") return createS3MediaStore(media);
  return createRepoMediaStore(config.root);
}
